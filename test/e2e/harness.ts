/**
 * Browser end-to-end harness: a simulated StarRocks fleet, a real Stellar service collecting it
 * (temp SQLite, short interval), the web console built from web/, and Debian's Chromium driven
 * by playwright-core. Used by test/e2e/*.test.ts and by scripts/screenshots.ts; it imports
 * nothing from vitest.
 *
 *   import { chromiumSkipReason, startE2E, type E2E } from './harness.js';
 *
 *   describe.skipIf(chromiumSkipReason !== null)(`my page${skipNote()}`, () => {
 *     let e2e: E2E;
 *     beforeAll(async () => {
 *       e2e = await startE2E({ clusters: [{ name: 'alpha', tags: ['prod'] }, { name: 'beta', faults: 'be_dead@1' }] });
 *       await e2e.waitForCollections(2);              // every cluster collected twice
 *     }, E2E_SETUP_TIMEOUT_MS);
 *     afterAll(() => e2e?.close());
 *
 *     it('…', async () => {
 *       const page = await e2e.newPage();             // logged in (the admin's session cookies)
 *       await page.goto(e2e.url(`/clusters/${e2e.clusters[0].id}`));
 *       await page.getByRole('heading', { name: 'alpha' }).waitFor();
 *     });
 *   });
 *
 * - `startE2E` options: `clusters` (name, tags, simulator shape, faults, `register: false` to
 *   leave one out), `intervalSecs` (collection interval, default 2), `viewport`, and
 *   `history: { minutes, stepSecs? }`: collections of the past (one per interval by default) stored before the service starts
 *   (the simulator answers as at each instant), so charts have points at once.
 * - `e2e.clusters[i]`: `{ id, name, sim }` (sim: the SimulatedCluster, e.g. `sim.setFaults(…)`).
 * - `e2e.api(method, path, body?)`: the API with the admin's bearer token; throws on non-2xx.
 * - `e2e.newPage({ loggedIn?, viewport?, colorScheme? })`: a page in its own browser context.
 * - `e2e.waitFor(fn, what)`: polls until fn() is truthy (no fixed sleeps in tests).
 * - Chromium: /usr/bin/chromium (CHROMIUM_PATH to override). When it is missing, the e2e tests
 *   skip with `chromiumSkipReason`; CI installs it (.ci/run). Never `npx playwright install`.
 * - The console is built once per content of web/ and src/shared/ into
 *   node_modules/.cache/stellar-e2e-web/<hash>, so the tests never depend on a stale dist/;
 *   the few most recently used builds are kept (concurrent runs of other sources).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import pino from 'pino';
import { CSRF_COOKIE, csrfTokenFor, SESSION_COOKIE } from '../../src/api/session-cookies.js';
import type { ClusterJson } from '../../src/shared/api/clusters.js';
import type { LoginJson } from '../../src/shared/api/auth.js';
import { Collector, collectorOptionsFrom } from '../../src/collector/collector.js';
import { loadConfig } from '../../src/config/sources.js';
import type { ClusterFields } from '../../src/registry/cluster.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import { checkSecretKeyMatchesDatabase, loadSecretKey } from '../../src/security/secret-key.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { type RunningService, startService } from '../../src/service.js';
import type { SimClusterSpec } from '../../src/simulator/cluster-spec.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import type { SimulatedCluster } from '../../src/simulator/simulated-cluster.js';
import { clusterFields } from '../helpers/factories.js';
import { loggerInto } from '../helpers/test-app.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the browser tests cannot run here, or null when they can. */
export const chromiumSkipReason: string | null = existsSync(CHROMIUM_PATH)
  ? null
  : `${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does it on CI) or set CHROMIUM_PATH`;

// CI sets STELLAR_REQUIRE_BROWSER=1 (.ci/run): there a missing Chromium fails the run instead of skipping it.
if (chromiumSkipReason !== null && process.env.STELLAR_REQUIRE_BROWSER === '1') throw new Error(`STELLAR_REQUIRE_BROWSER=1 but ${chromiumSkipReason}`);

