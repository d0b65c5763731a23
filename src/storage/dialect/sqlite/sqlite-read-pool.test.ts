/**
 * The read threads of a SQLite file database: they see what the main connection committed,
 * refuse writes, keep the event loop free while SQLite works, and stop with the storage.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteFile } from '../../../../test/helpers/dialects.js';
import { migrateToLatest } from '../../migrate.js';
import type { Storage } from '../dialect.js';
import { openSqlite } from './sqlite-dialect.js';

let storage: Storage | null = null;
afterEach(async () => {
  await storage?.close();
  storage = null;
});

async function openFile(): Promise<Storage> {
  storage = await openSqliteFile();
  await migrateToLatest(storage);
  return storage;
}

/** A read that keeps SQLite busy for a while: counting to `n` in a recursive query. */
const longRead = (n: number) => sql<{ n: number }>`with recursive c(i) as (select 1 union all select i + 1 from c where i < ${n}) select count(*) as n from c`;

/** How many times the event loop turned while `work` ran. */
async function turnsDuring(work: () => Promise<unknown>): Promise<{ turns: number; result: unknown }> {
  let turns = 0;
  let running = true;
  const spin = () => {
    if (!running) return;
    turns += 1;
    setImmediate(spin);
  };
  setImmediate(spin);
  const result = await work();
  running = false;
  return { turns, result };
}

describe('the SQLite read threads', () => {
  it('read what the main connection committed, at once', async () => {
    const s = await openFile();
    expect(s.reader).not.toBe(s.db);
    await s.db.insertInto('stellar_meta').values({ key: 'probe', value: 'one' }).execute();
    expect(await s.reader.selectFrom('stellar_meta').select('value').where('key', '=', 'probe').executeTakeFirst()).toEqual({ value: 'one' });
    await s.db.updateTable('stellar_meta').set({ value: 'two' }).where('key', '=', 'probe').execute();
    expect(await s.reader.selectFrom('stellar_meta').select('value').where('key', '=', 'probe').executeTakeFirst()).toEqual({ value: 'two' });
  });

  it('refuse a write with a clear error and change nothing', async () => {
    const s = await openFile();
    await expect(s.reader.insertInto('stellar_meta').values({ key: 'sneaky', value: 'x' }).execute()).rejects.toThrow(/only reads/);
    await expect(s.reader.transaction().execute(() => Promise.resolve(1))).rejects.toThrow(/no transactions/);
    expect(await s.db.selectFrom('stellar_meta').select('key').where('key', '=', 'sneaky').execute()).toEqual([]);
  });

  it('report an SQL error as the query’s own failure, and go on reading', async () => {
    const s = await openFile();
    await expect(sql`select * from no_such_table`.execute(s.reader)).rejects.toThrow(/no such table/);
    expect((await longRead(10).execute(s.reader)).rows).toEqual([{ n: 10 }]);
  });

  it('leave the event loop free while a long read runs, where the main connection holds it', async () => {
    const s = await openFile();
    const n = 3_000_000;
    const inThreads = await turnsDuring(() => longRead(n).execute(s.reader));
    const onMain = await turnsDuring(() => longRead(n).execute(s.db));
    expect(inThreads.result).toEqual({ rows: [{ n }] });
    expect(onMain.result).toEqual({ rows: [{ n }] });
    // On the main connection the count runs inside one synchronous call: the loop cannot turn.
    expect(onMain.turns).toBeLessThanOrEqual(1);
    expect(inThreads.turns).toBeGreaterThan(10);
  });

  it('answer reads side by side on two threads', async () => {
    const s = await openFile();
    const answers = await Promise.all([longRead(200_000).execute(s.reader), longRead(5).execute(s.reader), longRead(7).execute(s.reader)]);
    expect(answers.map((a) => a.rows)).toEqual([[{ n: 200_000 }], [{ n: 5 }], [{ n: 7 }]]);
  });

  it('stop with the storage: a read after close is refused', async () => {
    const s = await openFile();
    await longRead(3).execute(s.reader);
    await s.close();
    storage = null;
    await expect(longRead(3).execute(s.reader)).rejects.toThrow();
  });

  it('read an in-memory database through its one connection', () => {
    storage = openSqlite(':memory:');
    expect(storage.reader).toBe(storage.db);
  });
});
