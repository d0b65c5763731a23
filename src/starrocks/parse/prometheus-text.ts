/**
 * Prometheus text format (0.0.4, plus the OpenMetrics bits seen in the wild) as StarRocks and
 * Doris FEs and BEs really print it (the rules of prometheus/prometheus `model/textparse`;
 * StarRocks' `PrometheusMetricVisitor`).
 *
 * Hand-written because the npm parsers measured fall short:
 * `parse-prometheus-text-format` merges labelled summaries into one series and drops their
 * labels, `prom2javascript` throws on `NaN`, and none is faster than ~60 MB/s.
 *
 * Throws only when a limit is passed (ParseLimitError: more series or a longer line than the
 * caller accepts); bad lines never throw. Handled: LF or CRLF (`\r` stripped, one warning); blank lines; leading and trailing
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
 *
 * Speed (docs/BENCHMARKS.md): the hot path below reads the payload's code units in a typed array,
 * guesses each line's name and compares it in place, reads labels against the name's first line,
 * interns label values (samples share them), and finds duplicates by tuples of ints; what it does
 * not take goes to the general scanner (prometheus-lexer.ts), which reads every spelling.
 */
import { type FamilyBuilder, FamilyTable, type MetricFamily, ParsedSample } from './prometheus-families.js';
import { FNV_OFFSET, hashStep, InternTable, SeriesTable } from './prometheus-intern.js';
import {
  BACKSLASH, canonical, codeUnits, COMMA, reclaimCodeUnits, detach, EQUALS, HASH_SIGN, isBlank, isMetricNameChar, isMetricNameStart, isNameAt, LabelScanner, LEFT_BRACE, type LineError, QUOTE, RIGHT_BRACE, sameText, SPACE,
} from './prometheus-lexer.js';
import { MetadataReader } from './prometheus-metadata.js';
import { lastValueEnd, parseTimestampMs, parseValue } from './prometheus-number.js';
import { genericTuple, Series } from './prometheus-series.js';

export type { MetricFamily, MetricType, Sample } from './prometheus-families.js';
export { unescapeHelp } from './prometheus-families.js';

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

/** What a parse accepts (`[limits]` max_series and max_line_length); no limit when absent. */
export interface ParseLimits {
  readonly max_series: number;
  readonly max_line_length: number;
}

const NO_LIMITS: ParseLimits = { max_series: Infinity, max_line_length: Infinity };

/** A body past one of the parse limits: it is refused as a whole, as Prometheus' sample_limit refuses a scrape. */
export class ParseLimitError extends Error {
  override readonly name = 'ParseLimitError';

  constructor(
    readonly key: keyof ParseLimits,
    message: string,
  ) {
    super(message);
  }
}

export function parsePrometheusText(text: string, limits: ParseLimits = NO_LIMITS): ParsedMetrics {
  return new PayloadParser(text, limits).parse();
}

/**
 * How long a parse in slices holds the event loop before it lets other work run: a body at the
 * size limit (tens of MB, seconds of parsing) never delays `/healthz` or another cluster's
 * answer by more than about this. A real FE's body (tens of KB, well under a millisecond) is
 * parsed in one go.
 */
export const PARSE_SLICE_MS = 8;

/**
 * `parsePrometheusText`, yielding to the event loop whenever a slice has taken `PARSE_SLICE_MS`.
 * In slices, not in a worker thread: a worker would have to copy the parsed families back
 * (a structured clone of every sample), which costs about as much as the parse itself
 * (docs/BENCHMARKS.md).
 */
export async function parsePrometheusTextInSlices(text: string, limits: ParseLimits = NO_LIMITS): Promise<ParsedMetrics> {
  const parser = new PayloadParser(text, limits);
  parser.readFor(PARSE_SLICE_MS);
  while (!parser.done) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    parser.resume();
    parser.readFor(PARSE_SLICE_MS);
  }
  return parser.result();
}

const MAX_WARNINGS = 100;
const WARNING_TEXT_LENGTH = 120;
const CARRIAGE_RETURN = 13;
const BYTE_ORDER_MARK = 0xfeff;
const EMPTY_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * One parse. Parse state lives in fields, not closures or result objects, so that the hot loop
 * allocates only what it returns: a sample, its labels object, and a number now and then.
 */
