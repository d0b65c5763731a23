/**
 * What a connection test found, source by source (ConnectionTestJson): the node lists, each
 * FE's /metrics and the rest, with ok or the failure kind and the message, so a DBA sees at
 * once whether it is the password, a port or a firewall.
 */
import type { JSX } from 'react';
import type { ConnectionTestJson } from '@shared/api/connection-test.js';
import { formatDuration } from '../../app/format.js';

export function ConnectionTestResults(props: { result: ConnectionTestJson }): JSX.Element {
  const { result } = props;
  const failed = result.checks.filter((c) => !c.ok).length;
  return (
    <section className={`conn-test ${result.ok ? 'conn-test-ok' : 'conn-test-failed'}`} aria-label="Connection test results">
      <p className="conn-test-summary" role="status">
        <span aria-hidden="true">{result.ok ? '✓' : '✕'}</span>{' '}
        {result.ok ? 'Connection works' : failed === result.checks.length ? 'Connection failed' : `${failed} of ${result.checks.length} sources failed`}
        {result.version !== null && <span className="muted"> · version {result.version}</span>}
      </p>
      <table className="conn-test-checks">
        <thead className="visually-hidden">
          <tr>
            <th scope="col">Result</th>
            <th scope="col">Source</th>
            <th scope="col">State</th>
            <th scope="col">Time</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {result.checks.map((check) => (
            <tr key={check.source} className={`conn-check ${check.ok ? 'conn-check-ok' : 'conn-check-failed'}`}>
              <td className="conn-check-mark" aria-label={check.ok ? 'ok' : 'failed'}>
                {check.ok ? '✓' : '✕'}
              </td>
              <td className="conn-check-source mono">{check.source}</td>
              <td className="conn-check-state">{check.ok ? 'ok' : (check.error_kind ?? 'failed')}</td>
              <td className="conn-check-time num muted">{formatDuration(check.duration_ms)}</td>
              <td className="conn-check-message">{check.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
