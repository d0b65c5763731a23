/**
 * The `custom_values` column of a snapshot row (JSON `{name: number | null}`, written by the
 * collector) as the API serves it: every custom metric in effect by name, null where the row
 * has no number for it: a metric defined after the row was written, one that gave no value, or
 * a column the collector did not write. Anything unreadable is read as no values, not a 500.
 */
import type { CustomMetric } from '../../shared/custom-metrics.js';

/** The numbers the column holds, by name; empty when it holds none. */
export function storedCustomValues(text: string | null | undefined): ReadonlyMap<string, number> {
  const values = new Map<string, number>();
  if (text === null || text === undefined || text === '') return values;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return values;
    for (const [name, value] of Object.entries(parsed)) if (typeof value === 'number' && Number.isFinite(value)) values.set(name, value);
  } catch {
    // An unreadable column holds no values.
  }
  return values;
}

/** Every metric's value in the row, null where it has none. */
export function presentCustomValues(text: string | null | undefined, metrics: readonly Pick<CustomMetric, 'name'>[]): Record<string, number | null> {
  const stored = storedCustomValues(text);
  return Object.fromEntries(metrics.map((m) => [m.name, stored.get(m.name) ?? null]));
}
