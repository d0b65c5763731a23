/** What is pending and firing now (silenced, acknowledged), and the notifications that fail to go out; an admin silences or acknowledges a firing alert from here. */
import type { JSX } from 'react';
import type { ActiveAlertJson, ActiveAlertsJson } from '@shared/api/alerts.js';
import { formatRelativeTime } from '../../app/format.js';
import type { QueryView } from '../../app/query-client.js';
import { Link } from '../../app/router.js';
import { EmptyBlock, LoadingBlock, ProblemBlock } from '../../app/ui/feedback.js';
import { useWithdrawAck } from './alert-mutations.js';
import { formatAlertValue } from './alert-view.js';
import { TableHead } from '../../app/ui/TableHead.js';

interface AlertActions {
  readonly canChange: boolean;
  readonly onSilence: (alert: ActiveAlertJson) => void;
  readonly onAck: (alert: ActiveAlertJson) => void;
}

export function NowSection(props: { view: QueryView<ActiveAlertsJson>; now: number; onRetry: () => void } & AlertActions): JSX.Element {
  const { data, failure } = props.view;
  let body: JSX.Element;
  if (data === undefined) body = failure !== null ? <ProblemBlock title="The alerts could not be loaded" message={failure.message} onRetry={props.onRetry} /> : <LoadingBlock label="Loading the alerts" />;
  else if (data.alerts.length === 0) body = <EmptyBlock title="Nothing is firing or pending" />;
  else body = <ActiveTable alerts={data.alerts} now={props.now} canChange={props.canChange} onSilence={props.onSilence} onAck={props.onAck} />;
  return (
    <section aria-labelledby="alerts-now-title" className="alerts-section">
      <h2 id="alerts-now-title">Now</h2>
      {body}
      {data !== undefined && data.failing_deliveries.length > 0 && (
        <>
          <h3 id="alerts-failing-title">Failing deliveries</h3>
          <p className="muted">Notifications not delivered yet: Stellar retries them with backoff until they are.</p>
          <div className="table-wrap">
            <table className="table" aria-labelledby="alerts-failing-title">
              <TableHead columns={['Channel', 'Alert', 'Attempts', 'Last error']} />
              <tbody>
                {data.failing_deliveries.map((d) => (
                  <tr key={`${d.channel} ${d.rule} ${d.cluster_id} ${d.at}`}>
                    <td>{d.channel}</td>
                    <td>
                      {d.rule} {d.event} {formatRelativeTime(d.at, props.now)}
                    </td>
                    <td>{d.attempts}</td>
                    <td className="alerts-error">{d.last_error ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function ActiveTable(props: { alerts: readonly ActiveAlertJson[]; now: number } & AlertActions): JSX.Element {
  const withdraw = useWithdrawAck();
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Firing and pending">
        <TableHead columns={['Status', 'Rule', 'Cluster', 'Severity', 'Since', 'Value', 'Summary', 'Handled']} actions={props.canChange} />
        <tbody>
          {props.alerts.map((a) => (
            <tr key={`${a.rule}@${a.cluster_id}`} data-status={a.status}>
              <td>
                <span className={`alert-status alert-status-${a.status}`}>{a.status}</span>
              </td>
              <td>{a.rule}</td>
              <td>
                <Link to={`/clusters/${a.cluster_id}`}>{a.cluster}</Link>
              </td>
              <td>
                <SeverityLabel severity={a.severity} />
              </td>
              <td title={a.active_since}>{formatRelativeTime(a.active_since, props.now)}</td>
              <td>{formatAlertValue(a.value)}</td>
              <td>{a.annotations.summary ?? ''}</td>
              <td>
                {a.silenced_by.length > 0 && <span className="alert-silenced">silenced (#{a.silenced_by.join(', #')})</span>}
                {a.acknowledged !== null && (
                  <span className="alert-acked" title={a.acknowledged.comment}>
                    acknowledged by {a.acknowledged.by} {formatRelativeTime(a.acknowledged.at, props.now)}
                    {a.acknowledged.comment === '' ? '' : `: ${a.acknowledged.comment}`}
                  </span>
                )}
              </td>
              {props.canChange && (
                <td className="alert-actions">
                  {a.status === 'firing' && (
                    <>
                      <button type="button" className="button button-small" onClick={() => props.onSilence(a)} aria-label={`Silence ${a.rule} on ${a.cluster}`}>
                        Silence
                      </button>
                      {a.acknowledged === null ? (
                        <button type="button" className="button button-small" onClick={() => props.onAck(a)} aria-label={`Acknowledge ${a.rule} on ${a.cluster}`}>
                          Acknowledge
                        </button>
                      ) : (
                        <button
                          type="button"
                          className="button button-quiet button-small"
                          disabled={withdraw.isPending}
                          onClick={() => withdraw.mutate({ rule: a.rule, clusterId: a.cluster_id })}
                          aria-label={`Withdraw the acknowledgement of ${a.rule} on ${a.cluster}`}
                        >
                          Withdraw ack
                        </button>
                      )}
                    </>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SeverityLabel(props: { severity: string }): JSX.Element {
  return <span className={`alert-severity alert-severity-${props.severity}`}>{props.severity}</span>;
}
