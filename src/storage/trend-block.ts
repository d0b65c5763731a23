/**
 * A trend block: one cluster's closed hour of raw snapshots, the trend fields only, stored
 * column by column in one binary value (the table trend_blocks). Reading a day of one cluster
 * from raw rows means extracting two dozen columns from 2,880 wide rows, which SQLite does at
 * tens of milliseconds; the same day as 24 blocks is 24 values read and summed in typed arrays,
 * about a millisecond. Prometheus' TSDB keeps its samples in chunks of 120 for the same reason.
 * The same format holds a closed day of a tier's buckets (tier_blocks, tier-block-sums.ts): each
 * bucket is a sample, and its columns are the tier row's (`samples`, `sum_qps`, `n_qps`, …).
 *
 * Blocks describe themselves (their field names are in the header), so a block written before
 * the trend fields changed is still read right: a field it lacks is read from raw rows instead.
 * Each column is stored in the smallest of four forms that gives its values back exactly:
 * none (every value null), one constant, 32-bit integers, or 64-bit floats. Values are the
 * stored numbers; null stays null (SQL has no NaN, so NaN can stand for it in floats).
 *
 * Layout (little-endian), every section starting at a multiple of 8 bytes:
 *   u32 version, u32 samples n, u32 fields f, u32 header bytes h;
 *   h bytes of JSON (the field names), padded;
 *   f bytes of column forms, padded;
 *   n × i32 offsets of `collected_at` from the hour's start (ms), padded;
 *   n × u8 whether the collection reached the cluster (status ok or partial), padded;
 *   each column in order: none → nothing; constant → one f64; i32 → n values (INT32_MIN for
 *   null), padded; f64 → n values (NaN for null).
 */

const VERSION = 1;
const HEADER_BYTES = 16;
/** An Int32 column's null. */
export const INT_NULL = -2_147_483_648;

/** How a column is stored. */
export const ColumnForm = { None: 0, Constant: 1, Int32: 2, Float64: 3 } as const;
type Form = typeof ColumnForm;

/** One raw snapshot as a block takes it: its instant, whether it reached the cluster, and its fields' values in block order. */
export interface BlockSample {
  readonly collectedAt: number;
  readonly reachable: boolean;
  readonly values: readonly (number | null)[];
}

/** A decoded column: the form, and the values (a constant's one value, or one per sample). */
export type BlockColumn =
  | { readonly form: Form['None'] }
  | { readonly form: Form['Constant']; readonly value: number }
  | { readonly form: Form['Int32']; readonly values: Int32Array }
  | { readonly form: Form['Float64']; readonly values: Float64Array };

export interface DecodedBlock {
  readonly samples: number;
  readonly fields: readonly string[];
  /** `collected_at` of each sample, as an offset from the block's hour (ms). */
  readonly offsets: Int32Array;
  /** 1 where the collection reached the cluster. */
  readonly reachable: Uint8Array;
  /** The column of a field, or undefined when the block does not hold it. */
  column(field: string): BlockColumn | undefined;
}

const pad8 = (bytes: number): number => Math.ceil(bytes / 8) * 8;

const isInt32 = (v: number): boolean => Number.isInteger(v) && v > INT_NULL && v <= 2_147_483_647 && !Object.is(v, -0);

function formOf(samples: readonly BlockSample[], index: number): Form[keyof Form] {
  const first = samples[0]?.values[index] ?? null;
  let constant = true;
  let allNull = true;
  let ints = true;
  for (const sample of samples) {
    const v = sample.values[index] ?? null;
    if (v !== null) {
      allNull = false;
      if (ints && !isInt32(v)) ints = false;
    }
    if (constant && v !== first) constant = false;
  }
  if (allNull) return ColumnForm.None;
  // A constant column holds one value for every sample: never a null among them.
  if (constant && first !== null) return ColumnForm.Constant;
  return ints ? ColumnForm.Int32 : ColumnForm.Float64;
}

const HOUR_MS = 3_600_000;

/**
 * The block of one span of samples (an hour of raw snapshots, or a day of a tier's buckets),
 * oldest first, each at or after `spanStart` (ms) and within `spanMs` of it.
 */
