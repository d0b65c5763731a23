/**
 * Builds the HTTP application: routes, validation, authentication and error handling, without
 * listening. `service.ts` listens; tests call `app.inject()`.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AuthService } from '../auth/auth-service.js';
import type { ScrapeLimits } from '../config/schema.js';
import type { Logger } from '../logger.js';
import type { ClusterRegistry } from '../registry/cluster-registry.js';
import { TargetPolicy } from '../security/allowed-targets.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { createAuthenticateHook } from './authenticate.js';
import { createAuthorizeHook, documentChangeRefusals } from './authorize.js';
import { errorHandlerFor, frameworkErrorHandler, notFoundHandler } from './error-handler.js';
import { setSecurityHeaders } from './security-headers.js';
import { registerOpenApi } from './openapi.js';
import { DEFAULT_METRICS_SETTINGS, type MetricsSettings, type StoredDataDeps } from './stored-data-deps.js';
import { loginRoute, sessionRoutes } from './routes/auth/index.js';
import { tokenRoutes } from './routes/tokens/index.js';
import { userRoutes } from './routes/users/index.js';
import { UserAccounts } from '../auth/user-accounts.js';
import { clusterRoutes } from './routes/clusters/index.js';
import { connectionTestRoutes } from './routes/connection-test/index.js';
import { exportRoutes } from './routes/export/index.js';
import { nodeRoutes } from './routes/nodes/index.js';
import { overviewRoutes } from './routes/overview/index.js';
import { opsRoutes } from './routes/ops.js';
import { instanceRoutes, type InstancesSource } from './routes/instances.js';
import { alertRoutes } from './routes/alerts.js';
import { alertSilenceRoutes } from './routes/alert-silences.js';
import { AlertRuleBook } from '../alerts/alert-rule-book.js';
import { customMetricRoutes } from './routes/custom-metrics.js';
import { CustomMetricBook } from '../collector/custom-metric-book.js';
import { adminRoutes, type ReloadConfig } from './routes/admin.js';
import { webConsoleRoutes } from './routes/web-console.js';
import { type MetricsAuth, prometheusRoutes } from './routes/prometheus.js';
import { ServiceTelemetry, UNMATCHED_ROUTE } from './telemetry/service-telemetry.js';
import type { CollectionRole } from '../collector/collection-standby.js';
import { DailyRowsResponse, SnapshotPageResponse } from '../shared/api/export.js';
import { type FieldCatalogue, SNAPSHOT_FIELDS } from '../shared/snapshot-fields.js';
import { type CustomMetricSet, NO_CUSTOM_METRICS } from '../collector/custom-metric-set.js';

export interface AppDeps {
  readonly storage: Storage;
  readonly registry: ClusterRegistry;
  readonly auth: AuthService;
  /** `auth.enabled`: when false, /api/* is open (credentials, if sent, are still checked). */
  readonly authEnabled: boolean;
  readonly logger: Logger;
  /** Whether this process collects or stands by, for /readyz; absent: /readyz leaves it out. */
  readonly collectionRole?: () => CollectionRole;
  /** The instances on the database, for GET /api/instances; absent: an empty list. */
  readonly instances?: InstancesSource;
  /**
   * [metrics] interval, retention, roll-up zone and sources, for trend buckets, raw vs daily and
   * connection tests; the shipped defaults when absent. Read at each request: the service passes
   * getters over the configuration in effect, so a reload's values apply at once.
   */
  readonly metrics?: MetricsSettings;
  /** `[security] allowed_targets`, for connection tests; any host when absent. */
  readonly targets?: TargetPolicy;
  /** `[limits]` on what a cluster may send, for connection tests as for collections; the defaults when absent. Read at each test, as `metrics` is. */
  readonly limits?: ScrapeLimits;
  /** The clock of windows and presenters; Date.now when absent. */
  readonly now?: () => number;
  /** The built web console (dist/web), served at `/`; absent: no console (API tests). */
  readonly webRoot?: string;
  /** The snapshot fields (the built-in catalogue unless a test adds one): what the export serves. */
  readonly fields?: FieldCatalogue;
  /** The custom metrics in effect, read at each request: what the overview, the export and /federate serve of custom_values; none when absent. */
  readonly customMetrics?: CustomMetricSet;
  /**
   * Check every answer against its schema before sending it (a drift is a logged 500). The
   * tests build the app so; the service does not, because a fleet or week overview is a few
   * hundred kilobytes whose check costs as much as building it.
   */
  readonly validateAnswers?: boolean;
  /** Stellar's own metrics, fed by the collector; one that knows no collector when absent. */
  readonly telemetry?: ServiceTelemetry;
  /** `[server] metrics_auth`: whether /metrics and /federate ask for credentials; "token" when absent. */
  readonly metricsAuth?: MetricsAuth;
  /** The configuration reload behind POST /api/admin/reload; absent: no such route (apps without a service). */
  readonly reloadConfig?: ReloadConfig;
  /** The alert rules in force (defaults, alerts file, API); API rules alone when absent. */
  readonly alertRules?: AlertRuleBook;
  /** The custom metric definitions /api/custom-metrics manages (config file, API); API ones alone when absent. */
  readonly customMetricBook?: CustomMetricBook;
}

