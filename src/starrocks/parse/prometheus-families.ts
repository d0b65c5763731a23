/**
 * The families of one payload: found by name, typed by `# TYPE` lines, and the rule by which a
 * sample name joins a family (its own, or a declared summary's or histogram's for `_sum`,
 * `_count`, `_created` and `_bucket`).
 */
import { canonical } from './prometheus-lexer.js';

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

/*
 * Samples and families are built by constructors, not object literals, and so are the other
 * objects a result is made of (prometheus-text.ts). V8 tracks each literal's allocation site and,
 * once nearly all it allocated survived a collection (one that falls in the middle of a parse),
 * allocates there straight in the old generation; `--trace-pretenuring` showed a literal made
 * once per sample so tenured in some benchmark runs. An old sample keeps its young labels alive
 * through every scavenge until a full collection. Objects built by a constructor have no such site.
 */

export class ParsedSample implements Sample {
  constructor(
    readonly name: string,
    readonly labels: Readonly<Record<string, string>>,
    readonly value: number,
    readonly timestampMs: number | null,
  ) {}
}

export class FamilyBuilder implements MetricFamily {
  readonly name: string;
  type: MetricType = 'untyped';
  help: string | null = null;
  // `Array.of()`, not `[]`: an array literal has an allocation site too.
  readonly samples = Array.of<Sample>();

  constructor(name: string) {
    this.name = name;
  }
}

/** Parse state kept beside a family, not in it: families are returned as they are built. */
export class FamilyEntry {
  /** The family whose `# HELP`/`# TYPE` lines followed this one's last time: a guess at the next name. */
  next: FamilyEntry | null = null;

  /** Where the name was last seen written plain in the text, or -1 (see `isNameAt`). */
  namePos = -1;

  constructor(readonly family: FamilyBuilder) {}
}

/** Type words as written by Prometheus clients, then any case. */
const TYPE_WORDS = new Map<string, MetricType>([
  ['counter', 'counter'],
  ['gauge', 'gauge'],
  ['summary', 'summary'],
  ['histogram', 'histogram'],
  ['untyped', 'untyped'],
  ['unknown', 'untyped'], // OpenMetrics' spelling
]);
export const typeWord = (word: string): MetricType | undefined => TYPE_WORDS.get(word) ?? TYPE_WORDS.get(word.toLowerCase());

/** Suffixes that join a declared family, and the declared types they join. */
const CHILD_SUFFIXES: readonly (readonly [string, readonly MetricType[]])[] = [
  ['_sum', ['summary', 'histogram']],
  ['_count', ['summary', 'histogram']],
  ['_bucket', ['histogram']],
  ['_created', ['summary', 'histogram']],
];

/** `# HELP` text: only `\\` and `\n` are escapes there. */
export function unescapeHelp(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\([\\n])/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

export class FamilyTable {
  readonly families = Array.of<FamilyBuilder>(); // not `[]`, see above
  readonly byName = new Map<string, FamilyBuilder>();
  private readonly entries = new Map<string, FamilyEntry>();
  private readonly declaredTypes = new Map<string, MetricType>();

  /** The family of this name, created (untyped, without help) on first use. */
  entry(name: string): FamilyEntry {
    let entry = this.entries.get(name);
    if (entry === undefined) {
      const family = new FamilyBuilder(canonical(name));
      entry = new FamilyEntry(family);
      this.entries.set(family.name, entry);
      this.byName.set(family.name, family);
      this.families.push(family);
    }
    return entry;
  }

  /** False if the type is unknown or conflicts with an earlier `# TYPE` of the family. */
  declare(family: FamilyBuilder, type: MetricType | undefined): boolean {
    const declared = this.declaredTypes.get(family.name);
    if (type === undefined || (declared !== undefined && declared !== type)) return false;
    this.declaredTypes.set(family.name, type);
    family.type = type;
    return true;
  }

  /** The family a sample name joins, decided by the types declared so far. */
  ofSample(sampleName: string): FamilyBuilder {
    if (!this.declaredTypes.has(sampleName)) {
      for (const [suffix, joins] of CHILD_SUFFIXES) {
        if (!sampleName.endsWith(suffix)) continue;
        const base = sampleName.slice(0, -suffix.length);
        const baseType = this.declaredTypes.get(base);
        if (baseType !== undefined && joins.includes(baseType)) return this.entry(base).family;
      }
    }
    return this.entry(sampleName).family;
  }
}
