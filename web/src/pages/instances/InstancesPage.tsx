/**
 * The Stellar instances sharing this database: which one collects (the leader) and which stand
 * by, or in shards mode the share each collects; their versions, last heartbeats and the
 * clusters each collects. Refreshed every 10 s, so a fail-over or a rebalance shows up on its own.
 */
import { useQuery } from '@tanstack/react-query';
import type { JSX } from 'react';
import type { InstanceJson, InstancesJson } from '@shared/api/instances.js';
import { apiQuery } from '../../app/api-client.js';
import { formatDuration, formatRelativeTime } from '../../app/format.js';
import { queryView, refreshEvery } from '../../app/query-client.js';
import { RefreshMarker } from '../../app/RefreshMarker.js';
import { EmptyBlock, LoadingBlock, ProblemBlock } from '../../app/ui/feedback.js';
import { useDocumentTitle } from '../../app/use-document-title.js';
import { useNow } from '../../app/use-now.js';
import './instances.css';

const REFRESH_MS = 10_000;

export function InstancesPage(): JSX.Element {
  useDocumentTitle('Instances');
  const query = useQuery({ ...apiQuery<InstancesJson>('/api/instances'), ...refreshEvery(REFRESH_MS) });
  const view = queryView(query);
  const refresh = () => void query.refetch();
  const now = useNow(REFRESH_MS);
  return (
    <section aria-labelledby="instances-title">
      <div className="page-header">
        <h1 className="page-title" id="instances-title">
          Instances
        </h1>
        <RefreshMarker view={view} now={now} onRefresh={refresh} />
      </div>
      <p className="muted">
        {view.data?.coordination === 'shards'
          ? 'Every Stellar instance on this database serves the API and console and collects its share of the clusters (coordination "shards"). The shares are evened out as instances join, and the clusters of one that stops are taken over within two collection intervals.'
          : 'Every Stellar instance on this database serves the API and console; exactly one, the leader, collects the clusters. A standby takes over within two collection intervals if the leader stops.'}
      </p>
      {view.data === undefined ? (
        view.failure !== null ? (
          <ProblemBlock title="The instances could not be loaded" message={view.failure.message} onRetry={refresh} />
        ) : (
          <LoadingBlock label="Loading the instances" />
        )
      ) : view.data.instances.length === 0 ? (
        <EmptyBlock title="No instance collects">This instance does not collect ([metrics] enabled = false), so it keeps no record of the others.</EmptyBlock>
      ) : (
        <InstancesTable instances={view.data.instances} />
      )}
    </section>
  );
}

function InstancesTable(props: { instances: readonly InstanceJson[] }): JSX.Element {
  return (
    <div className="table-wrap">
      <table className="table instances-table">
        <thead>
          <tr>
            <th scope="col">Instance</th>
            <th scope="col">Role</th>
            <th scope="col">Version</th>
            <th scope="col">Last heartbeat</th>
            <th scope="col">Clusters collected</th>
          </tr>
        </thead>
        <tbody>
          {props.instances.map((instance) => (
            <tr key={instance.id} data-role={instance.role} data-silent={instance.silent}>
              <td>
                <span title={`id ${instance.id}, started ${formatRelativeTime(instance.started_at)}`}>
                  {instance.host} · pid {instance.pid}
                </span>
                {instance.this_instance && <span className="muted"> (this one)</span>}
              </td>
              <td>
                <span className={`instance-role instance-role-${instance.role}`}>{instance.role}</span>
              </td>
              <td>{instance.version}</td>
              <td>
                {formatDuration(instance.heartbeat_age_ms)} ago
                {instance.silent && <span className="instance-silent"> · silent (stopped, paused or cut off)</span>}
              </td>
              <td>{instance.clusters_collected}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
