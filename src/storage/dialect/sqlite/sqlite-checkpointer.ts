/**
 * Checkpoints of the write-ahead log in a thread of their own. SQLite checkpoints by itself at
 * the commit that takes the log past 1,000 pages, on the connection that commits: here the
 * main thread's, so every few seconds under collections one commit copied 4 MB of pages into
 * the database file and waited for its fsync. That was the event loop's longest pauses while
 * collecting and back-filling (50–65 ms at 1,000 clusters; a commit of 50 rows went from 0.8 ms
 * to 15–20 ms whenever it checkpointed). So the main connection never checkpoints
 * (`wal_autocheckpoint = 0`) and this thread, with its own connection, runs a PASSIVE checkpoint
 * (it never waits for readers or the writer) each CHECKPOINT_EVERY_MS while the data changes.
 * Should the thread stop, the main connection checkpoints again by itself: the log never grows
 * without end.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

export const CHECKPOINT_EVERY_MS = 1_000;
/** SQLite's own default, restored if the thread stops. */
const AUTOCHECKPOINT_PAGES = 1_000;

/** A checkpoint's outcome, as `PRAGMA wal_checkpoint` reports it. */
export interface CheckpointResult {
  readonly busy: number;
  /** Frames in the log, and how many of them are now in the database file. */
  readonly log: number;
  readonly checkpointed: number;
}

// A script, not a module: it needs nothing of Stellar's, so it runs the same from src/ and dist/.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = ' + Number(workerData.busyTimeoutMs));
db.pragma('wal_autocheckpoint = 0');
parentPort.on('message', (id) => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ id, result: { busy: r.busy, log: r.log, checkpointed: r.checkpointed } });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message) });
  }
});
`;

export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly timer: NodeJS.Timeout;
  private readonly waiting = new Map<number, { resolve: (r: CheckpointResult) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private lastChanges = -1;
  private running = false;
  private stopped = false;

  constructor(
    private readonly main: BetterSqlite3.Database,
    path: string,
    busyTimeoutMs: number,
    changeCount: () => number,
  ) {
    main.pragma('wal_autocheckpoint = 0');
    this.worker = new Worker(THREAD, { eval: true, workerData: { path, busyTimeoutMs, driver: createRequire(import.meta.url).resolve('better-sqlite3') } });
    this.worker.unref();
    this.worker.on('message', (reply: { id: number; result?: CheckpointResult; error?: string }) => {
      const waiting = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (reply.result !== undefined) waiting?.resolve(reply.result);
      else waiting?.reject(new Error(`WAL checkpoint failed: ${reply.error ?? 'unknown error'}`));
    });
    const fail = (error: Error): void => {
      if (!this.stopped) this.fallBack();
      for (const w of this.waiting.values()) w.reject(error);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', () => fail(new Error('the WAL checkpoint thread stopped')));
    this.timer = setInterval(() => {
      const changes = changeCount();
      if (this.running || changes === this.lastChanges) return;
      this.lastChanges = changes;
      this.running = true;
      // A failed checkpoint (the file busy past the timeout) is tried again at the next tick.
      void this.checkpoint()
        .catch(() => undefined)
        .finally(() => {
          this.running = false;
        });
    }, CHECKPOINT_EVERY_MS);
    this.timer.unref();
  }

  /** Runs a PASSIVE checkpoint in the thread now. */
  checkpoint(): Promise<CheckpointResult> {
    return new Promise((resolve, reject) => {
      if (this.stopped) return reject(new Error('the WAL checkpoint thread stopped'));
      const id = this.nextId++;
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage(id);
    });
  }

  /** The main connection checkpoints by itself again (the thread is gone). */
  private fallBack(): void {
    this.stopped = true;
    clearInterval(this.timer);
    if (this.main.open) this.main.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  }

  /** Stops the thread; the main connection, closing next, checkpoints what is left. */
  async close(): Promise<void> {
    this.fallBack();
    await this.worker.terminate();
  }
}
