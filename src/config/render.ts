/**
 * Writes configuration back out: the effective configuration with the origin of every value
 * (`stellar config`), and the documented defaults that ship as conf/config.toml.
 */
import { describeOrigin, type Origin } from './resolve.js';
import { CONFIG_KEYS, SECTION_NAMES, type Config, type KeyEntry } from './schema.js';
import { HIDDEN, type TomlScalar } from './keys.js';

/** The effective configuration as TOML, each value followed by a comment naming its source. */
export function renderEffectiveToml(config: Config, origins: ReadonlyMap<string, Origin>, file: string | null): string {
  const lines = [
    '# Effective configuration of Stellar, with the source of every value.',
    `# Config file: ${file ?? 'none found; defaults apply'}`,
    '# Precedence: default < file < environment (APP_<SECTION>_<KEY>) < flag (--<section>-<key>).',
  ];
  for (const section of SECTION_NAMES) {
    lines.push('', `[${section}]`);
    const rows = keysOf(section).map((entry) => {
      const origin = originOf(entry, origins);
      const value = shownValue(entry, config);
      const sameAsDefault = origin.kind !== 'default' && tomlValue(value) === tomlValue(entry.spec.show(entry.spec.default));
      return {
        assignment: `${entry.key} = ${tomlValue(value)}`,
        origin: `${describeOrigin(origin)}${sameAsDefault ? ' (same as the default)' : ''}`,
      };
    });
    const width = Math.max(...rows.map((r) => r.assignment.length));
    for (const row of rows) lines.push(`${row.assignment.padEnd(width)}  # ${row.origin}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The effective configuration as JSON: `{ section: { key: { value, origin } } }`. */
export function effectiveJson(config: Config, origins: ReadonlyMap<string, Origin>): Record<string, Record<string, { value: TomlScalar; origin: string }>> {
  const out: Record<string, Record<string, { value: TomlScalar; origin: string }>> = {};
  for (const entry of CONFIG_KEYS) {
    (out[entry.section] ??= {})[entry.key] = {
      value: shownValue(entry, config),
      origin: describeOrigin(originOf(entry, origins)),
    };
  }
  return out;
}

/** conf/config.toml as shipped: every key at its default, with its comment. */
export function renderDefaultConfigFile(): string {
  const lines = [
    '# Stellar configuration.',
    '#',
    '# Every key is shown at its default value. Each key can also be set by an environment',
    '# variable APP_<SECTION>_<KEY> (e.g. APP_METRICS_INTERVAL_SECS=1m) or a flag',
    '# --<section>-<key> (e.g. --metrics-interval-secs=1m). Flags win over the environment,',
    '# the environment wins over this file, and this file wins over the defaults.',
    '# `stellar config` prints the effective configuration and where each value came from.',
  ];
  for (const section of SECTION_NAMES) {
    lines.push('', `[${section}]`);
    for (const entry of keysOf(section)) {
      for (const line of wrap(entry.spec.doc, 96)) lines.push(`# ${line}`);
      lines.push(`${entry.key} = ${tomlValue(entry.spec.show(entry.spec.default))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function keysOf(section: string): KeyEntry[] {
  return CONFIG_KEYS.filter((e) => e.section === section);
}

function originOf(entry: KeyEntry, origins: ReadonlyMap<string, Origin>): Origin {
  return origins.get(entry.path) ?? { kind: 'default' };
}

function shownValue(entry: KeyEntry, config: Config): TomlScalar {
  const value = (config as unknown as Record<string, Record<string, unknown>>)[entry.section]?.[entry.key];
  const shown = entry.spec.show(value);
  return entry.spec.secret && shown !== '' ? HIDDEN : shown;
}

function tomlValue(value: TomlScalar): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
  return String(value);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
