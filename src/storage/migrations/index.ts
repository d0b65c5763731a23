/**
 * Every migration, in order. Names start with their date so they sort in the order they
 * were written; a migration, once released, is never edited: a change is a new migration. A new
 * one must sort after every migration already on main: a database that ran them refuses one
 * that sorts before (Kysely's order check).
 * The snapshot and daily field columns are not here: they belong to the field catalogue and
 * are added at every start (storage/field-columns.ts); renaming or retyping one is a migration.
 */
import type { Migration } from 'kysely';
import type { StorageDialect } from '../dialect/dialect.js';
import { init } from './2026-11-24-001-init.js';
import { snapshotFields } from './2026-11-25-001-snapshot-fields.js';
import { dailyRollup } from './2026-11-25-002-daily-rollup.js';
import { collectInterval } from './2026-11-25-003-collect-interval.js';
import { clusterNodes } from './2026-11-25-004-cluster-nodes.js';
import { dailyErrorPctName } from './2026-12-02-001-daily-error-pct-name.js';
import { tiers } from './2026-12-02-002-tiers.js';
import { roles } from './2026-12-02-003-roles.js';
import { trendBlocks } from './2026-12-02-010-trend-blocks.js';
import { collectionState } from './2026-12-03-020-collection-state.js';
import { instances } from './2026-12-03-030-instances.js';
import { alerts } from './2026-12-03-040-alerts.js';
import { clusterLeases } from './2026-12-03-050-cluster-leases.js';
import { customMetrics } from './2026-12-03-070-custom-metrics.js';
import { alertSilences } from './2026-12-03-080-alert-silences.js';
import { clusterSources } from './2026-12-03-090-cluster-sources.js';
import { customValues } from './2026-12-03-100-custom-values.js';
import { customTierFigures } from './2026-12-03-110-custom-tier-figures.js';
import { tierBlocks } from './2026-12-03-120-tier-blocks.js';

export function allMigrations(dialect: StorageDialect): Record<string, Migration> {
  return {
    '2026-11-24-001-init': init(dialect),
    '2026-11-25-001-snapshot-fields': snapshotFields,
    '2026-11-25-002-daily-rollup': dailyRollup,
    '2026-11-25-003-collect-interval': collectInterval,
    '2026-11-25-004-cluster-nodes': clusterNodes,
    '2026-12-02-001-daily-error-pct-name': dailyErrorPctName,
    '2026-12-02-002-tiers': tiers(dialect),
    '2026-12-02-003-roles': roles,
    '2026-12-02-010-trend-blocks': trendBlocks(dialect),
    '2026-12-03-020-collection-state': collectionState,
    '2026-12-03-030-instances': instances,
    '2026-12-03-040-alerts': alerts(dialect),
    '2026-12-03-050-cluster-leases': clusterLeases,
    '2026-12-03-070-custom-metrics': customMetrics,
    '2026-12-03-080-alert-silences': alertSilences(dialect),
    '2026-12-03-090-cluster-sources': clusterSources,
    '2026-12-03-100-custom-values': customValues,
    '2026-12-03-110-custom-tier-figures': customTierFigures,
    '2026-12-03-120-tier-blocks': tierBlocks(dialect),
  };
}
