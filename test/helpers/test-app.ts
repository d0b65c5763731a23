/**
 * A real API on a real SQLite database in a temporary file, driven with `app.inject()`:
 * migrated, with an admin user, a manual clock and every log line kept for inspection. A file,
 * not `:memory:`, so the API reads through the read threads as the service does. With
 * STELLAR_TEST_DATABASE=postgres the database is PostgreSQL instead (a schema of this file's test
 * database, test/helpers/dialects.ts), so the same API tests run on it:
 *
 *   STELLAR_TEST_DATABASE=postgres npx vitest run test/api
 */
import type { CustomMetricSet } from '../../src/collector/custom-metric-set.js';
import { AlertRuleBook } from '../../src/alerts/alert-rule-book.js';
import type { LoadedRule } from '../../src/alerts/alerts-file.js';
import { CustomMetricBook } from '../../src/collector/custom-metric-book.js';
import type { CustomMetric } from '../../src/shared/custom-metrics.js';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import type { MetricsSettings } from '../../src/api/stored-data-deps.js';
import type { MetricsAuth } from '../../src/api/routes/prometheus.js';
import type { ServiceTelemetry } from '../../src/api/telemetry/service-telemetry.js';
import { AuthService } from '../../src/auth/auth-service.js';
import type { LoginLimits } from '../../src/auth/login-limiter.js';
import { ConfigReloader } from '../../src/config/config-reloader.js';
import { resolveConfig } from '../../src/config/resolve.js';
import type { ScrapeLimits } from '../../src/config/schema.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import type { TargetPolicy } from '../../src/security/allowed-targets.js';
import type { SecretBox } from '../../src/security/secret-box.js';
import type { FieldCatalogue } from '../../src/shared/snapshot-fields.js';
import { hashPassword } from '../../src/security/password-hash.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { insertUserIfAbsent } from '../../src/storage/repos/users.repo.js';
import { openPostgresTest, openSqliteFile, postgresSkipReason } from './dialects.js';
import { manualClock, randomSecretBox } from './factories.js';

export const ADMIN_PASSWORD = 'admin-password-for-tests';

/** Hashed once per test file: scrypt is slow on purpose, and the hash is the same every time. */
let adminHash: Promise<string> | undefined;

/** A JSON logger at `level` whose every line, raw JSON text, is pushed onto `lines`. */
export function loggerInto(lines: string[], level: string): Logger {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return createLogger({ level, format: 'json', destination });
}

export interface TestApp {
  readonly app: FastifyInstance;
  readonly storage: Storage;
  readonly secrets: SecretBox;
  readonly clock: ReturnType<typeof manualClock>;
  /** Every log line written so far, raw JSON text. */
  readonly logs: string[];
  /** `Authorization` header value with a bearer token of the admin. */
  readonly auth: string;
  /** `Authorization` header value with HTTP Basic admin credentials. */
  readonly basicAuth: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  readonly authEnabled?: boolean;
  readonly tokenTtlMs?: number;
  /** An already open storage; a fresh database (openTestDatabase), removed on close, when absent. */
  readonly storage?: Storage;
  /** Skip migrations, to see how the app behaves on an unmigrated database. */
  readonly migrate?: boolean;
  /** AuthService's Basic credential cache lifetime; 0 turns it off. */
  readonly basicCacheMs?: number;
  /** [metrics] interval, retention and roll-up zone; the shipped defaults when absent. */
  readonly metrics?: MetricsSettings;
  /** Routes a test adds to the app as built, before it is ready. */
  readonly moreRoutes?: (app: FastifyInstance) => void;
  /** The snapshot fields the database and the app are built for; the built-in catalogue when absent. */
  readonly fields?: FieldCatalogue;
  /** `[auth]` login limits; the shipped defaults when absent. */
  readonly loginLimits?: LoginLimits;
  /** `[security] allowed_targets` of connection tests; any host when absent. */
  readonly targets?: TargetPolicy;
  /** `[limits]` for connection tests; the defaults when absent. */
  readonly limits?: ScrapeLimits;
  /** A built web console to serve at `/`; none when absent. */
  readonly webRoot?: string;
  /** Stellar's own metrics for /metrics, made on the test's storage (a test's collector tells it of collections); one that knows no collector when absent. */
  readonly telemetry?: (storage: Storage) => ServiceTelemetry;
  /** `[server] metrics_auth`; "token" when absent. */
  readonly metricsAuth?: MetricsAuth;
  /** The config file's `[[custom_metrics]]`, which /api/custom-metrics lists beside the API's; none when absent. */
  readonly fileCustomMetrics?: readonly CustomMetric[];
  /** Default and alerts-file rules the API lists beside its own; none when absent. */
  readonly alertRules?: readonly LoadedRule[];
  /** The custom metrics the API serves; none when absent. */
  readonly customMetrics?: CustomMetricSet;
}

