/**
 * `[[custom_metrics]]` in the config file: each table a custom metric (src/shared/custom-metrics.ts),
 * validated at start (and on reload) so an invalid one stops the service with an error that
 * names the entry, the key, the value and what is accepted (exit code 2, as any config error).
 */
import { StellarError } from '../errors.js';
import { type CustomMetric, CustomMetricInput } from '../shared/custom-metrics.js';

export const CUSTOM_METRICS_KEY = 'custom_metrics';

export function customMetricsOfFile(doc: Readonly<Record<string, unknown>>, path: string): CustomMetric[] {
  const raw = doc[CUSTOM_METRICS_KEY];
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new StellarError('STELLAR_ERR_CONFIG', `config error: ${CUSTOM_METRICS_KEY} in ${path} must be tables, each written [[${CUSTOM_METRICS_KEY}]]`);
  const metrics: CustomMetric[] = [];
  raw.forEach((entry: unknown, i) => {
    const named = typeof entry === 'object' && entry !== null && typeof (entry as { name?: unknown }).name === 'string' ? ` ("${(entry as { name: string }).name}")` : '';
    const where = `${CUSTOM_METRICS_KEY}[${i}]${named} in ${path}`;
    const parsed = CustomMetricInput.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = issue.path.join('.');
      const value = key === '' ? undefined : issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], entry);
      const shown = value === undefined ? '' : ` = ${JSON.stringify(value)}`;
      throw new StellarError('STELLAR_ERR_CONFIG', `config error: ${where}: ${key || 'the entry'}${shown}: ${issue.message}`);
    }
    if (metrics.some((m) => m.name === parsed.data.name)) throw new StellarError('STELLAR_ERR_CONFIG', `config error: ${where}: name "${parsed.data.name}" is declared twice; each custom metric needs its own name`);
    metrics.push(parsed.data);
  });
  return metrics;
}
