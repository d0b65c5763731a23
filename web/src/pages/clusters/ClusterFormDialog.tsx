/**
 * Add or edit a cluster: every field of the API, checked at submit by the API's own field
 * schemas (react-hook-form with cluster-form.ts's resolver), the server's 400 details and
 * conflicts next to their fields, and a connection test of the values in the form before saving.
 */
import { type JSX, useState } from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { type FieldPath, useForm } from 'react-hook-form';
import { CLUSTER_FIELDS, type ClusterCreate, type ClusterJson } from '@shared/api/clusters.js';
import { DEPLOYMENT_MODES, ENGINES, NODE_LIST_SOURCES } from '@shared/cluster-kinds.js';
import type { ConnectionTestJson } from '@shared/api/connection-test.js';
import { ApiError } from '../../app/api-client.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { CLUSTER_FORM, CONNECTION_FIELDS, type ClusterFormValues, connectionBody, errorsFromDetails, type FieldErrors, formOf, movesStoredPassword, NEW_CLUSTER, sameSources, updateBody } from './cluster-form.js';
import { useConnectionTest, useSaveCluster } from './cluster-mutations.js';
import { ConnectionTestResults } from './ConnectionTestResults.js';
import { FormField } from './FormField.js';
import { SourcesControl } from './SourcesControl.js';

const LABELS = {
  deployment_mode: { shared_nothing: 'Shared-nothing (backends)', shared_data: 'Shared-data (compute nodes)' },
  engine: { starrocks: 'StarRocks', doris: 'Apache Doris' },
  node_list_source: { http: 'HTTP (/api/show_proc)', mysql: 'MySQL (SHOW BACKENDS)' },
} as const;

/** The form's errors are the schema's; what it submits is the API body. */
const resolver = zodResolver(CLUSTER_FORM);

type TestState = { kind: 'idle' } | { kind: 'running' } | { kind: 'done'; result: ConnectionTestJson } | { kind: 'error'; message: string };