class PayloadParser {
  /** The code units of `text`, which the hot path reads instead of `charCodeAt` (see `codeUnits`). */
  private readonly codes: Uint16Array;
  private readonly table = new FamilyTable();
  private readonly metadata: MetadataReader;
  private readonly seriesByName = new Map<string, Series>();
  private readonly scanner = new LabelScanner();
  private readonly intern = new InternTable();
  private readonly seriesTable: SeriesTable;
  /** The tuple of the line being read (see prometheus-series.ts). */
  private readonly ids: number[] = [];
  private readonly warnings: ParseWarning[] = [];
  private sampleCount = 0;
  private duplicates = 0;
  private skippedLines = 0;
  private lineNumber = 0;
  private lineStart = 0;
  private lineEnd = 0;
  /** The series of the last plain-named sample line; its `next` is the guess at the next one. */
  private lastSeries: Series | null = null;
  /** Set by `fastLabels` and `valueAndTimestamp`. */
  private labels: Record<string, string> = {};
  private value = 0;
  private timestampMs: number | null = null;
  /** Where the next line starts. */
  private pos = 0;
  private sawCarriageReturn = false;

  constructor(
    private readonly text: string,
    private readonly limits: ParseLimits,
  ) {
    this.codes = codeUnits(text);
    this.metadata = new MetadataReader(text, this.codes, this.table);
    this.seriesTable = new SeriesTable(text.length);
    this.pos = this.codes[0] === BYTE_ORDER_MARK ? 1 : 0;
  }

  parse(): ParsedMetrics {
    this.readLines(Infinity);
    return this.result();
  }

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  /** Lines, until the end or until `ms` have passed (looked at every few hundred lines). */
  readFor(ms: number): void {
    this.readLines(performance.now() + ms);
  }

  /** After a turn of the event loop, in which other parses may have used the shared code units. */
  resume(): void {
    reclaimCodeUnits(this.codes, this.text);
  }

  result(): ParsedMetrics {
    return new ParseResult(this.table.families, this.table.byName, this.sampleCount, this.duplicates, this.skippedLines, this.warnings);
  }

  /**
   * The line loop, a method of its own that ends with the loop: V8 compiles it on-stack while the
   * first parse runs, when code after the loop has no type feedback yet, and such code used to
   * bail out to the interpreter at the end of every later parse (0.1 to 1 ms each time).
   */
  private readLines(deadline: number): void {
    const { text, codes } = this;
    const length = text.length;
    const maxLine = this.limits.max_line_length;
    let sawCarriageReturn = this.sawCarriageReturn;
    let pos = this.pos;
    while (pos < length) {
      if ((this.lineNumber & 255) === 255 && performance.now() > deadline) break;
      let newline = text.indexOf('\n', pos);
      if (newline < 0) newline = length;
      if (newline - pos > maxLine) {
        this.pos = length;
        throw new ParseLimitError('max_line_length', `line ${this.lineNumber + 1} is longer than ${maxLine} characters`);
      }
      this.lineNumber += 1;
      this.lineStart = pos;
      let end = newline;
      if (end > pos && codes[end - 1] === CARRIAGE_RETURN) {
        end -= 1;
        if (!sawCarriageReturn) {
          this.lineEnd = end;
          this.warn('crlf');
          sawCarriageReturn = true;
        }
      }
      this.lineEnd = end;
      let p = pos;
      while (p < end && isBlank(codes[p]!)) p += 1;
      pos = newline + 1;
      if (p === end) continue;
      if (codes[p] !== HASH_SIGN) {
        this.sample(p, end);
        continue;
      }
      const error = this.metadata.read(p + 1, end);
      if (error !== null) this.skip(error);
    }
    this.pos = pos;
    this.sawCarriageReturn = sawCarriageReturn;
  }

