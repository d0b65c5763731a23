/**
 * Prometheus text format (0.0.4, plus the OpenMetrics bits seen in the wild) as StarRocks and
 * Doris FEs and BEs really print it (monitoring-anchors.md §4, starrocks-fe.md §1.2).
 *
 * Hand-written because the npm parsers measured fall short (stack-notes.md):
 * `parse-prometheus-text-format` merges labelled summaries into one series and drops their
 * labels, `prom2javascript` throws on `NaN`, and none is faster than ~60 MB/s.
 *
 * Never throws. Handled: LF or CRLF (`\r` stripped, one warning); blank lines; leading and trailing
 * blanks; blanks inside `{}` around `=` and `,`; a trailing comma and `{}`; label value escapes
 * `\\`, `\"`, `\n` (others kept verbatim); quoted UTF-8 names (`{"http.server.requests",
 * "method"="get"}`); Go-style floats with Java's `1.2345678E7`, NaN/Inf in any case, no hex or
 * `_`; integer-millisecond timestamps, or OpenMetrics float seconds turned into milliseconds;
 * `# HELP`/`# TYPE` anywhere, also with the FE's double space; `#HELP` and other `#` lines as
 * comments; OpenMetrics exemplars ignored.
 *
 * Families: a TYPE is remembered per name for the whole payload, so a family split across the
 * body (StarRocks 3.5) is one family with its samples in order. `_sum`/`_count`/`_created` (and
 * `_bucket` of a histogram) join a family only when a TYPE line declares it summary or histogram,
 * never by suffix alone. A sample name's family is decided when the name is first seen. Duplicate
 * series (same name and label set, in any order or spelling) keep the first sample. Bad lines are
 * skipped and counted.
 */
import { detach, isBlank, type LineError, SampleScanner } from './prometheus-lexer.js';

export type MetricType = 'counter' | 'gauge' | 'summary' | 'histogram' | 'untyped';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestampMs: number | null;
}

export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string | null;
  readonly samples: Sample[];
}

export interface ParseWarning {
  readonly line: number;
  readonly kind: 'garbage' | 'duplicate' | 'crlf' | 'bad_type' | 'bad_value' | 'bad_labels' | 'bad_utf8';
  /** The offending line, truncated to 120 characters. */
  readonly text: string;
}

export interface ParsedMetrics {
  /** In order of first appearance of the name (in a sample, `# HELP` or `# TYPE`). */
  readonly families: MetricFamily[];
  /** Fast lookup: family name → family. `_sum`/`_count`/`_bucket` samples of a declared summary/histogram belong to that family. */
  family(name: string): MetricFamily | undefined;
  readonly sampleCount: number;
  /** Duplicate series seen (the first was kept). */
  readonly duplicates: number;
  /** Lines dropped as unreadable: garbage, bad labels, bad values, bad `# TYPE`/`# HELP` lines. */
  readonly skippedLines: number;
  /** The first 100 only, so that a garbage body cannot blow memory; the counts above stay exact. */
  readonly warnings: ParseWarning[];
}

export function parsePrometheusText(text: string): ParsedMetrics {
  return new PayloadParser(text).parse();
}

const MAX_WARNINGS = 100;
const WARNING_TEXT_LENGTH = 120;
const CARRIAGE_RETURN = 13;
const HASH_SIGN = 35;
const BYTE_ORDER_MARK = 0xfeff;

const TYPE_WORDS = new Map<string, MetricType>([
  ['counter', 'counter'],
  ['gauge', 'gauge'],
  ['summary', 'summary'],
  ['histogram', 'histogram'],
  ['untyped', 'untyped'],
  ['unknown', 'untyped'], // OpenMetrics' spelling
]);

/** Suffixes that join a declared family, and the declared types they join. */
const CHILD_SUFFIXES: readonly (readonly [string, readonly MetricType[]])[] = [
  ['_sum', ['summary', 'histogram']],
  ['_count', ['summary', 'histogram']],
  ['_bucket', ['histogram']],
  ['_created', ['summary', 'histogram']],
];

interface FamilyBuilder {
  readonly name: string;
  type: MetricType;
  help: string | null;
  readonly samples: Sample[];
}

