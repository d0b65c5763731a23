/**
 * Reads that may take long (an overview's window, the fleet, an export page) run on read-only
 * SQLite connections in worker threads, so the event loop that serves requests and drives the
 * collector is free while SQLite works. better-sqlite3 answers synchronously: on the main thread
 * a 40 ms read is 40 ms in which no timer fires, no socket is read and no collection moves on.
 *
 * The pool is a Kysely dialect: the same query-builder code reads through it as through the main
 * connection. WAL lets these readers see every committed write of the main connection without
 * ever waiting for it. The workers refuse anything but a read, and run no transactions.
 */
import { Worker } from 'node:worker_threads';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { StellarError } from '../../../errors.js';
import type { Database } from '../../database.js';
import type { ReadReply, ReadRequest, ReadWorkerData } from './sqlite-read-worker.js';

/**
 * Each thread runs sqlite-read-worker.ts, loaded by this bootstrap: the built module beside this
 * one, or under the test runner and tsx (where this file is itself TypeScript) the source,
 * through tsx's loader registered in the thread first — neither loads TypeScript into a thread
 * by itself.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsxApi !== undefined) (await import(workerData.tsxApi)).register();
  await import(workerData.moduleUrl);
})();
`;
const SOURCE = import.meta.url.endsWith('.ts');
const WORKER_MODULE = new URL(SOURCE ? './sqlite-read-worker.ts' : './sqlite-read-worker.js', import.meta.url).href;

/** A reply's answer: rows, or a window's block sums. */
type Answer = unknown[] | BlockSums;

/** A window's blocks summed in a thread: the grid's numbers (RawBucketSums.values) and the hours covered. */
export interface BlockSums {
  readonly sums: Float64Array;
  readonly covered: number[];
}

export interface ReadPoolOptions {
  readonly path: string;
  /** Worker threads, each with its own connection: a long read on one does not hold the others. */
  readonly threads: number;
  /** SQLite's page cache per connection, in KiB. */
  readonly cacheKib: number;
  readonly busyTimeoutMs: number;
}

interface Pending {
  readonly resolve: (answer: Answer) => void;
  readonly reject: (error: Error) => void;
}

type Unsent<R> = R extends unknown ? Omit<R, 'id'> : never;

/** One worker and the reads it has been given but not answered. */
class ReadThread {
  readonly pending = new Map<number, Pending>();
  private worker: Worker | undefined;

  constructor(private readonly options: ReadPoolOptions) {}

  private start(): Worker {
    const workerData: ReadWorkerData & { moduleUrl: string; tsxApi: string | undefined } = {
      stellarReadThread: true,
      path: this.options.path,
      cacheKib: this.options.cacheKib,
      busyTimeoutMs: this.options.busyTimeoutMs,
      moduleUrl: WORKER_MODULE,
      tsxApi: SOURCE ? import.meta.resolve('tsx/esm/api') : undefined,
    };
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData });
    worker.on('message', (reply: ReadReply) => {
      const waiting = this.pending.get(reply.id);
      if (waiting === undefined) return;
      this.pending.delete(reply.id);
      if ('rows' in reply) waiting.resolve(reply.rows);
      else if ('sums' in reply) waiting.resolve(reply);
      else waiting.reject(Object.assign(new Error(reply.message), { code: reply.code }));
    });
    // A worker that dies (out of memory, a crash in the driver, a module that would not load)
    // fails its reads; the next read starts a new one, so a thread that cannot start is not
    // started again and again with nothing to read.
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new StellarError('STELLAR_ERR_STORAGE', 'a database read thread stopped'));
    });
    // The pool never keeps the process alive on its own: idle workers are unreferenced.
    worker.unref();
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  ask(request: ReadRequest): Promise<Answer> {
    this.worker ??= this.start();
    const worker = this.worker;
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      worker.ref();
      worker.postMessage(request);
    }).finally(() => {
      if (this.pending.size === 0) worker.unref();
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}

/**
 * The worker threads, started at the first read (a command that never reads through the pool
 * starts none); each read goes to the one with the fewest reads waiting.
 */
export class SqliteReadPool {
  private threads: ReadThread[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: ReadPoolOptions) {}

  async read(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    return (await this.ask({ kind: 'rows', sql, parameters: [...parameters] })) as unknown[];
  }

  /** Reads a window's trend blocks, raw or tier (`sql` selects their start and `data`), and sums them into buckets in the thread. */
  async blockSums(request: Omit<Extract<ReadRequest, { kind: 'block-sums' }>, 'id' | 'kind'>): Promise<BlockSums> {
    return (await this.ask({ kind: 'block-sums', ...request, parameters: [...request.parameters] })) as BlockSums;
  }

  private ask(request: Unsent<ReadRequest>): Promise<Answer> {
    if (this.closed) return Promise.reject(new StellarError('STELLAR_ERR_STORAGE', 'the database is closed'));
    if (this.threads.length === 0) this.threads = Array.from({ length: Math.max(1, this.options.threads) }, () => new ReadThread(this.options));
    let thread = this.threads[0] as ReadThread;
    for (const t of this.threads) if (t.pending.size < thread.pending.size) thread = t;
    return thread.ask({ ...request, id: this.nextId++ });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.close()));
  }
}

class ReadPoolConnection implements DatabaseConnection {
  constructor(private readonly pool: SqliteReadPool) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return { rows: (await this.pool.read(query.sql, query.parameters)) as R[] };
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new StellarError('STELLAR_ERR_STORAGE', 'the read pool does not stream: read in pages');
  }
}

class ReadPoolDriver implements Driver {
  private readonly connection: ReadPoolConnection;

  constructor(private readonly pool: SqliteReadPool) {
    this.connection = new ReadPoolConnection(pool);
  }

  async init(): Promise<void> {}
  // Every read is one statement with no state between them, so all may share one connection object.
  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(this.connection);
  }
  beginTransaction(): Promise<void> {
    return Promise.reject(new StellarError('STELLAR_ERR_STORAGE', 'the read pool runs no transactions'));
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  destroy(): Promise<void> {
    return this.pool.close();
  }
}

class ReadPoolDialect implements Dialect {
  constructor(private readonly pool: SqliteReadPool) {}
  createDriver(): Driver {
    return new ReadPoolDriver(this.pool);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/** The pool behind each query builder made by `readPoolKysely`: what a repository asks for work done in its threads. */
const POOLS = new WeakMap<Kysely<Database>, SqliteReadPool>();

/** A query builder whose reads run in the pool's threads; `destroy()` stops them. */
export function readPoolKysely(options: ReadPoolOptions): Kysely<Database> {
  const pool = new SqliteReadPool(options);
  const db = new Kysely<Database>({ dialect: new ReadPoolDialect(pool) });
  POOLS.set(db, pool);
  return db;
}

/** The read pool whose threads run `db`'s reads, if it is one. */
export function readPoolOf(db: Kysely<Database>): SqliteReadPool | undefined {
  return POOLS.get(db);
}