  /** A sample line, `text[start, end)`, which starts with a non-blank character that is not `#`. */
  private sample(start: number, end: number): void {
    const { text, codes } = this;
    let series: Series | null = null;
    let p = start;
    if (codes[p] !== LEFT_BRACE) {
      series = this.plainSeriesAt(p, end);
      if (series === null) return this.skip('garbage');
      p += series.name.length;
      let q = p;
      while (q < end && isBlank(codes[q]!)) q += 1;
      if (q < end && codes[q] === LEFT_BRACE) p = q;
    }
    let labels: Readonly<Record<string, string>> = EMPTY_LABELS;
    let tupleLength = 0;
    if (p < end && codes[p] === LEFT_BRACE) {
      const open = p + 1;
      let close = series?.fastSchema === true ? this.fastLabels(series, open, end) : -1;
      if (close >= 0) {
        labels = this.labels;
        tupleLength = series!.schema!.length;
      } else {
        const { scanner } = this;
        close = scanner.scan(text, open, end, series !== null);
        if (close < 0) return this.skip('bad_labels');
        if (series === null) {
          if (scanner.metricName === null) return this.skip('bad_labels');
          series = this.seriesNamed(scanner.metricName);
        }
        if (series.schema === null) series.setSchema(scanner.names, scanner.nameStarts, scanner.count);
        labels = labelsObject(scanner);
        tupleLength = genericTuple(series, scanner, this.intern, this.ids);
      }
      p = close + 1;
    } else {
      // No braces: the empty set, spelled as `genericTuple` would.
      if (series!.schema === null) series!.setSchema([], [], 0);
      if (series!.schema!.length !== 0) {
        this.ids[0] = -1;
        tupleLength = 1;
      }
    }
    const error = this.valueAndTimestamp(p, end);
    if (error !== null) return this.skip(error);
    // `series` is set: a line starting with `{` either named it inside the braces or was skipped.
    if (!this.seriesTable.add(series!.id, this.ids, tupleLength)) {
      this.duplicates += 1;
      this.warn('duplicate');
      return;
    }
    if (this.sampleCount >= this.limits.max_series) {
      this.pos = this.text.length;
      throw new ParseLimitError('max_series', `more than ${this.limits.max_series} series`);
    }
    series!.family ??= this.table.ofSample(series!.name);
    series!.family.samples.push(new ParsedSample(series!.name, labels, this.value, this.timestampMs));
    this.sampleCount += 1;
  }

  /**
   * The series of the plain metric name at `p`, or null if none starts there. The last line's name
   * and the one that followed it last time are compared in place; any other name is sliced and
   * looked up, and becomes the guess after the last one.
   */
  private plainSeriesAt(p: number, end: number): Series | null {
    const { codes } = this;
    const last = this.lastSeries;
    if (last !== null) {
      // A match moves `namePos` to the latest copy, likely still in the CPU's cache next time.
      if (isNameAt(codes, last.name.length, last.namePos, p, end)) {
        last.namePos = p;
        return last;
      }
      const guess = last.next;
      if (guess !== null && isNameAt(codes, guess.name.length, guess.namePos, p, end)) {
        guess.namePos = p;
        return (this.lastSeries = guess);
      }
    }
    if (!isMetricNameStart(codes[p]!)) return null;
    let q = p + 1;
    while (q < end && isMetricNameChar(codes[q]!)) q += 1;
    const series = this.seriesNamed(this.text.slice(p, q));
    series.namePos = p;
    if (last !== null) last.next = series;
    return (this.lastSeries = series);
  }

  private seriesNamed(name: string): Series {
    let series = this.seriesByName.get(name);
    if (series === undefined) {
      series = new Series(canonical(name), this.seriesByName.size);
      this.seriesByName.set(series.name, series);
    }
    return series;
  }

