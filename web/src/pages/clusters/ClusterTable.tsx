/** The registry as a table: where each cluster is, how it is read, and how its collection goes. */
import type { JSX } from 'react';
import type { ClusterJson, CollectionStateJson } from '@shared/api/clusters.js';
import { OPTIONAL_SOURCE_INFO } from '@shared/optional-sources.js';
import { formatDateTime, formatRelativeTime } from '../../app/format.js';
import { Link } from '../../app/router.js';

export function ClusterTable(props: {
  clusters: readonly ClusterJson[];
  now: number;
  onEdit: (c: ClusterJson) => void;
  onTest: (c: ClusterJson) => void;
  onDelete: (c: ClusterJson) => void;
}): JSX.Element {
  return (
    <div className="table-wrap">
      <table className="table cluster-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Frontend</th>
            <th scope="col" className="cluster-col-kind">
              Kind
            </th>
            <th scope="col" className="cluster-col-tags">
              Tags
            </th>
            <th scope="col">Collection</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.clusters.map((c) => (
            <tr key={c.id} aria-label={c.name}>
              <td>
                <Link to={`/clusters/${c.id}`} className="cluster-name">
                  {c.name}
                </Link>
                {c.description !== '' && <div className="cluster-description muted">{c.description}</div>}
              </td>
              <td className="mono cluster-address">
                {c.enable_ssl ? 'https://' : ''}
                {c.fe_host}
                <span className="muted">
                  :{c.fe_http_port} / {c.fe_query_port}
                </span>
                <div className="muted cluster-user">
                  {c.username}
                  {c.password_set ? '' : ' (no password)'}
                </div>
              </td>
              <td className="cluster-col-kind">
                {c.engine === 'doris' ? 'Doris' : 'StarRocks'}
                <div className="muted">
                  {c.deployment_mode === 'shared_data' ? 'shared-data' : 'shared-nothing'} · {c.node_list_source}
                </div>
              </td>
              <td className="cluster-col-tags">
                <div className="cluster-tags">
                  {c.tags.map((tag) => (
                    <span key={tag} className="chip">
                      {tag}
                    </span>
                  ))}
                </div>
              </td>
              <td>
                <CollectionCell state={c.collection} interval={c.collect_interval} sources={sourcesWords(c)} now={props.now} />
              </td>
              <td className="cluster-actions">
                <button type="button" className="button button-small" onClick={() => props.onTest(c)} aria-label={`Test connection to ${c.name}`}>
                  Test
                </button>
                <button type="button" className="button button-small" onClick={() => props.onEdit(c)} aria-label={`Edit ${c.name}`}>
                  Edit
                </button>
                <button type="button" className="button button-small button-quiet cluster-delete" onClick={() => props.onDelete(c)} aria-label={`Delete ${c.name}`}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const COLLECTION_WORDS: Record<CollectionStateJson['status'], string> = { pending: 'pending', ok: 'ok', partial: 'partial', failed: 'failed' };

/** What the cluster's collections ask besides the always-read sources, and whether that is the global set. */
function sourcesWords(cluster: ClusterJson): string {
  const names = cluster.effective_sources.length === 0 ? 'none' : cluster.effective_sources.map((s) => OPTIONAL_SOURCE_INFO[s].label).join(', ');
  return `${cluster.sources === null ? 'global sources' : 'own sources'}: ${names}`;
}

function CollectionCell(props: { state: CollectionStateJson | null; interval: number | null; sources: string; now: number }): JSX.Element {
  const { state } = props;
  if (state === null) return <span className="muted">not collected by this process</span>;
  const title = [
    state.last_attempt_at === null ? 'never attempted' : `last attempt ${formatDateTime(state.last_attempt_at)}`,
    `next ${formatDateTime(state.next_attempt_at)}`,
    props.interval === null ? 'global interval' : `every ${props.interval} s`,
    props.sources,
  ].join('\n');
  return (
    <span className={`collection collection-${state.status}`} title={title}>
      <span className="collection-dot" aria-hidden="true" />
      {state.running ? 'collecting…' : COLLECTION_WORDS[state.status]}
      {state.consecutive_failures > 1 && <span> ×{state.consecutive_failures}</span>}
      <span className="muted"> · {state.last_attempt_at === null ? 'not yet' : formatRelativeTime(state.last_attempt_at, props.now)}</span>
    </span>
  );
}
