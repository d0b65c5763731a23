import type { JSX } from 'react';
import type { ClusterJson } from '@shared/api/clusters.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { useDeleteCluster } from './cluster-mutations.js';

/** Deleting a cluster deletes its history: say so, and make the button say what it does. */
export function DeleteClusterDialog(props: { cluster: ClusterJson; onClose: () => void; onDeleted: () => void }): JSX.Element {
  const remove = useDeleteCluster();
  return (
    <Dialog
      title={`Delete ${props.cluster.name}?`}
      onClose={props.onClose}
      size="small"
      footer={
        <>
          <button type="button" className="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={() => remove.mutate(props.cluster.id, { onSuccess: props.onDeleted })} disabled={remove.isPending || remove.isSuccess}>
            {remove.isPending || remove.isSuccess ? 'Deleting…' : 'Delete cluster'}
          </button>
        </>
      }
    >
      <p style={{ marginTop: 0 }}>
        Stellar stops collecting <strong>{props.cluster.name}</strong> ({props.cluster.fe_host}) and deletes every snapshot and daily row it stored for it. The cluster itself is not touched.
      </p>
      {remove.error !== null && (
        <p className="form-error" role="alert">
          {remove.error.message}
        </p>
      )}
    </Dialog>
  );
}