  /**
   * Labels spelled as the schema's, `a="x",b="y"` or `a="x", b="y"`, from after `{`: returns the
   * index of `}` and sets `labels` and `ids`, or returns -1 for the general scanner to take the
   * line. Values holding a backslash go there too, for their escapes. Names are compared with the
   * text where the schema's were last seen; a value first with the one at its place on the series'
   * last line (`fe="fe-3"` on every line of a body), and any other is read once, for its end and
   * its hash together, and interned.
   */
  private fastLabels(series: Series, open: number, end: number): number {
    const { text, codes, intern, ids } = this;
    const { schemaAt, lastStarts, lastLengths, lastIds } = series;
    const schema = series.schema!;
    const labels = newLabels();
    let p = open;
    const last = schema.length - 1;
    if (last < 0 && (p >= end || codes[p] !== RIGHT_BRACE)) return -1;
    for (let i = 0; i <= last; i += 1) {
      const name = schema[i]!;
      const nameEnd = p + name.length;
      if (nameEnd + 1 >= end || codes[nameEnd] !== EQUALS || codes[nameEnd + 1] !== QUOTE || !sameText(codes, schemaAt[i]!, p, name.length)) return -1;
      schemaAt[i] = p;
      const valueStart = nameEnd + 2;
      // Read by this method, so free of quotes and backslashes: the text matches it only as a whole value.
      let id = lastIds[i]!;
      const lastLength = lastLengths[i]!;
      p = valueStart + lastLength;
      if (p >= end || codes[p] !== QUOTE || !sameText(codes, lastStarts[i]!, valueStart, lastLength)) {
        let h = FNV_OFFSET;
        let c = 0;
        for (p = valueStart; p < end; p += 1) {
          c = codes[p]!;
          if (c === QUOTE || c === BACKSLASH) break;
          h = hashStep(h, c);
        }
        if (p >= end || c !== QUOTE) return -1;
        id = intern.fromText(text, codes, valueStart, p, h);
        lastIds[i] = id;
        lastLengths[i] = p - valueStart;
      }
      lastStarts[i] = valueStart;
      ids[i] = id;
      labels[name] = intern.strings[id]!;
      p += 1;
      const c = p < end ? codes[p] : 0;
      if (c === COMMA && i < last) {
        p += 1;
        while (p < end && codes[p] === SPACE) p += 1; // StarRocks writes `", "`
      } else if (c !== RIGHT_BRACE || i < last) {
        return -1;
      }
    }
    this.labels = labels;
    return p;
  }

  /** From right after the name or `}`: blanks, the value, optionally blanks and a timestamp. */
  private valueAndTimestamp(start: number, end: number): LineError | null {
    const { text, codes } = this;
    if (start >= end || !isBlank(codes[start]!)) return 'garbage';
    let p = start + 1;
    while (p < end && isBlank(codes[p]!)) p += 1;
    if (p >= end) return 'garbage';
    const value = parseValue(codes, text, p, end);
    if (value === undefined) return 'bad_value';
    this.value = value;
    this.timestampMs = null;
    p = lastValueEnd();
    if (p === end) return null;
    while (p < end && isBlank(codes[p]!)) p += 1;
    // An OpenMetrics exemplar (` # {trace_id="…"} 1`) is ignored.
    if (p >= end || codes[p] === HASH_SIGN) return null;
    let tokenEnd = p;
    while (tokenEnd < end && !isBlank(codes[tokenEnd]!)) tokenEnd += 1;
    const timestampMs = parseTimestampMs(codes, text, p, tokenEnd);
    if (timestampMs === undefined) return 'bad_value';
    this.timestampMs = timestampMs;
    p = tokenEnd;
    while (p < end && isBlank(codes[p]!)) p += 1;
    return p >= end || codes[p] === HASH_SIGN ? null : 'garbage';
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
}

/** An empty labels object: `new Object()`, the same as `{}` but without a literal's allocation site (see ParsedSample). */
const newLabels = (): Record<string, string> => new Object() as Record<string, string>;

/**
 * A class, not a literal (see ParsedSample), and `family` a method, not a closure made per parse.
 * With the closure, most benchmark processes fell into a mode where each parse's result outlived
 * the next scavenges and was promoted, then collected by full GCs: 30% slower throughout.
 */
class ParseResult implements ParsedMetrics {
  readonly #byName: ReadonlyMap<string, FamilyBuilder>;

  constructor(
    readonly families: MetricFamily[],
    byName: ReadonlyMap<string, FamilyBuilder>,
    readonly sampleCount: number,
    readonly duplicates: number,
    readonly skippedLines: number,
    readonly warnings: ParseWarning[],
  ) {
    this.#byName = byName;
  }

  family(name: string): MetricFamily | undefined {
    return this.#byName.get(name);
  }
}

/** The labels the general scanner read, as an object. */
function labelsObject(scanner: LabelScanner): Record<string, string> {
  const labels = newLabels();
  for (let i = 0; i < scanner.count; i += 1) {
    const name = scanner.names[i]!;
    const value = scanner.values[i]!; // detached by readQuoted
    // A plain assignment to `__proto__` would set the prototype and lose the label.
    if (name === '__proto__') Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
    else labels[name] = value;
  }
  return labels;
}
