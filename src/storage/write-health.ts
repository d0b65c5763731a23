/**
 * Whether the database takes writes. `select 1` answers on a full disk, so readiness cannot
 * tell from a read: the storage remembers the outcome of the last write instead (the
 * collector's snapshot writes and every insert, update or delete through `db`). A write that
 * failed because the engine could not write (disk full, I/O error) marks the path failing; the
 * next write that succeeds clears it. Listeners hear each change of state once, not each
 * attempt, so a full disk is one log line, not one per collection.
 */
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { StorageDialect } from './dialect/dialect.js';
import type { SnapshotWriter } from './snapshot-writer.js';

export interface WriteFailure {
  /** What the engine could not do, for people: `the disk is full (SQLITE_FULL)`. */
  readonly reason: string;
  /** When the writes began to fail, ms since the epoch. */
  readonly since: number;
  /** The engine's error, for the log. */
  readonly error: unknown;
}

export class WriteHealth {
  #failure: WriteFailure | null = null;
  readonly #listeners = new Set<(failure: WriteFailure | null) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The failure while writes fail; null while they succeed. */
  get failure(): WriteFailure | null {
    return this.#failure;
  }

  /** A write failed with `reason` (the dialect's writeFault): the path is failing from now, if it was not already. */
  failed(reason: string, error: unknown): void {
    if (this.#failure !== null) return;
    this.#failure = { reason, since: this.now(), error };
    this.#tell();
  }

  /** A write succeeded: the path works again, if it was failing. */
  succeeded(): void {
    if (this.#failure === null) return;
    this.#failure = null;
    this.#tell();
  }

  /** Calls `listener` on each change: the failure when writes begin to fail, null when they recover. Returns the unsubscribe. */
  onChange(listener: (failure: WriteFailure | null) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Records the outcome of `write` when it is a write fault; other errors are no news of the disk. Rethrows. */
  async watch<T>(dialect: Pick<StorageDialect, 'writeFault'>, write: () => Promise<T>): Promise<T> {
    try {
      const result = await write();
      this.succeeded();
      return result;
    } catch (err) {
      const reason = dialect.writeFault(err);
      if (reason !== null) this.failed(reason, err);
      throw err;
    }
  }

  #tell(): void {
    for (const listener of this.#listeners) listener(this.#failure);
  }
}

/** The writer, its snapshot writes recorded in `health`. */
export function watchedSnapshotWriter(writer: SnapshotWriter, dialect: Pick<StorageDialect, 'writeFault'>, health: WriteHealth): SnapshotWriter {
  return { ...writer, write: (record) => health.watch(dialect, () => writer.write(record)) };
}

const WRITE_NODES: ReadonlySet<string> = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode']);

/** Marks the path working whenever an insert, update or delete through the query builder succeeds (API writes among them). */
export class WriteSuccessPlugin implements KyselyPlugin {
  /** The builder's writes in flight, by query id (a write with `returning` reports rows, not a count). */
  readonly #writes = new WeakSet<object>();

  constructor(private readonly health: WriteHealth) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (WRITE_NODES.has(args.node.kind)) this.#writes.add(args.queryId);
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#writes.delete(args.queryId)) this.health.succeeded();
    return Promise.resolve(args.result);
  }
}
