/**
 * Add an alert rule through the API, or edit one made so (PUT: its name stays): name, condition,
 * for, severity and a summary annotation, checked at submit by the schema the server uses
 * (alert-view.ts's RULE_FORM), the server's 400 details and its 409 (a name of a default or
 * alerts-file rule) next to their fields. An edit keeps what the form does not show (scope,
 * labels, other annotations, enabled).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import type { JSX } from 'react';
import { ALERT_SEVERITIES, type AlertRuleSource } from '@shared/alerts/alert-rule.js';
import type { AlertRuleJson } from '@shared/api/alerts.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { useServerCheckedForm } from '../../app/use-server-checked-form.js';
import { FormField } from '../clusters/FormField.js';
import { useCreateRule, useUpdateRule } from './alert-mutations.js';
import { editedRuleBody, formValuesOf, NEW_RULE, RULE_FORM, ruleErrorsFromDetails, type RuleFormField, type RuleFormValues } from './alert-view.js';

const resolver = zodResolver(RULE_FORM);

export function RuleFormDialog(props: { editing?: AlertRuleJson; onClose: () => void; onSaved: (rule: AlertRuleJson) => void }): JSX.Element {
  const { editing } = props;
  const create = useCreateRule();
  const update = useUpdateRule();
  const pending = create.isPending || update.isPending;
  const { field, errorOf, formError, onSubmit } = useServerCheckedForm<RuleFormValues, AlertRuleSource, RuleFormField>({
    defaultValues: editing === undefined ? NEW_RULE : formValuesOf(editing),
    resolver,
    readDetails: ruleErrorsFromDetails,
    save: async (body) => props.onSaved(editing === undefined ? await create.mutateAsync(body) : await update.mutateAsync(editedRuleBody(editing, body))),
  });

  return (
    <Dialog
      title={editing === undefined ? 'Add an alert rule' : `Edit ${editing.name}`}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" form="alert-rule-form" className="button button-primary" disabled={pending}>
            {editing === undefined ? (pending ? 'Adding…' : 'Add rule') : pending ? 'Saving…' : 'Save rule'}
          </button>
        </>
      }
    >
      <form id="alert-rule-form" className="alert-rule-form" onSubmit={onSubmit} noValidate>
        <FormField label="Name" error={errorOf('name')} hint={editing === undefined ? 'Lowercase letters, digits, - and _' : 'A rule is not renamed'} required>
          <input className="input" {...field('name')} autoComplete="off" spellCheck={false} autoFocus={editing === undefined} readOnly={editing !== undefined} />
        </FormField>
        <FormField label="Severity" error={errorOf('severity')}>
          <select className="select" {...field('severity')}>
            {ALERT_SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </FormField>
        <FormField label="Condition" error={errorOf('condition')} hint="e.g. backend_alive < backend_total, or rate(disk_used_bytes, 1h) > 1000000" required wide>
          <input className="input alert-rule-condition" {...field('condition')} autoComplete="off" spellCheck={false} />
        </FormField>
        <FormField label="For" error={errorOf('for')} hint="How long it must hold before it fires: 0, 90s, 5m, 1h">
          <input className="input" {...field('for')} autoComplete="off" />
        </FormField>
        <FormField label="Summary" error={errorOf('summary')} hint="Sent with the alert; {{ cluster }}, {{ value }}, {{ fields.<field> }} are filled in" wide>
          <input className="input" {...field('summary')} autoComplete="off" />
        </FormField>
        {formError !== null && (
          <p className="form-error field-wide" role="alert">
            {formError}
          </p>
        )}
      </form>
    </Dialog>
  );
}
