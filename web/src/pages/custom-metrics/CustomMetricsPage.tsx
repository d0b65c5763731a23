/**
 * Custom metrics: every one in force with where it comes from (the config file's
 * `[[custom_metrics]]`, read-only here; or made through the API), added, edited and deleted by
 * admins, and previewed on a cluster. Their values are charted on each cluster's overview.
 */
import { useQuery } from '@tanstack/react-query';
import { type JSX, useState } from 'react';
import type { ClusterJson } from '@shared/api/clusters.js';
import type { CustomMetricJson, CustomMetricsJson } from '@shared/api/custom-metrics.js';
import { apiQuery } from '../../app/api-client.js';
import { queryView } from '../../app/query-client.js';
import { ConfirmDeleteDialog } from '../../app/ui/ConfirmDeleteDialog.js';
import { EmptyBlock, LoadingBlock, ProblemBlock } from '../../app/ui/feedback.js';
import { useDocumentTitle } from '../../app/use-document-title.js';
import { useSession } from '../../app/use-session.js';
import { useDeleteMetric } from './custom-metric-mutations.js';
import { MetricFormDialog } from './MetricFormDialog.js';
import { PreviewPanel } from './PreviewPanel.js';
import './custom-metrics.css';
import { TableHead } from '../../app/ui/TableHead.js';

const ORIGINS = { file: 'config file', api: 'API' } as const;

type Open = { kind: 'none' } | { kind: 'add' } | { kind: 'edit'; metric: CustomMetricJson } | { kind: 'delete'; metric: CustomMetricJson };

const labelsText = (labels: Readonly<Record<string, string>>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

export function CustomMetricsPage(): JSX.Element {
  useDocumentTitle('Custom metrics');
  const { state } = useSession();
  // With authentication off and no credentials the service lets anyone change them.
  const canChange = state.kind === 'signed-in' && (state.me.role === 'admin' || (!state.me.auth_enabled && state.me.role === null));
  const metricsQuery = useQuery(apiQuery<CustomMetricsJson>('/api/custom-metrics'));
  const view = queryView(metricsQuery);
  const clusters = useQuery(apiQuery<ClusterJson[]>('/api/clusters')).data ?? [];
  const [open, setOpen] = useState<Open>({ kind: 'none' });
  const [notice, setNotice] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const close = () => setOpen({ kind: 'none' });
  const done = (message: string) => {
    close();
    setNotice(message);
  };

  const { data, failure } = view;
  let body: JSX.Element;
  if (data === undefined) body = failure !== null ? <ProblemBlock title="The custom metrics could not be loaded" message={failure.message} onRetry={() => void metricsQuery.refetch()} /> : <LoadingBlock label="Loading the custom metrics" />;
  else if (data.metrics.length === 0) {
    body = (
      <EmptyBlock title="No custom metrics">
        A custom metric collects a family of the FEs’ or BEs’ <code>/metrics</code> that no built-in field reads.
      </EmptyBlock>
    );
  } else {
    body = (
      <div className="table-wrap">
        <table className="table" aria-label="Custom metrics">
          <TableHead columns={['Name', 'Origin', 'Source', 'Family', 'Labels', 'Aggregate', 'Kind', 'Unit']} actions={canChange} />
          <tbody>
            {data.metrics.map((m) => (
              <tr key={m.name} data-origin={m.origin} title={m.description || undefined}>
                <td>{m.name}</td>
                <td>{ORIGINS[m.origin]}</td>
                <td>{m.source}</td>
                <td>
                  <code>{m.family}</code>
                  {m.table_metrics && <span title="asked with ?with_table_metrics=minified"> (per table)</span>}
                </td>
                <td>
                  <code>{labelsText(m.labels)}</code>
                </td>
                <td>{m.aggregate}</td>
                <td>{m.kind}</td>
                <td>{m.unit}</td>
                {canChange && (
                  <td>
                    <span className="custom-metric-actions">
                      <button type="button" className="button button-small" onClick={() => setChosen(m.name)} aria-label={`Preview ${m.name}`}>
                        Preview
                      </button>
                      {m.origin === 'api' && (
                        <>
                          <button type="button" className="button button-small" onClick={() => setOpen({ kind: 'edit', metric: m })} aria-label={`Edit ${m.name}`}>
                            Edit
                          </button>
                          <button type="button" className="button button-danger button-small" onClick={() => setOpen({ kind: 'delete', metric: m })} aria-label={`Delete ${m.name}`}>
                            Delete
                          </button>
                        </>
                      )}
                    </span>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <section aria-labelledby="custom-metrics-title">
      <div className="page-header">
        <h1 className="page-title" id="custom-metrics-title">
          Custom metrics
        </h1>
        {canChange && (
          <div className="page-header-end">
            <button type="button" className="button button-primary" onClick={() => setOpen({ kind: 'add' })}>
              Add metric
            </button>
          </div>
        )}
      </div>
      {notice !== null && (
        <p className="notice" role="status">
          {notice}
          <button type="button" className="button button-quiet button-small" onClick={() => setNotice(null)} aria-label="Dismiss">
            ✕
          </button>
        </p>
      )}
      <p className="muted">Metrics of the config file are changed in the file (then reload the configuration); those added here are stored in the database. Each is collected from the next collection of every cluster on.</p>
      {body}
      {canChange && data !== undefined && <PreviewPanel metrics={data.metrics} clusters={clusters} chosen={chosen} onChoose={setChosen} />}
      {(open.kind === 'add' || open.kind === 'edit') && (
        <MetricFormDialog
          editing={open.kind === 'edit' ? open.metric : null}
          onClose={close}
          onSaved={(metric) => {
            setChosen(metric.name);
            done(`${open.kind === 'add' ? 'Added' : 'Saved'} ${metric.name}. It is collected from the next collection of each cluster.`);
          }}
        />
      )}
      {open.kind === 'delete' && <DeleteMetricDialog metric={open.metric} onClose={close} onDeleted={() => done(`Deleted ${open.metric.name}.`)} />}
    </section>
  );
}

function DeleteMetricDialog(props: { metric: CustomMetricJson; onClose: () => void; onDeleted: () => void }): JSX.Element {
  const remove = useDeleteMetric();
  return (
    <ConfirmDeleteDialog
      title={`Delete ${props.metric.name}?`}
      action="Delete metric"
      deleting={remove.isPending || remove.isSuccess}
      error={remove.error}
      onConfirm={() => remove.mutate(props.metric.name, { onSuccess: props.onDeleted })}
      onClose={props.onClose}
    >
      Stellar stops collecting <strong>{props.metric.name}</strong> from the next collection on; the values already stored stay.
    </ConfirmDeleteDialog>
  );
}
