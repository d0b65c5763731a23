/**
 * Who the cluster is and how it is doing: name, status with score, version, engine, mode and
 * tags; then where its collection stands (when it last ran, what failed, when the next attempt
 * is) and the reasons behind the score.
 */
import type { JSX, ReactNode } from 'react';
import type { CollectionStateJson } from '@shared/api/clusters.js';
import type { ClusterOverviewJson, HealthReason, SnapshotJson } from '@shared/api/overview.js';
import { formatDateTime, formatDuration, formatRelativeTime } from '../../app/format.js';
import { StatusBadge } from '../../app/StatusBadge.js';
import { useNow } from '../../app/use-now.js';

const ENGINE_NAMES = { starrocks: 'StarRocks', doris: 'Apache Doris' } as const;
const MODE_NAMES = { shared_nothing: 'shared-nothing', shared_data: 'shared-data' } as const;

export function OverviewHeader(props: { data: ClusterOverviewJson; controls: ReactNode }): JSX.Element {
  const { data } = props;
  const now = useNow(5_000);
  return (
    <header className="overview-header">
      <div className="page-header overview-title-row">
        <h1 className="page-title">{data.cluster_name}</h1>
        <StatusBadge status={data.health.status} score={data.health.score} title={data.status_message} />
        <span className="overview-identity">
          <span className="chip">
            {ENGINE_NAMES[data.engine]}
            {data.version !== null ? ` ${data.version}` : ''}
          </span>
          <span className="chip">{MODE_NAMES[data.deployment_mode]}</span>
          {data.tags.map((tag) => (
            <span key={tag} className="chip overview-tag">
              {tag}
            </span>
          ))}
        </span>
        <div className="page-header-end">{props.controls}</div>
      </div>
      <CollectionLine snapshot={data.latest_snapshot} collection={data.collection} now={now} />
      {data.health.reasons.length > 0 && <Reasons reasons={data.health.reasons} />}
    </header>
  );
}

function CollectionLine(props: { snapshot: SnapshotJson | null; collection: CollectionStateJson | null; now: number }): JSX.Element {
  const { snapshot, collection, now } = props;
  const failed = snapshot?.failed_sources ?? [];
  return (
    <div className="collection-line">
      {snapshot !== null && (
        <span title={formatDateTime(snapshot.collected_at)}>
          Collected <strong>{formatRelativeTime(snapshot.collected_at, now)}</strong>
          {snapshot.collect_duration_ms !== null && <span className="muted"> in {formatDuration(snapshot.collect_duration_ms)}</span>}
          {snapshot.collect_status === 'partial' && <span className="collection-partial"> · partial</span>}
          {snapshot.collect_status === 'failed' && <span className="collection-failed"> · failed</span>}
        </span>
      )}
      <CollectionState collection={collection} now={now} />
      {failed.length > 0 && (
        <details className="failed-sources">
          <summary>
            {failed.length} source{failed.length === 1 ? '' : 's'} failed
          </summary>
          <ul>
            {failed.map((f) => (
              <li key={`${f.source}-${f.kind}`}>
                <span className="mono">{f.source}</span>: <strong>{f.kind}</strong> — {f.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function CollectionState(props: { collection: CollectionStateJson | null; now: number }): JSX.Element {
  const { collection, now } = props;
  // The state is what the collecting instance stored: none yet means no instance has scheduled the cluster.
  if (collection === null) return <span className="muted">no collection scheduled yet: is collection on in any Stellar instance?</span>;
  if (collection.running) return <span className="muted">collecting now…</span>;
  // "just now" reads wrong for an attempt about to start.
  const dueNow = Date.parse(collection.next_attempt_at) - now < 5_000;
  const next = <span title={formatDateTime(collection.next_attempt_at)}>{dueNow ? 'due now' : formatRelativeTime(collection.next_attempt_at, now)}</span>;
  if (collection.consecutive_failures > 0) {
    return (
      <span className="collection-failed" title={collection.last_error ?? undefined}>
        {collection.consecutive_failures} failed collection{collection.consecutive_failures === 1 ? '' : 's'} in a row — backing off, next attempt {next}
        {collection.last_success_at !== null && <span className="muted"> · last success {formatRelativeTime(collection.last_success_at, now)}</span>}
      </span>
    );
  }
  if (collection.late) {
    return (
      <span className="collection-late" title="Every collection slot is busy: raise metrics.max_concurrency or metrics.interval_secs">
        collections start {formatDuration(collection.lag_ms)} behind their slot — next {next}
      </span>
    );
  }
  return <span className="muted">next {next}</span>;
}

function Reasons(props: { reasons: HealthReason[] }): JSX.Element {
  return (
    <ul className="health-reasons" aria-label="Why this status">
      {props.reasons.map((r) => (
        <li key={`${r.code}-${r.message}`} className={`health-reason health-reason-${r.level}`} title={`${r.code}: −${r.penalty} points`}>
          <span aria-hidden="true">{r.level === 'critical' ? '◆' : '▲'}</span> {r.message}
        </li>
      ))}
    </ul>
  );
}
