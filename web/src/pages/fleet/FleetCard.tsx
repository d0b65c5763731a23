/**
 * One cluster on the fleet page: status first (stripe, badge, score, the reasons), then what
 * a DBA looks at next: QPS and its last two hours, p99 latency and errors, nodes alive, CPU, memory
 * and disk. The whole card is one link to the cluster's overview (the name is the link's text).
 */
import type { CSSProperties, JSX } from 'react';
import type { FleetClusterJson } from '@shared/api/fleet.js';
import type { HealthReason } from '@shared/api/overview.js';
import { formatDateTime, formatDuration, formatNumber, formatPercent, formatRelativeTime } from '../../app/format.js';
import { Link } from '../../app/router.js';
import { StatusBadge } from '../../app/StatusBadge.js';
import { statusLook } from '../../app/status.js';
import { aliveOfTotal } from './fleet-view.js';
import { Sparkline } from './Sparkline.js';

const REASONS_SHOWN = 2;

export function FleetCard(props: { cluster: FleetClusterJson; now: number }): JSX.Element {
  const c = props.cluster;
  const look = statusLook(c.health.status);
  const reasons = [...c.health.reasons].sort((a, b) => b.penalty - a.penalty);
  return (
    <article className="fleet-card" style={{ '--status-color': look.color } as CSSProperties} aria-label={c.name} data-status={c.health.status}>
      <header className="fleet-card-head">
        <h2 className="fleet-card-name">
          <Link to={`/clusters/${c.id}`} className="fleet-card-link">
            {c.name}
          </Link>
        </h2>
        <StatusBadge status={c.health.status} score={c.health.score} />
      </header>
      <div className="fleet-card-meta">
        <span>{[c.version ?? 'version —', c.engine === 'doris' ? 'Doris' : 'StarRocks', c.deployment_mode === 'shared_data' ? 'shared-data' : 'shared-nothing'].join(' · ')}</span>
        {c.tags.map((tag) => (
          <span key={tag} className="chip">
            {tag}
          </span>
        ))}
      </div>
      <Reasons reasons={reasons} />
      <div className="fleet-card-traffic">
        <div className="fleet-stat fleet-stat-main">
          <span className="fleet-stat-label">QPS</span>
          <span className="fleet-stat-value num">{formatNumber(c.qps)}</span>
        </div>
        <Sparkline line={c.qps_sparkline} label={`${c.name} QPS over the last two hours`} />
        <div className="fleet-stat">
          <span className="fleet-stat-label">p99</span>
          <span className="fleet-stat-value num">{c.query_latency_p99 === null ? '—' : `${formatNumber(c.query_latency_p99)} ms`}</span>
        </div>
        <div className="fleet-stat">
          <span className="fleet-stat-label">errors</span>
          <span className="fleet-stat-value num">{formatPercent(c.query_error_pct, 2)}</span>
        </div>
      </div>
      <div className="fleet-card-nodes">
        {showBackends(c) && <NodeCount kind="BE" alive={c.backend_alive} total={c.backend_total} />}
        {showComputeNodes(c) && <NodeCount kind="CN" alive={c.compute_node_alive} total={c.compute_node_total} />}
        <NodeCount kind="FE" alive={c.frontend_alive} total={c.frontend_total} />
      </div>
      <div className="fleet-card-resources">
        <Gauge label="CPU" percent={c.avg_cpu_usage} warnAt={80} critAt={95} />
        <Gauge label="Mem" percent={c.avg_memory_usage} warnAt={85} critAt={95} />
        <Gauge label="Disk" percent={c.disk_usage_pct} warnAt={80} critAt={90} />
      </div>
      <footer className="fleet-card-foot muted" title={c.last_collected_at === null ? undefined : `Last collected ${formatDateTime(c.last_collected_at)}`}>
        {c.last_collected_at === null ? 'not collected yet' : `collected ${formatRelativeTime(c.last_collected_at, props.now)}`}
        {c.collection !== null && c.collection.consecutive_failures > 0 && <span className="fleet-card-failing"> · {c.collection.consecutive_failures} failed in a row</span>}
        {c.collection?.late === true && (
          <span className="fleet-card-late" title="The collector starts this cluster's collections late: every collection slot is busy">
            {' '}
            · {formatDuration(c.collection.lag_ms)} behind
          </span>
        )}
      </footer>
    </article>
  );
}

function Reasons(props: { reasons: HealthReason[] }): JSX.Element | null {
  if (props.reasons.length === 0) return null;
  const shown = props.reasons.slice(0, REASONS_SHOWN);
  const more = props.reasons.length - shown.length;
  return (
    <ul className="fleet-card-reasons" aria-label="Reasons">
      {shown.map((r) => (
        <li key={r.code} className={`fleet-reason fleet-reason-${r.level}`} title={`${r.code}: −${r.penalty} points`}>
          <span aria-hidden="true">{r.level === 'critical' ? '◆' : '▲'}</span> {r.message}
        </li>
      ))}
      {more > 0 && (
        <li className="fleet-reason muted" title={props.reasons.slice(REASONS_SHOWN).map((r) => r.message).join('\n')}>
          +{more} more
        </li>
      )}
    </ul>
  );
}

function showBackends(c: FleetClusterJson): boolean {
  return c.deployment_mode === 'shared_nothing' || (c.backend_total ?? 0) > 0;
}

function showComputeNodes(c: FleetClusterJson): boolean {
  return c.deployment_mode === 'shared_data' || (c.compute_node_total ?? 0) > 0;
}

function NodeCount(props: { kind: string; alive: number | null; total: number | null }): JSX.Element {
  const down = props.alive !== null && props.total !== null && props.alive < props.total;
  const label = { BE: 'backends', CN: 'compute nodes', FE: 'frontends' }[props.kind] ?? props.kind;
  return (
    <span className={`fleet-nodes${down ? ' fleet-nodes-down' : ''}`} title={props.alive === null ? `${label}: not read` : `${props.alive} of ${props.total} ${label} alive`}>
      <span className="fleet-nodes-kind">{props.kind}</span> <span className="num">{aliveOfTotal(props.alive, props.total)}</span>
    </span>
  );
}

function Gauge(props: { label: string; percent: number | null; warnAt: number; critAt: number }): JSX.Element {
  const { percent } = props;
  const level = percent === null ? 'none' : percent >= props.critAt ? 'crit' : percent >= props.warnAt ? 'warn' : 'ok';
  return (
    <div className={`fleet-gauge fleet-gauge-${level}`}>
      <span className="fleet-gauge-label">{props.label}</span>
      <span className="fleet-gauge-bar" aria-hidden="true">
        <span style={{ width: `${Math.max(0, Math.min(100, percent ?? 0))}%` }} />
      </span>
      <span className="fleet-gauge-value num">{formatPercent(percent, 0)}</span>
    </div>
  );
}
