/**
 * Add an alert rule through the API, or edit one made so (PUT: its name stays): name, condition,
 * for, severity and a summary annotation, checked at submit by the schema the server uses
 * (alert-view.ts's RULE_FORM), the server's 400 details and its 409 (a name of a default or
 * alerts-file rule) next to their fields. An edit keeps what the form does not show (scope,
 * labels, other annotations, enabled).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { type JSX, useState } from 'react';
import { useForm } from 'react-hook-form';
import { ALERT_SEVERITIES, type AlertRuleSource } from '@shared/alerts/alert-rule.js';
import type { AlertRuleJson } from '@shared/api/alerts.js';
import { ApiError } from '../../app/api-client.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { FormField } from '../clusters/FormField.js';
import { useCreateRule, useUpdateRule } from './alert-mutations.js';
import { editedRuleBody, formValuesOf, NEW_RULE, RULE_FORM, ruleErrorsFromDetails, type RuleFormErrors, type RuleFormField, type RuleFormValues } from './alert-view.js';

const resolver = zodResolver(RULE_FORM);

export function RuleFormDialog(props: { editing?: AlertRuleJson; onClose: () => void; onSaved: (rule: AlertRuleJson) => void }): JSX.Element {
  const { editing } = props;
  const form = useForm<RuleFormValues, unknown, AlertRuleSource>({ defaultValues: editing === undefined ? NEW_RULE : formValuesOf(editing), resolver, mode: 'onSubmit', reValidateMode: 'onSubmit' });
  const { register, clearErrors, setError, formState } = form;
  const [formError, setFormError] = useState<string | null>(null);
  const create = useCreateRule();
  const update = useUpdateRule();
  const pending = create.isPending || update.isPending;

  const field = (name: RuleFormField) => register(name, { onChange: () => clearErrors(name) });
  const errorOf = (name: RuleFormField): string | undefined => formState.errors[name]?.message;
  const showServerErrors = (found: RuleFormErrors) => {
    Object.entries(found).forEach(([name, message], i) => setError(name as RuleFormField, { type: 'server', message }, { shouldFocus: i === 0 }));
  };

  const save = async (body: AlertRuleSource) => {
    setFormError(null);
    try {
      props.onSaved(editing === undefined ? await create.mutateAsync(body) : await update.mutateAsync(editedRuleBody(editing, body)));
    } catch (err) {
      if (err instanceof ApiError && err.details !== null) {
        const mapped = ruleErrorsFromDetails(err.details);
        showServerErrors(mapped.fields);
        setFormError(mapped.other.length > 0 ? mapped.other.join('; ') : err.message);
      } else setFormError(err instanceof Error ? err.message : String(err));
    }
  };

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
      <form id="alert-rule-form" className="alert-rule-form" onSubmit={(e) => void form.handleSubmit(save)(e)} noValidate>
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
