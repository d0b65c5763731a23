/**
 * Add or edit a cluster: every field of the API, client checks at submit, the server's 400
 * details next to their fields, and a connection test of the values in the form before saving.
 */
import { type FormEvent, type JSX, useState } from 'react';
import { type ClusterJson, DEPLOYMENT_MODES, ENGINES, NODE_LIST_SOURCES } from '@shared/api-types.js';
import type { ConnectionTestJson } from '@shared/overview-types.js';
import { ApiError } from '../../app/api-client.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { CONNECTION_FIELDS, type ClusterFormValues, clusterBody, errorsFromDetails, type FieldErrors, formOf, NEW_CLUSTER, updateBody, validateForm } from './cluster-form.js';
import { useConnectionTest, useSaveCluster } from './cluster-mutations.js';
import { ConnectionTestResults } from './ConnectionTestResults.js';
import { FormField } from './FormField.js';

const LABELS = {
  deployment_mode: { shared_nothing: 'Shared-nothing (backends)', shared_data: 'Shared-data (compute nodes)' },
  engine: { starrocks: 'StarRocks', doris: 'Apache Doris' },
  node_list_source: { http: 'HTTP (/api/show_proc)', mysql: 'MySQL (SHOW BACKENDS)' },
} as const;

type TestState = { kind: 'idle' } | { kind: 'running' } | { kind: 'done'; result: ConnectionTestJson } | { kind: 'error'; message: string };

