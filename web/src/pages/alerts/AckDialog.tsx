/** Acknowledge a firing alert, with an optional comment: shown with it (who, when) until it resolves. */
import { type JSX, useState } from 'react';
import type { ActiveAlertJson } from '@shared/api/alerts.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { FormField } from '../clusters/FormField.js';
import { useAcknowledge } from './alert-mutations.js';

export function AckDialog(props: { alert: ActiveAlertJson; onClose: () => void; onDone: () => void }): JSX.Element {
  const [comment, setComment] = useState('');
  const ack = useAcknowledge();
  const submit = () => ack.mutate({ rule: props.alert.rule, clusterId: props.alert.cluster_id, comment }, { onSuccess: props.onDone });
  return (
    <Dialog
      title={`Acknowledge ${props.alert.rule} on ${props.alert.cluster}`}
      onClose={props.onClose}
      size="small"
      footer={
        <>
          <button type="button" className="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" form="alert-ack-form" className="button button-primary" disabled={ack.isPending}>
            {ack.isPending ? 'Acknowledging…' : 'Acknowledge'}
          </button>
        </>
      }
    >
      <form
        id="alert-ack-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <p style={{ marginTop: 0 }}>Says you are on it: shown with the alert until it resolves. Notifications are not changed (a silence mutes them).</p>
        <FormField label="Comment" hint="Optional">
          <input className="input" value={comment} onChange={(e) => setComment(e.target.value)} autoComplete="off" autoFocus />
        </FormField>
        {ack.error !== null && (
          <p className="form-error" role="alert">
            {ack.error.message}
          </p>
        )}
      </form>
    </Dialog>
  );
}
