/**
 * Wires the service together and listens: config → data directory and secret key → storage
 * and migrations → admin user → registry and auth → HTTP app. The only place that calls
 * listen(); `stellar start` runs it until a signal arrives.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './api/app.js';
import { ServiceTelemetry } from './api/telemetry/service-telemetry.js';
import { RAW_TREND_COLUMNS, TIER_TREND_COLUMNS } from './api/overview/trend-series.js';
import { TargetPolicy } from './security/allowed-targets.js';
import { ensureAdminUser, INITIAL_PASSWORD_FILE } from './auth/admin-bootstrap.js';
import { AuthService } from './auth/auth-service.js';
import type { LoadedConfig } from './config/sources.js';
import { StellarError } from './errors.js';
import type { Logger } from './logger.js';
import { type RunningCollection, startCollection, startMaintenance } from './collector/collection-service.js';
import { takeShardSeat } from './collector/cluster-shards.js';
import { AlertRuleBook } from './alerts/alert-rule-book.js';
import { CustomMetricBook } from './collector/custom-metric-book.js';
import { customMetricsReloadParticipant } from './collector/custom-metrics-reload.js';
import { channelsOf } from './alerts/alert-notifier.js';
import { startAlerting } from './alerts/alerting.js';
import { loadAlertsSetup } from './alerts/alerts-file.js';
import { AlertsInForce, alertsReloadParticipant } from './alerts/alerts-reload.js';
import { type CollectionSeat, takeCollectionSeat } from './collector/collection-standby.js';
import { leaseTiming, takeLeaderSeat } from './collector/collection-lease.js';
import { type JobRunner, SYSTEM_CLOCK } from './collector/job-runner.js';
import { ClusterRegistry } from './registry/cluster-registry.js';
import { checkSecretKeyMatchesDatabase, loadSecretKey } from './security/secret-key.js';
import { migrateToLatest } from './storage/migrate.js';
import { openStorage } from './storage/open-storage.js';
import { VERSION } from './version.js';
import { ConfigReloader, type ReloadOutcome } from './config/config-reloader.js';
import { addServiceParticipants, liveLimits, liveLoginLimits, liveMetricsSettings } from './service-reload.js';

export interface ServiceOptions {
  readonly loaded: LoadedConfig;
  readonly logger: Logger;
  /** Written with the process id once the server listens, removed on close. */
  readonly pidFile?: string | undefined;
  /** Where the one-time admin password banner goes; stdout by default. */
  readonly print?: (text: string) => void;
  readonly now?: () => number;
  /** The built web console; by default dist/web of this package (also when run from src/ by tsx). */
  readonly webRoot?: string;
  /** Reads the configuration's sources again, as at start, for a reload; absent: a reload finds `loaded` again. */
  readonly reloadConfig?: () => LoadedConfig;
}

