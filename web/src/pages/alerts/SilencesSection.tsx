/**
 * Silences: those to come, running, and ended in the last day, with what they mute now. An
 * admin makes one (or from a firing alert's Silence button) and expires one early; a viewer reads.
 */
import type { JSX } from 'react';
import type { SilenceJson, SilencesJson } from '@shared/api/alert-silences.js';
import { formatRelativeTime } from '../../app/format.js';
import type { QueryView } from '../../app/query-client.js';
import { ConfirmDeleteDialog } from '../../app/ui/ConfirmDeleteDialog.js';
import { EmptyBlock, LoadingBlock, ProblemBlock } from '../../app/ui/feedback.js';
import { useExpireSilence } from './alert-mutations.js';
import { matcherText } from './silence-view.js';
import { SectionHeader } from '../../app/ui/SectionHeader.js';
import { TableHead } from '../../app/ui/TableHead.js';

export function SilencesSection(props: { view: QueryView<SilencesJson>; now: number; canChange: boolean; onAdd: () => void; onExpire: (silence: SilenceJson) => void; onRetry: () => void }): JSX.Element {
  const { data, failure } = props.view;
  let body: JSX.Element;
  if (data === undefined) body = failure !== null ? <ProblemBlock title="The silences could not be loaded" message={failure.message} onRetry={props.onRetry} /> : <LoadingBlock label="Loading the silences" />;
  else if (data.silences.length === 0) body = <EmptyBlock title="No silences in the last day" />;
  else {
    body = (
      <div className="table-wrap">
        <table className="table" aria-label="Silences">
          <TableHead columns={['Status', 'Matchers', 'Period', 'Mutes now', 'By', 'Comment']} actions={props.canChange} />
          <tbody>
            {data.silences.map((s) => (
              <tr key={s.id} data-status={s.status}>
                <td>
                  <span className={`alert-status silence-status-${s.status}`}>{s.status}</span>
                </td>
                <td>
                  {s.matchers.map((m) => (
                    <code key={matcherText(m)} className="silence-matcher">
                      {matcherText(m)}
                    </code>
                  ))}
                </td>
                <td>
                  <span title={`${s.starts_at} – ${s.ends_at}`}>
                    {s.status === 'pending' ? `starts ${formatRelativeTime(s.starts_at, props.now)}, ` : ''}
                    {s.status === 'expired' ? 'ended' : 'ends'} {formatRelativeTime(s.ends_at, props.now)}
                  </span>
                  {s.expired_by !== null && <span className="muted"> (expired by {s.expired_by})</span>}
                </td>
                <td>{s.muting.length === 0 ? '—' : s.muting.map((a) => `${a.rule} on ${a.cluster}`).join(', ')}</td>
                <td>{s.created_by}</td>
                <td>{s.comment}</td>
                {props.canChange && (
                  <td>
                    {s.status !== 'expired' && (
                      <button type="button" className="button button-danger button-small" onClick={() => props.onExpire(s)} aria-label={`Expire silence ${s.id}`}>
                        Expire
                      </button>
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
  return (
    <section aria-labelledby="alerts-silences-title" className="alerts-section">
      <SectionHeader
        id="alerts-silences-title"
        title="Silences"
        action={props.canChange ? { label: 'New silence', onClick: props.onAdd } : undefined}
        description="A silence mutes the notifications of the alerts it matches; they still fire and are still in the history. One still firing when its silence ends is notified then."
      />
      {body}
    </section>
  );
}

/** Expiring ends the silence now: what it held back and still fires is notified within half a minute. */
export function ExpireSilenceDialog(props: { silence: SilenceJson; onClose: () => void; onExpired: () => void }): JSX.Element {
  const expire = useExpireSilence();
  return (
    <ConfirmDeleteDialog
      title="Expire this silence?"
      action="Expire silence"
      deleting={expire.isPending || expire.isSuccess}
      error={expire.error}
      onConfirm={() => expire.mutate(props.silence.id, { onSuccess: props.onExpired })}
      onClose={props.onClose}
    >
      The silence of <strong>{props.silence.matchers.map(matcherText).join(', ')}</strong> ends now. What it mutes and still fires is notified within half a minute.
    </ConfirmDeleteDialog>
  );
}
