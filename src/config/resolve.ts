/**
 * Merges raw values from every source into the effective configuration, remembering where
 * each value came from. Precedence: defaults < file < environment < flags. Pure: the sources
 * are read elsewhere (sources.ts).
 */
import { type ErrorDetail, StellarError } from '../errors.js';
import { HIDDEN } from './keys.js';
import { CONFIG_KEYS, type Config, type KeyEntry } from './schema.js';

export type Origin =
  | { readonly kind: 'default' }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'flag'; readonly name: string };

/** One value for one key, as a source gave it: not yet parsed. */
export interface RawValue {
  readonly entry: KeyEntry;
  readonly raw: unknown;
  readonly origin: Origin;
}

export interface ResolvedConfig {
  readonly config: Config;
  /** Where each key's effective value came from, by path (`metrics.interval_secs`). */
  readonly origins: ReadonlyMap<string, Origin>;
}

const RANK: Record<Origin['kind'], number> = { default: 0, file: 1, env: 2, flag: 3 };

/**
 * Parses every raw value and lets the later source win. Every bad value is an error, even one
 * that a later source overrides: a wrong line in the file is still wrong. All errors are
 * reported together, one line each, in a single StellarError whose details name each key.
 */
export function resolveConfig(values: readonly RawValue[]): ResolvedConfig {
  const sections: Record<string, Record<string, unknown>> = {};
  const origins = new Map<string, Origin>();
  for (const entry of CONFIG_KEYS) {
    (sections[entry.section] ??= {})[entry.key] = entry.spec.default;
    origins.set(entry.path, { kind: 'default' });
  }

  const errors: ErrorDetail[] = [];
  const ordered = [...values].sort((a, b) => RANK[a.origin.kind] - RANK[b.origin.kind]);
  for (const { entry, raw, origin } of ordered) {
    const parsed = entry.spec.parse(raw);
    if (!parsed.ok) {
      errors.push({ field: entry.path, message: configErrorLine(entry, raw, origin, parsed.problem) });
      continue;
    }
    (sections[entry.section] ??= {})[entry.key] = parsed.value;
    origins.set(entry.path, origin);
  }
  if (errors.length > 0) throw new StellarError('STELLAR_ERR_CONFIG', errors.map((e) => e.message).join('\n'), errors);
  return { config: sections as unknown as Config, origins };
}

/**
 * The one line that explains a bad value: key, value, source, problem, accepted forms.
 * `config error: metrics.interval_secs = "5x" from env APP_METRICS_INTERVAL_SECS: has an unknown unit "x"; accepted: …`
 */
export function configErrorLine(entry: KeyEntry, raw: unknown, origin: Origin, problem: string): string {
  const shown = entry.spec.secret ? JSON.stringify(HIDDEN) : showRaw(raw);
  return `config error: ${entry.path} = ${shown} from ${describeOrigin(origin)}: ${problem}; accepted: ${entry.spec.accepted}`;
}

export function describeOrigin(origin: Origin): string {
  switch (origin.kind) {
    case 'default':
      return 'default';
    case 'file':
      return `file ${origin.path}`;
    case 'env':
      return `env ${origin.name}`;
    case 'flag':
      return `flag --${origin.name}`;
  }
}

function showRaw(raw: unknown): string {
  if (typeof raw === 'string') return JSON.stringify(raw);
  if (typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') return String(raw);
  if (raw instanceof Date) return raw.toISOString();
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return String(raw);
  }
}
