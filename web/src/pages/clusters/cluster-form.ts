/**
 * The cluster form: its values (text, as inputs hold them), the schema that reads them into the
 * body of POST /api/clusters with the API's own field schemas (@shared/api/clusters.ts: the
 * same limits, host check and words as the server), and the server's 400 `details` mapped back
 * onto fields. A check the server makes that the form cannot (a name already taken) still lands
 * next to its field.
 */
import { z } from 'zod';
import { CLUSTER_DEFAULTS, CLUSTER_FIELDS, type ClusterCreate, type ClusterJson, type ClusterUpdate } from '@shared/api/clusters.js';
import { fieldName, splitList } from '@shared/api/fields.js';
import type { OptionalSource } from '@shared/optional-sources.js';

/** What a message about a part of a field says: `tags[2]` → "tag 3: …". */
function inside(subPath: string, message: string): string {
  return `${subPath}: ${message}`.replace(/^\[(\d+)\]/, (_, i: string) => `tag ${Number(i) + 1}`);
}

/**
 * A text input read by `read`, then checked by the API's schema of the field. Issues keep the
 * field's own path (a bad third tag is an error of the tags input, "tag 3: …").
 */
function fromText<S extends z.ZodType>(field: S, read: (text: string) => unknown) {
  return z.string().transform((text, context): z.output<S> => {
    const parsed = field.safeParse(read(text));
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      context.addIssue({ code: 'custom', message: issue.path.length === 0 ? issue.message : inside(fieldName(issue.path), issue.message) });
    }
    return z.NEVER;
  });
}

/** A blank input is a field left out: "is required", as the API says of a missing field. */
const blankIsAbsent = (text: string): string | undefined => (text.trim() === '' ? undefined : text);

/** Digits are a number; anything else is not one (NaN, "must be a whole number from …"); blank is absent. */
function number(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

const f = CLUSTER_FIELDS;

/**
 * The sources control: follow `[metrics] sources` (the body's null), or the checked sources
 * of this cluster's own list (an empty list is none). The checkboxes' values are source names.
 */
export interface SourcesChoice {
  follow: boolean;
  own: string[];
}

/** The control as the API's field reads it: null, or the list checked. */
const sourcesOf = (choice: SourcesChoice): unknown => (choice.follow ? null : choice.own);

/** The form's inputs → the body of POST /api/clusters (react-hook-form checks with it through its zod resolver). */
export const CLUSTER_FORM = z.object({
  name: fromText(f.name, blankIsAbsent),
  description: fromText(f.description, (text) => text),
  fe_host: fromText(f.fe_host, blankIsAbsent),
  fe_http_port: fromText(f.fe_http_port, number),
  fe_query_port: fromText(f.fe_query_port, number),
  username: fromText(f.username, blankIsAbsent),
  password: fromText(f.password, (text) => text),
  enable_ssl: f.enable_ssl,
  connection_timeout: fromText(f.connection_timeout, number),
  /** Blank: the global interval. */
  collect_interval: fromText(f.collect_interval, (text) => (text.trim() === '' ? null : number(text))),
  /** Comma-separated. */
  tags: fromText(f.tags, splitList),
  deployment_mode: f.deployment_mode,
  engine: f.engine,
  node_list_source: f.node_list_source,
  sources: z.object({ follow: z.boolean(), own: z.array(z.string()) }).transform((choice, context): z.output<typeof f.sources> => {
    const parsed = f.sources.safeParse(sourcesOf(choice));
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) context.addIssue({ code: 'custom', message: issue.message });
    return z.NEVER;
  }),
});

export type ClusterFormValues = z.input<typeof CLUSTER_FORM>;
export type FieldName = keyof ClusterFormValues;
export type FieldErrors = Partial<Record<FieldName, string>>;

const text = (value: number | null): string => (value === null ? '' : String(value));

/** The control for a cluster's `sources`: following the global set when null. */
function choiceOf(sources: readonly OptionalSource[] | null): SourcesChoice {
  return { follow: sources === null, own: sources === null ? [] : [...sources] };
}

