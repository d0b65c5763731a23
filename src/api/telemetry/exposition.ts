/**
 * The Prometheus text format (0.0.4) as Stellar writes it where it renders lines itself: the
 * per-cluster part of /metrics and all of /federate. Escapes as the format requires (label
 * values: backslash, double quote, newline; help: backslash, newline) and numbers as
 * Prometheus reads them (NaN, +Inf, -Inf).
 */

/** The content type of both endpoints (what prom-client's registry answers too). */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * How long a render holds the event loop before it lets other work run: /federate of a
 * thousand clusters is some 90,000 lines, and requests and collections must not wait on it.
 */
export const RENDER_SLICE_MS = 8;

export function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value) ? value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n') : value;
}

export function escapeHelp(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}

export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export function familyHeader(name: string, help: string, type: 'gauge' | 'counter'): string {
  return `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;
}

/** The label pair set every per-cluster series carries: `cluster="<name>",cluster_id="<id>"`. */
export function clusterLabels(name: string, id: number): string {
  return `cluster="${escapeLabelValue(name)}",cluster_id="${id}"`;
}

/** Lets other work run when `startedAt` is `RENDER_SLICE_MS` ago; returns when the next slice starts. */
export async function yieldAfterSlice(startedAt: number): Promise<number> {
  if (performance.now() - startedAt < RENDER_SLICE_MS) return startedAt;
  await new Promise<void>((resolve) => setImmediate(resolve));
  return performance.now();
}
