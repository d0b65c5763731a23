/**
 * Node lists over the MySQL protocol (`node_list_source: 'mysql'`), against the simulator's
 * MySQL listener on loopback: titles and cells as the FE declared them, and each way the
 * query port fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../config/schema.js';
import { startMysqlListener, type MysqlBehaviour, type MysqlListener, type SqlAnswer } from '../simulator/mysql-listener.js';
import { StarRocksClient, type StarRocksTarget } from './starrocks-client.js';
import { loopbackTarget, scrapeFailure, unusedPort } from './testing.js';

/** Room for timers, the event loop and a loaded CI machine; never a tighter bound. */
const SLACK_MS = 1_500;

const BACKENDS: SqlAnswer = {
  columns: ['BackendId', 'IP', 'Alive', 'ErrMsg', 'LastStartTime'],
  rows: [
    ['10001', '10.0.0.1', 'true', null, '2026-11-20 08:00:00'],
    ['10002', '10.0.0.2', 'false', 'heartbeat timeout', null],
  ],
};
const FRONTENDS: SqlAnswer = { columns: ['Name', 'Role'], rows: [['fe1', 'LEADER']] };
const COMPUTE_NODES: SqlAnswer = { columns: ['ComputeNodeId'], rows: [] };

const listeners: MysqlListener[] = [];
const clients: StarRocksClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(listeners.splice(0).map((l) => l.close()));
});

const SHOW_ANSWERS: Record<string, SqlAnswer> = { 'SHOW BACKENDS': BACKENDS, 'SHOW FRONTENDS': FRONTENDS, 'SHOW COMPUTE NODES': COMPUTE_NODES };
const answerShow = (sql: string): SqlAnswer => SHOW_ANSWERS[sql] ?? { errno: 1064, sqlState: '42000', message: `Getting syntax error at line 1. Detail message: ${sql}` };

/** A query port (by default answering the three SHOW statements), the queries it was asked, and its switchable behaviour. */
async function queryPort(behaviour: MysqlBehaviour = { kind: 'normal' }, answer: (sql: string) => SqlAnswer = answerShow) {
  const queries: string[] = [];
  const state = { behaviour };
  const listener = await startMysqlListener({
    host: '127.0.0.1',
    port: 0,
    username: 'root',
    password: 'p:w',
    serverVersion: '8.0.33',
    answer(sql) {
      queries.push(sql);
      return answer(sql);
    },
    behaviour: () => state.behaviour,
  });
  listeners.push(listener);
  return { listener, queries, state };
}

function clientOf(port: number, overrides: Partial<StarRocksTarget> = {}, maxBackends = DEFAULT_LIMITS.max_backends): StarRocksClient {
  const target = loopbackTarget({ node_list_source: 'mysql', fe_query_port: port, connection_timeout: 1, ...overrides });
  const client = new StarRocksClient(target, { limits: { ...DEFAULT_LIMITS, max_backends: maxBackends } });
  clients.push(client);
  return client;
}

