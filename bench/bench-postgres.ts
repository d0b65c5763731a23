/**
 * A PostgreSQL database of its own for a benchmark: created on the server named by
 * STELLAR_BENCH_POSTGRES (default the machine's local one), handed to `run` as an open Storage,
 * dropped after. When the server cannot be reached the case is left out with a line saying so
 * (`what`: the benchmark's title), not failed.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Storage } from '../src/storage/dialect/dialect.js';
import { openPostgres } from '../src/storage/dialect/postgres/postgres-dialect.js';

export async function withBenchPostgres(what: string, run: (storage: Storage) => Promise<string>): Promise<string> {
  const server = process.env.STELLAR_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432';
  const database = `stellar_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: `${server}/postgres`, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  try {
    await admin(`create database ${database}`);
  } catch (error) {
    return `${what} on PostgreSQL: left out, ${server} is unreachable (${(error as Error).message})`;
  }
  const storage = openPostgres({ url: `${server}/${database}`, poolSize: 4 });
  try {
    return await run(storage);
  } finally {
    await storage.close();
    await admin(`drop database if exists ${database} with (force)`);
  }
}
