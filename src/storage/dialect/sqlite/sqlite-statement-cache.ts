/**
 * The main connection as Kysely's SQLite driver sees it, keeping its prepared statements.
 * The driver prepares every query it runs, and preparing costs SQLite more than running a
 * keyed read: the latest row's select of a hundred columns took ~0.1 ms to prepare and
 * microseconds to run, several times per overview request and per collection's writes. A
 * statement still being iterated (a streamed read) is busy, so a second caller of the same text
 * then gets one of its own.
 */
import type BetterSqlite3 from 'better-sqlite3';

/** Statements kept: the service runs a few hundred distinct texts; beyond, the least recently used goes. */
export const KEPT_STATEMENTS = 256;

export function statementCaching(sqlite: BetterSqlite3.Database, kept = KEPT_STATEMENTS): { prepare(sql: string): BetterSqlite3.Statement; close(): void } {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql: string) {
      const found = statements.get(sql);
      if (found !== undefined && !found.busy) {
        // Least recently used goes first: a kept statement moves to the end.
        statements.delete(sql);
        statements.set(sql, found);
        return found;
      }
      const statement = sqlite.prepare(sql);
      if (found === undefined) {
        statements.set(sql, statement);
        if (statements.size > kept) statements.delete(statements.keys().next().value as string);
      }
      return statement;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}
