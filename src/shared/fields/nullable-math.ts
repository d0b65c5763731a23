/**
 * Σ, maximum and mean over values that may be missing: null when none is present, never a
 * made-up 0. The snapshot fields combine nodes' readings with them.
 */

const present = (values: readonly (number | null)[]): number[] => values.filter((v): v is number => v !== null);

export function sumOf(values: readonly (number | null)[]): number | null {
  const found = present(values);
  return found.length === 0 ? null : found.reduce((a, b) => a + b, 0);
}

export function maxOf(values: readonly (number | null)[]): number | null {
  const found = present(values);
  return found.length === 0 ? null : Math.max(...found);
}

export function meanOf(values: readonly (number | null)[]): number | null {
  const found = present(values);
  return found.length === 0 ? null : found.reduce((a, b) => a + b, 0) / found.length;
}

/** part ÷ whole × 100; null when either is missing or the whole is not positive. */
export function percentOf(part: number | null | undefined, whole: number | null | undefined): number | null {
  return typeof part === 'number' && typeof whole === 'number' && whole > 0 ? (part / whole) * 100 : null;
}
