/**
 * Try a custom metric on a cluster now: pick the metric and the cluster, run the preview (the
 * server scrapes the cluster's FEs, and BEs for a `be` metric; a rate or delta takes two
 * readings about 2 s apart), see the value a collection would store, the series matched on each
 * node and the warnings. Admins only: a preview reaches out to the cluster, as a connection test.
 */
import { type JSX, useState } from 'react';
import type { ClusterJson } from '@shared/api/clusters.js';
import type { CustomMetricJson } from '@shared/api/custom-metrics.js';
import { usePreview } from './custom-metric-mutations.js';
import { definitionOf, formatMetricValue } from './custom-metric-view.js';

const labelsOf = (labels: Readonly<Record<string, string>>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');

export function PreviewPanel(props: { metrics: readonly CustomMetricJson[]; clusters: readonly ClusterJson[]; chosen: string | null; onChoose: (name: string) => void }): JSX.Element {
  const [clusterId, setClusterId] = useState<number | null>(null);
  const preview = usePreview();
  const name = props.chosen ?? props.metrics[0]?.name ?? null;
  const metric = props.metrics.find((m) => m.name === name) ?? null;
  const cluster = clusterId ?? props.clusters[0]?.id ?? null;
  const result = preview.data;

  const run = () => {
    if (metric === null || cluster === null) return;
    // The definition alone: the preview takes what POST /api/custom-metrics takes.
    preview.mutate({ clusterId: cluster, metric: definitionOf(metric) });
  };

  return (
    <section className="custom-metrics-section" aria-labelledby="custom-metrics-preview-title">
      <h2 id="custom-metrics-preview-title">Preview</h2>
      {props.metrics.length === 0 || props.clusters.length === 0 ? (
        <p className="muted">{props.clusters.length === 0 ? 'Register a cluster to preview a metric on it.' : 'Add a metric to preview it.'}</p>
      ) : (
        <>
          <div className="custom-metric-preview-controls">
            <label>
              <span className="muted">Metric</span>
              <select className="select" value={name ?? ''} onChange={(e) => {
                  preview.reset();
                  props.onChoose(e.target.value);
                }} aria-label="Metric to preview">
                {props.metrics.map((m) => (
                  <option key={m.name} value={m.name}>
                    {m.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span className="muted">Cluster</span>
              <select className="select" value={cluster === null ? '' : String(cluster)} onChange={(e) => {
                  preview.reset();
                  setClusterId(Number(e.target.value));
                }} aria-label="Cluster to preview on">
                {props.clusters.map((c) => (
                  <option key={c.id} value={String(c.id)}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="button button-primary" onClick={run} disabled={preview.isPending}>
              {preview.isPending ? (metric?.kind === 'gauge' ? 'Scraping…' : 'Taking two readings…') : 'Run preview'}
            </button>
          </div>
          {preview.error !== null && (
            <p className="form-error" role="alert">
              {preview.error.message}
            </p>
          )}
          {result !== undefined && !preview.isPending && preview.variables?.metric.name === name && (
            <div data-testid="custom-metric-preview">
              <p className="custom-metric-preview-value">
                <span data-testid="custom-metric-preview-value">{formatMetricValue(result.value)}</span> <span className="muted">{metric?.unit}</span>
              </p>
              <p className="muted">
                {result.readings === 1 ? 'One reading.' : `Two readings ${result.gap_seconds?.toFixed(1) ?? '?'} s apart: the value is over that gap; a collection uses the time since the previous one.`}
              </p>
              {[...result.warnings, ...result.failures].length > 0 && (
                <ul className="custom-metric-preview-warnings">
                  {[...result.warnings, ...result.failures].map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              )}
              <div className="table-wrap">
                <table className="table" aria-label="Matched series">
                  <thead>
                    <tr>
                      <th scope="col">Node</th>
                      <th scope="col">Labels</th>
                      <th scope="col">Value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.nodes.flatMap((node) =>
                      node.series.length === 0
                        ? [
                            <tr key={node.node}>
                              <td>
                                {node.node}
                                {node.leader ? ' (leader)' : ''}
                              </td>
                              <td className="muted" colSpan={2}>
                                {node.has_family ? 'no series matches the labels' : 'does not print the family'}
                              </td>
                            </tr>,
                          ]
                        : node.series.map((s, i) => (
                            <tr key={`${node.node}|${labelsOf(s.labels)}`}>
                              <td>{i === 0 ? `${node.node}${node.leader ? ' (leader)' : ''}` : ''}</td>
                              <td>
                                <code>{labelsOf(s.labels) || '(no labels)'}</code>
                              </td>
                              <td>{formatMetricValue(s.value)}</td>
                            </tr>
                          )),
                    )}
                  </tbody>
                </table>
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}