/** " (skipped: …)" for a describe title when Chromium is missing, so the report says why. */
export function skipNote(): string {
  if (chromiumSkipReason === null) return '';
  // The default reporter does not list skipped titles: say it on the console too.
  console.warn(`browser tests skipped: ${chromiumSkipReason}`);
  return ` (skipped: ${chromiumSkipReason})`;
}

/** For beforeAll: building the console the first time, starting the fleet and two collections. */
export const E2E_SETUP_TIMEOUT_MS = 120_000;

export const ADMIN_PASSWORD = 'e2e-admin-password';

export interface E2EClusterSpec {
  readonly name: string;
  readonly tags?: readonly string[];
  /** Simulator faults, e.g. `be_dead@1` or `fe_down@0` (src/simulator/faults.ts). */
  readonly faults?: string;
  /** Simulator shape: version, fes, bes, mode, beMetrics… */
  readonly sim?: Partial<SimClusterSpec>;
  /** Register it in Stellar (default true). */
  readonly register?: boolean;
}

export interface E2EOptions {
  readonly clusters?: readonly E2EClusterSpec[];
  /** Seconds between collections (metrics.interval_secs); default 2. */
  readonly intervalSecs?: number;
  readonly viewport?: { width: number; height: number };
  /**
   * Collections of the past, stored before the service starts: every `stepSecs` (default: the interval)
   * over the last `minutes`, with the simulator answering as at each instant, so charts have
   * an hour of points at once. The service then collects live as usual.
   */
  readonly history?: { readonly minutes: number; readonly stepSecs?: number };
  /** More APP_* settings for the service (e.g. APP_ALERTS_FILE), over the harness's own. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface E2ECluster {
  /** Null when not registered. */
  readonly id: number | null;
  readonly name: string;
  readonly sim: SimulatedCluster;
  /** What to type into the cluster form to reach it. */
  readonly feHost: string;
  readonly feHttpPort: number;
  readonly feQueryPort: number;
}

