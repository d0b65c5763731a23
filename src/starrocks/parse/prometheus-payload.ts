/**
 * Reading a payload: the line loop of one parse of Prometheus text, with the fast path for the
 * lines FEs and BEs print and the general scanner (prometheus-lexer.ts) for every other spelling.
 * What a parse hands back, and how its labels and result are assembled, is prometheus-result.ts;
 * the entry points and the rules of the format are in prometheus-text.ts.
 */
import { FamilyTable, ParsedSample } from './prometheus-families.js';
import { FNV_OFFSET, hashStep, InternTable, SeriesTable } from './prometheus-intern.js';
import {
  BACKSLASH, canonical, codeUnits, COMMA, reclaimCodeUnits, detach, EQUALS, HASH_SIGN, isBlank, isMetricNameChar, isMetricNameStart, isNameAt, LabelScanner, LEFT_BRACE, type LineError, QUOTE, RIGHT_BRACE, sameText, SPACE,
} from './prometheus-lexer.js';
import { MetadataReader } from './prometheus-metadata.js';
import { lastValueEnd, parseTimestampMs, parseValue } from './prometheus-number.js';
import { labelsObject, newLabels, ParseLimitError, type ParseLimits, type ParsedMetrics, ParseResult, type ParseWarning } from './prometheus-result.js';
import { genericTuple, Series } from './prometheus-series.js';

const MAX_WARNINGS = 100;
const WARNING_TEXT_LENGTH = 120;
const CARRIAGE_RETURN = 13;
const BYTE_ORDER_MARK = 0xfeff;
const EMPTY_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * One parse. Parse state lives in fields, not closures or result objects, so that the hot loop
 * allocates only what it returns: a sample, its labels object, and a number now and then.
 */
export class PayloadParser {
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

