/**
 * `# HELP` and `# TYPE` lines. A third of a StarRocks FE body, and nearly all repeat what is known
 * already (a family split across the body, FE bodies concatenated): their family is guessed and
 * compared in place, and a help text already read or a type already declared costs no slice.
 */
import { type FamilyBuilder, type FamilyEntry, type FamilyTable, typeWord, unescapeHelp } from './prometheus-families.js';
import { canonical, isAt, isBlank, isMetricNameChar, isMetricNameStart, isNameAt, lastQuotedEnd, QUOTE, readQuoted } from './prometheus-lexer.js';

const UPPER_H = 72;

export class MetadataReader {
  /** The family of the last plain name read; its `next` is the guess at the next one. */
  private last: FamilyEntry | null = null;
  /** Set by the name readers: the index after the name. */
  private nameEnd = 0;

  /** `codes`: the code units of `text` (see `codeUnits`). */
  constructor(
    private readonly text: string,
    private readonly codes: Uint16Array,
    private readonly table: FamilyTable,
  ) {}

  /** A `#` line, from after the `#` to `end`: `# HELP` and `# TYPE` count, any other is a comment. Returns why the line is bad, or null. */
  read(start: number, end: number): 'garbage' | 'bad_type' | null {
    const { text, codes } = this;
    if (start >= end || !isBlank(codes[start]!)) return null;
    let p = start + 1;
    while (p < end && isBlank(codes[p]!)) p += 1;
    if (p + 4 > end) return null;
    const isHelp = codes[p] === UPPER_H && isAt(codes, 'HELP', p);
    if (!isHelp && !isAt(codes, 'TYPE', p)) return null;
    p += 4;
    if (p < end && !isBlank(codes[p]!)) return null;
    while (p < end && isBlank(codes[p]!)) p += 1;
    const family = p < end && codes[p] === QUOTE ? this.quotedFamily(p, end) : this.plainFamily(p, end);
    if (family === null) return 'garbage';
    if (isHelp && family.help !== null) return null;
    p = this.nameEnd;
    while (p < end && isBlank(codes[p]!)) p += 1;
    let restEnd = end;
    while (restEnd > p && isBlank(codes[restEnd - 1]!)) restEnd -= 1;
    if (isHelp) {
      family.help = canonical(unescapeHelp(text.slice(p, restEnd)));
      return null;
    }
    if (family.type !== 'untyped' && restEnd - p === family.type.length && isAt(codes, family.type, p)) return null;
    return this.table.declare(family, typeWord(text.slice(p, restEnd))) ? null : 'bad_type';
  }

  /** The family whose plain name is at `p`, or null if the line is bad there. */
  private plainFamily(p: number, end: number): FamilyBuilder | null {
    const { codes, last } = this;
    if (last !== null) {
      const { next } = last;
      const guess = isNameAt(codes, last.family.name.length, last.namePos, p, end) ? last : next !== null && isNameAt(codes, next.family.name.length, next.namePos, p, end) ? next : null;
      if (guess !== null) {
        guess.namePos = p; // the latest copy, likely still in the CPU's cache next time
        this.nameEnd = p + guess.family.name.length;
        if (this.nameEnd < end && !isBlank(codes[this.nameEnd]!)) return null;
        this.last = guess;
        return guess.family;
      }
    }
    if (p >= end || !isMetricNameStart(codes[p]!)) return null;
    let q = p + 1;
    while (q < end && isMetricNameChar(codes[q]!)) q += 1;
    this.nameEnd = q;
    if (q < end && !isBlank(codes[q]!)) return null;
    const entry = this.table.entry(this.text.slice(p, q));
    entry.namePos = p;
    if (last !== null) last.next = entry;
    this.last = entry;
    return entry.family;
  }

  /** A quoted name (`# TYPE "http.server.requests" counter`); never a guess, as it may hold characters that end a plain name. */
  private quotedFamily(p: number, end: number): FamilyBuilder | null {
    const name = readQuoted(this.text, p + 1, end);
    this.nameEnd = lastQuotedEnd();
    if (name === null || name === '' || (this.nameEnd < end && !isBlank(this.codes[this.nameEnd]!))) return null;
    return this.table.entry(name).family;
  }
}
