/**
 * The hot path of the Prometheus text parser: one sample line scanned with `charCodeAt`, no regexes
 * and no per-character string building. Names and label values are cut from the payload in one
 * piece each (as copies, see `detach`); only escapes and quoted UTF-8 names take a slower path.
 *
 * Every series also gets a 30-bit hash, computed while scanning, that ignores label order,
 * whitespace, escaping and quoting (a sum of one mixed hash per label pair), so that duplicate
 * series are found without building a key string; the caller confirms a hit by comparing labels.
 */

// Character codes.
const TAB = 9, SPACE = 32, QUOTE = 34, HASH_SIGN = 35, PLUS = 43, COMMA = 44, MINUS = 45, DOT = 46, ZERO = 48, NINE = 57;
const EQUALS = 61, UPPER_E = 69, BACKSLASH = 92, LOWER_E = 101, LOWER_N = 110, LEFT_BRACE = 123, RIGHT_BRACE = 125;

const NAME_START = 1; // [a-zA-Z_:]
const NAME_CHAR = 2; // [a-zA-Z0-9_:]
const LABEL_START = 4; // [a-zA-Z_]
const LABEL_CHAR = 8; // [a-zA-Z0-9_]
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c += 1) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  const digit = c >= ZERO && c <= NINE;
  CHAR_CLASS[c] = (letter ? NAME_START | LABEL_START : 0) | (letter || digit ? NAME_CHAR | LABEL_CHAR : 0) | (c === 58 ? NAME_START | NAME_CHAR : 0);
}
const isClass = (c: number, cls: number): boolean => c < 128 && (CHAR_CLASS[c]! & cls) !== 0;
export const isBlank = (c: number): boolean => c === SPACE || c === TAB;
const isMetricNameStart = (c: number): boolean => isClass(c, NAME_START);
const isMetricNameChar = (c: number): boolean => isClass(c, NAME_CHAR);

/** Exact powers of ten: a ≤ 15-digit mantissa times or over one of these rounds correctly (Clinger's fast path). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

const FNV_OFFSET = 0x811c9dc5 | 0;
const step = (h: number, c: number): number => Math.imul(h ^ c, 0x01000193);
/** MurmurHash3's finaliser, so that summing pair hashes does not cancel structure out. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
function hashChars(h: number, s: string): number {
  for (let i = 0; i < s.length; i += 1) h = step(h, s.charCodeAt(i));
  return h;
}
const nameHash = (name: string): number => mix(hashChars(FNV_OFFSET, name));
/** The hash of one label pair; a series hashes to the sum of its name's and its pairs' hashes, cut to 30 bits. */
export const pairHash = (label: string, value: string): number => mix(hashChars(mix(hashChars(FNV_OFFSET, label)), value));
/** 30 bits: a small integer for V8, and room for the caller to store `hash + 1` in an Int32Array. */
const seriesHash = (nameH: number, pairSum: number): number => (nameH + pairSum) & 0x3fffffff;

export type LineError = 'garbage' | 'bad_labels' | 'bad_value';

const EMPTY_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * `s` as a string of its own. V8 makes a slice of 13 or more characters a view into its parent,
 * so one kept name or label value would keep a whole scrape body alive.
 */
export const detach = (s: string): string => (s.length < 13 ? s : (' ' + s).slice(1));

/** Set by `readQuoted` to the index after the closing quote. */
let quotedEnd = 0;

/**
 * Reads a quoted string from after its opening quote; `\\`, `\"` and `\n` are unescaped and any
 * other backslash pair is kept verbatim (as Prometheus does). Null if the line ends first.
 */
