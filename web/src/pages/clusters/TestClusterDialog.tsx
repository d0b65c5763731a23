import { type JSX, useEffect, useState } from 'react';
import type { ClusterJson } from '@shared/api/clusters.js';
import type { ConnectionTestJson } from '@shared/api/connection-test.js';
import { apiSend } from '../../app/api-client.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { LoadingBlock, ProblemBlock } from '../../app/ui/feedback.js';
import { ConnectionTestResults } from './ConnectionTestResults.js';

/** Tests a stored cluster with its stored settings and password (POST /api/clusters/:id/test). */
export function TestClusterDialog(props: { cluster: ClusterJson; onClose: () => void }): JSX.Element {
  const [result, setResult] = useState<ConnectionTestJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const { id } = props.cluster;

  useEffect(() => {
    let current = true;
    setResult(null);
    setError(null);
    apiSend<ConnectionTestJson>('POST', `/api/clusters/${id}/test`).then(
      (r) => current && setResult(r),
      (err: unknown) => current && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      current = false;
    };
  }, [id, attempt]);

  return (
    <Dialog
      title={`Connection test: ${props.cluster.name}`}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="button" onClick={() => setAttempt((a) => a + 1)} disabled={result === null && error === null}>
            Test again
          </button>
          <button type="button" className="button button-primary" onClick={props.onClose}>
            Done
          </button>
        </>
      }
    >
      {result !== null ? (
        <ConnectionTestResults result={result} />
      ) : error !== null ? (
        <ProblemBlock title="The test could not run" message={error} />
      ) : (
        <LoadingBlock label={`Testing ${props.cluster.fe_host}`} />
      )}
    </Dialog>
  );
}
