/**
 * The alerts firing on this cluster, in one line under its header, linking to the alerts page
 * narrowed to it (where the pending ones and the history are too). Refreshed on its own every
 * 15 s, whatever the overview's refresh: an alert is news even on a still chart.
 */
import { useQuery } from '@tanstack/react-query';
import type { JSX } from 'react';
import type { ActiveAlertsJson } from '@shared/api/alerts.js';
import { apiQuery } from '../../app/api-client.js';
import { refreshEvery } from '../../app/query-client.js';
import { Link } from '../../app/router.js';

const REFRESH_MS = 15_000;

export function ClusterAlertsLine(props: { clusterId: number }): JSX.Element | null {
  const { data } = useQuery({ ...apiQuery<ActiveAlertsJson>(`/api/alerts?cluster_id=${props.clusterId}`), ...refreshEvery(REFRESH_MS) });
  if (data === undefined) return null;
  const firing = data.alerts.filter((a) => a.status === 'firing');
  if (firing.length === 0) {
    return (
      <p className="overview-alerts muted" role="status">
        <Link to={`/alerts?cluster_id=${props.clusterId}`}>No alert firing</Link>
      </p>
    );
  }
  return (
    <p className="overview-alerts" role="status">
      <Link to={`/alerts?cluster_id=${props.clusterId}`}>
        {firing.length === 1 ? '1 alert firing' : `${firing.length} alerts firing`}
      </Link>
      :{' '}
      {firing.map((a, i) => (
        <span key={a.rule}>
          {i > 0 && ', '}
          <span className={`overview-alert alert-severity-${a.severity}`}>{a.rule}</span>
        </span>
      ))}
    </p>
  );
}
