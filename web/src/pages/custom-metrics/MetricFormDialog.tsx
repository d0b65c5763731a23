/**
 * Add or edit a custom metric made through the API, checked at submit by the schema the server
 * uses (custom-metric-view.ts's METRIC_FORM); the server's 400 details and its 409 (a name taken
 * by the config file or another metric) shown by their fields. Editing keeps the name.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import type { JSX } from 'react';
import { CUSTOM_METRIC_AGGREGATES, CUSTOM_METRIC_KINDS, CUSTOM_METRIC_SOURCES, type CustomMetricSource } from '@shared/custom-metrics.js';
import type { CustomMetricJson } from '@shared/api/custom-metrics.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { useServerCheckedForm } from '../../app/use-server-checked-form.js';
import { FormField } from '../clusters/FormField.js';
import { useSaveMetric } from './custom-metric-mutations.js';
import { formValuesOf, METRIC_FORM, metricErrorsFromDetails, type MetricFormField, type MetricFormValues, NEW_METRIC, SOURCE_WORDS } from './custom-metric-view.js';

const resolver = zodResolver(METRIC_FORM);

export function MetricFormDialog(props: { editing: CustomMetricJson | null; onClose: () => void; onSaved: (metric: CustomMetricJson) => void }): JSX.Element {
  const editing = props.editing;
  const save = useSaveMetric(editing?.name ?? null);
  const { field, errorOf, formError, onSubmit } = useServerCheckedForm<MetricFormValues, CustomMetricSource, MetricFormField>({
    defaultValues: editing === null ? NEW_METRIC : formValuesOf(editing),
    resolver,
    readDetails: metricErrorsFromDetails,
    save: async (body) => props.onSaved(await save.mutateAsync(body)),
  });
  const action = editing === null ? 'Add metric' : 'Save';

  return (
    <Dialog
      title={editing === null ? 'Add a custom metric' : `Edit ${editing.name}`}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" form="custom-metric-form" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : action}
          </button>
        </>
      }
    >
      <form id="custom-metric-form" className="custom-metric-form" onSubmit={onSubmit} noValidate>
        <FormField label="Name" error={errorOf('name')} hint="snake_case: lowercase letters, digits and _" required>
          <input className="input" {...field('name')} autoComplete="off" spellCheck={false} autoFocus={editing === null} readOnly={editing !== null} />
        </FormField>
        <FormField label="Source" error={errorOf('source')}>
          <select className="select" {...field('source')}>
            {CUSTOM_METRIC_SOURCES.map((s) => (
              <option key={s} value={s}>
                {s} ({SOURCE_WORDS[s]})
              </option>
            ))}
          </select>
        </FormField>
        <FormField label="Family" error={errorOf('family')} hint="The Prometheus metric name as the node prints it, e.g. starrocks_fe_connection_total" required wide>
          <input className="input" {...field('family')} autoComplete="off" spellCheck={false} />
        </FormField>
        <FormField label="Labels" error={errorOf('labels')} hint="One matcher a line: key=value, or key=~regex (matched against the whole value)" wide>
          <textarea className="input custom-metric-labels" rows={3} {...field('labels')} spellCheck={false} />
        </FormField>
        <FormField label="Aggregate" error={errorOf('aggregate')} hint="Across every matched series of every node">
          <select className="select" {...field('aggregate')}>
            {CUSTOM_METRIC_AGGREGATES.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </FormField>
        <FormField label="Kind" error={errorOf('kind')} hint="gauge: the value; rate: per second; delta: the increase since the previous collection">
          <select className="select" {...field('kind')}>
            {CUSTOM_METRIC_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </FormField>
        <FormField label="Unit" error={errorOf('unit')} hint="Free text; metrics of one unit share a chart">
          <input className="input" {...field('unit')} autoComplete="off" />
        </FormField>
        <FormField label="Description" error={errorOf('description')} wide>
          <input className="input" {...field('description')} autoComplete="off" />
        </FormField>
        <label className="checkbox field-wide">
          <input type="checkbox" {...field('table_metrics')} aria-invalid={errorOf('table_metrics') !== undefined} />
          Per-table family (asks FEs with ?with_table_metrics=minified; needs an admin user)
        </label>
        {errorOf('table_metrics') !== undefined && (
          <span className="field-error field-wide" role="alert">
            {errorOf('table_metrics')}
          </span>
        )}
        {formError !== null && (
          <p className="form-error field-wide" role="alert">
            {formError}
          </p>
        )}
      </form>
    </Dialog>
  );
}
