/**
 * A hand-written parser of the Prometheus text format, lenient where StarRocks and real
 * exporters are odd and never throwing: the npm parsers measured here drop the labels of
 * labelled summaries or throw on NaN (../shared/reference/stack-notes.md).
 *
 * Handled (monitoring-anchors.md §4): LF or CRLF (the `\r` stripped and reported once), blank
 * lines, leading/trailing whitespace, whitespace inside `{}`, a trailing comma, `{}`, label
 * escapes `\\` `\"` `\n` (others kept verbatim), quoted UTF-8 names, NaN/±Inf in any case,
 * Java doubles (`1.2345678E7`), optional timestamps (integer ms, or OM float seconds), HELP
 * and TYPE anywhere and with StarRocks' double space (`# TYPE  node_info gauge`), TYPE kept
 * per family across the whole payload (3.5 splits families), `_sum`/`_count`/`_bucket`
 * joined to a declared summary or histogram but never by suffix alone, duplicate series
 * (the first kept, the rest counted), garbage lines (skipped and counted).
 */

export type MetricType = 'counter' | 'gauge' | 'summary' | 'histogram' | 'untyped';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestampMs: number | null;
}

export interface MetricFamily {
  readonly name: string;
  type: MetricType;
  help: string | null;
  readonly samples: Sample[];
}

export type ParseWarningKind = 'garbage' | 'duplicate' | 'crlf' | 'bad_type' | 'bad_value' | 'bad_labels';

export interface ParseWarning {
  /** 1-based line number. */
  readonly line: number;
  readonly kind: ParseWarningKind;
  /** The offending line, cut to 120 characters. */
  readonly text: string;
}

export interface ParsedMetrics {
  /** In order of first appearance. */
  readonly families: MetricFamily[];
  /** A family by name; `_sum`/`_count`/`_bucket` samples of a declared summary or histogram are in it. */
  family(name: string): MetricFamily | undefined;
  readonly sampleCount: number;
  /** Series seen again in the same body (the first is kept). */
  readonly duplicates: number;
  /** Lines skipped as unreadable. */
  readonly skippedLines: number;
  /** The first MAX_WARNINGS problems; the counts above stay exact. */
  readonly warnings: ParseWarning[];
}

const MAX_WARNINGS = 100;
const TYPES = new Set<string>(['counter', 'gauge', 'summary', 'histogram', 'untyped']);
const COMPOUND = /_(sum|count|bucket|created)$/;

const SPACE = 32;
const TAB = 9;
const CR = 13;
const HASH = 35;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN = 123;
const CLOSE = 125;
const EQUALS = 61;
const COMMA = 44;

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 58;
}

class Parser {
  readonly families: MetricFamily[] = [];
  readonly byName = new Map<string, MetricFamily>();
  private readonly seen = new Set<string>();
  readonly warnings: ParseWarning[] = [];
  sampleCount = 0;
  duplicates = 0;
  skippedLines = 0;
  private crlfReported = false;
  private lineNo = 0;
  private line = '';

  constructor(private readonly text: string) {}

  run(): void {
    const text = this.text;
    let start = 0;
    const length = text.length;
    while (start < length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = length;
      this.lineNo += 1;
      let stop = end;
      if (stop > start && text.charCodeAt(stop - 1) === CR) {
        stop -= 1;
        if (!this.crlfReported) {
          this.crlfReported = true;
          this.warn('crlf', text.slice(start, stop));
        }
      }
      this.parseLine(start, stop);
      start = end + 1;
    }
  }

  private warn(kind: ParseWarningKind, text: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push({ line: this.lineNo, kind, text: text.length > 120 ? text.slice(0, 120) : text });
  }

  private skip(kind: ParseWarningKind): void {
    this.skippedLines += 1;
    this.warn(kind, this.line);
  }

  private familyFor(name: string): MetricFamily {
    let family = this.byName.get(name);
    if (!family) {
      family = { name, type: 'untyped', help: null, samples: [] };
      this.byName.set(name, family);
      this.families.push(family);
    }
    return family;
  }

