import { once } from 'node:events';
import net from 'node:net';
import mysql from 'mysql2/promise';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startMysqlListener, type MysqlBehaviour, type MysqlListener, type MysqlListenerOptions, type SqlAnswer } from './mysql-listener.js';

const BACKENDS: SqlAnswer = {
  columns: ['BackendId', 'IP', 'Alive', 'ErrMsg'],
  rows: [['10001', '10.0.0.1', 'true', null], ['10002', '10.0.0.2', 'false', 'heartbeat timeout']],
};

let listeners: MysqlListener[] = [];
let clients: { destroy(): void }[] = [];

afterEach(async () => {
  for (const client of clients) client.destroy();
  clients = [];
  await Promise.all(listeners.map((listener) => listener.close()));
  listeners = [];
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/**
 * The listener's delayed answers on fake timers; sockets stay real (so does mysql2's client,
 * whose own timers are not faked). setImmediate stays real to wait for I/O.
 */
function fakeTimers(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
}

/** Until the listener has read one more query (it asks for its behaviour per query). */
async function queryArrived(state: { behaviourAsked: number }, before: number): Promise<void> {
  while (state.behaviourAsked === before) await new Promise((resolve) => setImmediate(resolve));
}

/** A listener whose behaviour the test can switch, and the queries it was asked. */
async function start(overrides: Partial<MysqlListenerOptions> = {}) {
  const state = { behaviour: { kind: 'normal' } as MysqlBehaviour, queries: [] as string[], behaviourAsked: 0 };
  const listener = await startMysqlListener({
    host: '127.0.0.1',
    port: 0,
    username: 'root',
    password: 's3cret',
    serverVersion: '8.0.33',
    answer(sql) {
      state.queries.push(sql);
      if (sql === 'SHOW BACKENDS') return BACKENDS;
      if (sql.startsWith('SET ')) return { columns: [], rows: [] };
      return { errno: 1064, sqlState: '42000', message: `Getting syntax error at line 1. Detail message: ${sql}` };
    },
    behaviour() {
      state.behaviourAsked += 1;
      return state.behaviour;
    },
    ...overrides,
  });
  listeners.push(listener);
  return { listener, state };
}

async function connect(port: number, options: mysql.ConnectionOptions = {}): Promise<mysql.Connection> {
  const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', password: 's3cret', ...options });
  clients.push(connection);
  return connection;
}

describe('startMysqlListener', () => {
  it('greets with protocol 10, the server version and mysql_native_password', async () => {
    const { listener } = await start();
    const raw = net.connect(listener.port, '127.0.0.1');
    clients.push(raw);
    const [greeting] = (await once(raw, 'data')) as [Buffer];
    const payload = greeting.subarray(4);
    expect(payload[0]).toBe(10);
    expect(payload.subarray(1, payload.indexOf(0, 1)).toString()).toBe('8.0.33');
    expect(payload.subarray(-22).toString()).toBe('mysql_native_password\0');
  });

  it('logs the right user in and returns the answer as VARCHAR columns, NULL kept', async () => {
    const { listener, state } = await start();
    const connection = await connect(listener.port);
    const [rows, fields] = await connection.query({ sql: 'SHOW BACKENDS', rowsAsArray: true });
    expect(rows).toEqual(BACKENDS.rows);
    expect(fields.map((field) => field.name)).toEqual(['BackendId', 'IP', 'Alive', 'ErrMsg']);
    expect(fields.map((field) => field.columnType)).toEqual([253, 253, 253, 253]);
    expect(state.queries).toEqual(['SHOW BACKENDS']);
  });

  it('serves a pool query after query with correct sequence ids', async () => {
    const { listener } = await start();
    const outOfOrder = vi.spyOn(console, 'error');
    const pool = mysql.createPool({ host: '127.0.0.1', port: listener.port, user: 'root', password: 's3cret', connectionLimit: 2 });
    try {
      for (let i = 0; i < 3; i += 1) {
        const [rows] = await pool.query<mysql.RowDataPacket[]>('SHOW BACKENDS');
        expect(rows[0]).toEqual({ BackendId: '10001', IP: '10.0.0.1', Alive: 'true', ErrMsg: null });
      }
    } finally {
      await pool.end();
    }
    expect(outOfOrder).not.toHaveBeenCalled();
  });

  it('passes SET statements to answer() and sends an OK packet for a column-less answer', async () => {
    const { listener, state } = await start();
    const connection = await connect(listener.port);
    const [result] = await connection.query('SET NAMES utf8mb4');
    expect(result).toMatchObject({ affectedRows: 0 });
    expect(state.queries).toEqual(['SET NAMES utf8mb4']);
  });

  it('sends a SqlFailure as an error packet with errno, SQLSTATE and message', async () => {
    const { listener } = await start();
    const connection = await connect(listener.port);
    await expect(connection.query('SHOW FOO')).rejects.toMatchObject({
      errno: 1064,
      sqlState: '42000',
      message: 'Getting syntax error at line 1. Detail message: SHOW FOO',
    });
    // The connection survives a failed statement.
    await expect(connection.query('SHOW BACKENDS')).resolves.toBeDefined();
  });

  it('turns an answer() that throws into error 1105, even from a delayed answer', async () => {
    const { listener, state } = await start({
      answer: () => {
        throw new Error('simulator bug');
      },
    });
    const connection = await connect(listener.port);
    state.behaviour = { kind: 'slow', delayMs: 10 };
    await expect(connection.query('SHOW BACKENDS')).rejects.toMatchObject({ errno: 1105, message: 'simulator bug' });
  });

  it('refuses prepared statements with an error the connection survives', async () => {
    const { listener, state } = await start();
    const connection = await connect(listener.port);
    await expect(connection.execute('SHOW BACKENDS')).rejects.toMatchObject({ errno: 1047, sqlState: '08S01' });
    const [rows] = await connection.query({ sql: 'SHOW BACKENDS', rowsAsArray: true });
    expect(rows).toEqual(BACKENDS.rows);
    expect(state.queries).toEqual(['SHOW BACKENDS']);
  });

  it('answers COM_PING', async () => {
    const { listener } = await start();
    const connection = await connect(listener.port);
    await expect(connection.ping()).resolves.toBe(true);
  });

  it('denies a wrong password with 1045 and the client address', async () => {
    const { listener, state } = await start();
    await expect(connect(listener.port, { password: 'guess' })).rejects.toMatchObject({
      errno: 1045,
      sqlState: '28000',
      message: "Access denied for user 'root'@'127.0.0.1' (using password: YES)",
    });
    expect(state.queries).toEqual([]);
  });

  it('denies a wrong user, and says when no password was given', async () => {
    const { listener } = await start();
    await expect(connect(listener.port, { user: 'admin', password: '' })).rejects.toMatchObject({
      errno: 1045,
      message: "Access denied for user 'admin'@'127.0.0.1' (using password: NO)",
    });
  });

  it('logs in with an empty password, and only without a password', async () => {
    const { listener } = await start({ password: '' });
    const connection = await connect(listener.port, { password: '' });
    await expect(connection.query('SHOW BACKENDS')).resolves.toBeDefined();
    await expect(connect(listener.port, { password: 's3cret' })).rejects.toMatchObject({ errno: 1045 });
  });

  it('rejects the right password while behaving as wrong_password', async () => {
    const { listener, state } = await start();
    state.behaviour = { kind: 'wrong_password' };
    await expect(connect(listener.port)).rejects.toMatchObject({
      errno: 1045,
      message: "Access denied for user 'root'@'127.0.0.1' (using password: YES)",
    });
  });

  it('answers after delayMs while slow, not before', async () => {
    const { listener, state } = await start();
    const connection = await connect(listener.port);
    fakeTimers();
    state.behaviour = { kind: 'slow', delayMs: 300 };
    const asked = state.behaviourAsked;
    const query = connection.query({ sql: 'SHOW BACKENDS', rowsAsArray: true });
    await queryArrived(state, asked);
    vi.advanceTimersByTime(299);
    expect(state.queries).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(state.queries).toEqual(['SHOW BACKENDS']);
    const [rows] = await query;
    expect(rows).toEqual(BACKENDS.rows);
  });

  it('never sends the handshake while hanging, so the client times out connecting', async () => {
    const { listener, state } = await start();
    state.behaviour = { kind: 'hang' };
    await expect(connect(listener.port, { connectTimeout: 300 })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  });

  it('never answers a query while hanging', async () => {
    const { listener, state } = await start();
    const connection = await connect(listener.port);
    state.behaviour = { kind: 'hang' };
    await expect(connection.query({ sql: 'SHOW BACKENDS', timeout: 300 })).rejects.toMatchObject({
      code: 'PROTOCOL_SEQUENCE_TIMEOUT',
    });
  });

  it('refuses connections after stopListening() and serves the same port after listenAgain()', async () => {
    const { listener } = await start();
    const open = await connect(listener.port);
    await listener.stopListening();
    await expect(open.query('SHOW BACKENDS')).rejects.toMatchObject({ code: 'PROTOCOL_CONNECTION_LOST' });
    await expect(connect(listener.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await listener.listenAgain();
    const again = await connect(listener.port);
    expect(again.config.port).toBe(listener.port);
    await expect(again.query('SHOW BACKENDS')).resolves.toBeDefined();
  });

  it('close() drops every socket, hung or slow, and cancels delayed answers', async () => {
    const { listener, state } = await start();
    const slow = await connect(listener.port);
    fakeTimers();
    state.behaviour = { kind: 'slow', delayMs: 200 };
    const asked = state.behaviourAsked;
    const pendingQuery = slow.query('SHOW BACKENDS');
    await queryArrived(state, asked);
    state.behaviour = { kind: 'hang' };
    const hung = net.connect(listener.port, '127.0.0.1');
    clients.push(hung);
    await once(hung, 'connect');
    const hungClosed = once(hung, 'close');

    await listener.close();
    await expect(pendingQuery).rejects.toMatchObject({ code: 'PROTOCOL_CONNECTION_LOST' });
    await hungClosed;
    await expect(connect(listener.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(listener.listenAgain()).rejects.toThrow(/closed for good/);
    // Had the delayed answer's timer survived close(), it would ask answer() now.
    vi.advanceTimersByTime(10_000);
    expect(state.queries).toEqual([]);
  });
});