export interface RunningService {
  /** `http://127.0.0.1:8080`, with the real port when server.port is 0. */
  readonly url: string;
  /** The clusters; `stellar demo` registers its simulated clusters through it. */
  readonly registry: ClusterRegistry;
  /** Reloads the configuration (SIGHUP); `trigger` says why in the log. Throws STELLAR_ERR_CONFIG_INVALID. */
  reload(trigger: string): Promise<ReloadOutcome>;
  close(): Promise<void>;
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config, notes, file } = options.loaded;
  const { logger } = options;
  const now = options.now ?? Date.now;
  const print = options.print ?? ((text: string) => process.stdout.write(text));

  logger.info({ version: VERSION, config_file: file }, 'starting Stellar');
  for (const note of notes) logger[note.level](note.message);
  if (!config.auth.enabled) {
    logger.warn('authentication is off ([auth] enabled = false): anyone who can reach this port can read and change clusters; use this only for local experiments');
  }

  // Read before anything is opened: an error in the alerts file stops the start as a config error does.
  const alertsSetup = config.alerts.enabled ? loadAlertsSetup({ file: config.alerts.file, defaults: config.alerts.defaults, env: process.env }) : { rules: [], webhooks: [] };

  const dataDir = config.server.data_dir;
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new StellarError('STELLAR_ERR_STORAGE', `cannot create the data directory ${dataDir} (server.data_dir): ${(err as Error).message}`);
  }
  const secret = loadSecretKey({ key: config.secret.key, keyFile: inDir(dataDir, config.secret.key_file) });
  if (secret.createdFile) logger.info({ file: secret.source }, 'created a new secret key for cluster passwords; back it up with the database');
  if (secret.warning) logger.warn(secret.warning);

  const storage = openStorage({ url: config.database.url, dataDir, poolSize: config.database.pool_size });
  try {
    if (config.cluster.coordination === 'shards' && storage.clusterLeases === undefined) {
      throw new StellarError(
        'STELLAR_ERR_CONFIG',
        `cluster.coordination = "shards" needs a database the instances share: database.url is ${storage.location}; set it to a postgres:// URL, or set cluster.coordination = "leader" (accepted: leader, shards)`,
      );
    }
    const applied = await migrateToLatest(storage);
    logger.info({ database: storage.location, applied }, applied.length > 0 ? 'database migrated' : 'database schema is up to date');
    await checkSecretKeyMatchesDatabase(storage.db, secret);

    const admin = await ensureAdminUser({
      db: storage.db,
      configuredPassword: config.auth.admin_password,
      passwordFile: join(dataDir, INITIAL_PASSWORD_FILE),
      now: now(),
    });
    if (admin.created && admin.generatedPassword !== null) print(adminBanner(admin.generatedPassword, admin.passwordFile));
    else if (admin.created) logger.info('created the user "admin" with the password from auth.admin_password');

    // What the parts below read of the reloadable keys, they read through it (service-reload.ts).
    const reloader = new ConfigReloader({ config, load: options.reloadConfig ?? (() => options.loaded), logger });
    const live = () => reloader.config;
    // The leases' timing from the interval in effect: the keepers read it at every tick, so it follows a reload.
    const timing = () => leaseTiming(live().metrics.interval_secs * 1000);
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: secret.box, now });
    const targets = new TargetPolicy(config.security.allowed_targets);
    // The file's [[custom_metrics]] and the API's (the table, read once now so the first collection has them). The collector reads it as its CustomMetricSet.
    const customMetrics = new CustomMetricBook(options.loaded.customMetrics ?? [], { db: storage.db, logger, now });
    await customMetrics.refresh();
    const alerts = new AlertsInForce(new AlertRuleBook(alertsSetup.rules, { db: storage.db, logger, now }), config.alerts.alertmanager_url, alertsSetup.webhooks);
    // Collection starts once the server listens. Every instance shows the clusters' collection
    // state as the collecting one stored it (collection_state), standbys included.
    let collection: CollectionSeat | null = null;
    const telemetry = new ServiceTelemetry({
      db: storage.db,
      dialect: storage.dialect,
      schedule: () => collection?.running()?.scheduler.scheduleStates() ?? null,
      ...(config.metrics.enabled ? { maxConcurrency: () => live().metrics.max_concurrency } : {}),
    });
    const app = await buildApp({
      collectionRole: () => collection?.role() ?? { role: 'off' },
      instances: {
        coordination: config.cluster.coordination,
        instances: () => collection?.instances() ?? Promise.resolve([]),
        selfId: () => collection?.instanceId ?? null,
        get silentAfterMs() {
          return timing().leaseMs;
        },
      },
      storage,
      logger,
      authEnabled: config.auth.enabled,
      registry,
      auth: new AuthService({
        db: storage.db,
        get tokenTtlMs() {
          return live().auth.token_ttl * 1000;
        },
        now,
        logger,
        loginLimits: liveLoginLimits(live),
      }),
      metrics: liveMetricsSettings(live),
      targets,
      limits: liveLimits(live),
      now,
      // src/ and dist/ are siblings, so ../dist/web is the build from either.
      webRoot: options.webRoot ?? fileURLToPath(new URL('../dist/web', import.meta.url)),
      telemetry,
      metricsAuth: config.server.metrics_auth,
      customMetricBook: customMetrics,
      alertRules: alerts.rules,
      customMetrics,
      reloadConfig: (trigger) => reloader.reload(trigger),
    });
    await listen(app, config.server.host, config.server.port);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.server.port;
    const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
    const url = `http://${host}:${port}`;
    // The settings read at each (re)start of the collection: a reload restarts it with the new ones.
    const collectionDeps = () => ({
      storage,
      registry,
      logger,
      metrics: live().metrics,
      limits: live().limits,
      clock: { ...SYSTEM_CLOCK, now },
      targets,
      trendFields: RAW_TREND_COLUMNS,
      tierTrendColumns: TIER_TREND_COLUMNS,
      observer: telemetry,
      customMetrics,
      ...(config.alerts.enabled
        ? { attach: (runner: JobRunner) => startAlerting(runner, { storage, registry, logger, rules: alerts.rules, destinations: () => alerts.destinations, intervalMs: live().metrics.interval_secs * 1000, telemetry }) }
        : {}),
    });
    const start = (): RunningCollection => startCollection(collectionDeps());
    // `[cluster] coordination = "leader"`: a lease on a database several machines share, a file lock on an SQLite file.
    // "shards": a lease per cluster, and the collection lease for the maintenance.
    const lease = storage.collectionLease;
    const clusterLeases = storage.clusterLeases;
    collection = !config.metrics.enabled
      ? null
      : config.cluster.coordination === 'shards' && lease !== undefined && clusterLeases !== undefined
        ? takeShardSeat({ lease, clusterLeases, registry, logger, timing, start: (shard) => startCollection({ ...collectionDeps(), shard }), startMaintenance: () => startMaintenance(collectionDeps()) })
        : lease !== undefined
          ? takeLeaderSeat({ lease, logger, timing, start })
          : takeCollectionSeat({ storage, logger, start });
    if (!collection) logger.info('metric collection is off ([metrics] enabled = false)');
    addServiceParticipants(reloader, { logger, targets, collection: () => collection });
    reloader.add(customMetricsReloadParticipant(customMetrics));
    reloader.add(alertsReloadParticipant(alerts, { enabled: config.alerts.enabled, env: process.env }));
    if (config.alerts.enabled) telemetry.alertChannels(channelsOf(config.alerts.alertmanager_url, alertsSetup.webhooks));
    if (options.pidFile) writeFileSync(options.pidFile, `${process.pid}\n`);

    return {
      url,
      registry,
      reload: (trigger) => reloader.reload(trigger),
      async close() {
        await collection?.stop();
        await app.close();
        await storage.close();
        if (options.pidFile) rmSync(options.pidFile, { force: true });
        logger.info('Stellar stopped');
      },
    };
  } catch (err) {
    await storage.close();
    throw err;
  }
}

async function listen(app: FastifyInstance, host: string, port: number): Promise<void> {
  try {
    await app.listen({ host, port, listenTextResolver: (address) => `Stellar ${VERSION} is listening on ${address}` });
  } catch (err) {
    await app.close();
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'EADDRINUSE'
        ? 'the address is already in use (another Stellar running?); choose another with server.port / APP_SERVER_PORT'
        : (err as Error).message;
    throw new StellarError('STELLAR_ERR_LISTEN', `cannot listen on ${host}:${port}: ${reason}`);
  }
}

function inDir(dir: string, path: string): string {
  return isAbsolute(path) ? path : join(dir, path);
}

function adminBanner(password: string, file: string): string {
  const rule = '-'.repeat(72);
  return [
    rule,
    'Stellar created the user "admin" with this generated password:',
    '',
    `    ${password}`,
    '',
    `It is also in ${file} (readable only by its owner) and is not shown again.`,
    'Log in with it, then change it: PUT /api/auth/password.',
    rule,
    '',
  ].join('\n');
}
