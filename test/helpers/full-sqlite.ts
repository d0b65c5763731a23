/**
 * A SQLite database that is really full, without filling a disk: `max_page_count` caps the
 * file at its size, and filler rows take the last free bytes, so the next write that needs
 * room fails with SQLITE_FULL, as it would on a full disk.
 */
import { sql } from 'kysely';
import type { Storage } from '../../src/storage/dialect/dialect.js';

/** Fills `storage` (SQLite) to the brim; the returned function makes room again. */
export async function fillSqlite(storage: Storage): Promise<() => Promise<void>> {
  const { db } = storage;
  await sql`create table filler (b blob)`.execute(db);
  const pages = (await sql<{ page_count: number }>`pragma page_count`.execute(db)).rows[0]!.page_count;
  await sql.raw(`pragma max_page_count = ${pages + 1}`).execute(db);
  for (const size of [4000, 500, 50, 1]) {
    try {
      for (;;) await sql`insert into filler values (randomblob(${size}))`.execute(db);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'SQLITE_FULL') throw err;
    }
  }
  return async () => {
    await sql`pragma max_page_count = 1073741823`.execute(db);
  };
}
