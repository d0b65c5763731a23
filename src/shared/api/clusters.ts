/**
 * Clusters in the API: the body of POST /api/clusters (every field with its limits, default and
 * wording), the body of PUT (the same fields, all optional), and a cluster as answered. The
 * console's cluster form validates with these same schemas.
 */
import { z } from 'zod';
import { DEPLOYMENT_MODES, ENGINES, NODE_LIST_SOURCES } from '../cluster-kinds.js';
import { OPTIONAL_SOURCES, sortedSources } from '../optional-sources.js';
import { isoTime } from './common.js';
import { boolean, expecting, isHost, objectError, oneOf, text, wholeNumber } from './fields.js';

const tag = text(64).refine((value) => !value.includes(','), 'must not contain commas');

/**
 * Every settable field, without defaults (the update body is these, all optional). Unknown
 * fields are refused by the bodies, so a typo such as `fe_port` is a 400 naming it.
 */
export const CLUSTER_FIELDS = {
  name: text(100),
  description: z.string(expecting('a string')).trim().max(1000, 'must be at most 1000 characters'),
  fe_host: text(255).refine(isHost, 'must be a host name or IP address, without scheme, port or path (e.g. fe1.example.com or 10.0.0.5)'),
  fe_http_port: wholeNumber(1, 65535),
  fe_query_port: wholeNumber(1, 65535),
  username: text(128),
  password: z.string(expecting('a string')).max(1024, 'must be at most 1024 characters'),
  enable_ssl: boolean(),
  connection_timeout: wholeNumber(1, 300),
  collect_interval: wholeNumber(1, 86_400).nullable(),
  tags: z
    .array(tag, expecting('an array of strings'))
    .max(32, 'must have at most 32 tags')
    .transform((tags) => [...new Set(tags)]),
  deployment_mode: oneOf(DEPLOYMENT_MODES),
  engine: oneOf(ENGINES),
  node_list_source: oneOf(NODE_LIST_SOURCES),
  /** The cluster's own optional sources (`[]`: none), or null to follow `[metrics] sources`. */
  sources: z
    .array(oneOf(OPTIONAL_SOURCES), expecting(`null or an array of ${OPTIONAL_SOURCES.join(', ')}`))
    .nullable()
    .transform((sources) => (sources === null ? null : sortedSources(sources))),
};

/** What POST /api/clusters fills in for a field left out. */
export const CLUSTER_DEFAULTS = {
  description: '',
  fe_http_port: 8030,
  fe_query_port: 9030,
  password: '',
  enable_ssl: false,
  connection_timeout: 10,
  collect_interval: null,
  tags: [],
  deployment_mode: 'shared_nothing',
  engine: 'starrocks',
  node_list_source: 'http',
  sources: null,
} as const satisfies Partial<{ [K in keyof typeof CLUSTER_FIELDS]: z.input<(typeof CLUSTER_FIELDS)[K]> }>;

const d = CLUSTER_DEFAULTS;
const f = CLUSTER_FIELDS;

export const ClusterCreateBody = z.strictObject(
  {
    name: f.name,
    fe_host: f.fe_host,
    username: f.username,
    description: f.description.default(d.description),
    fe_http_port: f.fe_http_port.default(d.fe_http_port),
    fe_query_port: f.fe_query_port.default(d.fe_query_port),
    password: f.password.default(d.password),
    enable_ssl: f.enable_ssl.default(d.enable_ssl),
    connection_timeout: f.connection_timeout.default(d.connection_timeout),
    collect_interval: f.collect_interval.default(d.collect_interval),
    tags: f.tags.default(() => [...d.tags]),
    deployment_mode: f.deployment_mode.default(d.deployment_mode),
    engine: f.engine.default(d.engine),
    node_list_source: f.node_list_source.default(d.node_list_source),
    sources: f.sources.default(d.sources),
  },
  objectError,
);

