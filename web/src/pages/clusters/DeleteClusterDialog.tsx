import { type JSX, useState } from 'react';
import type { ClusterJson } from '@shared/api/clusters.js';
import { apiSend } from '../../app/api-client.js';
import { Dialog } from '../../app/ui/Dialog.js';

/** Deleting a cluster deletes its history: say so, and make the button say what it does. */
export function DeleteClusterDialog(props: { cluster: ClusterJson; onClose: () => void; onDeleted: () => void }): JSX.Element {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await apiSend('DELETE', `/api/clusters/${props.cluster.id}`);
      props.onDeleted();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
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
          <button type="button" className="button button-danger" onClick={() => void remove()} disabled={busy}>
            {busy ? 'Deleting…' : 'Delete cluster'}
          </button>
        </>
      }
    >
      <p style={{ marginTop: 0 }}>
        Stellar stops collecting <strong>{props.cluster.name}</strong> ({props.cluster.fe_host}) and deletes every snapshot and daily row it stored for it. The cluster itself is not touched.
      </p>
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
