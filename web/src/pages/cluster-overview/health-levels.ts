/**
 * When a health card turns amber or red: at the thresholds of the health score, which the server
 * and the console share (`@shared/health-thresholds.ts`). The server's reasons are consulted as
 * well, so a card is never calmer than the score the header shows for the same snapshot (a rule
 * the cards do not repeat, such as a reason's code the console does not know). Pure.
 */
import type { HealthReason } from '@shared/overview-types.js';

export type CardLevel = 'ok' | 'warning' | 'critical' | 'unknown';

const RANK: Record<CardLevel, number> = { unknown: 0, ok: 1, warning: 2, critical: 3 };

export function worse(a: CardLevel, b: CardLevel): CardLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Level of a value against a warning (and optional critical) threshold, exceeded strictly. */
export function levelAbove(value: number | null, warning: number, critical?: number): CardLevel {
  if (value === null) return 'unknown';
  if (critical !== undefined && value > critical) return 'critical';
  return value > warning ? 'warning' : 'ok';
}

/** Backends or compute nodes alive out of total: any node down is critical (its tablets or its work are gone). */
export function nodesAliveLevel(alive: number | null, total: number | null): CardLevel {
  if (alive === null || total === null) return 'unknown';
  return alive < total ? 'critical' : 'ok';
}

/** Frontends alive out of total: amber when one is down, red when half or more are (the metadata quorum). */
export function frontendsAliveLevel(alive: number | null, total: number | null): CardLevel {
  if (alive === null || total === null) return 'unknown';
  const down = total - alive;
  if (down <= 0) return 'ok';
  return down * 2 >= total ? 'critical' : 'warning';
}

/**
 * The worst level among the server's reasons whose code belongs to a card. Codes are matched
 * by prefix (`disk_usage`, `disk_usage_critical`…) because the list of codes is open.
 */
export function reasonLevel(reasons: readonly HealthReason[], codePrefixes: readonly string[]): CardLevel {
  let level: CardLevel = 'unknown';
  for (const reason of reasons) {
    if (codePrefixes.some((prefix) => reason.code.startsWith(prefix))) level = worse(level, reason.level);
  }
  return level;
}
