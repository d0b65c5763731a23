/**
 * The clusters Stellar watches: the registry as a table, with add, edit, test and delete.
 * The list refreshes every 30 s (collection status moves) and after every change.
 */
import { useQuery } from '@tanstack/react-query';
import { type JSX, useState } from 'react';
import type { ClusterJson } from '@shared/api/clusters.js';
import { apiQuery } from '../../app/api-client.js';
import { queryView, refreshEvery } from '../../app/query-client.js';
import { RefreshMarker } from '../../app/RefreshMarker.js';
import { EmptyBlock, LoadingBlock, ProblemBlock } from '../../app/ui/feedback.js';
import { useDocumentTitle } from '../../app/use-document-title.js';
import { useNow } from '../../app/use-now.js';
import { ClusterFormDialog } from './ClusterFormDialog.js';
import { ClusterTable } from './ClusterTable.js';
import { DeleteClusterDialog } from './DeleteClusterDialog.js';
import { TestClusterDialog } from './TestClusterDialog.js';
import './clusters.css';

/** Collection status moves: the list refreshes like the fleet. */
const CLUSTERS_REFRESH_MS = 30_000;

type Open = { kind: 'none' } | { kind: 'add' } | { kind: 'edit'; cluster: ClusterJson } | { kind: 'delete'; cluster: ClusterJson } | { kind: 'test'; cluster: ClusterJson };

export function ClustersPage(): JSX.Element {
  useDocumentTitle('Clusters');
  const query = useQuery({ ...apiQuery<ClusterJson[]>('/api/clusters'), ...refreshEvery(CLUSTERS_REFRESH_MS) });
  const clusters = queryView(query);
  const refresh = () => void query.refetch();
  const now = useNow(10_000);
  const [open, setOpen] = useState<Open>({ kind: 'none' });
  const [notice, setNotice] = useState<string | null>(null);
  const close = () => setOpen({ kind: 'none' });
  // The change's mutation has already asked for the list again (cluster-mutations.ts).
  const done = (message: string) => {
    close();
    setNotice(message);
  };

  let body: JSX.Element;
  if (clusters.data === undefined) {
    body = clusters.failure !== null ? <ProblemBlock title="The clusters could not be loaded" message={clusters.failure.message} onRetry={refresh} /> : <LoadingBlock label="Loading the clusters" />;
  } else if (clusters.data.length === 0) {
    body = (
      <EmptyBlock title="No clusters yet">
        <span>
          Add the first one with its FE address and a user that may read <code>SHOW BACKENDS</code>, or run <code>npm run demo</code> to see Stellar with simulated clusters.
        </span>
        <button type="button" className="button button-primary" onClick={() => setOpen({ kind: 'add' })}>
          Add a cluster
        </button>
      </EmptyBlock>
    );
  } else {
    body = (
      <ClusterTable
        clusters={clusters.data}
        now={now}
        onEdit={(cluster) => setOpen({ kind: 'edit', cluster })}
        onTest={(cluster) => setOpen({ kind: 'test', cluster })}
        onDelete={(cluster) => setOpen({ kind: 'delete', cluster })}
      />
    );
  }

  return (
    <section aria-labelledby="clusters-title">
      <div className="page-header">
        <h1 className="page-title" id="clusters-title">
          Clusters
        </h1>
        {clusters.data !== undefined && <span className="muted">{clusters.data.length} registered</span>}
        <div className="page-header-end">
          <RefreshMarker view={clusters} now={now} onRefresh={refresh} />
          <button type="button" className="button button-primary" onClick={() => setOpen({ kind: 'add' })}>
            Add cluster
          </button>
        </div>
      </div>
      {notice !== null && (
        <p className="notice" role="status">
          {notice}
          <button type="button" className="button button-quiet button-small" onClick={() => setNotice(null)} aria-label="Dismiss">
            ✕
          </button>
        </p>
      )}
      {body}
      {(open.kind === 'add' || open.kind === 'edit') && (
        <ClusterFormDialog
          cluster={open.kind === 'edit' ? open.cluster : null}
          onClose={close}
          onSaved={(saved) => done(open.kind === 'add' ? `Added ${saved.name}. Stellar collects it within the next interval.` : `Saved ${saved.name}.`)}
        />
      )}
      {open.kind === 'delete' && <DeleteClusterDialog cluster={open.cluster} onClose={close} onDeleted={() => done(`Deleted ${open.cluster.name}.`)} />}
      {open.kind === 'test' && <TestClusterDialog cluster={open.cluster} onClose={close} />}
    </section>
  );
}
