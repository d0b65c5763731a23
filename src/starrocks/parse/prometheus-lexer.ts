/**
 * Character-level pieces of the Prometheus text parser: the payload as code units, character
 * classes, quoted strings, and the general label scanner, which takes any spelling the format
 * allows (blanks around `=` and `,`, a trailing comma, escapes, quoted UTF-8 names, the metric name
 * inside the braces). The common spelling is read by a faster path in prometheus-text.ts; whatever
 * it does not take comes here. All scanning is bounded by the line's end: no regexes, no `split`.
 */

// Character codes.
export const TAB = 9, SPACE = 32, QUOTE = 34, HASH_SIGN = 35, COMMA = 44, EQUALS = 61, BACKSLASH = 92, LOWER_N = 110;
export const LEFT_BRACE = 123, RIGHT_BRACE = 125;

const NAME_START = 1; // [a-zA-Z_:]
const NAME_CHAR = 2; // [a-zA-Z0-9_:]
const LABEL_START = 4; // [a-zA-Z_]
const LABEL_CHAR = 8; // [a-zA-Z0-9_]
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c += 1) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  const digit = c >= 48 && c <= 57;
  CHAR_CLASS[c] = (letter ? NAME_START | LABEL_START : 0) | (letter || digit ? NAME_CHAR | LABEL_CHAR : 0) | (c === 58 ? NAME_START | NAME_CHAR : 0);
}
// `c < 128` also refuses NaN, which `charCodeAt` returns past the end of the text.
const isClass = (c: number, cls: number): boolean => c < 128 && (CHAR_CLASS[c]! & cls) !== 0;
export const isBlank = (c: number): boolean => c === SPACE || c === TAB;
export const isMetricNameStart = (c: number): boolean => isClass(c, NAME_START);
export const isMetricNameChar = (c: number): boolean => isClass(c, NAME_CHAR);

/** Payloads up to this many code units (4 MB of array) keep their `codeUnits` array for the next parse. */
const KEPT_CODE_UNITS = 1 << 21;
let keptCodes = new Uint16Array(0);

/**
 * The payload's UTF-16 code units, at the same indices as in the string, then two zeros. The hot
 * path reads these rather than `charCodeAt`: V8 compiles every `charCodeAt` into a dispatch on the
 * string's representation, and reading a typed array instead made the whole parse a quarter
 * faster. Filled by one native copy (`Buffer#write`, 30 µs a megabyte) into an array kept from
 * parse to parse, since allocating one costs 20 times the copy; a parse that yields to the event
 * loop gives other parses a turn, so it takes the array back with `reclaimCodeUnits` when it resumes. Beyond `text.length + 2` it holds an earlier payload: readers stay
 * within a line, or read one past its end.
 */
export function codeUnits(text: string): Uint16Array {
  const needed = text.length + 2;
  let codes = keptCodes;
  if (codes.length < needed) {
    codes = new Uint16Array(needed);
    if (needed <= KEPT_CODE_UNITS) keptCodes = codes;
  }
  Buffer.from(codes.buffer, codes.byteOffset, needed * 2).write(text, 0, 'utf16le');
  codes[text.length] = 0;
  codes[text.length + 1] = 0;
  return codes;
}

/**
 * `codes` as `codeUnits(text)` filled them, after other parses may have had a turn: the kept array
 * is written again (a parse in between may have overwritten it); an array no longer kept is
 * nobody else's and still holds `text`.
 */
export function reclaimCodeUnits(codes: Uint16Array, text: string): void {
  if (codes === keptCodes) Buffer.from(codes.buffer, codes.byteOffset, (text.length + 2) * 2).write(text, 0, 'utf16le');
  codes[text.length] = 0;
  codes[text.length + 1] = 0;
}

/**
 * `codes[b, b + length)` is `codes[a, a + length)`: the payload compared with itself where a name or
 * value was seen before, which (in a typed array) beats comparing it with a string.
 */
export function sameText(codes: Uint16Array, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i += 1) if (codes[a + i] !== codes[b + i]) return false;
  return true;
}

/**
 * A metric name of `length` code units, written plain at `namePos` (-1: nowhere known), is written
 * at `p` as a whole plain name within the line that ends at `end`. Nearly every line's name is one
 * the parser can guess (the last line's, or the one that followed it last time: a payload repeats
 * its layout), and checking the guess here beats slicing the name and looking it up. Compared
 * from the end, where names of one payload differ (`starrocks_fe_qps`, `starrocks_fe_rps`); a loop
 * over the code units beat `indexOf`, `startsWith` and a slice with `===`.
 */
export function isNameAt(codes: Uint16Array, length: number, namePos: number, p: number, end: number): boolean {
  if (namePos < 0 || p + length > end || (p + length < end && isMetricNameChar(codes[p + length]!))) return false;
  for (let i = length - 1; i >= 0; i -= 1) if (codes[p + i] !== codes[namePos + i]) return false;
  return true;
}

/** `s` is written at `p`. A loop: for the few characters of a keyword it beats a call to `startsWith`. */
export function isAt(codes: Uint16Array, s: string, p: number): boolean {
  for (let i = 0; i < s.length; i += 1) if (codes[p + i] !== s.charCodeAt(i)) return false;
  return true;
}