/**
 * `keep_password: true` keeps a stored password while the host or a port changes; without it
 * (or a new `password`) such a change is refused, so the password never follows a cluster to
 * an address nobody vouched for. Only an administrator may send it.
 */
export const ClusterUpdateBody = z.strictObject({ ...CLUSTER_FIELDS, keep_password: boolean() }, objectError).partial();

/** A cluster to register (and to test before registering), as the server reads it. */
export type ClusterCreate = z.output<typeof ClusterCreateBody>;
export type ClusterUpdate = z.output<typeof ClusterUpdateBody>;

export const CollectionStateResponse = z
  .object({
    status: z.enum(['pending', 'ok', 'partial', 'failed']).meta({ description: '`pending` until the first collection; then the status of the last one' }),
    consecutive_failures: z.number(),
    last_attempt_at: isoTime().nullable(),
    last_success_at: isoTime().nullable().meta({ description: 'When the last collection that was not `failed` (ok or partial) started; null if none has' }),
    last_duration_ms: z.number().nullable().meta({ description: 'How long the last collection took, ms, its write included; null before the first' }),
    last_error: z
      .string()
      .nullable()
      .meta({ description: 'Why the last collection was not ok: its first failed source and reason, and how many more failed (never what the cluster answered); null after an ok one' }),
    next_attempt_at: isoTime(),
    running: z.boolean(),
    lag_ms: z.number().meta({
      description: 'How far behind its slot the collection is, ms: while a due collection waits for a free slot, how long it has waited; otherwise how late the last one started. 0 when on time',
    }),
    late: z.boolean().meta({ description: 'Whether `lag_ms` is more than a quarter of the cluster’s interval: the collector is falling behind (the same rule as its “falling behind” warning)' }),
  })
  .meta({
    id: 'CollectionState',
    description:
      'Where the cluster’s collection stands, as the collecting Stellar stored it (at most about a second behind it; every instance on the database shows the same); ' +
      'null until a collecting Stellar has scheduled the cluster',
  });

export const ClusterResponse = z
  .object({
    id: z.number(),
    name: z.string(),
    description: z.string(),
    fe_host: z.string(),
    fe_http_port: z.number(),
    fe_query_port: z.number(),
    username: z.string(),
    password_set: z.boolean().meta({ description: 'Whether a password is stored; the password itself is never sent' }),
    enable_ssl: z.boolean(),
    connection_timeout: z.number().meta({ description: 'Seconds' }),
    collect_interval: z.number().nullable().meta({ description: 'Seconds between collections of this cluster; null: the global interval' }),
    tags: z.array(z.string()),
    deployment_mode: z.enum(DEPLOYMENT_MODES),
    engine: z.enum(ENGINES),
    node_list_source: z.enum(NODE_LIST_SOURCES),
    sources: z
      .array(z.enum(OPTIONAL_SOURCES))
      .nullable()
      .meta({ description: 'The optional sources this cluster’s collections ask (`[]`: none); null: it follows `[metrics] sources`' }),
    effective_sources: z
      .array(z.enum(OPTIONAL_SOURCES))
      .meta({ description: 'The optional sources its collections ask now: `sources`, or `[metrics] sources` in effect when that is null' }),
    collection: CollectionStateResponse.nullable(),
    created_at: isoTime(),
    updated_at: isoTime(),
  })
  .meta({ id: 'Cluster' });

export const ClusterListResponse = z.array(ClusterResponse);

export const SourcesResponse = z
  .object({
    available: z.array(z.enum(OPTIONAL_SOURCES)).meta({ description: 'Every optional source, in the order they are listed' }),
    global: z.array(z.enum(OPTIONAL_SOURCES)).meta({ description: '`[metrics] sources` in effect (shorthands applied): what a cluster with `sources: null` asks' }),
  })
  .meta({ id: 'Sources' });

export type CollectionStateJson = z.output<typeof CollectionStateResponse>;
export type ClusterJson = z.output<typeof ClusterResponse>;
export type SourcesJson = z.output<typeof SourcesResponse>;