describe('node lists over MySQL', () => {
  it('return titles from the field list and cells as text, NULL as null', async () => {
    const { listener, queries } = await queryPort();
    const client = clientOf(listener.port);
    expect(await client.backends()).toEqual({ columns: BACKENDS.columns, rows: BACKENDS.rows });
    expect(await client.frontends()).toEqual({ columns: ['Name', 'Role'], rows: [['fe1', 'LEADER']] });
    expect(await client.computeNodes()).toEqual({ columns: ['ComputeNodeId'], rows: [] });
    expect(queries).toEqual(['SHOW BACKENDS', 'SHOW FRONTENDS', 'SHOW COMPUTE NODES']);
  });

  it('never ask Doris for compute nodes', async () => {
    const { listener, queries } = await queryPort();
    expect(await clientOf(listener.port, { engine: 'doris' }).computeNodes()).toEqual({ columns: null, rows: [] });
    expect(queries).toEqual([]);
  });

  it('call a rejected login auth, with the FE’s message and never the password', async () => {
    const { listener } = await queryPort({ kind: 'wrong_password' });
    const { error } = await scrapeFailure(clientOf(listener.port).backends());
    expect([error.kind, error.source]).toEqual(['auth', `mysql 127.0.0.1:${listener.port} SHOW BACKENDS`]);
    expect(error.message).toContain("Access denied for user 'root'@'127.0.0.1'");
    expect(error.message).not.toContain('p:w');
  });

  it('call a server that accepts and never greets a timeout, within the per-request timeout', async () => {
    const { listener } = await queryPort({ kind: 'hang' });
    const { error, afterMs } = await scrapeFailure(clientOf(listener.port).backends());
    expect([error.kind, error.message]).toEqual(['timeout', expect.stringContaining('per-request timeout of 1 s')]);
    expect(afterMs).toBeLessThan(1_000 + SLACK_MS);
  });

  it('call a query answered later than the timeout a timeout, and recover once the FE is quick again', async () => {
    const { listener, state } = await queryPort();
    const client = clientOf(listener.port);
    await client.frontends(); // the pool now holds a logged-in connection
    state.behaviour = { kind: 'slow', delayMs: 2_500 };
    const { error, afterMs } = await scrapeFailure(client.backends());
    expect(error.kind).toBe('timeout');
    expect(afterMs).toBeLessThan(1_000 + SLACK_MS);
    state.behaviour = { kind: 'normal' };
    expect((await client.backends()).rows).toHaveLength(2);
  });

  it('do not let queries the FE never answered wedge the pool: the next call after the FE recovers succeeds', async () => {
    const { listener, state } = await queryPort();
    const client = clientOf(listener.port);
    await Promise.all([client.frontends(), client.backends()]); // the pool now holds two logged-in connections
    state.behaviour = { kind: 'hang' }; // and the FE stops answering queries on both
    await Promise.all([client.backends(), client.frontends()].map((call) => scrapeFailure(call)));
    state.behaviour = { kind: 'normal' };
    expect((await client.backends()).rows).toHaveLength(2);
  });

  it('stop at the caller’s deadline when it comes first, and say so', async () => {
    const { listener } = await queryPort({ kind: 'hang' });
    const client = clientOf(listener.port, { connection_timeout: 30 });
    const { error, afterMs } = await scrapeFailure(client.frontends({ signal: AbortSignal.timeout(200) }));
    expect([error.kind, error.message]).toEqual(['timeout', expect.stringContaining('the caller’s deadline passed')]);
    expect(afterMs).toBeLessThan(200 + SLACK_MS);
  });

  it('call a port with nothing listening refused', async () => {
    const port = await unusedPort();
    const { error } = await scrapeFailure(clientOf(port).frontends());
    expect([error.kind, error.source]).toEqual(['refused', `mysql 127.0.0.1:${port} SHOW FRONTENDS`]);
  });

  it('call an error the FE reports for the statement query_failed, with its errno', async () => {
    const { listener } = await queryPort({ kind: 'normal' }, () => ({ errno: 1064, sqlState: '42000', message: 'Getting syntax error at line 1' }));
    const { error } = await scrapeFailure(clientOf(listener.port).backends());
    expect([error.kind, error.message]).toEqual(['query_failed', expect.stringContaining('error 1064: Getting syntax error at line 1')]);
    expect(error.cause).toMatchObject({ errno: 1064 });
  });

  it('stop reading a list longer than limits.max_backends at the cap, say so, and leave the pool usable', async () => {
    const huge: SqlAnswer = { columns: ['BackendId', 'IP', 'Alive'], rows: Array.from({ length: 20_000 }, (_, i) => [String(10_000 + i), '10.0.0.1', 'true']) };
    const { listener } = await queryPort({ kind: 'normal' }, (sql) => (sql === 'SHOW BACKENDS' ? huge : answerShow(sql)));
    const client = clientOf(listener.port, { connection_timeout: 10 }, 100);
    const { error } = await scrapeFailure(client.backends());
    expect([error.kind, error.source, error.message]).toEqual(['over_limit', `mysql 127.0.0.1:${listener.port} SHOW BACKENDS`, expect.stringMatching(/: the backends list has more than 100 rows \(limit limits\.max_backends\)$/)]);
    // The connection cut mid-result is not reused: the next query gets a whole answer.
    expect(await client.frontends()).toEqual({ columns: ['Name', 'Role'], rows: [['fe1', 'LEADER']] });
  });

  it('read a list of exactly limits.max_backends rows whole, frontends included', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => [`fe${i}`, 'FOLLOWER']);
    const { listener } = await queryPort({ kind: 'normal' }, (sql) => (sql === 'SHOW FRONTENDS' ? { columns: ['Name', 'Role'], rows } : answerShow(sql)));
    const client = clientOf(listener.port, {}, 100);
    expect((await client.frontends()).rows).toHaveLength(100);
    const longer = await queryPort({ kind: 'normal' }, (sql) => (sql === 'SHOW FRONTENDS' ? { columns: ['Name', 'Role'], rows: [...rows, ['fe100', 'FOLLOWER']] } : answerShow(sql)));
    const { error } = await scrapeFailure(clientOf(longer.listener.port, {}, 100).frontends());
    expect(error.message).toMatch(/: the frontends list has more than 100 rows \(limit limits\.max_backends\)$/);
  });
});