export type LineError = 'garbage' | 'bad_labels' | 'bad_value';

/**
 * `s` as a flat string of its own. V8 makes a slice of 13 or more characters a view into its
 * parent, so one kept name or label value would keep a whole scrape body alive. Joining two pieces
 * copies into a new sequential string; `(' ' + s).slice(1)` would give a view again (of a small
 * copy), and a view is read more slowly, by every later comparison with the string.
 */
export const detach = (s: string): string => (s.length < 13 ? s : [s.slice(0, 1), s.slice(1)].join(''));

/** Strings `canonical` keeps before it starts over: far more names and values than a fleet's FEs show. */
const CANONICAL_MAX = 50_000;
const canonicalStrings = new Map<string, string>();

/**
 * `s` as one flat, internalized string shared by every parse in the process. Metric and label
 * names, help texts and label values repeat from one scrape to the next and across a fleet's FEs:
 * a parse finds them here instead of copying them (`detach`) each time, parses' results share
 * them, and property stores and lookups with an internalized key skip hashing it. Bounded: the
 * table starts over when full.
 */
export function canonical(s: string): string {
  const known = canonicalStrings.get(s);
  if (known !== undefined) return known;
  if (canonicalStrings.size >= CANONICAL_MAX) canonicalStrings.clear();
  const flat = Object.keys({ [detach(s)]: 0 })[0]!;
  canonicalStrings.set(flat, flat);
  return flat;
}

/** Set by `readQuoted`: the index after the closing quote. */
let quotedEnd = 0;
export const lastQuotedEnd = (): number => quotedEnd;

/**
 * Reads a quoted string from after its opening quote; `\\`, `\"` and `\n` are unescaped and any
 * other backslash pair is kept verbatim (as Prometheus does). Null if the line ends first.
 */
export function readQuoted(text: string, start: number, end: number): string | null {
  let out = '';
  let chunk = start;
  for (let i = start; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      quotedEnd = i + 1;
      return detach(out + text.slice(chunk, i));
    }
    if (c === BACKSLASH && i + 1 < end) {
      const next = text.charCodeAt(i + 1);
      const replacement = next === BACKSLASH ? '\\' : next === QUOTE ? '"' : next === LOWER_N ? '\n' : null;
      if (replacement !== null) {
        out += text.slice(chunk, i) + replacement;
        chunk = i + 2;
      }
      i += 1;
    }
  }
  return null;
}

/**
 * Scans the labels of one line, whatever their spelling, into `names`/`values[0, count)`. Off the
 * hot path (a series' first line, and lines spelled unusually), so it reads the string itself.
 * Reused from line to line.
 */
export class LabelScanner {
  readonly names: string[] = [];
  /** Where each plain name is in the text (-1 for a quoted one). */
  readonly nameStarts: number[] = [];
  readonly values: string[] = [];
  count = 0;
  /** A lone quoted string ahead of any pair (`{"http.server.requests", …}`): the metric name. */
  metricName: string | null = null;

  /** Labels from after `{`: returns the index of `}`, or -1. `hasName`: the line began with a name. */
  scan(text: string, start: number, end: number, hasName: boolean): number {
    const { names, values } = this;
    this.count = 0;
    this.metricName = null;
    let p = start;
    for (;;) {
      let q = p;
      while (q < end && isBlank(text.charCodeAt(q))) q += 1;
      if (q >= end) return -1;
      let c = text.charCodeAt(q);
      if (c === RIGHT_BRACE) return q;
      p = q;
      let label: string;
      let labelStart = -1;
      const quotedLabel = c === QUOTE;
      if (quotedLabel) {
        const quoted = readQuoted(text, p + 1, end);
        if (quoted === null) return -1;
        label = quoted;
        p = quotedEnd;
      } else if (isClass(c, LABEL_START)) {
        labelStart = p;
        while (p < end && isClass(text.charCodeAt(p), LABEL_CHAR)) p += 1;
        label = text.slice(labelStart, p);
      } else {
        return -1;
      }
      while (p < end && isBlank(text.charCodeAt(p))) p += 1;
      c = text.charCodeAt(p);
      if (c !== EQUALS) {
        if (!quotedLabel || hasName || this.metricName !== null || this.count !== 0 || (c !== COMMA && c !== RIGHT_BRACE)) return -1;
        this.metricName = label;
        if (c === COMMA) p += 1;
        continue;
      }
      p += 1;
      while (p < end && isBlank(text.charCodeAt(p))) p += 1;
      if (text.charCodeAt(p) !== QUOTE) return -1;
      const valueStart = p + 1;
      const value = readQuoted(text, valueStart, end);
      if (value === null) return -1;
      p = quotedEnd;
      for (let i = 0; i < this.count; i += 1) if (names[i] === label) return -1; // a name twice is invalid
      names[this.count] = label;
      this.nameStarts[this.count] = labelStart;
      values[this.count] = value;
      this.count += 1;
      while (p < end && isBlank(text.charCodeAt(p))) p += 1;
      c = text.charCodeAt(p);
      if (c === COMMA) p += 1;
      else if (c !== RIGHT_BRACE) return -1;
    }
  }
}
