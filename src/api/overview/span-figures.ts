/**
 * Stored data as the overview reads it, whatever table it comes from: a raw snapshot is one
 * value of each field, a tier bucket the sum, count and maximum of many. Either is loaded into a
 * `SpanSample` — one per read, reused for every row, its figures in typed arrays by field, so
 * reading a few thousand rows allocates nothing per row — and the trends and the statistics add
 * them up the same way; a window can mix them (tier buckets inside it, raw snapshots at its
 * edges). Pure.
 */

const REACHABLE = new Set(['ok', 'partial']);
const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

type Row = Readonly<Record<string, unknown>>;

export class SpanSample {
  /** The snapshot's collection time, or the bucket's start (epoch ms). */
  at = 0;
  /** Collections in it, and those that reached the cluster. */
  samples = 0;
  reachable = 0;
  /** By field (the index in `fields`): Σ of its values, how many there were (0: none), the highest (NaN: not kept). */
  readonly sum: Float64Array;
  readonly n: Float64Array;
  readonly max: Float64Array;
  /** By derived field (the index in `derived`): the highest of its per-collection values (NaN: unknown — a tier keeps none). */
  readonly derivedMax: Float64Array;
  readonly #tierKeys: readonly (readonly [sum: string, n: string, max: string])[];
  readonly #derivedKeys: readonly string[];

  constructor(
    readonly fields: readonly string[],
    readonly derived: readonly string[] = [],
  ) {
    this.sum = new Float64Array(fields.length);
    this.n = new Float64Array(fields.length);
    this.max = new Float64Array(fields.length);
    this.derivedMax = new Float64Array(derived.length);
    this.#tierKeys = fields.map((f) => [`sum_${f}`, `n_${f}`, `max_${f}`] as const);
    this.#derivedKeys = derived.map((f) => `max_${f}`);
  }

  /**
   * A bucket of raw rows summed up by `RawBucketSums` (storage/trend-block-sums.ts): `sums` holds the
   * samples, the reachable ones, then per column of `columns` its sum, count and maximum.
   */
  loadSums(at: number, sums: Float64Array, columns: readonly string[]): this {
    const layout = this.#sumsIndex(columns);
    this.at = at;
    this.samples = sums[0]!;
    this.reachable = sums[1]!;
    for (let i = 0; i < this.fields.length; i += 1) {
      const k = layout.fields[i]!;
      const n = k < 0 ? 0 : sums[k + 1]!;
      this.sum[i] = n > 0 ? sums[k]! : 0;
      this.n[i] = n;
      this.max[i] = n > 0 ? sums[k + 2]! : Number.NaN;
    }
    for (let i = 0; i < this.derived.length; i += 1) {
      const k = layout.derived[i]!;
      this.derivedMax[i] = k >= 0 && sums[k + 1]! > 0 ? sums[k + 2]! : Number.NaN;
    }
    return this;
  }

  #sumsLayout: { columns: readonly string[]; fields: Int32Array; derived: Int32Array } | null = null;

  /** Where each field's sum starts in a `loadSums` array of these columns (−1: not there), worked out once per column list. */
  #sumsIndex(columns: readonly string[]): { fields: Int32Array; derived: Int32Array } {
    if (this.#sumsLayout?.columns !== columns) {
      const index = (f: string) => {
        const c = columns.indexOf(f);
        return c < 0 ? -1 : 2 + 3 * c;
      };
      this.#sumsLayout = { columns, fields: Int32Array.from(this.fields, index), derived: Int32Array.from(this.derived, index) };
    }
    return this.#sumsLayout;
  }

  /** A raw snapshot row: `collected_at`, `collect_status` and the fields. */
  loadRaw(row: Row): this {
    this.at = Number(row.collected_at);
    this.samples = 1;
    const status = row.collect_status;
    this.reachable = typeof status === 'string' && REACHABLE.has(status) ? 1 : 0;
    for (let i = 0; i < this.fields.length; i += 1) {
      const value = row[this.fields[i]!];
      const present = finite(value);
      this.sum[i] = present ? value : 0;
      this.n[i] = present ? 1 : 0;
      this.max[i] = present ? value : Number.NaN;
    }
    for (let i = 0; i < this.derived.length; i += 1) {
      const value = row[this.derived[i]!];
      this.derivedMax[i] = finite(value) ? value : Number.NaN;
    }
    return this;
  }

  /**
   * A tier bucket row, or a group of rows of either table summed up in the database:
   * `bucket_start`, its counts, `sum_`, `n_`, `max_` of the fields, and `max_` of the derived
   * fields where the group knows it (raw rows do).
   */
  loadGroup(row: Row): this {
    this.at = Number(row.bucket_start);
    this.samples = Number(row.samples);
    this.reachable = Number(row.reachable_samples);
    for (let i = 0; i < this.fields.length; i += 1) {
      const [sumKey, nKey, maxKey] = this.#tierKeys[i]!;
      const n = row[nKey];
      const sum = row[sumKey];
      const max = row[maxKey];
      const present = finite(n) && n > 0 && finite(sum);
      this.sum[i] = present ? sum : 0;
      this.n[i] = present ? n : 0;
      this.max[i] = present && finite(max) ? max : Number.NaN;
    }
    for (let i = 0; i < this.derived.length; i += 1) {
      const value = row[this.#derivedKeys[i]!];
      this.derivedMax[i] = finite(value) ? value : Number.NaN;
    }
    return this;
  }
}