function readQuoted(text: string, start: number, end: number): string | null {
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

/** Adds a label unless `names[0, count)` already has it (a set with a name twice is invalid). */
function setLabel(labels: Record<string, string>, names: string[], count: number, label: string, value: string): boolean {
  for (let i = 0; i < count; i += 1) if (names[i] === label) return false;
  names[count] = label;
  // A plain assignment to `__proto__` would set the prototype and lose the label.
  if (label === '__proto__') Object.defineProperty(labels, label, { value, enumerable: true, writable: true, configurable: true });
  else labels[label] = value;
  return true;
}

/**
 * Strings already cut from this payload, direct-mapped by hash: a repeated name comes back as the
 * same string, which saves a slice and lets V8 reuse its cached hash as a Map or property key.
 * Each is a flat copy (`split`/`join`; rare enough not to matter), which pins nothing and is
 * compared in place faster than a view.
 */
class InternCache {
  private readonly strings = new Array<string>(512).fill('');

  get(text: string, start: number, end: number, hash: number): string {
    const slot = hash & 511;
    const cached = this.strings[slot]!;
    if (cached.length === end - start && text.startsWith(cached, start)) return cached;
    const fresh = text.slice(start, end).split('').join('');
    this.strings[slot] = fresh;
    return fresh;
  }
}

/**
 * Scans sample lines into its public fields, reused from line to line so that a line costs no
 * allocation beyond its name, label values and labels object.
 */
export class SampleScanner {
  name = '';
  labels: Readonly<Record<string, string>> = EMPTY_LABELS;
  hash = 0;
  value = 0;
  timestampMs: number | null = null;
  metadataNameEnd = 0;
  private pairSum = 0;
  private readonly names = new InternCache();
  private readonly labelNames = new InternCache();
  private readonly lineLabelNames: string[] = [];
  private lastName = '';
  private lastNameHash = 0;
  private plainNameEnd = 0;
  private plainNameHash = 0;

  /** Scans `text[start, end)`, which starts with a non-blank character that is not `#`. */
  scan(text: string, start: number, end: number): LineError | null {
    let p = start;
    const c = text.charCodeAt(p);
    let nameH = 0;
    this.name = '';
    this.labels = EMPTY_LABELS;
    this.pairSum = 0;
    const quotedName = c === LEFT_BRACE;
    if (!quotedName) {
      if (!isMetricNameStart(c)) return 'garbage';
      this.name = this.readPlainName(text, p, end);
      nameH = this.plainNameHash;
      p = this.plainNameEnd;
    }
    let brace = p;
    while (brace < end && isBlank(text.charCodeAt(brace))) brace += 1;
    if (brace < end && text.charCodeAt(brace) === LEFT_BRACE) {
      p = this.scanLabels(text, brace + 1, end);
      if (p < 0 || this.name === '') return 'bad_labels';
      if (quotedName) nameH = nameHash(this.name);
    }
    this.hash = seriesHash(nameH, this.pairSum);
    return this.scanValueAndTimestamp(text, p, end);
  }

  /** The metric name of a `# HELP`/`# TYPE` line, plain or quoted; `metadataNameEnd` is set past it. */
  scanMetadataName(text: string, start: number, end: number): string | null {
    if (text.charCodeAt(start) === QUOTE) {
      const name = readQuoted(text, start + 1, end);
      this.metadataNameEnd = quotedEnd;
      return name === '' ? null : name;
    }
    if (!isMetricNameStart(text.charCodeAt(start))) return null;
    const name = this.readPlainName(text, start, end);
    this.metadataNameEnd = this.plainNameEnd;
    return name;
  }

  /**
   * An unquoted metric name; sets `plainNameEnd` and `plainNameHash`. Consecutive lines mostly
   * share their name (HELP, TYPE, samples), so the last one is first compared in place. Others are
   * scanned and interned, through one cache for samples and `# HELP`/`# TYPE` lines so that a
   * family and its samples meet as one string. (A quoted name never becomes the last one: it may
   * hold characters that end a plain name.)
   */
  private readPlainName(text: string, start: number, end: number): string {
    const last = this.lastName;
    if (last.length > 0 && text.startsWith(last, start) && !isMetricNameChar(text.charCodeAt(start + last.length))) {
      this.plainNameEnd = start + last.length;
      this.plainNameHash = this.lastNameHash;
      return last;
    }
    let h = FNV_OFFSET;
    let p = start;
    for (let c = text.charCodeAt(p); p < end && isMetricNameChar(c); c = text.charCodeAt(p)) {
      h = step(h, c);
      p += 1;
    }
    this.plainNameEnd = p;
    this.plainNameHash = mix(h);
    this.lastName = this.names.get(text, start, p, this.plainNameHash);
    this.lastNameHash = this.plainNameHash;
    return this.lastName;
  }

  /** Labels from after `{`: returns the index after `}`, or -1. */
  private scanLabels(text: string, start: number, end: number): number {
    const labels: Record<string, string> = {};
    let labelCount = 0;
    let pairSum = 0;
    let p = start;
    for (;;) {
      while (p < end && isBlank(text.charCodeAt(p))) p += 1;
      if (p >= end) return -1;
      let c = text.charCodeAt(p);
      if (c === RIGHT_BRACE) break;
      let label: string;
      let h = FNV_OFFSET;
      const quotedLabel = c === QUOTE;
      if (quotedLabel) {
        const quoted = readQuoted(text, p + 1, end);
        if (quoted === null) return -1;
        label = quoted;
        h = hashChars(h, quoted);
        p = quotedEnd;
      } else if (isClass(c, LABEL_START)) {
        const labelStart = p;
        while (p < end && isClass((c = text.charCodeAt(p)), LABEL_CHAR)) {
          h = step(h, c);
          p += 1;
        }
        label = this.labelNames.get(text, labelStart, p, h);
      } else {
        return -1;
      }
      while (p < end && isBlank(text.charCodeAt(p))) p += 1;
      c = text.charCodeAt(p);
      if (c !== EQUALS) {
        // `{"http.server.requests", ...}`: a lone quoted string ahead of any pair is the metric name.
        if (!quotedLabel || this.name !== '' || labelCount !== 0 || (c !== COMMA && c !== RIGHT_BRACE)) return -1;
        this.name = label;
        if (c === COMMA) p += 1;
        continue;
      }
      p += 1;
      while (p < end && isBlank(text.charCodeAt(p))) p += 1;
      if (text.charCodeAt(p) !== QUOTE) return -1;
      h = mix(h);
      const valueStart = p + 1;
      let q = valueStart;
      while (q < end && (c = text.charCodeAt(q)) !== QUOTE && c !== BACKSLASH) {
        h = step(h, c);
        q += 1;
      }
      let value: string;
      if (q < end && c === QUOTE) {
        value = detach(text.slice(valueStart, q));
        h = mix(h);
        p = q + 1;
      } else {
        const unescaped = readQuoted(text, valueStart, end);
        if (unescaped === null) return -1;
        value = unescaped;
        h = pairHash(label, value);
        p = quotedEnd;
      }
      if (!setLabel(labels, this.lineLabelNames, labelCount, label, value)) return -1;
      labelCount += 1;
      pairSum = (pairSum + h) | 0;
      while (p < end && isBlank(text.charCodeAt(p))) p += 1;
      c = text.charCodeAt(p);
      if (c === COMMA) p += 1;
      else if (c !== RIGHT_BRACE) return -1;
    }
    this.labels = labels;
    this.pairSum = pairSum;
    return p + 1;
  }

  /** From right after the name or `}`: blanks, the value, optionally blanks and a timestamp. */
  private scanValueAndTimestamp(text: string, start: number, end: number): LineError | null {
    if (start >= end || !isBlank(text.charCodeAt(start))) return 'garbage';
    let p = start + 1;
    while (p < end && isBlank(text.charCodeAt(p))) p += 1;
    if (p >= end) return 'garbage';
    let tokenEnd = p;
    while (tokenEnd < end && !isBlank(text.charCodeAt(tokenEnd))) tokenEnd += 1;
    const value = parseValue(text, p, tokenEnd);
    if (value === undefined) return 'bad_value';
    this.value = value;
    this.timestampMs = null;
    p = tokenEnd;
    while (p < end && isBlank(text.charCodeAt(p))) p += 1;
    // An OpenMetrics exemplar (` # {trace_id="…"} 1`) is ignored.
    if (p >= end || text.charCodeAt(p) === HASH_SIGN) return null;
    tokenEnd = p;
    while (tokenEnd < end && !isBlank(text.charCodeAt(tokenEnd))) tokenEnd += 1;
    const timestampMs = parseTimestampMs(text, p, tokenEnd);
    if (timestampMs === undefined) return 'bad_value';
    this.timestampMs = timestampMs;
    p = tokenEnd;
    while (p < end && isBlank(text.charCodeAt(p))) p += 1;
    return p >= end || text.charCodeAt(p) === HASH_SIGN ? null : 'garbage';
  }
}

/**
 * A Go-`ParseFloat`-like number, or undefined. Plain decimals of up to 15 digits are computed
 * without slicing; longer ones go through `Number()` once; NaN and Inf spellings are matched
 * case-insensitively; hex floats and `_` separators are refused, as Prometheus does.
 */
function parseValue(text: string, start: number, end: number): number | undefined {
  let p = start;
  let c = text.charCodeAt(p);
  const negative = c === MINUS;
  if (negative || c === PLUS) p += 1;
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  while (p < end && (c = text.charCodeAt(p)) >= ZERO && c <= NINE) {
    mantissa = mantissa * 10 + (c - ZERO);
    digits += 1;
    p += 1;
  }
  if (p < end && c === DOT) {
    p += 1;
    while (p < end && (c = text.charCodeAt(p)) >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits += 1;
      fractionDigits += 1;
      p += 1;
    }
  }
  let exponent = 0;
  if (p < end && (c === LOWER_E || c === UPPER_E) && digits > 0) {
    p += 1;
    c = text.charCodeAt(p);
    const negativeExponent = c === MINUS;
    if (negativeExponent || c === PLUS) p += 1;
    const exponentStart = p;
    while (p < end && (c = text.charCodeAt(p)) >= ZERO && c <= NINE) {
      exponent = exponent * 10 + (c - ZERO);
      p += 1;
    }
    if (p === exponentStart) return undefined;
    if (negativeExponent) exponent = -exponent;
  }
  const scale = exponent - fractionDigits;
  if (p === end && digits > 0 && digits <= 15 && scale >= -22 && scale <= 22) {
    const magnitude = scale >= 0 ? mantissa * POW10[scale]! : mantissa / POW10[-scale]!;
    return negative ? -magnitude : magnitude;
  }
  return parseUnusualValue(text.slice(start, end));
}

/** Decimal syntax only: `Number()` alone would also take hex, binary, octal and Unicode spaces. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Go's spellings, matched in lower case. */
const SPECIAL_VALUES = new Map<string, number>([
  ['nan', NaN], ['inf', Infinity], ['+inf', Infinity], ['infinity', Infinity], ['+infinity', Infinity], ['-inf', -Infinity], ['-infinity', -Infinity],
]);

function parseUnusualValue(token: string): number | undefined {
  return DECIMAL.test(token) ? Number(token) : SPECIAL_VALUES.get(token.toLowerCase());
}

/** Integer milliseconds (text format), or float seconds (OpenMetrics) converted to milliseconds. */
function parseTimestampMs(text: string, start: number, end: number): number | undefined {
  let p = start;
  const negative = text.charCodeAt(p) === MINUS;
  if (negative) p += 1;
  let ms = 0;
  let c = 0;
  while (p < end && (c = text.charCodeAt(p)) >= ZERO && c <= NINE) {
    ms = ms * 10 + (c - ZERO);
    p += 1;
  }
  if (p === end && p > start + (negative ? 1 : 0) && Number.isSafeInteger(ms)) return negative ? -ms : ms;
  if (c !== DOT && c !== LOWER_E && c !== UPPER_E) return undefined;
  const seconds = parseValue(text, start, end);
  return seconds !== undefined && Number.isFinite(seconds) ? Math.round(seconds * 1000) : undefined;
}