export function ClusterFormDialog(props: { cluster: ClusterJson | null; onClose: () => void; onSaved: (cluster: ClusterJson) => void }): JSX.Element {
  const editing = props.cluster;
  const [initial] = useState<ClusterFormValues>(() => (editing === null ? NEW_CLUSTER : formOf(editing)));
  const [values, setValues] = useState<ClusterFormValues>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [test, setTest] = useState<TestState>({ kind: 'idle' });
  const save = useSaveCluster();
  const connectionTest = useConnectionTest();

  const set = <K extends keyof ClusterFormValues>(field: K, value: ClusterFormValues[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    // An error goes once the field is touched again; the next submit checks anew.
    setErrors((e) => (e[field] === undefined ? e : { ...e, [field]: undefined }));
  };
  const text = (field: keyof ClusterFormValues) => ({
    name: field,
    value: values[field] as string,
    onChange: (e: { target: { value: string } }) => set(field, e.target.value),
  });
  const choice = <K extends keyof typeof LABELS>(field: K, options: readonly ClusterFormValues[K][]) => (
    <select className="select" name={field} value={values[field]} onChange={(e) => set(field, e.target.value as ClusterFormValues[K])}>
      {options.map((v) => (
        <option key={v} value={v}>
          {(LABELS[field] as Record<string, string>)[v]}
        </option>
      ))}
    </select>
  );

  const showErrors = (found: FieldErrors) => {
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first !== undefined) document.querySelector<HTMLElement>(`.cluster-form [name="${first}"]`)?.focus();
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    const found = validateForm(values);
    if (Object.keys(found).length > 0) return showErrors(found);
    setSaving(true);
    try {
      const saved =
        editing === null
          ? await save.mutateAsync({ id: null, body: clusterBody(values) })
          : await save.mutateAsync({ id: editing.id, body: updateBody(values) });
      props.onSaved(saved);
    } catch (err) {
      setSaving(false);
      if (err instanceof ApiError && err.details !== null) {
        const mapped = errorsFromDetails(err.details);
        showErrors(mapped.fields);
        setFormError(mapped.other.length > 0 ? mapped.other.join('; ') : 'Some fields are not accepted; see the messages next to them.');
      } else if (err instanceof ApiError && err.code === 'STELLAR_ERR_CLUSTER_NAME_TAKEN') showErrors({ name: err.message });
      else setFormError(err instanceof Error ? err.message : String(err));
    }
  };

  // A stored cluster whose connection settings are unchanged is tested with its stored password.
  const connectionUnchanged = editing !== null && CONNECTION_FIELDS.every((f) => values[f] === initial[f]);
  const runTest = async () => {
    const found = validateForm(values);
    const connectionErrors = Object.fromEntries(Object.entries(found).filter(([f]) => CONNECTION_FIELDS.includes(f as keyof ClusterFormValues)));
    if (Object.keys(connectionErrors).length > 0) return showErrors(connectionErrors);
    setTest({ kind: 'running' });
    try {
      const result = connectionUnchanged
        ? await connectionTest.mutateAsync({ clusterId: editing.id })
        : await connectionTest.mutateAsync({ body: connectionBody(values) });
      setTest({ kind: 'done', result });
    } catch (err) {
      if (err instanceof ApiError && err.details !== null) showErrors(errorsFromDetails(err.details).fields);
      setTest({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <Dialog
      title={editing === null ? 'Add a cluster' : `Edit ${editing.name}`}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="button cluster-form-test" onClick={() => void runTest()} disabled={test.kind === 'running'}>
            {test.kind === 'running' ? 'Testing…' : 'Test connection'}
          </button>
          <button type="button" className="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" form="cluster-form" className="button button-primary" disabled={saving}>
            {saving ? 'Saving…' : editing === null ? 'Add cluster' : 'Save changes'}
          </button>
        </>
      }
    >
      <form id="cluster-form" className="cluster-form" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="form-section">
          <legend>Cluster</legend>
          <FormField label="Name" error={errors.name} required>
            <input className="input" {...text('name')} required autoComplete="off" autoFocus={editing === null} />
          </FormField>
          <FormField label="Tags" error={errors.tags} hint="Comma-separated, e.g. prod, eu">
            <input className="input" {...text('tags')} autoComplete="off" />
          </FormField>
          <FormField label="Description" error={errors.description} wide>
            <input className="input" {...text('description')} autoComplete="off" />
          </FormField>
        </fieldset>

        <fieldset className="form-section">
          <legend>Frontend</legend>
          <FormField label="FE host" error={errors.fe_host} hint="Host name or IP of one FE, without scheme or port" required>
            <input className="input" {...text('fe_host')} required autoComplete="off" spellCheck={false} />
          </FormField>
          <div className="form-pair">
            <FormField label="HTTP port" error={errors.fe_http_port}>
              <input className="input" {...text('fe_http_port')} inputMode="numeric" />
            </FormField>
            <FormField label="Query port" error={errors.fe_query_port}>
              <input className="input" {...text('fe_query_port')} inputMode="numeric" />
            </FormField>
          </div>
          <FormField label="Username" error={errors.username} required>
            <input className="input" {...text('username')} required autoComplete="off" spellCheck={false} />
          </FormField>
          <FormField
            label="Password"
            error={errors.password}
            hint={editing === null ? undefined : editing.password_set ? 'Leave blank to keep the stored password' : 'No password stored; leave blank for none'}
          >
            <input className="input" {...text('password')} type="password" autoComplete="new-password" placeholder={editing?.password_set ? '••••••• (unchanged)' : ''} />
          </FormField>
          <label className="checkbox field-wide">
            <input type="checkbox" name="enable_ssl" checked={values.enable_ssl} onChange={(e) => set('enable_ssl', e.target.checked)} />
            Use HTTPS towards the FE
          </label>
        </fieldset>

        <fieldset className="form-section">
          <legend>Collection</legend>
          <FormField label="Engine" error={errors.engine}>
            {choice('engine', ENGINES)}
          </FormField>
          <FormField label="Deployment mode" error={errors.deployment_mode}>
            {choice('deployment_mode', DEPLOYMENT_MODES)}
          </FormField>
          <FormField label="Node list source" error={errors.node_list_source} hint="How the backend and frontend lists are read">
            {choice('node_list_source', NODE_LIST_SOURCES)}
          </FormField>
          <div className="form-pair">
            <FormField label="Timeout (s)" error={errors.connection_timeout} hint="Per request, 1–300">
              <input className="input" {...text('connection_timeout')} inputMode="numeric" />
            </FormField>
            <FormField label="Collect every (s)" error={errors.collect_interval} hint="Blank: the global interval">
              <input className="input" {...text('collect_interval')} inputMode="numeric" placeholder="global" />
            </FormField>
          </div>
        </fieldset>

        {formError !== null && (
          <p className="form-error field-wide" role="alert">
            {formError}
          </p>
        )}
        {test.kind === 'done' && <ConnectionTestResults result={test.result} />}
        {test.kind === 'error' && (
          <p className="form-error" role="alert">
            The test could not run: {test.message}
          </p>
        )}
        {test.kind === 'idle' && editing !== null && !connectionUnchanged && values.password === '' && editing.password_set && (
          <p className="field-hint">The test of changed settings uses the password typed here: type it to test with one.</p>
        )}
      </form>
    </Dialog>
  );
}

/**
 * The body of test-connection: that of POST /api/clusters, with where and how to connect from
 * the form and the API's defaults for the rest, so a half-filled form (no name yet, a bad tag)
 * can still be tested.
 */
function connectionBody(values: ClusterFormValues): Record<string, unknown> {
  const connection = Object.fromEntries(CONNECTION_FIELDS.map((field) => [field, values[field]]));
  return clusterBody({ ...NEW_CLUSTER, ...connection, name: values.name.trim() === '' ? 'connection test' : values.name });
}