  private parseLine(start: number, stop: number): void {
    const text = this.text;
    let i = start;
    while (i < stop && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i += 1;
    if (i >= stop) return;
    if (text.charCodeAt(i) === HASH) return this.parseComment(i + 1, stop);
    this.line = text.slice(start, stop);
    this.parseSample(i, stop);
  }

  /** `# HELP name text`, `# TYPE name type`; any other `#` line is a comment. */
  private parseComment(i: number, stop: number): void {
    const text = this.text;
    if (i >= stop || (text.charCodeAt(i) !== SPACE && text.charCodeAt(i) !== TAB)) return;
    while (i < stop && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i += 1;
    const isHelp = text.startsWith('HELP', i);
    if (!isHelp && !text.startsWith('TYPE', i)) return;
    i += 4;
    if (i < stop && text.charCodeAt(i) !== SPACE && text.charCodeAt(i) !== TAB) return;
    while (i < stop && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i += 1;
    const nameStart = i;
    while (i < stop && text.charCodeAt(i) !== SPACE && text.charCodeAt(i) !== TAB) i += 1;
    if (i === nameStart) return;
    const name = text.slice(nameStart, i);
    if (isHelp) {
      // One separator after the name; the rest, even empty, is the text.
      const help = i < stop ? text.slice(i + 1, stop) : '';
      const family = this.familyFor(name);
      if (family.help === null) family.help = help.includes('\\') ? unescapeHelp(help) : help;
      return;
    }
    const type = text.slice(i, stop).trim().toLowerCase();
    if (!TYPES.has(type)) {
      this.line = text.slice(nameStart, stop);
      return this.skip('bad_type');
    }
    const family = this.familyFor(name);
    if (family.type === 'untyped') family.type = type as MetricType;
  }

  private parseSample(i: number, stop: number): void {
    const text = this.text;
    const nameStart = i;
    while (i < stop && isNameChar(text.charCodeAt(i))) i += 1;
    let name = text.slice(nameStart, i);
    let labels: Record<string, string> = {};
    let key = '';
    const afterName = i;
    while (i < stop && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i += 1;
    if (i >= stop || text.charCodeAt(i) !== OPEN) i = afterName;
    else {
      const parsed = this.parseLabels(i + 1, stop);
      if (parsed === null) return this.skip('bad_labels');
      labels = parsed.labels;
      key = parsed.key;
      if (parsed.name !== null) {
        if (name !== '') return this.skip('bad_labels');
        name = parsed.name;
      }
      i = parsed.end;
    }
    if (name === '') return this.skip('garbage');
    if (i < stop && text.charCodeAt(i) !== SPACE && text.charCodeAt(i) !== TAB) return this.skip('garbage');
    while (i < stop && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i += 1;
    const valueStart = i;
    while (i < stop && text.charCodeAt(i) !== SPACE && text.charCodeAt(i) !== TAB) i += 1;
    if (i === valueStart) return this.skip('garbage');
    const value = parseValue(text.slice(valueStart, i));
    if (value === undefined) return this.skip('bad_value');
    while (i < stop && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i += 1;
    let timestampMs: number | null = null;
    if (i < stop) {
      const tsStart = i;
      while (i < stop && text.charCodeAt(i) !== SPACE && text.charCodeAt(i) !== TAB) i += 1;
      const ts = Number(text.slice(tsStart, i));
      while (i < stop && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i += 1;
      if (!Number.isFinite(ts) || i < stop) return this.skip('garbage');
      timestampMs = text.slice(tsStart, i).includes('.') ? Math.round(ts * 1000) : ts;
    }
    const seriesKey = key === '' ? name : `${name}\u0000${key}`;
    if (this.seen.has(seriesKey)) {
      this.duplicates += 1;
      this.warn('duplicate', this.line);
      return;
    }
    this.seen.add(seriesKey);
    this.sampleCount += 1;
    this.targetFamily(name).samples.push({ name, labels, value, timestampMs });
  }

  /** The family a sample belongs to: its own, or the declared summary/histogram its suffix names. */
  private targetFamily(name: string): MetricFamily {
    const own = this.byName.get(name);
    if (own && (own.type !== 'untyped' || own.samples.length > 0 || !COMPOUND.test(name))) return own;
    const suffix = COMPOUND.exec(name);
    if (suffix) {
      const base = this.byName.get(name.slice(0, suffix.index));
      if (base && (base.type === 'summary' || base.type === 'histogram')) return base;
    }
    return own ?? this.familyFor(name);
  }

  /** From just after `{` to just after `}`; null when the label set cannot be read. */
  private parseLabels(i: number, stop: number): { labels: Record<string, string>; key: string; name: string | null; end: number } | null {
    const text = this.text;
    const labels: Record<string, string> = {};
    let key = '';
    let name: string | null = null;
    for (;;) {
      while (i < stop && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i += 1;
      if (i >= stop) return null;
      if (text.charCodeAt(i) === CLOSE) return { labels, key, name, end: i + 1 };
      let label: string;
      if (text.charCodeAt(i) === QUOTE) {
        const quoted = readQuoted(text, i + 1, stop);
        if (quoted === null) return null;
        label = quoted.value;
        i = quoted.end;
      } else {
        const labelStart = i;
        while (i < stop && isNameChar(text.charCodeAt(i))) i += 1;
        if (i === labelStart) return null;
        label = text.slice(labelStart, i);
      }
      while (i < stop && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i += 1;
      if (i < stop && text.charCodeAt(i) === EQUALS) {
        i += 1;
        while (i < stop && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i += 1;
        if (i >= stop || text.charCodeAt(i) !== QUOTE) return null;
        const quoted = readQuoted(text, i + 1, stop);
        if (quoted === null) return null;
        labels[label] = quoted.value;
        key += `${label}\u0001${quoted.value}\u0002`;
        i = quoted.end;
      } else if (name === null && text.charCodeAt(i - 1) === QUOTE) {
        name = label; // a quoted metric name inside the braces
      } else {
        return null;
      }
      while (i < stop && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i += 1;
      if (i < stop && text.charCodeAt(i) === COMMA) i += 1;
      else if (!(i < stop && text.charCodeAt(i) === CLOSE)) return null;
    }
  }
}

/** A quoted string from just after its opening quote: its value and the index after the closing quote. */
function readQuoted(text: string, i: number, stop: number): { value: string; end: number } | null {
  const close = text.indexOf('"', i);
  const slash = text.indexOf('\\', i);
  if (close >= 0 && close < stop && (slash < 0 || slash > close)) return { value: text.slice(i, close), end: close + 1 };
  let value = '';
  let from = i;
  for (let j = i; j < stop; j += 1) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH && j + 1 < stop) {
      const next = text.charCodeAt(j + 1);
      value += text.slice(from, j);
      value += next === 110 ? '\n' : next === BACKSLASH ? '\\' : next === QUOTE ? '"' : text.slice(j, j + 2);
      j += 1;
      from = j + 1;
    } else if (c === QUOTE) {
      return { value: value + text.slice(from, j), end: j + 1 };
    }
  }
  return null;
}

function unescapeHelp(help: string): string {
  return help.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

/** Go-ParseFloat-like: decimals and exponents, NaN and ±Inf in any case; no hex, no `_`. */
function parseValue(token: string): number | undefined {
  const n = Number(token);
  if (!Number.isNaN(n)) {
    const c = token.charCodeAt(token.length - 1);
    // Number() also reads "0x1F", "0b1" and "Infinity"; Prometheus reads no hex, binary or octal.
    if ((c >= 48 && c <= 57) || c === 46) return /[xXbBoO]/.test(token) ? undefined : n;
  }
  switch (token.toLowerCase()) {
    case 'nan':
      return Number.NaN;
    case '+inf':
    case 'inf':
    case '+infinity':
    case 'infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    default:
      return undefined;
  }
}

export function parsePrometheusText(text: string): ParsedMetrics {
  const parser = new Parser(text);
  parser.run();
  const byName = parser.byName;
  return {
    families: parser.families,
    family: (name) => byName.get(name),
    sampleCount: parser.sampleCount,
    duplicates: parser.duplicates,
    skippedLines: parser.skippedLines,
    warnings: parser.warnings,
  };
}
