/**
 * The configuration schema: every section and key Stellar reads, with its default, its
 * comment in conf/config.toml and the forms it accepts. Adding a key here is all it takes to
 * make it readable from the file, from `APP_<SECTION>_<KEY>` and from `--<section>-<key>`.
 * A key marked `reloadable` is applied by a reload (SIGHUP, POST /api/admin/reload) without a
 * restart; a reload lists every other changed key as needing one (config-reload.ts).
 */
import { checkTimeZone } from '../shared/day.js';
import { BYTE_UNITS, DAY_UNITS, SECOND_UNITS } from '../shared/duration.js';
import { OPTIONAL_SOURCE_INFO, OPTIONAL_SOURCES, type OptionalSource } from '../shared/optional-sources.js';
import { ALLOWED_TARGET_FORMS, allowedTargetsProblem } from './target-entries.js';
import { amountKey, booleanKey, enumKey, integerKey, setKey, stringKey, stringListKey, type KeySpec } from './keys.js';
import { checkListenHost, decodeSecretKey, parseDatabaseUrl } from './value-formats.js';

/** Sources the collector may skip, to spare a cluster (src/shared/optional-sources.ts; the FE load each costs is in docs/configuration.md). */
export { OPTIONAL_SOURCES, type OptionalSource };

const SOURCES_DOC =
  'Optional sources, on top of the node lists and the configured FE\'s /metrics that are always read: ' +
  OPTIONAL_SOURCES.map((s) => `${s} (${OPTIONAL_SOURCE_INFO[s].reads}: ${OPTIONAL_SOURCE_INFO[s].cost})`).join(', ') +
  '. Costs are per interval. A cluster with a sources list of its own (API and console) follows that list instead.';

const SECONDS_FORMS =
  '30, "30", "30s", "5m", "1h", "1d" (units s, sec, secs, second, seconds, m, min, mins, minute, minutes, h, hr, hour, hours, d, day, days)';

