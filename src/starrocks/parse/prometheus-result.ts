/**
 * What a parse of Prometheus text hands back, and its assembly: the result with its families,
 * counts and warnings, the labels object of a sample, and the error of a passed limit.
 */
import type { FamilyBuilder, MetricFamily } from './prometheus-families.js';
import type { LabelScanner } from './prometheus-lexer.js';

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

/** An empty labels object: `new Object()`, the same as `{}` but without a literal's allocation site (see ParsedSample). */
export const newLabels = (): Record<string, string> => new Object() as Record<string, string>;

/**
 * A class, not a literal (see ParsedSample), and `family` a method, not a closure made per parse.
 * With the closure, most benchmark processes fell into a mode where each parse's result outlived
 * the next scavenges and was promoted, then collected by full GCs: 30% slower throughout.
 */
export class ParseResult implements ParsedMetrics {
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
export function labelsObject(scanner: LabelScanner): Record<string, string> {
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
