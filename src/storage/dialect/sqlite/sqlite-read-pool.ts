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
import { createRequire } from 'node:module';
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
import { READ_WORKER_SOURCE, type ReadReply, type ReadRequest } from './sqlite-read-worker.js';

export interface ReadPoolOptions {
  readonly path: string;
  /** Worker threads, each with its own connection: a long read on one does not hold the others. */
  readonly threads: number;
  /** SQLite's page cache per connection, in KiB. */
  readonly cacheKib: number;
  readonly busyTimeoutMs: number;
}

interface Pending {
  readonly resolve: (rows: unknown[]) => void;
  readonly reject: (error: Error) => void;
}

/** One worker and the reads it has been given but not answered. */
class ReadThread {
  readonly pending = new Map<number, Pending>();
  private worker: Worker;
  private closed = false;

  constructor(private readonly options: ReadPoolOptions) {
    this.worker = this.start();
  }

  private start(): Worker {
    const worker = new Worker(READ_WORKER_SOURCE, {
      eval: true,
      workerData: {
        // Resolved here, where the package is a dependency: the eval'd worker has no module of its own to resolve from.
        driverPath: createRequire(import.meta.url).resolve('better-sqlite3'),
        path: this.options.path,
        cacheKib: this.options.cacheKib,
        busyTimeoutMs: this.options.busyTimeoutMs,
      },
    });
    worker.on('message', (reply: ReadReply) => {
      const waiting = this.pending.get(reply.id);
      if (waiting === undefined) return;
      this.pending.delete(reply.id);
      if ('rows' in reply) waiting.resolve(reply.rows);
      else waiting.reject(Object.assign(new Error(reply.message), { code: reply.code }));
    });
    // A worker that dies (out of memory, a crash in the driver) fails its reads and is replaced; the next read gets a new one.
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      this.failAll(new StellarError('STELLAR_ERR_STORAGE', 'a database read thread stopped'));
      if (!this.closed) this.worker = this.start();
    });
    // The pool never keeps the process alive on its own: idle workers are unreferenced.
    worker.unref();
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  read(request: ReadRequest): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage(request);
    }).finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    }) as Promise<unknown[]>;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
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
    if (this.closed) throw new StellarError('STELLAR_ERR_STORAGE', 'the database is closed');
    if (this.threads.length === 0) this.threads = Array.from({ length: Math.max(1, this.options.threads) }, () => new ReadThread(this.options));
    let thread = this.threads[0] as ReadThread;
    for (const t of this.threads) if (t.pending.size < thread.pending.size) thread = t;
    return thread.read({ id: this.nextId++, sql, parameters: [...parameters] });
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

/** A query builder whose reads run in the pool's threads; `destroy()` stops them. */
export function readPoolKysely(options: ReadPoolOptions): Kysely<Database> {
  return new Kysely<Database>({ dialect: new ReadPoolDialect(new SqliteReadPool(options)) });
}
