/** What a cluster's latest snapshot says about its collection and health. Pure. */
import type { CollectionStateJson } from '../../shared/api/clusters.js';
import type { FailedSourceJson, HealthJson, OverviewStatus } from '../../shared/api/overview.js';
import type { SnapshotRow } from '../../storage/repos/snapshots.repo.js';
import { parseFailedSources } from '../presenters/snapshot.js';
import { assessHealth, type HealthContext } from './health-score.js';

export function healthOf(row: SnapshotRow | undefined, context: HealthContext): HealthJson {
  if (row === undefined) return assessHealth(null, context);
  return assessHealth({ ...row, failed_sources: parseFailedSources(row.failed_sources) }, context);
}

function failures(failed: readonly FailedSourceJson[]): string {
  const shown = failed.slice(0, 3).map((f) => `${f.source}: ${f.kind}`);
  return failed.length > 3 ? `${shown.join('; ')}; and ${failed.length - 3} more` : shown.join('; ');
}

/** The latest collection's status alone: what `collectStatusOf` says, without its words. */
export function collectStatusKindOf(row: Pick<SnapshotRow, 'collect_status'> | undefined): OverviewStatus {
  if (row === undefined) return 'pending';
  return row.collect_status === 'failed' ? 'failed' : row.collect_status === 'partial' ? 'partial' : 'ok';
}

/** The status and its words, e.g. "collection pending: the first collection has not run yet". */
export function collectStatusOf(row: SnapshotRow | undefined, collection: CollectionStateJson | null): { status: OverviewStatus; message: string } {
  if (row === undefined) {
    if (collection === null) {
      return { status: 'pending', message: 'collection pending: no snapshot yet, and no Stellar collecting on this database has scheduled the cluster yet' };
    }
    if (collection.running) return { status: 'pending', message: 'collection pending: the first collection is running' };
    if (collection.last_attempt_at !== null) return { status: 'pending', message: `collection pending: the last attempt (${collection.last_attempt_at}) stored no snapshot` };
    return { status: 'pending', message: 'collection pending: the first collection has not run yet' };
  }
  const at = new Date(row.collected_at).toISOString();
  const failed = parseFailedSources(row.failed_sources);
  switch (row.collect_status) {
    case 'failed':
      return { status: 'failed', message: `the latest collection (${at}) reached nothing: ${failures(failed) || 'no source answered'}` };
    case 'partial':
      return { status: 'partial', message: `the latest collection (${at}) was partial, ${failed.length} source${failed.length === 1 ? '' : 's'} failed: ${failures(failed)}` };
    default:
      return { status: 'ok', message: `collected at ${at}` };
  }
}
