/** The main connection's statements are prepared once per text, never shared while one is still being iterated, and bounded in number. */
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { statementCaching } from './sqlite-statement-cache.js';

describe('statementCaching', () => {
  const sqlite = new BetterSqlite3(':memory:');
  sqlite.exec('create table t (n integer); insert into t values (1), (2), (3)');
  afterEach(() => sqlite.exec('delete from t where n > 3'));

  it('hands back the same statement for the same text, and runs it as often as asked', () => {
    const cached = statementCaching(sqlite);
    const first = cached.prepare('select n from t order by n');
    expect(cached.prepare('select n from t order by n')).toBe(first);
    expect(first.all()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    cached.prepare('insert into t values (?)').run(4);
    expect(cached.prepare('select n from t order by n').all()).toHaveLength(4);
  });

  it('gives a statement of its own to a caller while the kept one is being iterated (a streamed read)', () => {
    const cached = statementCaching(sqlite);
    const streaming = cached.prepare('select n from t order by n');
    const rows = streaming.iterate();
    expect(rows.next().value).toEqual({ n: 1 });
    const other = cached.prepare('select n from t order by n');
    expect(other).not.toBe(streaming);
    expect(other.all()).toHaveLength(3);
    rows.return?.();
    expect(cached.prepare('select n from t order by n')).toBe(streaming);
  });

  it('keeps no more than it is told, the least recently used going first', () => {
    const cached = statementCaching(sqlite, 2);
    const a = cached.prepare('select 1');
    const b = cached.prepare('select 2');
    expect(cached.prepare('select 1')).toBe(a);
    cached.prepare('select 3');
    expect(cached.prepare('select 1')).toBe(a);
    expect(cached.prepare('select 2')).not.toBe(b);
  });
});
