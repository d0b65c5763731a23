/**
 * When a health card turns amber or red: at the levels of the health score, which the server
 * and the console share (`@shared/health.ts`: thresholds, the FE quorum, any BE/CN down). The
 * server's reasons are consulted as well, so a card is never calmer than the score the header
 * shows for the same snapshot (a rule the cards do not repeat, such as a reason's code the
 * console does not know). Pure.
 */
import type { HealthReason } from '@shared/api/overview.js';
import type { HealthLevel } from '@shared/health.js';

/** A figure's level; `unknown` when it was not measured (unknown is not fine). */
export type CardLevel = HealthLevel | 'unknown';

const RANK: Record<CardLevel, number> = { unknown: 0, ok: 1, warning: 2, critical: 3 };

export function worse(a: CardLevel, b: CardLevel): CardLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

/** A shared level as a card's: not measured (null) is `unknown`. */
export function cardLevel(level: HealthLevel | null): CardLevel {
  return level ?? 'unknown';
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
