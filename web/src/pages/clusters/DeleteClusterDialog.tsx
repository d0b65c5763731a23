import type { JSX } from 'react';
import type { ClusterJson } from '@shared/api/clusters.js';
import { ConfirmDeleteDialog } from '../../app/ui/ConfirmDeleteDialog.js';
import { useDeleteCluster } from './cluster-mutations.js';

/** Deleting a cluster deletes its history: say so, and make the button say what it does. */
export function DeleteClusterDialog(props: { cluster: ClusterJson; onClose: () => void; onDeleted: () => void }): JSX.Element {
  const remove = useDeleteCluster();
  return (
    <ConfirmDeleteDialog
      title={`Delete ${props.cluster.name}?`}
      action="Delete cluster"
      deleting={remove.isPending || remove.isSuccess}
      error={remove.error}
      onConfirm={() => remove.mutate(props.cluster.id, { onSuccess: props.onDeleted })}
      onClose={props.onClose}
    >
      Stellar stops collecting <strong>{props.cluster.name}</strong> ({props.cluster.fe_host}) and deletes every snapshot and daily row it stored for it. The cluster itself is not touched.
    </ConfirmDeleteDialog>
  );
}
