/**
 * The write-ahead log is checkpointed by its own thread, never by a commit of the main
 * connection, and by the main connection again once that thread is gone.
 */
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHECKPOINT_EVERY_MS, WalCheckpointer } from './sqlite-checkpointer.js';

let dir: string;
let main: BetterSqlite3.Database;
let checkpointer: WalCheckpointer | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stellar-wal-'));
  main = new BetterSqlite3(join(dir, 'stellar.db'));
  main.pragma('journal_mode = WAL');
  main.exec('create table t (id integer primary key, body blob)');
});
afterEach(async () => {
  await checkpointer?.close();
  checkpointer = undefined;
  main.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `pages` pages of 4 KiB written in transactions of 50. */
function write(pages: number): void {
  const insert = main.prepare('insert into t (body) values (?)');
  const tx = main.transaction((n: number) => {
    for (let i = 0; i < n; i += 1) insert.run(Buffer.alloc(4000, i));
  });
  for (let done = 0; done < pages; done += 50) tx(Math.min(50, pages - done));
}
const start = (count: () => number = () => main.prepare('select total_changes()').pluck().get() as number) =>
  (checkpointer = new WalCheckpointer(main, join(dir, 'stellar.db'), 5000, count));

describe('WalCheckpointer', () => {
  it('leaves checkpoints to its thread: the main connection’s commits never checkpoint, however long the log', async () => {
    // A change count that never moves (it starts at -1 in the checkpointer): its timer checkpoints nothing here.
    const cp = start(() => -1);
    expect(main.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    write(3000);
    const result = await cp.checkpoint();
    // Past SQLite's 1,000 pages, no commit of the main connection started the log again.
    expect(result.log).toBeGreaterThan(3000);
    expect(result.checkpointed).toBe(result.log);
    expect(main.prepare('select count(*) from t').pluck().get()).toBe(3000);
  });

  it('checkpoints every second while the data changes, so the log starts again and stays short', async () => {
    const cp = start();
    write(2000);
    await new Promise((resolve) => setTimeout(resolve, 2.5 * CHECKPOINT_EVERY_MS));
    // The thread checkpointed the 2,000 pages: the next commit writes the log from its start.
    write(50);
    expect((await cp.checkpoint()).log).toBeLessThan(200);
  });

  it('hands checkpoints back to the main connection when its thread stops', async () => {
    const cp = start();
    await cp.close();
    expect(main.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await expect(cp.checkpoint()).rejects.toThrow(/stopped/);
  });
});
