/**
 * What a connection test found, source by source (ConnectionTestJson): the node lists, each
 * FE's /metrics and the rest, with ok or the failure kind and the message, so a DBA sees at
 * once whether it is the password, a port or a firewall.
 */
import type { JSX } from 'react';
import type { ConnectionTestJson } from '@shared/overview-types.js';
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
      <ul className="conn-test-checks">
        {result.checks.map((check) => (
          <li key={check.source} className={`conn-check ${check.ok ? 'conn-check-ok' : 'conn-check-failed'}`}>
            <span className="conn-check-mark" aria-hidden="true">
              {check.ok ? '✓' : '✕'}
            </span>
            <span className="conn-check-source mono">{check.source}</span>
            <span className="conn-check-state">{check.ok ? 'ok' : (check.error_kind ?? 'failed')}</span>
            <span className="conn-check-time num muted">{formatDuration(check.duration_ms)}</span>
            <span className="conn-check-message">{check.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
