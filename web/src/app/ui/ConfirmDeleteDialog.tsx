import type { JSX, ReactNode } from 'react';
import { Dialog } from './Dialog.js';

/**
 * The confirmation before a deletion: what it does (children), Cancel, and a danger button that
 * says what it deletes and shows the deletion under way; the server's refusal below the text.
 */
export function ConfirmDeleteDialog(props: {
  title: string;
  /** The button's words, e.g. "Delete cluster". */
  action: string;
  /** The deletion's state, from its mutation. */
  deleting: boolean;
  error: Error | null;
  onConfirm: () => void;
  onClose: () => void;
  children: ReactNode;
}): JSX.Element {
  return (
    <Dialog
      title={props.title}
      onClose={props.onClose}
      size="small"
      footer={
        <>
          <button type="button" className="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={props.onConfirm} disabled={props.deleting}>
            {props.deleting ? 'Deleting…' : props.action}
          </button>
        </>
      }
    >
      <p style={{ marginTop: 0 }}>{props.children}</p>
      {props.error !== null && (
        <p className="form-error" role="alert">
          {props.error.message}
        </p>
      )}
    </Dialog>
  );
}