/** A new cluster's form: the API's defaults (and `root`, the usual user), so a form starts where the server would. */
export const NEW_CLUSTER: ClusterFormValues = {
  name: '',
  description: CLUSTER_DEFAULTS.description,
  fe_host: '',
  fe_http_port: text(CLUSTER_DEFAULTS.fe_http_port),
  fe_query_port: text(CLUSTER_DEFAULTS.fe_query_port),
  username: 'root',
  password: CLUSTER_DEFAULTS.password,
  enable_ssl: CLUSTER_DEFAULTS.enable_ssl,
  connection_timeout: text(CLUSTER_DEFAULTS.connection_timeout),
  collect_interval: text(CLUSTER_DEFAULTS.collect_interval),
  tags: CLUSTER_DEFAULTS.tags.join(', '),
  deployment_mode: CLUSTER_DEFAULTS.deployment_mode,
  engine: CLUSTER_DEFAULTS.engine,
  node_list_source: CLUSTER_DEFAULTS.node_list_source,
  sources: choiceOf(CLUSTER_DEFAULTS.sources),
};

/** The form of a stored cluster. The password is never sent back: blank keeps the stored one. */
export function formOf(cluster: ClusterJson): ClusterFormValues {
  return {
    name: cluster.name,
    description: cluster.description,
    fe_host: cluster.fe_host,
    fe_http_port: text(cluster.fe_http_port),
    fe_query_port: text(cluster.fe_query_port),
    username: cluster.username,
    password: '',
    enable_ssl: cluster.enable_ssl,
    connection_timeout: text(cluster.connection_timeout),
    collect_interval: text(cluster.collect_interval),
    tags: cluster.tags.join(', '),
    deployment_mode: cluster.deployment_mode,
    engine: cluster.engine,
    node_list_source: cluster.node_list_source,
    sources: choiceOf(cluster.sources),
  };
}

/**
 * The body of PUT /api/clusters/:id: the API changes only the fields sent, so a blank password
 * is left out and the stored one stays; `keepPassword` says so explicitly, which the API needs
 * when the host or a port changes (only an administrator may).
 */
export function updateBody(body: ClusterCreate, keepPassword = false): ClusterUpdate {
  const { password, ...rest } = body;
  if (password !== '') return body;
  return keepPassword ? { ...rest, keep_password: true } : rest;
}

/** Where a stored password is sent: the API refuses to change one of these without the password again. */
export const ADDRESS_FIELDS = ['fe_host', 'fe_http_port', 'fe_query_port'] as const satisfies readonly FieldName[];

/** Whether the form moves a cluster with a stored password to another host or port. */
export function movesStoredPassword(cluster: ClusterJson, values: ClusterFormValues): boolean {
  const stored = formOf(cluster);
  return cluster.password_set && ADDRESS_FIELDS.some((field) => values[field].trim().toLowerCase() !== stored[field].toLowerCase());
}

/** The fields that decide where and how Stellar connects: a change in any of them makes a stored-cluster test meaningless. */
export const CONNECTION_FIELDS = ['fe_host', 'fe_http_port', 'fe_query_port', 'username', 'password', 'enable_ssl', 'connection_timeout', 'engine', 'deployment_mode', 'node_list_source'] as const satisfies readonly FieldName[];

/** Whether two sources controls ask the same (a test of the stored cluster asks its stored sources). */
export function sameSources(a: SourcesChoice, b: SourcesChoice): boolean {
  return a.follow === b.follow && (a.follow || [...a.own].sort().join() === [...b.own].sort().join());
}

/**
 * The body of test-connection: that of POST /api/clusters, with where and how to connect and
 * the sources to ask from the form and the API's defaults for the rest, so a half-filled form
 * (no name yet, a bad tag) can still be tested. Null when the connection fields themselves are not valid.
 */
export function connectionBody(values: ClusterFormValues): ClusterCreate | null {
  const connection = Object.fromEntries(CONNECTION_FIELDS.map((field) => [field, values[field]]));
  const name = f.name.safeParse(values.name).success ? values.name : 'connection test';
  const parsed = CLUSTER_FORM.safeParse({ ...NEW_CLUSTER, ...connection, sources: values.sources, name });
  return parsed.success ? parsed.data : null;
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
      const message = base === detail.field ? detail.message : inside(detail.field.slice(base.length), detail.message);
      fields[name] = fields[name] === undefined ? message : `${fields[name]}; ${message}`;
    } else other.push(`${detail.field} ${detail.message}`);
  }
  return { fields, other };
}