export const CONFIG_SCHEMA = {
  server: {
    host: stringKey({
      default: '127.0.0.1',
      doc: 'Address the HTTP server listens on. Use 0.0.0.0 (or ::) to accept connections from other machines.',
      accepted: 'a host name or IP address, e.g. 127.0.0.1, 0.0.0.0, ::',
      check: checkListenHost,
    }),
    port: integerKey({
      default: 8080,
      min: 0,
      max: 65535,
      doc: 'TCP port of the HTTP server (API and web console). 0 picks a free port.',
    }),
    data_dir: stringKey({
      default: 'data',
      doc: 'Directory for the SQLite database, the secret key file and the initial admin password. Relative to the working directory.',
      accepted: 'a directory path',
    }),
    metrics_auth: enumKey({
      default: 'token',
      values: ['token', 'none'],
      doc: 'Who may read GET /metrics and GET /federate (Stellar\'s own metrics and every cluster\'s latest snapshot for Prometheus): "token" asks for credentials as the API does (a bearer API token, or Basic); "none" leaves them open, for a scraper on a private network (docs/prometheus.md).',
    }),
  },
  database: {
    url: stringKey({
      default: 'stellar.db',
      doc: 'Where snapshots and clusters are stored: an SQLite file path (relative paths are inside server.data_dir), "sqlite:<path>", ":memory:", or a PostgreSQL URL "postgres://user:pass@host:5432/db?sslmode=require" (docs/deployment.md).',
      accepted: 'an SQLite file path such as "stellar.db" or "/var/lib/stellar/stellar.db", "sqlite:<path>", ":memory:", or "postgres://user:pass@host:5432/database" (postgresql:// too; query parameters such as sslmode go to the pg driver)',
      check: (url) => {
        const location = parseDatabaseUrl(url);
        return 'problem' in location ? location.problem : undefined;
      },
    }),
    pool_size: integerKey({
      default: 10,
      min: 1,
      max: 1000,
      doc: 'PostgreSQL only: connections this process keeps open to the database (the collector\'s writes and the API\'s reads share them). Each connection is a server process: keep instances × pool_size under the server\'s max_connections.',
    }),
  },
  cluster: {
    coordination: enumKey({
      default: 'leader',
      values: ['leader', 'shards'],
      doc: 'How several Stellar instances on one database share collection. leader: exactly one collects (on PostgreSQL through a lease in the database with a fencing token, on an SQLite file through a file lock); the others serve the API and console and take over within two intervals if it dies. shards (PostgreSQL only): every instance collects about 1/N of the clusters through a lease per cluster, rebalanced as instances join and leave; one of them also runs the roll-ups and retention (docs/deployment.md).',
    }),
  },
  metrics: {
    interval_secs: amountKey({
      reloadable: true,
      default: 30,
      units: SECOND_UNITS,
      min: 1,
      max: 86_400,
      doc: 'How often every cluster is collected. A bare number is seconds; "30s", "5m", "1h", "1d" also work.',
      accepted: `${SECONDS_FORMS}, from 1s to 1d`,
    }),
    retention_days: amountKey({
      reloadable: true,
      default: 7,
      units: DAY_UNITS,
      showUnits: { d: 1 },
      min: 1,
      max: 3650,
      doc: 'How long raw snapshots are kept. A bare number is days; "7d" and "2w" also work.',
      accepted: '7, "7", "7d", "2w" (units d, day, days, w, week, weeks), from 1d to 3650d',
    }),
    enabled: booleanKey({
      default: true,
      doc: 'Collect metrics from the registered clusters. Several instances on one database need not turn it off: cluster.coordination lets only one of them collect.',
    }),
    max_concurrency: integerKey({
      reloadable: true,
      default: 16,
      min: 1,
      max: 1000,
      doc: 'Clusters collected at the same time. Each collection is a handful of concurrent requests to one cluster.',
    }),
    sources: setKey({
      reloadable: true,
      default: ['follower_metrics'],
      values: OPTIONAL_SOURCES,
      doc: SOURCES_DOC,
    }),
    scrape_followers: booleanKey({
      reloadable: true,
      default: true,
      doc: 'Shorthand: false takes follower_metrics out of metrics.sources. Off: one request less per follower, but qps, rps and connections then count only the configured FE.',
    }),
    scrape_backends: booleanKey({
      reloadable: true,
      default: false,
      doc: 'Shorthand: true adds be_metrics to metrics.sources, reading each alive BE/CN /metrics (port 8040) for network, disk IO and CPU figures: one more request per node per interval.',
    }),
    retention_5m_days: amountKey({
      reloadable: true,
      default: 35,
      units: DAY_UNITS,
      showUnits: { d: 1 },
      min: 1,
      max: 3650,
      doc: 'How long the 5-minute tier is kept (each cluster\'s figures per 5 minutes: overviews of a few days to a month, and the daily roll-up read it). A bare number is days.',
      accepted: '35, "35d", "5w" (units d, day, days, w, week, weeks), from 1d to 3650d',
    }),
    retention_1h_days: amountKey({
      reloadable: true,
      default: 400,
      units: DAY_UNITS,
      showUnits: { d: 1 },
      min: 1,
      max: 36500,
      doc: 'How long the hourly tier is kept (overviews of a month and more). A bare number is days.',
      accepted: '400, "400d", "52w" (units d, day, days, w, week, weeks), from 1d to 36500d',
    }),
    daily_retention_days: amountKey({
      reloadable: true,
      default: 400,
      units: DAY_UNITS,
      showUnits: { d: 1 },
      min: 1,
      max: 36500,
      doc: 'How long daily roll-ups are kept. A bare number is days; "400d" and "52w" also work.',
      accepted: '400, "400d", "52w" (units d, day, days, w, week, weeks), from 1d to 36500d',
    }),
    rollup_time_zone: stringKey({
      default: 'UTC',
      doc: 'Time zone (IANA name, e.g. "Asia/Shanghai") whose calendar days the daily roll-ups follow.',
      accepted: 'an IANA time zone name such as "UTC", "Europe/Berlin" or "Asia/Shanghai"',
      check: (value) => {
        try {
          checkTimeZone(value);
          return undefined;
        } catch {
          return 'is not a time zone name this system knows';
        }
      },
    }),
    backoff_max_intervals: integerKey({
      reloadable: true,
      default: 10,
      min: 1,
      max: 1000,
      doc: 'After consecutive failed collections a cluster is tried after 1, 2, 4, 8… intervals, never more than this many.',
    }),
  },
  limits: {
    max_response_bytes: amountKey({
      reloadable: true,
      default: 16 * 1024 ** 2,
      units: BYTE_UNITS,
      min: 1024,
      max: 1024 ** 3,
      doc: 'Largest answer read from a cluster (any FE or BE request), counted as it crosses the network (compressed when gzipped): the request is cut as soon as it passes.',
      accepted: '16777216, "16MiB", "512KiB" (units B, KiB, MiB, GiB), from 1KiB to 1GiB',
    }),
    max_decompressed_bytes: amountKey({
      reloadable: true,
      default: 64 * 1024 ** 2,
      units: BYTE_UNITS,
      min: 1024,
      max: 1024 ** 3,
      doc: 'Largest answer after gunzip: decompression stops as soon as it passes, so a small gzip body cannot unpack into gigabytes.',
      accepted: '67108864, "64MiB", "512KiB" (units B, KiB, MiB, GiB), from 1KiB to 1GiB',
    }),
    max_series: integerKey({
      reloadable: true,
      default: 100_000,
      min: 1,
      max: 10_000_000,
      doc: 'Most series (sample lines) read from one /metrics answer; a body with more is refused as a whole, as Prometheus\' sample_limit does.',
    }),
    max_line_length: integerKey({
      reloadable: true,
      default: 65_536,
      min: 256,
      max: 16 * 1024 ** 2,
      doc: 'Longest line of a /metrics answer, in characters; a body with a longer line is refused.',
    }),
    max_frontends: integerKey({
      reloadable: true,
      default: 64,
      min: 1,
      max: 10_000,
      doc: 'Most FEs of a cluster whose /metrics (and runtime info) one collection asks for: the configured FE, then the others in list order. A longer frontends list is cut and the row says so.',
    }),
    max_backends: integerKey({
      reloadable: true,
      default: 5000,
      min: 1,
      max: 1_000_000,
      doc: 'Most rows of a node list read from a cluster: backends, compute nodes, and the frontends list (of which max_frontends are scraped). A longer list is refused while it streams (over HTTP or MySQL) and the row says so.',
    }),
  },
  log: {
    level: enumKey({
      reloadable: true,
      default: 'info',
      values: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
      doc: 'Lowest level written to the log.',
    }),
    format: enumKey({
      default: 'auto',
      values: ['auto', 'json', 'pretty'],
      doc: 'Log format: JSON lines, human-readable text, or auto (text in a terminal, JSON otherwise).',
    }),
  },
  auth: {
    enabled: booleanKey({
      default: true,
      doc: 'Require credentials on /api/*. Turning this off is for local experiments only and is warned about at every start.',
    }),
    admin_password: stringKey({
      default: '',
      doc: 'Password of the "admin" user created on first start. Empty: a random one is generated, printed once and written to <data_dir>/initial-admin-password. Ignored once the admin exists.',
      accepted: 'empty, or 8 to 1024 characters',
      secret: true,
      allowEmpty: true,
      keepSpaces: true,
      check: (value) => (value.length < 8 ? 'is shorter than 8 characters' : value.length > 1024 ? 'is longer than 1024 characters' : undefined),
    }),
    token_ttl: amountKey({
      reloadable: true,
      default: 7 * 86_400,
      units: SECOND_UNITS,
      min: 60,
      max: 365 * 86_400,
      doc: 'How long a token from POST /api/auth/login stays valid.',
      accepted: `${SECONDS_FORMS}, from 1m to 365d`,
    }),
    login_failures_per_account: integerKey({
      reloadable: true,
      default: 5,
      min: 1,
      max: 1000,
      doc: 'Failed logins (or HTTP Basic checks) of one account within auth.lockout after which the account is locked for auth.lockout (429 with Retry-After).',
    }),
    login_failures_per_address: integerKey({
      reloadable: true,
      default: 20,
      min: 1,
      max: 100_000,
      doc: 'Failed logins from one client address within auth.lockout after which the address is locked for auth.lockout (429 with Retry-After).',
    }),
    lockout: amountKey({
      reloadable: true,
      default: 15 * 60,
      units: SECOND_UNITS,
      min: 1,
      max: 86_400,
      doc: 'How long failed logins count, and how long a locked account or address stays locked.',
      accepted: `${SECONDS_FORMS}, from 1s to 1d`,
    }),
  },
  security: {
    allowed_targets: stringListKey({
      reloadable: true,
      default: [],
      doc: 'Networks and host names Stellar may connect to when it collects a cluster or tests a connection (the configured FE and every FE, BE and CN its lists name). Empty: any.',
      accepted: ALLOWED_TARGET_FORMS,
      check: allowedTargetsProblem,
    }),
  },
  alerts: {
    enabled: booleanKey({
      default: true,
      doc: 'Evaluate alert rules after each collection and send what fires and resolves to alerts.alertmanager_url and the webhooks of alerts.file (docs/alerts.md). Only the collecting instance evaluates and sends.',
    }),
    file: stringKey({
      reloadable: true,
      default: '',
      doc: 'An alerts TOML file of [[rules]] and [[webhooks]] (docs/alerts.md), read at start and at each reload; an error in it stops the start (or refuses the reload). Relative to the working directory. Empty: none.',
      accepted: 'empty, or a file path',
      allowEmpty: true,
    }),
    alertmanager_url: stringKey({
      reloadable: true,
      default: '',
      doc: 'Base URL of a Prometheus Alertmanager, e.g. "http://alertmanager:9093": alerts go to its v2 API. Empty: none.',
      accepted: 'empty, or an http:// or https:// URL',
      allowEmpty: true,
      check: (value) => (/^https?:\/\/[^/\s]+/.test(value) ? undefined : 'is not an http:// or https:// URL'),
    }),
    defaults: booleanKey({
      reloadable: true,
      default: true,
      doc: 'Run the rules Stellar ships (the health score\'s reasons as alerts, docs/alerts.md); a rule of alerts.file with the same name replaces one.',
    }),
  },
  secret: {
    key: stringKey({
      default: '',
      doc: 'Key that encrypts cluster passwords at rest (32 bytes as 64 hex digits or base64, e.g. from `openssl rand -hex 32`). Empty: the key in secret.key_file is used, created on first start.',
      accepted: 'empty, or 32 bytes written as 64 hex digits or as base64',
      secret: true,
      allowEmpty: true,
      check: (value) => (decodeSecretKey(value) ? undefined : 'is not 32 bytes in hex or base64'),
    }),
    key_file: stringKey({
      default: 'secret.key',
      doc: 'File holding the secret key when secret.key is empty; relative paths are inside server.data_dir. Created with mode 0600.',
      accepted: 'a file path',
    }),
  },
} as const satisfies Record<string, Record<string, KeySpec<unknown>>>;