/** `# HELP` text: only `\\` and `\n` are escapes there. */
export function unescapeHelp(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\([\\n])/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

function isSameSeries(a: Sample, b: Sample): boolean {
  if (a.name !== b.name) return false;
  const keys = Object.keys(a.labels);
  if (Object.keys(b.labels).length !== keys.length) return false;
  return keys.every((key) => Object.hasOwn(b.labels, key) && a.labels[key] === b.labels[key]);
}

/**
 * The series seen so far, for duplicate detection: open addressing over one Int32Array of
 * (hash + 1, sample index) pairs, keyed by the scanner's series hash, which costs far less than a
 * Map on this hot path. Equal hashes are confirmed by comparing name and labels; probing simply
 * goes on past a collision.
 */
class SeriesTable {
  /**
   * Arrays that hold a whole parse's samples come from `Array.of()`, not `[]`: V8 may move a
   * literal's allocation site to the old generation once its arrays keep surviving, and an old
   * array keeps all the young samples it holds alive through every scavenge until a full GC, so
   * they all get promoted. With literals, 6 benchmark processes in 15 fell into that mode at half
   * speed; with `Array.of()`, 2 in 15.
   */
  private readonly samples = Array.of<Sample>();
  private slots: Int32Array;

  /** Sized from the payload (a sample line is rarely under 32 characters) to avoid regrowing. */
  constructor(textLength: number) {
    let capacity = 256;
    while (capacity < textLength / 32) capacity *= 2;
    this.slots = new Int32Array(capacity * 2);
  }

  /** False if the sample's series is already there. */
  add(hash: number, sample: Sample): boolean {
    const { slots } = this;
    const mask = slots.length / 2 - 1;
    // Stored as hash + 1 so that 0 marks an empty slot.
    const stored = hash + 1;
    let slot = hash & mask;
    for (let h = slots[slot * 2]!; h !== 0; h = slots[slot * 2]!) {
      if (h === stored && isSameSeries(this.samples[slots[slot * 2 + 1]!]!, sample)) return false;
      slot = (slot + 1) & mask;
    }
    slots[slot * 2] = stored;
    slots[slot * 2 + 1] = this.samples.length;
    this.samples.push(sample);
    if (this.samples.length * 2 > mask) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    const mask = this.slots.length / 2 - 1;
    for (let i = 0; i < old.length; i += 2) {
      const h = old[i]!;
      if (h === 0) continue;
      let slot = (h - 1) & mask;
      while (this.slots[slot * 2] !== 0) slot = (slot + 1) & mask;
      this.slots[slot * 2] = h;
      this.slots[slot * 2 + 1] = old[i + 1]!;
    }
  }
}

class PayloadParser {
  private readonly families = Array.of<FamilyBuilder>(); // see SeriesTable.samples
  private readonly familiesByName = new Map<string, FamilyBuilder>();
  private readonly declaredTypes = new Map<string, MetricType>();
  /** Sample name → family, decided at first sight. */
  private readonly familyOfSample = new Map<string, FamilyBuilder>();
  private readonly seriesTable: SeriesTable;
  private readonly scanner = new SampleScanner();
  private readonly warnings: ParseWarning[] = [];
  private sampleCount = 0;
  private duplicates = 0;
  private skippedLines = 0;
  private lastMetadataFamily: FamilyBuilder | undefined;
  private lineNumber = 0;
  private lineStart = 0;
  private lineEnd = 0;

  constructor(private readonly text: string) {
    this.seriesTable = new SeriesTable(text.length);
  }

  parse(): ParsedMetrics {
    const { text, scanner } = this;
    const length = text.length;
    let sawCarriageReturn = false;
    let lastName = '';
    let lastFamily: FamilyBuilder | undefined;
    let pos = text.charCodeAt(0) === BYTE_ORDER_MARK ? 1 : 0;
    while (pos < length) {
      let newline = text.indexOf('\n', pos);
      if (newline < 0) newline = length;
      this.lineNumber += 1;
      this.lineStart = pos;
      const crlf = newline > pos && text.charCodeAt(newline - 1) === CARRIAGE_RETURN;
      const end = crlf ? newline - 1 : newline;
      this.lineEnd = end;
      if (crlf && !sawCarriageReturn) {
        this.warn('crlf');
        sawCarriageReturn = true;
      }
      let p = pos;
      while (p < end && isBlank(text.charCodeAt(p))) p += 1;
      pos = newline + 1;
      if (p === end) continue;
      if (text.charCodeAt(p) === HASH_SIGN) {
        this.metadata(p + 1, end);
        continue;
      }
      const error = scanner.scan(text, p, end);
      if (error !== null) {
        this.skip(error);
        continue;
      }
      const name = scanner.name;
      if (name !== lastName || lastFamily === undefined) {
        lastFamily = this.familyOf(name);
        lastName = name;
      }
      const sample: Sample = { name, labels: scanner.labels, value: scanner.value, timestampMs: scanner.timestampMs };
      if (!this.seriesTable.add(scanner.hash, sample)) {
        this.duplicates += 1;
        this.warn('duplicate');
        continue;
      }
      lastFamily.samples.push(sample);
      this.sampleCount += 1;
    }
    return this.result();
  }

  /** A `#` line, from after the `#`: `# HELP` and `# TYPE` count, any other is a comment. */
  private metadata(start: number, end: number): void {
    const { text } = this;
    if (start >= end || !isBlank(text.charCodeAt(start))) return;
    let p = start + 1;
    while (p < end && isBlank(text.charCodeAt(p))) p += 1;
    const isHelp = text.startsWith('HELP', p);
    if (!isHelp && !text.startsWith('TYPE', p)) return;
    p += 4;
    if (p < end && !isBlank(text.charCodeAt(p))) return;
    while (p < end && isBlank(text.charCodeAt(p))) p += 1;
    const name = this.scanner.scanMetadataName(text, p, end);
    p = this.scanner.metadataNameEnd;
    if (name === null || (p < end && !isBlank(text.charCodeAt(p)))) {
      this.skip('garbage');
      return;
    }
    while (p < end && isBlank(text.charCodeAt(p))) p += 1;
    let restEnd = end;
    while (restEnd > p && isBlank(text.charCodeAt(restEnd - 1))) restEnd -= 1;
    // HELP and TYPE mostly come in pairs: look the family up once.
    if (this.lastMetadataFamily?.name !== name) this.lastMetadataFamily = this.familyNamed(name);
    const family = this.lastMetadataFamily;
    if (isHelp) family.help ??= detach(unescapeHelp(text.slice(p, restEnd)));
    else this.declare(family, text.slice(p, restEnd));
  }

  private declare(family: FamilyBuilder, word: string): void {
    const type = TYPE_WORDS.get(word) ?? TYPE_WORDS.get(word.toLowerCase());
    const declared = this.declaredTypes.get(family.name);
    if (type === undefined || (declared !== undefined && declared !== type)) {
      this.skip('bad_type');
      return;
    }
    this.declaredTypes.set(family.name, type);
    family.type = type;
  }

  private familyOf(sampleName: string): FamilyBuilder {
    let family = this.familyOfSample.get(sampleName);
    if (family === undefined) {
      family = this.resolveFamily(sampleName);
      this.familyOfSample.set(sampleName, family);
    }
    return family;
  }

  private resolveFamily(sampleName: string): FamilyBuilder {
    if (!this.declaredTypes.has(sampleName)) {
      for (const [suffix, joins] of CHILD_SUFFIXES) {
        if (!sampleName.endsWith(suffix)) continue;
        const base = sampleName.slice(0, -suffix.length);
        const baseType = this.declaredTypes.get(base);
        if (baseType !== undefined && joins.includes(baseType)) return this.familyNamed(base);
      }
    }
    return this.familyNamed(sampleName);
  }

  private familyNamed(name: string): FamilyBuilder {
    let family = this.familiesByName.get(name);
    if (family === undefined) {
      // `Array.of()`, not `[]`: see SeriesTable.samples.
      family = { name, type: 'untyped', help: null, samples: Array.of<Sample>() };
      this.familiesByName.set(name, family);
      this.families.push(family);
    }
    return family;
  }

  private skip(kind: LineError | 'bad_type'): void {
    this.skippedLines += 1;
    this.warn(kind);
  }

  private warn(kind: ParseWarning['kind']): void {
    if (this.warnings.length >= MAX_WARNINGS) return;
    const text = detach(this.text.slice(this.lineStart, Math.min(this.lineEnd, this.lineStart + WARNING_TEXT_LENGTH)));
    this.warnings.push({ line: this.lineNumber, kind, text });
  }

  private result(): ParsedMetrics {
    const byName = this.familiesByName;
    return {
      families: this.families,
      family: (name) => byName.get(name),
      sampleCount: this.sampleCount,
      duplicates: this.duplicates,
      skippedLines: this.skippedLines,
      warnings: this.warnings,
    };
  }
}