export function encodeTrendBlock(spanStart: number, fields: readonly string[], samples: readonly BlockSample[], spanMs: number = HOUR_MS): Uint8Array {
  const n = samples.length;
  const header = new TextEncoder().encode(JSON.stringify(fields));
  const forms = fields.map((_, i) => formOf(samples, i));
  const columnBytes = forms.map((form) => (form === ColumnForm.None ? 0 : form === ColumnForm.Constant ? 8 : form === ColumnForm.Int32 ? pad8(n * 4) : n * 8));
  const total = HEADER_BYTES + pad8(header.length) + pad8(fields.length) + pad8(n * 4) + pad8(n) + columnBytes.reduce((a, b) => a + b, 0);
  const buffer = new ArrayBuffer(total);
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  view.setUint32(0, VERSION, true);
  view.setUint32(4, n, true);
  view.setUint32(8, fields.length, true);
  view.setUint32(12, header.length, true);
  let at = HEADER_BYTES;
  bytes.set(header, at);
  at += pad8(header.length);
  bytes.set(forms, at);
  at += pad8(fields.length);
  const offsets = new Int32Array(buffer, at, n);
  samples.forEach((s, i) => {
    const offset = s.collectedAt - spanStart;
    if (!Number.isInteger(offset) || offset < 0 || offset >= spanMs) throw new RangeError(`a trend block's sample at ${s.collectedAt} is outside the ${spanMs} ms starting at ${spanStart}`);
    offsets[i] = offset;
  });
  at += pad8(n * 4);
  samples.forEach((s, i) => (bytes[at + i] = s.reachable ? 1 : 0));
  at += pad8(n);
  forms.forEach((form, f) => {
    if (form === ColumnForm.Constant) new Float64Array(buffer, at, 1)[0] = samples[0]!.values[f]!;
    if (form === ColumnForm.Int32) {
      const column = new Int32Array(buffer, at, n);
      samples.forEach((s, i) => (column[i] = s.values[f] ?? INT_NULL));
    }
    if (form === ColumnForm.Float64) {
      const column = new Float64Array(buffer, at, n);
      samples.forEach((s, i) => (column[i] = s.values[f] ?? Number.NaN));
    }
    at += columnBytes[f]!;
  });
  return bytes;
}

/** The last header read and its field names: a window's blocks nearly always share one, and parsing it again per block cost as much as summing the block. */
let lastHeader: { readonly bytes: Uint8Array; readonly fields: readonly string[] } | undefined;
const utf8 = new TextDecoder();

function headerFields(header: Uint8Array): readonly string[] {
  const last = lastHeader;
  if (last !== undefined && last.bytes.length === header.length && last.bytes.every((b, i) => b === header[i])) return last.fields;
  const fields = JSON.parse(utf8.decode(header)) as string[];
  lastHeader = { bytes: header.slice(), fields };
  return fields;
}

/** Reads a block; the typed arrays are views on its bytes (copied first only when they are not 8-byte aligned). */
export function decodeTrendBlock(data: Uint8Array): DecodedBlock {
  const bytes = data.byteOffset % 8 === 0 ? data : data.slice();
  const { buffer, byteOffset } = bytes;
  const view = new DataView(buffer, byteOffset, bytes.byteLength);
  const version = view.getUint32(0, true);
  if (version !== VERSION) throw new Error(`trend block version ${version} is not known (this Stellar reads version ${VERSION})`);
  const n = view.getUint32(4, true);
  const fieldCount = view.getUint32(8, true);
  const headerLength = view.getUint32(12, true);
  let at = HEADER_BYTES;
  const fields = headerFields(bytes.subarray(at, at + headerLength));
  at += pad8(headerLength);
  const forms = bytes.subarray(at, at + fieldCount);
  at += pad8(fieldCount);
  const offsets = new Int32Array(buffer, byteOffset + at, n);
  at += pad8(n * 4);
  const reachable = bytes.subarray(at, at + n);
  at += pad8(n);
  const columns = new Map<string, BlockColumn>();
  fields.forEach((field, f) => {
    const form = forms[f];
    if (form === ColumnForm.None) columns.set(field, { form: ColumnForm.None });
    else if (form === ColumnForm.Constant) {
      columns.set(field, { form: ColumnForm.Constant, value: view.getFloat64(at, true) });
      at += 8;
    } else if (form === ColumnForm.Int32) {
      columns.set(field, { form: ColumnForm.Int32, values: new Int32Array(buffer, byteOffset + at, n) });
      at += pad8(n * 4);
    } else if (form === ColumnForm.Float64) {
      columns.set(field, { form: ColumnForm.Float64, values: new Float64Array(buffer, byteOffset + at, n) });
      at += n * 8;
    } else throw new Error(`trend block column ${field} has an unknown form ${String(form)}`);
  });
  return { samples: n, fields, offsets, reachable, column: (field) => columns.get(field) };
}

/** The value of sample `i` of a column, null where none was stored. */
export function columnValue(column: BlockColumn, i: number): number | null {
  switch (column.form) {
    case ColumnForm.None:
      return null;
    case ColumnForm.Constant:
      return column.value;
    case ColumnForm.Int32: {
      const v = column.values[i]!;
      return v === INT_NULL ? null : v;
    }
    case ColumnForm.Float64: {
      const v = column.values[i]!;
      return Number.isNaN(v) ? null : v;
    }
  }
}
