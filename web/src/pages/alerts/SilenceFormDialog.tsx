/**
 * Make a silence: matchers (label = value, or =~ a regular expression), how long (1 hour, 4 hours,
 * 1 day or a custom duration) and why. Opened from a firing alert's Silence button, it is filled
 * in with the alert's rule and cluster. Checked at submit by the schema the server uses
 * (silence-view.ts), the server's 400 details next to their fields.
 */
import { type JSX, useState } from 'react';
import type { SilenceJson } from '@shared/api/alert-silences.js';
import { ApiError } from '../../app/api-client.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { FormField } from '../clusters/FormField.js';
import { useCreateSilence } from './alert-mutations.js';
import { checkSilenceForm, DURATION_CHOICES, hasErrors, type SilenceFormErrors, type SilenceFormValues, silenceErrorsFromDetails } from './silence-view.js';

const LABEL_HINT = 'alertname (the rule), cluster, cluster_id, severity or a label of the rule';

export function SilenceFormDialog(props: { initial: SilenceFormValues; clusterName: (id: number) => string; onClose: () => void; onSaved: (silence: SilenceJson) => void }): JSX.Element {
  const [values, setValues] = useState<SilenceFormValues>(props.initial);
  const [errors, setErrors] = useState<SilenceFormErrors>({ matchers: {}, other: [] });
  const create = useCreateSilence();

  const update = (change: Partial<SilenceFormValues>) => setValues((v) => ({ ...v, ...change }));
  const updateRow = (index: number, change: Partial<SilenceFormValues['matchers'][number]>) => update({ matchers: values.matchers.map((m, i) => (i === index ? { ...m, ...change } : m)) });

  const save = async () => {
    const checked = checkSilenceForm(values);
    if ('errors' in checked) return setErrors(checked.errors);
    setErrors({ matchers: {}, other: [] });
    try {
      props.onSaved(await create.mutateAsync(checked.body));
    } catch (err) {
      if (err instanceof ApiError && err.details !== null) {
        const mapped = silenceErrorsFromDetails(err.details);
        setErrors(hasErrors(mapped) ? mapped : { matchers: {}, other: [err.message] });
      } else setErrors({ matchers: {}, other: [err instanceof Error ? err.message : String(err)] });
    }
  };

  return (
    <Dialog
      title="Silence alerts"
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" form="alert-silence-form" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? 'Silencing…' : 'Silence'}
          </button>
        </>
      }
    >
      <form
        id="alert-silence-form"
        className="alert-rule-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        noValidate
      >
        <fieldset className="field-wide alert-silence-matchers">
          <legend className="field-label">Alerts whose labels match all of</legend>
          <p className="muted alert-silence-hint">Labels: {LABEL_HINT}.</p>
          {values.matchers.map((m, i) => (
            <div className="alert-silence-matcher" key={i}>
              <FormField label="Label" error={errors.matchers[i]?.name}>
                <input className="input" value={m.name} onChange={(e) => updateRow(i, { name: e.target.value })} autoComplete="off" spellCheck={false} />
              </FormField>
              <FormField label="Match" error={undefined}>
                <select className="select" value={m.regex ? '=~' : '='} onChange={(e) => updateRow(i, { regex: e.target.value === '=~' })} aria-label={`Match ${i + 1}`}>
                  <option value="=">equals</option>
                  <option value="=~">matches regex</option>
                </select>
              </FormField>
              <FormField label="Value" error={errors.matchers[i]?.value} hint={m.name === 'cluster_id' && /^\d+$/.test(m.value) ? props.clusterName(Number(m.value)) : undefined}>
                <input className="input" value={m.value} onChange={(e) => updateRow(i, { value: e.target.value })} autoComplete="off" spellCheck={false} />
              </FormField>
              {values.matchers.length > 1 && (
                <button type="button" className="button button-quiet button-small alert-silence-remove" onClick={() => update({ matchers: values.matchers.filter((_, j) => j !== i) })} aria-label={`Remove matcher ${i + 1}`}>
                  Remove
                </button>
              )}
            </div>
          ))}
          <button type="button" className="button button-small alert-silence-add" onClick={() => update({ matchers: [...values.matchers, { name: '', value: '', regex: false }] })}>
            Add matcher
          </button>
        </fieldset>
        <FormField label="For" error={values.duration === 'custom' ? undefined : errors.duration}>
          <select className="select" value={values.duration} onChange={(e) => update({ duration: e.target.value as SilenceFormValues['duration'] })}>
            {DURATION_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </FormField>
        {values.duration === 'custom' && (
          <FormField label="Duration" error={errors.duration} hint="e.g. 90m, 12h, 3d" required>
            <input className="input" value={values.customDuration} onChange={(e) => update({ customDuration: e.target.value })} autoComplete="off" />
          </FormField>
        )}
        <FormField label="Comment" error={errors.comment} hint="Why: shown wherever the silence is" required wide>
          <input className="input" value={values.comment} onChange={(e) => update({ comment: e.target.value })} autoComplete="off" />
        </FormField>
        {errors.other.length > 0 && (
          <p className="form-error field-wide" role="alert">
            {errors.other.join('; ')}
          </p>
        )}
      </form>
    </Dialog>
  );
}
