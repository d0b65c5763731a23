/**
 * What a reload does with a newly read configuration, from the schema's `reloadable` marks:
 * the changed keys a reload applies, the changed keys that take a restart, and the
 * configuration in effect afterwards (the running one with the reloadable changes). Pure.
 */
import { CONFIG_KEYS, type Config } from './schema.js';

export interface ReloadPlan {
  /** Changed reloadable keys, by path (`metrics.interval_secs`), in schema order. */
  readonly applied: readonly string[];
  /** Changed keys that take a restart: left as they run. */
  readonly restartNeeded: readonly string[];
  /** The running configuration with the applied keys' new values. */
  readonly config: Config;
}

export function planReload(running: Config, next: Config): ReloadPlan {
  const applied: string[] = [];
  const restartNeeded: string[] = [];
  const sections: Record<string, Record<string, unknown>> = {};
  for (const entry of CONFIG_KEYS) {
    const was = keyValue(running, entry.section, entry.key);
    const now = keyValue(next, entry.section, entry.key);
    const changed = !sameValue(was, now);
    if (changed) (entry.spec.reloadable ? applied : restartNeeded).push(entry.path);
    (sections[entry.section] ??= {})[entry.key] = changed && entry.spec.reloadable ? now : was;
  }
  return { applied, restartNeeded, config: sections as unknown as Config };
}

function keyValue(config: Config, section: string, key: string): unknown {
  return (config as unknown as Record<string, Record<string, unknown>>)[section]?.[key];
}

/** Lists (sources, allowed_targets) are sets: the same entries in another order are no change. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const left = a.map(String).sort();
    const right = b.map(String).sort();
    return left.length === right.length && left.every((value, i) => value === right[i]);
  }
  return a === b;
}
