/**
 * What fired and resolved, newest first, a page at a time: "Older events" asks for the page
 * before the last one shown (the API's next_before_id). Refreshed with the page, every page shown.
 */
import type { InfiniteData } from '@tanstack/react-query';
import type { JSX } from 'react';
import type { AlertHistoryJson } from '@shared/api/alerts.js';
import { formatDateTime } from '../../app/format.js';
import type { QueryView } from '../../app/query-client.js';
import { Link } from '../../app/router.js';
import { EmptyBlock, LoadingBlock, ProblemBlock } from '../../app/ui/feedback.js';
import { formatAlertValue } from './alert-view.js';
import { SeverityLabel } from './NowSection.js';

export function HistorySection(props: {
  view: QueryView<InfiniteData<AlertHistoryJson, unknown>>;
  clusterName: (id: number) => string;
  hasOlder: boolean;
  loadingOlder: boolean;
  onOlder: () => void;
  onRetry: () => void;
}): JSX.Element {
  const { data, failure } = props.view;
  const events = data?.pages.flatMap((page) => page.events) ?? [];
  let body: JSX.Element;
  if (data === undefined) body = failure !== null ? <ProblemBlock title="The history could not be loaded" message={failure.message} onRetry={props.onRetry} /> : <LoadingBlock label="Loading the history" />;
  else if (events.length === 0) body = <EmptyBlock title="Nothing has fired yet" />;
  else {
    body = (
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">Rule</th>
              <th scope="col">Cluster</th>
              <th scope="col">Severity</th>
              <th scope="col">Value</th>
              <th scope="col">Summary</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} data-event={e.event}>
                <td>{formatDateTime(e.at)}</td>
                <td>
                  <span className={`alert-status alert-status-${e.event}`}>{e.event}</span>
                </td>
                <td>{e.rule}</td>
                <td>
                  <Link to={`/clusters/${e.cluster_id}`}>{props.clusterName(e.cluster_id)}</Link>
                </td>
                <td>
                  <SeverityLabel severity={e.severity} />
                </td>
                <td>{formatAlertValue(e.value)}</td>
                <td>{e.annotations.summary ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  return (
    <section aria-labelledby="alerts-history-title" className="alerts-section">
      <h2 id="alerts-history-title">History</h2>
      {body}
      {props.hasOlder && (
        <button type="button" className="button alerts-older" onClick={props.onOlder} disabled={props.loadingOlder}>
          {props.loadingOlder ? 'Loading…' : 'Older events'}
        </button>
      )}
    </section>
  );
}
