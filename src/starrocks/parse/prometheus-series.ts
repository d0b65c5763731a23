/**
 * Series of one sample name, and the tuple that tells duplicates apart.
 *
 * A series is its name and its label *set*: `{a="1",b="2"}` and `{ b="2", "a"="1", }` are the same
 * one. Each sample name keeps the label names of its first line (its schema); a line is then keyed
 * by the tuple of its interned value ids in schema order when its set is the schema's (nearly
 * always: the fast path reads only such lines), or by -1 then its sorted (name id, value id) pairs
 * otherwise (ids are never negative, so the two cannot meet). Either way a label set has one
 * tuple, whatever its spelling, and the fast path never needs the general one.
 */
import type { FamilyBuilder } from './prometheus-families.js';
import type { InternTable } from './prometheus-intern.js';
import { canonical, type LabelScanner } from './prometheus-lexer.js';


export class Series {
  /** Resolved at the first sample kept, so that a skipped line creates no family. */
  family: FamilyBuilder | null = null;
  /** The label names of the first line read, in order; never changes once set. */
  schema: readonly string[] | null = null;
  /** The schema's names are plain and ordinary property keys, so that the fast path may read them. */
  fastSchema = false;
  /** Where the schema's names were last seen written in the text (see `PayloadParser.fastLabels`). */
  schemaAt: number[] = [];
  /**
   * Per schema label, its value on the last line the fast path read: where it is in the text, its
   * length and its id (at first the empty string's, id 0, at 0).
   */
  lastStarts: number[] = [];
  lastLengths: number[] = [];
  lastIds: number[] = [];
  /** The series whose line followed this one's last time: a guess at the next line's name. */
  next: Series | null = null;
  /** Where the name was last seen written plain in the text, or -1 (see `isNameAt`). */
  namePos = -1;

  /** `name` is detached; `id` is unique in the parse. */
  constructor(
    readonly name: string,
    readonly id: number,
  ) {}

  /** From the general scanner's names, or none. */
  setSchema(names: readonly string[], nameStarts: readonly number[], count: number): void {
    // Internalized (`canonical`): property stores look such a key up without hashing it again.
    const schema = names.slice(0, count).map(canonical);
    this.schema = schema;
    this.schemaAt = nameStarts.slice(0, count);
    // A quoted name has no plain spelling to compare in place; `__proto__` needs defineProperty.
    this.fastSchema = this.schemaAt.every((at) => at >= 0) && !schema.includes('__proto__');
    this.lastStarts = schema.map(() => 0);
    this.lastLengths = schema.map(() => 0);
    this.lastIds = schema.map(() => 0);
  }
}

/** The tuple of a line read by the general scanner, into `ids[0, returned length)`. The series' schema must be set. */
export function genericTuple(series: Series, scanner: LabelScanner, intern: InternTable, ids: number[]): number {
  const { names, values, count } = scanner;
  const schema = series.schema!;
  if (isSchemaSet(schema, names, count)) {
    for (let i = 0; i < count; i += 1) ids[i] = intern.fromString(values[names.indexOf(schema[i]!)]!);
    return count;
  }
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => (names[a]! < names[b]! ? -1 : 1));
  ids[0] = -1;
  for (let i = 0; i < count; i += 1) {
    ids[1 + 2 * i] = intern.fromString(names[order[i]!]!);
    ids[2 + 2 * i] = intern.fromString(values[order[i]!]!);
  }
  return 1 + 2 * count;
}

/** `names[0, count)` (distinct, as the scanner checks) holds the schema's names in any order. */
function isSchemaSet(schema: readonly string[], names: readonly string[], count: number): boolean {
  if (count !== schema.length) return false;
  for (let i = 0; i < count; i += 1) if (!schema.includes(names[i]!)) return false;
  return true;
}
