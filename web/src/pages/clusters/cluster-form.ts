/**
 * The cluster form's values (strings, as inputs hold them), their client-side checks, the
 * request bodies built from them, and the server's 400 `details` mapped back onto fields.
 * The client checks catch the obvious (a blank name, a port of 70000) at once; the server's
 * schema (src/api/routes/clusters/schema.ts) has the last word and its messages land next to
 * the same fields.
 */
import type { ClusterJson, DeploymentMode, Engine, NodeListSource } from '@shared/api-types.js';

export interface ClusterFormValues {
  name: string;
  description: string;
  fe_host: string;
  fe_http_port: string;
  fe_query_port: string;
  username: string;
  password: string;
  enable_ssl: boolean;
  connection_timeout: string;
  /** Blank: the global interval. */
  collect_interval: string;
  /** Comma-separated. */
  tags: string;
  deployment_mode: DeploymentMode;
  engine: Engine;
  node_list_source: NodeListSource;
}

export type FieldName = keyof ClusterFormValues;
export type FieldErrors = Partial<Record<FieldName, string>>;

/** The API's defaults (docs/api.md), so a new form starts where the server would. */
export const NEW_CLUSTER: ClusterFormValues = {
  name: '',
  description: '',
  fe_host: '',
  fe_http_port: '8030',
  fe_query_port: '9030',
  username: 'root',
  password: '',
  enable_ssl: false,
  connection_timeout: '10',
  collect_interval: '',
  tags: '',
  deployment_mode: 'shared_nothing',
  engine: 'starrocks',
  node_list_source: 'http',
};

/** The form of a stored cluster. The password is never sent back: blank keeps the stored one. */
export function formOf(cluster: ClusterJson): ClusterFormValues {
  return {
    name: cluster.name,
    description: cluster.description,
    fe_host: cluster.fe_host,
    fe_http_port: String(cluster.fe_http_port),
    fe_query_port: String(cluster.fe_query_port),
    username: cluster.username,
    password: '',
    enable_ssl: cluster.enable_ssl,
    connection_timeout: String(cluster.connection_timeout),
    collect_interval: cluster.collect_interval === null ? '' : String(cluster.collect_interval),
    tags: cluster.tags.join(', '),
    deployment_mode: cluster.deployment_mode,
    engine: cluster.engine,
    node_list_source: cluster.node_list_source,
  };
}

function wholeNumberError(text: string, low: number, high: number): string | null {
  if (text.trim() === '') return 'is required';
  if (!/^\d+$/.test(text.trim())) return 'must be a whole number';
  const value = Number(text);
  if (value < low) return `must be at least ${low}`;
  if (value > high) return `must be at most ${high}`;
  return null;
}

export function splitTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter((t) => t !== ''))];
}

export function validateForm(values: ClusterFormValues): FieldErrors {
  const errors: FieldErrors = {};
  const name = values.name.trim();
  if (name === '') errors.name = 'is required';
  else if (name.length > 100) errors.name = 'must be at most 100 characters';
  if (values.description.length > 1000) errors.description = 'must be at most 1000 characters';
  const host = values.fe_host.trim();
  if (host === '') errors.fe_host = 'is required';
  else if (/\s|:\/\/|\//.test(host)) errors.fe_host = 'must be a host name or IP address, without scheme, port or path (e.g. fe1.example.com or 10.0.0.5)';
  for (const port of ['fe_http_port', 'fe_query_port'] as const) {
    const error = wholeNumberError(values[port], 1, 65535);
    if (error !== null) errors[port] = error;
  }
  if (values.username.trim() === '') errors.username = 'is required';
  else if (values.username.trim().length > 128) errors.username = 'must be at most 128 characters';
  if (values.password.length > 1024) errors.password = 'must be at most 1024 characters';
  const timeout = wholeNumberError(values.connection_timeout, 1, 300);
  if (timeout !== null) errors.connection_timeout = timeout;
  if (values.collect_interval.trim() !== '') {
    const interval = wholeNumberError(values.collect_interval, 1, 86_400);
    if (interval !== null) errors.collect_interval = interval;
  }
  const tags = splitTags(values.tags);
  if (tags.length > 32) errors.tags = 'must have at most 32 tags';
  else if (tags.some((t) => t.length > 64)) errors.tags = 'each tag must be at most 64 characters';
  return errors;
}

/** The body of POST /api/clusters (and of test-connection): every field, typed. */
export function clusterBody(values: ClusterFormValues): Record<string, unknown> {
  return {
    name: values.name.trim(),
    description: values.description,
    fe_host: values.fe_host.trim(),
    fe_http_port: Number(values.fe_http_port),
    fe_query_port: Number(values.fe_query_port),
    username: values.username.trim(),
    password: values.password,
    enable_ssl: values.enable_ssl,
    connection_timeout: Number(values.connection_timeout),
    collect_interval: values.collect_interval.trim() === '' ? null : Number(values.collect_interval),
    tags: splitTags(values.tags),
    deployment_mode: values.deployment_mode,
    engine: values.engine,
    node_list_source: values.node_list_source,
  };
}

/** The body of PUT /api/clusters/:id: the API changes only the fields sent, so a blank password is left out and the stored one stays. */
export function updateBody(values: ClusterFormValues): Record<string, unknown> {
  const body = clusterBody(values);
  if (values.password === '') delete body.password;
  return body;
}

const FIELD_NAMES = new Set<string>(Object.keys(NEW_CLUSTER));

/**
 * The server's `details` as field errors (`tags[3]` → tags), and the ones that name no field
 * of the form (e.g. "body"), to be shown above the buttons.
 */
export function errorsFromDetails(details: readonly { field: string; message: string }[]): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  for (const detail of details) {
    const base = detail.field.replace(/[[.].*$/, '');
    if (FIELD_NAMES.has(base)) {
      const name = base as FieldName;
      const message = base === detail.field ? detail.message : `${detail.field.slice(base.length)}: ${detail.message}`.replace(/^\[(\d+)\]/, (_, i: string) => `tag ${Number(i) + 1}`);
      fields[name] = fields[name] === undefined ? message : `${fields[name]}; ${message}`;
    } else other.push(`${detail.field} ${detail.message}`);
  }
  return { fields, other };
}

/** The fields that decide where and how Stellar connects: a change in any of them makes a stored-cluster test meaningless. */
export const CONNECTION_FIELDS: readonly FieldName[] = ['fe_host', 'fe_http_port', 'fe_query_port', 'username', 'password', 'enable_ssl', 'connection_timeout', 'engine', 'deployment_mode', 'node_list_source'];
