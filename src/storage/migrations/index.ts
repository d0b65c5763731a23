/**
 * Every migration, in order. Names start with their date so they sort in the order they
 * were written; a migration, once released, is never edited: a change is a new migration.
 */
import type { Migration } from 'kysely';
import type { StorageDialect } from '../dialect/dialect.js';
import { init } from './2026-11-24-001-init.js';
import { snapshotFields } from './2026-11-25-001-snapshot-fields.js';
import { dailyRollup } from './2026-11-25-002-daily-rollup.js';
import { collectInterval } from './2026-11-25-003-collect-interval.js';
import { clusterNodes } from './2026-11-25-004-cluster-nodes.js';

export function allMigrations(dialect: StorageDialect): Record<string, Migration> {
  return {
    '2026-11-24-001-init': init(dialect),
    '2026-11-25-001-snapshot-fields': snapshotFields,
    '2026-11-25-002-daily-rollup': dailyRollup,
    '2026-11-25-003-collect-interval': collectInterval,
    '2026-11-25-004-cluster-nodes': clusterNodes,
  };
}
