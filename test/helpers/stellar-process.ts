/**
 * `stellar start` as a real process, run from src/ by tsx (no build needed): its output kept,
 * its URL read from the "is listening on" line, and killed after each test (`killStarted`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { clusterOffsetMs } from '../../src/collector/schedule.js';
import { ROOT } from './built-tree.js';

export interface StellarProcess {
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  readonly output: () => string;
  /** Resolves with the server's URL once it listens. */
  readonly listening: () => Promise<string>;
}

const started: ChildProcess[] = [];

/** Starts `stellar start` with these `APP_*` variables (plus the test's environment) and arguments (`--config PATH`); JSON logs. */
export function startStellar(env: Record<string, string>, args: readonly string[] = []): StellarProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start', ...args], {
    cwd: ROOT,
    env: { ...process.env, APP_SERVER_PORT: '0', APP_LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const output = () => text;
  const listening = () => waitFor('stellar start to listen', () => /is listening on (http:\/\/[^\s"]+)/.exec(text)?.[1], output);
  return { child, output, listening };
}

/** Kills (SIGKILL, after a SIGCONT for a stopped one) every process startStellar started: call it in afterEach. */
export function killStarted(): void {
  for (const child of started.splice(0)) {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  }
}

/** Polls `probe` every 100 ms until it gives a value; fails after a minute, with the output. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, output: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Each cluster's stored rows on the PostgreSQL database `databaseUrl`, as the collection slots
 * they were collected in (counted from the cluster's offset, by their collected_at, not by the
 * slot_at that enforces one per slot), in order. A slot listed twice is a duplicate.
 */
export async function slotsByCluster(databaseUrl: string, intervalMs: number): Promise<Map<number, number[]>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ cluster_id: number; collected_at: string }>('select cluster_id, collected_at from metrics_snapshots order by cluster_id, collected_at');
    const slots = new Map<number, number[]>();
    for (const row of rows) {
      const list = slots.get(row.cluster_id) ?? [];
      list.push(Math.floor((Number(row.collected_at) - clusterOffsetMs(row.cluster_id, intervalMs)) / intervalMs));
      slots.set(row.cluster_id, list);
    }
    return slots;
  } finally {
    await client.end();
  }
}

/** The `collection` part of GET /readyz: `{role: 'leader'}`, `{role: 'standby', …}`, `{role: 'shard', clusters, maintenance}`. */
export async function collectionRole(url: string): Promise<{ role: string; holder_pid?: number | null; holder_host?: string | null; clusters?: number; maintenance?: boolean }> {
  const response = await fetch(`${url}/readyz`);
  return ((await response.json()) as { collection: { role: string } }).collection;
}

/** One of several instances on a shared PostgreSQL database, as the multi-instance tests start them. */
export interface SharedDatabaseInstance extends StellarProcess {
  readonly name: string;
  readonly baseUrl: string;
}

/**
 * Starts an instance on the shared database `databaseUrl`: every instance the same admin
 * password and secret key (they share the database, so they share the key its cluster
 * passwords are sealed with), each its own data folder; resolves once it listens.
 */
export async function startSharedDatabaseInstance(
  name: string,
  shared: { readonly databaseUrl: string; readonly intervalMs: number; readonly password: string; readonly secretKey: string; readonly env?: Record<string, string> },
): Promise<SharedDatabaseInstance> {
  const started = startStellar({
    APP_DATABASE_URL: shared.databaseUrl,
    APP_DATABASE_POOL_SIZE: '4',
    APP_METRICS_INTERVAL_SECS: String(shared.intervalMs / 1000),
    APP_AUTH_ADMIN_PASSWORD: shared.password,
    APP_SECRET_KEY: shared.secretKey,
    APP_SERVER_DATA_DIR: mkdtempSync(join(tmpdir(), `stellar-${name}-`)),
    ...shared.env,
  });
  return { ...started, name, baseUrl: await started.listening() };
}
