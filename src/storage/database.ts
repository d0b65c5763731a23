/**
 * The database as Kysely sees it: every table Stellar keeps, typed once. Queries live in
 * repos/, schema changes in migrations/.
 */
import type { AlertAcksTable, AlertDeliveriesTable, AlertEventsTable, AlertRulesTable, AlertSilencesTable, AlertStateTable } from './tables/alerts.table.js';
import type { CustomMetricsTable } from './tables/custom-metrics.table.js';
import type { ClusterNodesTable, ClustersTable, CollectionStateTable } from './tables/clusters.table.js';
import type { DailySnapshotsTable, MetricsSnapshotsTable, TierBackfillTable, TierBlocksTable, TierRowTable, TrendBlocksTable } from './tables/snapshots.table.js';
import type { AuthTokensTable, ClusterLeasesTable, CollectionLeaseTable, StellarInstancesTable, StellarMetaTable, UsersTable } from './tables/users.table.js';

export interface Database {
  clusters: ClustersTable;
  cluster_nodes: ClusterNodesTable;
  collection_state: CollectionStateTable;
  metrics_snapshots: MetricsSnapshotsTable;
  daily_snapshots: DailySnapshotsTable;
  metrics_5m: TierRowTable;
  metrics_1h: TierRowTable;
  tier_backfill: TierBackfillTable;
  trend_blocks: TrendBlocksTable;
  tier_blocks: TierBlocksTable;
  users: UsersTable;
  auth_tokens: AuthTokensTable;
  stellar_meta: StellarMetaTable;
  collection_lease: CollectionLeaseTable;
  stellar_instances: StellarInstancesTable;
  cluster_leases: ClusterLeasesTable;
  alert_rules: AlertRulesTable;
  alert_state: AlertStateTable;
  alert_events: AlertEventsTable;
  alert_deliveries: AlertDeliveriesTable;
  custom_metrics: CustomMetricsTable;
  alert_silences: AlertSilencesTable;
  alert_acks: AlertAcksTable;
}
