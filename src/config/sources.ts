/**
 * Reads raw configuration values from their three sources: the TOML file, `APP_*`
 * environment variables and `--<section>-<key>` flags. Unknown keys are not errors but
 * notes (warnings), so a typo is seen without stopping the service.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseToml, TomlError } from 'smol-toml';
import { StellarError } from '../errors.js';
import { resolveConfig, type RawValue, type ResolvedConfig } from './resolve.js';
import { CONFIG_KEYS, SECTION_NAMES } from './schema.js';
import { CUSTOM_METRICS_KEY, customMetricsOfFile } from './custom-metrics-config.js';
import type { CustomMetric } from '../shared/custom-metrics.js';

export const DEFAULT_CONFIG_PATH = 'conf/config.toml';

const KEY_PATHS = CONFIG_KEYS.map((e) => e.path);

export interface ConfigNote {
  readonly level: 'info' | 'warn';
  readonly message: string;
}

export interface LoadedConfig extends ResolvedConfig {
  /** The config file that was read, or null when none was. */
  readonly file: string | null;
  /** Things worth a log line: a missing file, unknown keys. */
  readonly notes: readonly ConfigNote[];
  /** The file's `[[custom_metrics]]`, validated; none without a file. */
  readonly customMetrics?: readonly CustomMetric[];
}

export interface ConfigSources {
  /** `--config PATH`, or DEFAULT_CONFIG_PATH when absent. */
  readonly configPath?: string | undefined;
  /** True when the user named the file: then a missing file is an error, not a note. */
  readonly explicit?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Config flags by name without dashes: `{ "metrics-interval-secs": "5m" }`. */
  readonly flags?: Readonly<Record<string, string>>;
}

/** Reads every source and resolves the effective configuration. Throws STELLAR_ERR_CONFIG. */
export function loadConfig(sources: ConfigSources): LoadedConfig {
  const notes: ConfigNote[] = [];
  const values: RawValue[] = [];
  const path = sources.configPath ?? DEFAULT_CONFIG_PATH;
  let file: string | null = null;
  let customMetrics: readonly CustomMetric[] = [];

  if (existsSync(path)) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new StellarError('STELLAR_ERR_CONFIG', `config error: cannot read ${path}: ${(err as Error).message}`);
    }
    const fromFile = fileValues(text, path);
    values.push(...fromFile.values);
    notes.push(...fromFile.notes);
    customMetrics = fromFile.customMetrics;
    file = path;
  } else if (sources.explicit ?? (sources.configPath !== undefined)) {
    throw new StellarError('STELLAR_ERR_CONFIG', `config error: config file ${path} does not exist`);
  } else {
    notes.push({ level: 'info', message: `no config file at ${path}; using defaults` });
  }

  const fromEnv = envValues(sources.env);
  values.push(...fromEnv.values);
  notes.push(...fromEnv.notes);
  values.push(...flagValues(sources.flags ?? {}));

  return { ...resolveConfig(values), file, notes, customMetrics };
}

/** Raw values of a TOML document. Throws STELLAR_ERR_CONFIG when the TOML does not parse. */
export function fileValues(text: string, path: string): { values: RawValue[]; notes: ConfigNote[]; customMetrics: CustomMetric[] } {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid TOML';
      throw new StellarError('STELLAR_ERR_CONFIG', `config error: cannot parse ${path} at line ${err.line}, column ${err.column}: ${reason}`);
    }
    throw err;
  }

  const values: RawValue[] = [];
  const notes: ConfigNote[] = [];
  const origin = { kind: 'file', path } as const;
  for (const [section, body] of Object.entries(doc)) {
    if (section === CUSTOM_METRICS_KEY) continue;
    const isTable = typeof body === 'object' && body !== null && !Array.isArray(body) && !(body instanceof Date);
    if (!SECTION_NAMES.includes(section)) {
      const similar = isTable ? closest(section, SECTION_NAMES) : undefined;
      notes.push(similar ? unknownNote(section, path, `[${similar}]`) : unknownKeyNote(section, path));
      continue;
    }
    if (!isTable) {
      throw new StellarError('STELLAR_ERR_CONFIG', `config error: ${section} in ${path} must be a table, written [${section}]`);
    }
    for (const [key, raw] of Object.entries(body)) {
      const entry = CONFIG_KEYS.find((e) => e.section === section && e.key === key);
      if (entry) values.push({ entry, raw, origin });
      else notes.push(unknownKeyNote(`${section}.${key}`, path));
    }
  }
  return { values, notes, customMetrics: customMetricsOfFile(doc, path) };
}

/**
 * Raw values of `APP_<SECTION>_<KEY>` variables. Only variables under a known section are
 * looked at, so unrelated `APP_*` variables of other programs are left alone.
 */
export function envValues(env: Readonly<Record<string, string | undefined>>): { values: RawValue[]; notes: ConfigNote[] } {
  const values: RawValue[] = [];
  const notes: ConfigNote[] = [];
  for (const [name, raw] of Object.entries(env)) {
    if (raw === undefined || !name.startsWith('APP_')) continue;
    const entry = CONFIG_KEYS.find((e) => e.env === name);
    if (entry) {
      values.push({ entry, raw, origin: { kind: 'env', name } });
      continue;
    }
    const section = SECTION_NAMES.find((s) => name.startsWith(`APP_${s.toUpperCase()}_`));
    if (section) {
      const key = name.slice(`APP_${section}_`.length).toLowerCase();
      const suggestion = closest(`${section}.${key}`, KEY_PATHS);
      const hint = suggestion ? ` (did you mean ${CONFIG_KEYS.find((e) => e.path === suggestion)?.env}?)` : '';
      notes.push({ level: 'warn', message: `unknown environment variable ${name}: no key ${section}.${key}${hint}` });
    }
  }
  return { values, notes };
}

/** Raw values of config flags, keyed by flag name without the leading dashes. */
export function flagValues(flags: Readonly<Record<string, string>>): RawValue[] {
  return Object.entries(flags).map(([name, raw]) => {
    const entry = CONFIG_KEYS.find((e) => e.flag === name);
    if (!entry) throw new StellarError('STELLAR_ERR_USAGE', `unknown flag --${name}`);
    return { entry, raw, origin: { kind: 'flag', name } };
  });
}

function unknownKeyNote(key: string, file: string): ConfigNote {
  return unknownNote(key, file, closest(key, KEY_PATHS) ?? closestByKey(key));
}

function unknownNote(key: string, file: string, suggestion: string | undefined): ConfigNote {
  return {
    level: 'warn',
    message: `unknown config key ${key} in ${file}; it is ignored${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
  };
}

/** A top-level `port = 1` most likely belongs to a section: suggest `server.port`. */
function closestByKey(name: string): string | undefined {
  return CONFIG_KEYS.find((e) => e.key === name)?.path;
}

/** The candidate within edit distance 2 of `word`, else one that `word` begins (`metrics.interval`). */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined = candidates.find((candidate) => candidate.startsWith(word));
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
