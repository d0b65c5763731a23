import { type JSX, useEffect } from 'react';
import type { ClusterJson } from '@shared/api/clusters.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { LoadingBlock, ProblemBlock } from '../../app/ui/feedback.js';
import { useConnectionTest } from './cluster-mutations.js';
import { ConnectionTestResults } from './ConnectionTestResults.js';

/** Tests a stored cluster with its stored settings and password (POST /api/clusters/:id/test), at once when opened. */
export function TestClusterDialog(props: { cluster: ClusterJson; onClose: () => void }): JSX.Element {
  const test = useConnectionTest();
  const { id } = props.cluster;
  const { mutate } = test;
  const run = () => mutate({ clusterId: id });
  useEffect(() => mutate({ clusterId: id }), [mutate, id]);

  return (
    <Dialog
      title={`Connection test: ${props.cluster.name}`}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="button" onClick={run} disabled={test.isIdle || test.isPending}>
            Test again
          </button>
          <button type="button" className="button button-primary" onClick={props.onClose}>
            Done
          </button>
        </>
      }
    >
      {test.data !== undefined ? (
        <ConnectionTestResults result={test.data} />
      ) : test.error !== null ? (
        <ProblemBlock title="The test could not run" message={test.error.message} />
      ) : (
        <LoadingBlock label={`Testing ${props.cluster.fe_host}`} />
      )}
    </Dialog>
  );
}