export interface E2E {
  readonly baseUrl: string;
  readonly service: RunningService;
  readonly fleet: SimulatedFleet;
  readonly browser: Browser;
  readonly clusters: readonly E2ECluster[];
  /** The simulated clusters' user and password. */
  readonly simUser: { username: string; password: string };
  url(path: string): string;
  api<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  newPage(options?: { loggedIn?: boolean; viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' }): Promise<Page>;
  /** Until every registered cluster has been collected at least `count` times since the start. */
  waitForCollections(count: number, timeoutMs?: number): Promise<void>;
  waitFor<T>(probe: () => Promise<T> | T, what: string, timeoutMs?: number): Promise<NonNullable<T>>;
  /** The value of the page's HttpOnly session cookie, or null when there is none. */
  sessionCookie(page: Page): Promise<string | null>;
  /** Everything the page's origin keeps in localStorage, key → value. */
  localStorageOf(page: Page): Promise<Record<string, string>>;
  /** Service log lines at warn and above, for a failing test's message. */
  readonly logs: string[];
  /** What the browser reported as blocked by the Content-Security-Policy, on any page opened so far. */
  readonly cspViolations: string[];
  close(): Promise<void>;
}

export const DEFAULT_E2E_CLUSTERS: readonly E2EClusterSpec[] = [
  { name: 'e2e-prod-olap', tags: ['prod', 'eu'], sim: { version: '3.3', fes: 3, bes: 4, latencyGauges: true } },
  { name: 'e2e-lakehouse', tags: ['prod', 'lake'], sim: { version: '3.3', mode: 'shared_data', fes: 1, bes: 3 } },
  { name: 'e2e-staging', tags: ['staging'], sim: { version: '3.0', fes: 1, bes: 3 }, faults: 'be_dead@1' },
];

const SIM_USER = { username: 'root', password: 'e2e-sim-pw' };

export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  if (chromiumSkipReason !== null) throw new Error(chromiumSkipReason);
  const webRoot = ensureWebBuild();
  const specs = options.clusters ?? DEFAULT_E2E_CLUSTERS;
  const dir = mkdtempSync(join(tmpdir(), 'stellar-e2e-'));
  const logs: string[] = [];
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch {
        // Tear down the rest whatever one part says.
      }
    }
  };

  try {
    // The simulator answers as at `pastInstant` while history is written, then as at the wall clock.
    let pastInstant: number | null = null;
    const fleet = await startSimulatedFleet({
      clusters: specs.length,
      password: SIM_USER.password,
      username: SIM_USER.username,
      faults: specs.map((s, i) => (s.faults ? `${i + 1}:${s.faults}` : '')).filter((g) => g !== '').join(';'),
      specs: specs.map((s) => ({ name: s.name, fes: 1, bes: 3, ...s.sim })),
      clock: () => pastInstant ?? Date.now(),
    });
    cleanups.push(() => fleet.close());

    const logger = loggerInto(logs, 'warn');
    const env = {
      APP_SERVER_HOST: '127.0.0.1',
      APP_SERVER_PORT: '0',
      APP_SERVER_DATA_DIR: join(dir, 'data'),
      APP_AUTH_ADMIN_PASSWORD: ADMIN_PASSWORD,
      APP_METRICS_INTERVAL_SECS: String(options.intervalSecs ?? 2),
      ...options.env,
    };
    const loaded = loadConfig({ configPath: join(dir, 'none.toml'), explicit: false, env });
    const details = fleet.details();
    const fieldsOf = (spec: E2EClusterSpec, i: number): ClusterFields => {
      const d = details[i];
      if (d === undefined) throw new Error(`the fleet has no cluster ${i}`);
      return clusterFields({
        name: spec.name,
        description: `Simulated StarRocks ${d.version}`,
        fe_host: d.fe_host,
        fe_http_port: d.fe_http_port,
        fe_query_port: d.fe_query_port,
        username: d.username,
        password: d.password,
        connection_timeout: 2,
        tags: [...(spec.tags ?? [])],
        deployment_mode: d.deployment_mode === 'shared_data' ? 'shared_data' : 'shared_nothing',
      });
    };

    const ids = new Map<number, number>();
    if (options.history) {
      // One collection per interval, as the service itself would have stored them: charts bucket by the interval.
      const stepMs = (options.history.stepSecs ?? options.intervalSecs ?? 2) * 1000;
      const span = { from: Date.now() - options.history.minutes * 60_000, to: Date.now() - stepMs, stepMs };
      const toWrite = specs.map((spec, i) => ({ fields: fieldsOf(spec, i), register: spec.register !== false }));
      const written = await writeHistory(loaded.config, toWrite, span, (t) => (pastInstant = t));
      for (const [i, id] of written) ids.set(i, id);
      pastInstant = null;
    }

    const service = await startService({ loaded, logger, webRoot, print: () => {} });
    cleanups.push(() => service.close());
    const baseUrl = service.url;

    const login = (await (
      await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) })
    ).json()) as LoginJson;
    const token = login.token;
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? null : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
      return (text === '' ? undefined : JSON.parse(text)) as T;
    };

    const clusters: E2ECluster[] = [];
    for (const [i, spec] of specs.entries()) {
      const d = details[i];
      const sim = fleet.clusters[i];
      if (d === undefined || sim === undefined) throw new Error(`the fleet has no cluster ${i}`);
      let id = ids.get(i) ?? null;
      if (id === null && spec.register !== false) id = (await api<ClusterJson>('POST', '/api/clusters', fieldsOf(spec, i))).id;
      clusters.push({ id, name: spec.name, sim, feHost: d.fe_host, feHttpPort: d.fe_http_port, feQueryPort: d.fe_query_port });
    }

    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    const contexts: BrowserContext[] = [];
    const cspViolations: string[] = [];

    const waitFor = async <T>(probe: () => Promise<T> | T, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> => {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      for (;;) {
        try {
          const value = await probe();
          if (value !== null && value !== undefined && value !== false) return value;
        } catch (err) {
          last = err;
        }
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };

    return {
      baseUrl,
      service,
      fleet,
      browser,
      clusters,
      simUser: SIM_USER,
      logs,
      cspViolations,
      url: (path) => `${baseUrl}${path}`,
      sessionCookie: async (page) => (await page.context().cookies(baseUrl)).find((c) => c.name === SESSION_COOKIE && c.value !== '')?.value ?? null,
      // A string, not a function: this file is compiled without the DOM library.
      localStorageOf: (page) => page.evaluate<Record<string, string>>('Object.assign({}, localStorage)'),
      api,
      waitFor,
      async newPage(pageOptions = {}) {
        const context = await browser.newContext({
          baseURL: baseUrl,
          viewport: pageOptions.viewport ?? options.viewport ?? { width: 1280, height: 800 },
          colorScheme: pageOptions.colorScheme ?? 'light',
          reducedMotion: 'reduce',
        });
        contexts.push(context);
        if (pageOptions.loggedIn !== false) {
          // The cookies a login through the console would have set (src/api/session-cookies.ts).
          await context.addCookies([
            { name: SESSION_COOKIE, value: token, url: baseUrl, httpOnly: true, sameSite: 'Strict' },
            { name: CSRF_COOKIE, value: csrfTokenFor(token), url: baseUrl, sameSite: 'Strict' },
          ]);
        }
        const page = await context.newPage();
        page.on('console', (message) => {
          if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
        });
        page.setDefaultTimeout(15_000);
        return page;
      },
      async waitForCollections(count, timeoutMs = 60_000) {
        const registered = clusters.filter((c) => c.id !== null).length;
        const seen = new Map<number, Set<string>>();
        await waitFor(async () => {
          const listed = await api<ClusterJson[]>('GET', '/api/clusters');
          for (const c of listed) {
            const at = c.collection?.last_attempt_at;
            if (at && !c.collection?.running) seen.set(c.id, (seen.get(c.id) ?? new Set()).add(at));
          }
          return listed.length >= registered && listed.every((c) => (seen.get(c.id)?.size ?? 0) >= count);
        }, `${count} collections of every cluster`, timeoutMs);
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Registers the clusters and stores collections of the past in the service's database before
 * the service opens it, the way `stellar collect --once` does, at instants a step apart.
 * Returns the id of each registered cluster by its index.
 */
async function writeHistory(
  config: ReturnType<typeof loadConfig>['config'],
  clusters: readonly { readonly fields: ClusterFields; readonly register: boolean }[],
  span: { readonly from: number; readonly to: number; readonly stepMs: number },
  setInstant: (t: number) => void,
): Promise<Map<number, number>> {
  const dataDir = config.server.data_dir;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = loadSecretKey({ key: config.secret.key, keyFile: join(dataDir, config.secret.key_file) });
  const storage = openStorage({ url: config.database.url, dataDir, poolSize: config.database.pool_size });
  const ids = new Map<number, number>();
  try {
    await migrateToLatest(storage);
    await checkSecretKeyMatchesDatabase(storage.db, secret);
    let instant = span.from;
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: secret.box, now: () => instant });
    for (const [i, c] of clusters.entries()) if (c.register) ids.set(i, (await registry.create(c.fields)).id);
    const collector = new Collector({ storage, registry, logger: pino({ level: 'silent' }), now: () => instant, options: collectorOptionsFrom(config.metrics) });
    try {
      for (; instant <= span.to; instant += span.stepMs) {
        setInstant(instant);
        await collector.collectAll();
      }
    } finally {
      await collector.close();
    }
  } finally {
    await storage.close();
  }
  return ids;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(ROOT, 'node_modules', '.cache', 'stellar-e2e-web');

/** Builds kept whatever their age: the one in use and the most recently used others. */
export const WEB_BUILDS_KEPT = 3;
/** A build (or a scratch directory) unused for this long may be deleted, unless among the kept. */
export const WEB_BUILD_MAX_IDLE_MS = 60 * 60_000;

/**
 * The console built from the current web/ and src/shared/, into a directory named after a hash
 * of their contents: built once for every test file and run that see the same sources. Test
 * files run in parallel workers (and other checkouts' runs may share the cache with other
 * sources), so each builds into its own temp directory and renames it into place when complete
 * (the first rename wins): a half-written build is never served. Each use touches the build's
 * directory; old builds are deleted only when they are both beyond the few most recently used
 * and idle for an hour, so a build another test process is serving is not deleted under it.
 */
export function ensureWebBuild(): string {
  // The mode is part of the key: a build from before it was production is not reused.
  const hash = createHash('sha256').update('production\0');
  for (const dir of ['web', 'src/shared']) {
    for (const file of listFiles(join(ROOT, dir))) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  const key = hash.digest('hex').slice(0, 16);
  const target = join(CACHE, key);
  if (existsSync(join(target, 'index.html'))) {
    markUsed(target);
    return target;
  }

  mkdirSync(CACHE, { recursive: true });
  const scratch = mkdtempSync(join(CACHE, `tmp-${key}-`));
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(ROOT, 'web', 'vite.config.ts'), '--outDir', scratch, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
    // The production build users get (vitest sets NODE_ENV=test, which vite would otherwise inherit).
    env: { ...process.env, NO_COLOR: '1', NODE_ENV: 'production' },
  });
  if (result.status !== 0 || !existsSync(join(scratch, 'index.html'))) {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(`the web console does not build:\n${result.stdout}\n${result.stderr}`);
  }
  try {
    renameSync(scratch, target);
  } catch (err) {
    // Another worker finished the same build first (the target is complete: it came by a rename too).
    rmSync(scratch, { recursive: true, force: true });
    if (!existsSync(join(target, 'index.html'))) throw err;
  }
  markUsed(target);
  pruneWebBuilds(key);
  return target;
}

/** A build's last use is its directory's mtime. */
function markUsed(dir: string): void {
  const now = new Date();
  try {
    utimesSync(dir, now, now);
  } catch {
    // Not fatal: at worst the build is pruned an hour early by another run, which rebuilds it.
  }
}

function lastUsedMs(dir: string): number | null {
  try {
    return statSync(dir).mtimeMs;
  } catch {
    return null;
  }
}

function pruneWebBuilds(current: string): void {
  const entries = readdirSync(CACHE).flatMap((name) => {
    const used = lastUsedMs(join(CACHE, name));
    return used === null ? [] : [{ name, lastUsedMs: used }];
  });
  for (const name of webBuildsToDelete(entries, current, Date.now())) {
    // Looked at again just before: a process may have started using it since the listing.
    const used = lastUsedMs(join(CACHE, name));
    if (used !== null && Date.now() - used > WEB_BUILD_MAX_IDLE_MS) rmSync(join(CACHE, name), { recursive: true, force: true });
  }
}

/**
 * Which entries of the build cache to delete (pure): builds other than `current` that are
 * beyond the `WEB_BUILDS_KEPT` most recently used and unused for `WEB_BUILD_MAX_IDLE_MS`, and
 * scratch directories (`tmp-…`, a build in progress or one whose process died) idle as long.
 */
export function webBuildsToDelete(entries: readonly { readonly name: string; readonly lastUsedMs: number }[], current: string, now: number): string[] {
  const idle = (e: { lastUsedMs: number }) => now - e.lastUsedMs > WEB_BUILD_MAX_IDLE_MS;
  const others = entries.filter((e) => e.name !== current && !e.name.startsWith('tmp-')).sort((a, b) => b.lastUsedMs - a.lastUsedMs);
  const oldBuilds = others.slice(WEB_BUILDS_KEPT - 1).filter(idle);
  const oldScratch = entries.filter((e) => e.name.startsWith('tmp-') && idle(e));
  return [...oldBuilds, ...oldScratch].map((e) => e.name);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      if (name === 'node_modules') return [];
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}