/** One line per request at info would drown the log once the web console auto-refreshes: debug. */
class RequestLogAtDebug extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    reply.log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime), err: error ?? undefined }, 'request');
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // Typed as Fastify's logger so the instance has Fastify's default type parameters.
  const logger: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance: logger,
    logController: new RequestLogAtDebug(),
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
    // A path Fastify cannot route (`%ff`, an over-long part) answers in the API's error shape too.
    frameworkErrors: frameworkErrorHandler,
  });
  // onRequest, not onSend: set before anything can answer, so errors and 404s carry them too.
  app.addHook('onRequest', (request, reply, done) => {
    setSecurityHeaders(reply, request.url);
    done();
  });
  app.setValidatorCompiler(validatorCompiler);
  // With validateAnswers (every test app), each answer is validated against its schema from
  // src/shared/api (what the spec documents and the console reads) before it is sent: a presenter
  // that drifts is a logged 500, not a console reading fields that are not there. Export pages are
  // the exception: one is up to 10,000 rows of 94 plain column reads, about a second of
  // validation for rows typed by the storage layer (test/api/export.test.ts validates them).
  const plain = (data: unknown) => JSON.stringify(data);
  app.setSerializerCompiler((route) =>
    !deps.validateAnswers || route.schema === SnapshotPageResponse || route.schema === DailyRowsResponse ? plain : serializerCompiler(route as Parameters<typeof serializerCompiler>[0]),
  );
  app.setErrorHandler(errorHandlerFor(deps.storage));
  // The write path's changes of state, each once: a full disk is one error line naming the real
  // error, not one per collection or request, and its end one info line.
  const unwatchWrites = deps.storage.writeHealth.onChange((failure) => {
    if (failure) deps.logger.error({ err: failure.error }, `database writes fail: ${failure.reason}; /readyz answers 503 until a write succeeds`);
    else deps.logger.info('database writes succeed again');
  });
  app.addHook('onClose', async () => {
    unwatchWrites();
  });
  const telemetry = deps.telemetry ?? new ServiceTelemetry({ db: deps.storage.db, dialect: deps.storage.dialect, schedule: () => null });
  // By route pattern, never the raw URL: one series per route, whatever ids and query strings come.
  app.addHook('onResponse', (request, reply, done) => {
    telemetry.observeRequest(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.setNotFoundHandler(notFoundHandler);
  app.decorateRequest('principal', null);

  await registerOpenApi(app);
  await app.register(opsRoutes, { storage: deps.storage, collectionRole: deps.collectionRole });
  const stored: StoredDataDeps = {
    db: deps.storage.reader,
    keyed: deps.storage.db,
    changeCount: () => deps.storage.changeCount(),
    fields: deps.fields ?? SNAPSHOT_FIELDS,
    customMetrics: deps.customMetrics ?? NO_CUSTOM_METRICS,
    registry: deps.registry,
    settings: deps.metrics ?? DEFAULT_METRICS_SETTINGS,
    now: deps.now ?? Date.now,
  };
  await app.register(
    async (api) => {
      await api.register(loginRoute, { auth: deps.auth });
      await api.register(async (protectedApi) => {
        protectedApi.addHook('onRequest', createAuthenticateHook(deps.auth, { required: deps.authEnabled }));
        protectedApi.addHook('onRequest', createAuthorizeHook({ authEnabled: deps.authEnabled }));
        protectedApi.addHook('onRoute', documentChangeRefusals);
        await protectedApi.register(sessionRoutes, { auth: deps.auth, authEnabled: deps.authEnabled });
        await protectedApi.register(tokenRoutes, { auth: deps.auth, now: stored.now });
        await protectedApi.register(userRoutes, { accounts: new UserAccounts({ db: deps.storage.db, now: stored.now }) });
        await protectedApi.register(clusterRoutes, { registry: deps.registry, db: stored.db, now: stored.now, settings: stored.settings });
        await protectedApi.register(overviewRoutes, { deps: stored, validateAnswers: deps.validateAnswers });
        await protectedApi.register(exportRoutes, { deps: stored });
        await protectedApi.register(nodeRoutes, { deps: stored });
        await protectedApi.register(instanceRoutes, { source: deps.instances });
        if (deps.reloadConfig) await protectedApi.register(adminRoutes, { reload: deps.reloadConfig });
        await protectedApi.register(alertRoutes, { deps: { db: deps.storage.db, registry: deps.registry, rules: deps.alertRules ?? new AlertRuleBook([], { db: deps.storage.db, logger: deps.logger, now: stored.now }), now: stored.now } });
        const customMetricBook = deps.customMetricBook ?? new CustomMetricBook([], { db: deps.storage.db, logger: deps.logger, now: stored.now });
        await protectedApi.register(customMetricRoutes, { deps: { db: deps.storage.db, book: customMetricBook, registry: deps.registry, settings: stored.settings, targets: deps.targets ?? TargetPolicy.ANY, ...(deps.limits ? { limits: deps.limits } : {}), now: stored.now } });
        await protectedApi.register(alertSilenceRoutes, { deps: { db: deps.storage.db, registry: deps.registry, now: stored.now } });
        await protectedApi.register(connectionTestRoutes, { registry: deps.registry, settings: stored.settings, targets: deps.targets ?? TargetPolicy.ANY, limits: deps.limits });
      });
    },
    { prefix: '/api' },
  );
  await app.register(prometheusRoutes, {
    telemetry,
    federation: { db: deps.storage.reader, clusters: () => deps.registry.list(), fields: stored.fields, customMetrics: stored.customMetrics },
    auth: deps.auth,
    authEnabled: deps.authEnabled,
    metricsAuth: deps.metricsAuth ?? 'token',
  });
  if (deps.webRoot !== undefined) await app.register(webConsoleRoutes, { root: deps.webRoot });
  return app;
}