export function ClusterFormDialog(props: { cluster: ClusterJson | null; onClose: () => void; onSaved: (cluster: ClusterJson) => void }): JSX.Element {
  const editing = props.cluster;
  const [initial] = useState<ClusterFormValues>(() => (editing === null ? NEW_CLUSTER : formOf(editing)));
  // Checked at submit only; an error goes once its field is touched again, and the next submit checks anew.
  const form = useForm<ClusterFormValues, unknown, ClusterCreate>({ defaultValues: initial, resolver, mode: 'onSubmit', reValidateMode: 'onSubmit' });
  const { register, clearErrors, setError, formState } = form;
  const values = form.watch();
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [test, setTest] = useState<TestState>({ kind: 'idle' });
  const [keepPassword, setKeepPassword] = useState(false);
  const saveCluster = useSaveCluster();
  const connectionTest = useConnectionTest();

  const field = (name: FieldPath<ClusterFormValues>) => register(name, { onChange: () => clearErrors(name) });
  const errorOf = (name: keyof ClusterFormValues): string | undefined => formState.errors[name]?.message;
  const choice = <K extends keyof typeof LABELS>(name: K, options: readonly ClusterFormValues[K][]) => (
    <select className="select" {...field(name)}>
      {options.map((v) => (
        <option key={v} value={v}>
          {(LABELS[name] as Record<string, string>)[v]}
        </option>
      ))}
    </select>
  );

  /** The server's word on fields, next to them; the first gets the focus. */
  const showServerErrors = (found: FieldErrors) => {
    Object.entries(found).forEach(([name, message], i) => setError(name as FieldPath<ClusterFormValues>, { type: 'server', message }, { shouldFocus: i === 0 }));
  };

  // A stored password follows a cluster to a new host or port only when typed again or kept on purpose.
  const moved = editing !== null && movesStoredPassword(editing, values) && values.password === '';

  const save = async (body: ClusterCreate) => {
    setFormError(null);
    setSaving(true);
    try {
      const saved = editing === null ? await saveCluster.mutateAsync({ id: null, body }) : await saveCluster.mutateAsync({ id: editing.id, body: updateBody(body, moved && keepPassword) });
      props.onSaved(saved);
    } catch (err) {
      setSaving(false);
      if (err instanceof ApiError && err.details !== null) {
        const mapped = errorsFromDetails(err.details);
        showServerErrors(mapped.fields);
        setFormError(mapped.other.length > 0 ? mapped.other.join('; ') : 'Some fields are not accepted; see the messages next to them.');
      } else if (err instanceof ApiError && err.code === 'STELLAR_ERR_CLUSTER_NAME_TAKEN') showServerErrors({ name: err.message });
      else setFormError(err instanceof Error ? err.message : String(err));
    }
  };

  // A stored cluster whose connection settings and sources are unchanged is tested with its stored password.
  const connectionUnchanged = editing !== null && CONNECTION_FIELDS.every((f) => values[f] === initial[f]) && sameSources(values.sources, initial.sources);
  const runTest = async () => {
    if (!(await form.trigger([...CONNECTION_FIELDS], { shouldFocus: true }))) return;
    const body = connectionBody(form.getValues());
    if (!connectionUnchanged && body === null) return;
    setTest({ kind: 'running' });
    try {
      const result = connectionUnchanged
        ? await connectionTest.mutateAsync({ clusterId: editing.id })
        : await connectionTest.mutateAsync({ body });
      setTest({ kind: 'done', result });
    } catch (err) {
      if (err instanceof ApiError && err.details !== null) showServerErrors(errorsFromDetails(err.details).fields);
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
      <form id="cluster-form" className="cluster-form" onSubmit={(e) => void form.handleSubmit(save)(e)} noValidate>
        <fieldset className="form-section">
          <legend>Cluster</legend>
          <FormField label="Name" error={errorOf('name')} required>
            <input className="input" {...field('name')} required autoComplete="off" autoFocus={editing === null} />
          </FormField>
          <FormField label="Tags" error={errorOf('tags')} hint="Comma-separated, e.g. prod, eu">
            <input className="input" {...field('tags')} autoComplete="off" />
          </FormField>
          <FormField label="Description" error={errorOf('description')} wide>
            <input className="input" {...field('description')} autoComplete="off" />
          </FormField>
        </fieldset>

        <fieldset className="form-section">
          <legend>Frontend</legend>
          <FormField label="FE host" error={errorOf('fe_host')} hint="Host name or IP of one FE, without scheme or port" required>
            <input className="input" {...field('fe_host')} required autoComplete="off" spellCheck={false} />
          </FormField>
          <div className="form-pair">
            <FormField label="HTTP port" error={errorOf('fe_http_port')}>
              <input className="input" {...field('fe_http_port')} inputMode="numeric" />
            </FormField>
            <FormField label="Query port" error={errorOf('fe_query_port')}>
              <input className="input" {...field('fe_query_port')} inputMode="numeric" />
            </FormField>
          </div>
          <FormField label="Username" error={errorOf('username')} required>
            <input className="input" {...field('username')} required autoComplete="off" spellCheck={false} />
          </FormField>
          <FormField
            label="Password"
            error={errorOf('password')}
            hint={
              editing === null
                ? undefined
                : moved
                  ? 'The host or a port changed: type the password again, or keep the stored one below'
                  : editing.password_set
                    ? 'Leave blank to keep the stored password'
                    : 'No password stored; leave blank for none'
            }
          >
            <input className="input" {...field('password')} type="password" autoComplete="new-password" placeholder={editing?.password_set ? '••••••• (unchanged)' : ''} />
          </FormField>
          {moved && (
            <label className="checkbox field-wide">
              <input type="checkbox" className="cluster-form-keep-password" checked={keepPassword} onChange={(e) => setKeepPassword(e.target.checked)} />
              Send the stored password to the new address (administrators only)
            </label>
          )}
          <label className="checkbox field-wide">
            <input type="checkbox" {...field('enable_ssl')} />
            Use HTTPS towards the FE
          </label>
        </fieldset>

        <fieldset className="form-section">
          <legend>Collection</legend>
          <FormField label="Engine" error={errorOf('engine')}>
            {choice('engine', ENGINES)}
          </FormField>
          <FormField label="Deployment mode" error={errorOf('deployment_mode')}>
            {choice('deployment_mode', DEPLOYMENT_MODES)}
          </FormField>
          <FormField label="Node list source" error={errorOf('node_list_source')} hint="How the backend and frontend lists are read">
            {choice('node_list_source', NODE_LIST_SOURCES)}
          </FormField>
          <div className="form-pair">
            <FormField label="Timeout (s)" error={errorOf('connection_timeout')} hint={`Per request, ${CLUSTER_FIELDS.connection_timeout.minValue ?? ''}–${CLUSTER_FIELDS.connection_timeout.maxValue ?? ''}`}>
              <input className="input" {...field('connection_timeout')} inputMode="numeric" />
            </FormField>
            <FormField label="Collect every (s)" error={errorOf('collect_interval')} hint="Blank: the global interval">
              <input className="input" {...field('collect_interval')} inputMode="numeric" placeholder="global" />
            </FormField>
          </div>
          <SourcesControl
            value={values.sources}
            error={errorOf('sources')}
            onChange={(next) => {
              clearErrors('sources');
              form.setValue('sources', next, { shouldDirty: true });
            }}
          />
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