export type ConfigSchema = typeof CONFIG_SCHEMA;
export type SectionName = keyof ConfigSchema;

type ValueOf<S> = S extends KeySpec<infer T> ? T : never;

/** The effective configuration, fully typed: `config.metrics.interval_secs` is a number of seconds. */
export type Config = {
  readonly [S in SectionName]: { readonly [K in keyof ConfigSchema[S]]: ValueOf<ConfigSchema[S][K]> };
};

/** One key of the schema with its names in every source. */
export interface KeyEntry {
  readonly section: string;
  readonly key: string;
  /** `metrics.interval_secs` */
  readonly path: string;
  /** `APP_METRICS_INTERVAL_SECS` */
  readonly env: string;
  /** `--metrics-interval-secs` (without the dashes: `metrics-interval-secs`) */
  readonly flag: string;
  readonly spec: KeySpec<unknown>;
}

/** Every key in schema order. */
export const CONFIG_KEYS: readonly KeyEntry[] = Object.entries(CONFIG_SCHEMA).flatMap(([section, keys]) =>
  Object.entries<KeySpec<unknown>>(keys).map(([key, spec]) => ({
    section,
    key,
    path: `${section}.${key}`,
    env: `APP_${section}_${key}`.toUpperCase(),
    flag: `${section}-${key}`.replace(/_/g, '-'),
    spec,
  })),
);

export const SECTION_NAMES: readonly string[] = Object.keys(CONFIG_SCHEMA);

/** What Stellar accepts from a cluster (`[limits]`); the defaults when a caller has no configuration of its own. */
export type ScrapeLimits = Config['limits'];

export const DEFAULT_LIMITS: ScrapeLimits = {
  max_response_bytes: CONFIG_SCHEMA.limits.max_response_bytes.default,
  max_decompressed_bytes: CONFIG_SCHEMA.limits.max_decompressed_bytes.default,
  max_series: CONFIG_SCHEMA.limits.max_series.default,
  max_line_length: CONFIG_SCHEMA.limits.max_line_length.default,
  max_frontends: CONFIG_SCHEMA.limits.max_frontends.default,
  max_backends: CONFIG_SCHEMA.limits.max_backends.default,
};

/** The optional sources in effect: `metrics.sources` with the two shorthands applied. */
export function effectiveSources(metrics: Config['metrics']): ReadonlySet<OptionalSource> {
  const sources = new Set(metrics.sources);
  if (!metrics.scrape_followers) sources.delete('follower_metrics');
  if (metrics.scrape_backends) sources.add('be_metrics');
  return sources;
}
