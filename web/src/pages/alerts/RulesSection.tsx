/**
 * Every alert rule with where it comes from. An admin adds rules through the API, edits and
 * deletes those; the defaults and the alerts file's are read-only here (changed in the alerts
 * file, which the row says); a viewer reads.
 */
import type { JSX } from 'react';
import type { AlertRuleJson, AlertRulesJson } from '@shared/api/alerts.js';
import type { QueryView } from '../../app/query-client.js';
import { ConfirmDeleteDialog } from '../../app/ui/ConfirmDeleteDialog.js';
import { EmptyBlock, LoadingBlock, ProblemBlock } from '../../app/ui/feedback.js';
import { useDeleteRule } from './alert-mutations.js';
import { formatForSeconds, scopeText } from './alert-view.js';
import { SeverityLabel } from './NowSection.js';
import { SectionHeader } from '../../app/ui/SectionHeader.js';
import { TableHead } from '../../app/ui/TableHead.js';

const ORIGINS = { default: 'shipped', file: 'alerts file', api: 'API' } as const;

/** Why a rule not made through the API cannot be changed here. */
const READ_ONLY_WHY = {
  default: 'Shipped with Stellar: override or switch it off in the alerts file ([alerts] file), then reload',
  file: 'From the alerts file ([alerts] file): change it there, then reload',
} as const;

export function RulesSection(props: {
  view: QueryView<AlertRulesJson>;
  canChange: boolean;
  onAdd: () => void;
  onEdit: (rule: AlertRuleJson) => void;
  onDelete: (rule: AlertRuleJson) => void;
  onRetry: () => void;
}): JSX.Element {
  const { data, failure } = props.view;
  let body: JSX.Element;
  if (data === undefined) body = failure !== null ? <ProblemBlock title="The rules could not be loaded" message={failure.message} onRetry={props.onRetry} /> : <LoadingBlock label="Loading the rules" />;
  else if (data.rules.length === 0) body = <EmptyBlock title="No alert rules" />;
  else {
    body = (
      <div className="table-wrap">
        <table className="table">
          <TableHead columns={['Rule', 'Origin', 'Condition', 'For', 'Severity', 'Scope', 'Enabled']} actions={props.canChange} />
          <tbody>
            {data.rules.map((rule) => (
              <tr key={rule.name} data-origin={rule.origin}>
                <td>{rule.name}</td>
                <td>{ORIGINS[rule.origin]}</td>
                <td>
                  <code>{rule.condition}</code>
                </td>
                <td>{formatForSeconds(rule.for_seconds)}</td>
                <td>
                  <SeverityLabel severity={rule.severity} />
                </td>
                <td>{scopeText(rule.scope)}</td>
                <td>{rule.enabled ? 'yes' : 'no'}</td>
                {props.canChange && (
                  <td className="alert-actions">
                    {rule.origin === 'api' ? (
                      <>
                        <button type="button" className="button button-small" onClick={() => props.onEdit(rule)} aria-label={`Edit ${rule.name}`}>
                          Edit
                        </button>
                        <button type="button" className="button button-danger button-small" onClick={() => props.onDelete(rule)} aria-label={`Delete ${rule.name}`}>
                          Delete
                        </button>
                      </>
                    ) : (
                      <span className="alert-rule-readonly" title={READ_ONLY_WHY[rule.origin]}>
                        read-only: {rule.origin === 'file' ? 'edit the alerts file' : 'override in the alerts file'}
                      </span>
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
    <section aria-labelledby="alerts-rules-title" className="alerts-section">
      <SectionHeader id="alerts-rules-title" title="Rules" action={props.canChange ? { label: 'Add rule', onClick: props.onAdd, primary: true } : undefined} />
      {body}
    </section>
  );
}

/** Deleting a rule resolves what it had firing at the next collection; its history stays. */
export function DeleteRuleDialog(props: { rule: AlertRuleJson; onClose: () => void; onDeleted: () => void }): JSX.Element {
  const remove = useDeleteRule();
  return (
    <ConfirmDeleteDialog
      title={`Delete ${props.rule.name}?`}
      action="Delete rule"
      deleting={remove.isPending || remove.isSuccess}
      error={remove.error}
      onConfirm={() => remove.mutate(props.rule.name, { onSuccess: props.onDeleted })}
      onClose={props.onClose}
    >
      Stellar stops evaluating <strong>{props.rule.name}</strong>; what it has firing resolves at the next collection (and is notified as resolved). Its history stays.
    </ConfirmDeleteDialog>
  );
}