/** The database the API tests run on: a SQLite file, or PostgreSQL when STELLAR_TEST_DATABASE=postgres. */
function openTestDatabase(): Promise<Storage> {
  const wanted = process.env.STELLAR_TEST_DATABASE ?? 'sqlite';
  if (wanted === 'sqlite') return openSqliteFile();
  if (wanted !== 'postgres') throw new Error(`STELLAR_TEST_DATABASE=${wanted}: give sqlite or postgres`);
  if (postgresSkipReason !== null) throw new Error(`STELLAR_TEST_DATABASE=postgres but ${postgresSkipReason}`);
  return openPostgresTest();
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const storage = options.storage ?? (await openTestDatabase());
  const clock = manualClock();
  const logs: string[] = [];
  const logger = loggerInto(logs, 'trace');
  if (options.migrate !== false) {
    await migrateToLatest(storage, options.fields);
    adminHash ??= hashPassword(ADMIN_PASSWORD);
    await insertUserIfAbsent(storage.db, 'admin', await adminHash, 'admin', clock.now());
  }
  const secrets = randomSecretBox();
  const auth = new AuthService({
    db: storage.db,
    tokenTtlMs: options.tokenTtlMs ?? 3_600_000,
    now: clock.now,
    ...(options.basicCacheMs === undefined ? {} : { basicCacheMs: options.basicCacheMs }),
    ...(options.loginLimits === undefined ? {} : { loginLimits: options.loginLimits }),
    logger,
  });
  // POST /api/admin/reload as the service has it, over the shipped defaults: a reload finds them unchanged.
  const defaults = { ...resolveConfig([]), file: null, notes: [] };
  const reloader = new ConfigReloader({ config: defaults.config, load: () => defaults, logger });
  const app = await buildApp({
    storage,
    logger,
    reloadConfig: (trigger) => reloader.reload(trigger),
    // Every answer checked against its schema, as the service does not: a presenter's drift fails the test.
    validateAnswers: true,
    authEnabled: options.authEnabled ?? true,
    registry: new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets, now: clock.now }),
    auth,
    now: clock.now,
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.fields === undefined ? {} : { fields: options.fields }),
    ...(options.targets === undefined ? {} : { targets: options.targets }),
    ...(options.webRoot === undefined ? {} : { webRoot: options.webRoot }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.telemetry === undefined ? {} : { telemetry: options.telemetry(storage) }),
    ...(options.metricsAuth === undefined ? {} : { metricsAuth: options.metricsAuth }),
    ...(options.customMetrics === undefined ? {} : { customMetrics: options.customMetrics }),
    ...(options.alertRules === undefined ? {} : { alertRules: new AlertRuleBook(options.alertRules, { db: storage.db, logger, now: clock.now }) }),
    ...(options.fileCustomMetrics === undefined ? {} : { customMetricBook: new CustomMetricBook(options.fileCustomMetrics, { db: storage.db, logger, now: clock.now }) }),
  });
  options.moreRoutes?.(app);
  await app.ready();
  const token = options.migrate === false ? '' : (await auth.login('admin', ADMIN_PASSWORD)).token;
  return {
    app,
    storage,
    secrets,
    clock,
    logs,
    auth: `Bearer ${token}`,
    basicAuth: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
    async close() {
      await app.close();
      await storage.close();
    },
  };
}
