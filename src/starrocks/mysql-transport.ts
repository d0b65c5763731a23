/**
 * The MySQL protocol to one cluster's FE (query_port) through a small mysql2 pool: for
 * `SHOW BACKENDS` and friends when a cluster's node list comes over MySQL. Rows are taken as
 * they arrive and the reading stops at the row cap: a result set has no byte limit of its own.
 */
import { connect, type Socket } from 'node:net';
import type { Connection as CoreConnection, FieldPacket } from 'mysql2';
import mysql from 'mysql2/promise';
import type { CallDeadline } from './call-deadline.js';
import { describeCause, ScrapeError, transportErrorKind } from './errors.js';
import { type RowLimit, tooManyRows } from './limit-error.js';
import type { ProcTable } from './proc-table.js';

export interface MysqlTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly ssl: boolean;
  readonly timeoutMs: number;
}

const ACCESS_DENIED = 1045;
const CONNECTIONS = 2;
/** How long close() lets connections quit politely before cutting them. */
const CLOSE_GRACE_MS = 1_000;

/**
 * Every cell as the text the FE sent (null for SQL NULL), whatever type its column declares:
 * StarRocks declares VARCHAR throughout, but mysql2's own casting would turn a DATETIME into a
 * local-time Date and a DOUBLE into a reformatted number.
 */
const cellText: mysql.TypeCast = (field) => field.string();

export class MysqlTransport {
  private readonly pool: mysql.Pool;
  private readonly address: string;
  /** The pool's sockets, opened here so that close() can cut one stuck in a hung handshake or query. */
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: MysqlTarget) {
    this.address = `${target.host}:${target.port}`;
    this.pool = mysql.createPool({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      stream: () => this.openSocket(),
      connectTimeout: target.timeoutMs,
      connectionLimit: CONNECTIONS,
      maxIdle: CONNECTIONS,
      idleTimeout: 60_000,
      ...(target.ssl ? { ssl: {} } : {}),
    });
    // A pooled connection that the FE drops is replaced on next use; the event only needs a listener.
    this.pool.on('connection', (connection) => connection.on('error', () => undefined));
  }

  async query(sql: string, deadline: CallDeadline, rowLimit: RowLimit): Promise<ProcTable> {
    const source = `mysql ${this.address} ${sql}`;
    try {
      const connection = await this.connection(deadline, source);
      let table: ProcTable;
      try {
        table = await deadline.race(readRows(connection, sql, rowLimit, source), source);
      } catch (error) {
        // A query still waiting for its answer keeps its connection busy for good (mysql2 has
        // no way to cancel it), and one cut at the row cap is mid-result, so only a connection
        // the FE answered with an error goes back to the pool.
        if (answeredByFe(error)) connection.release();
        else connection.destroy();
        throw error;
      }
      connection.release();
      return table;
    } catch (error) {
      if (error instanceof ScrapeError) throw error;
      throw this.failure(source, deadline, error);
    }
  }

  /**
   * Ends the pool: idle connections quit politely; one stuck in a hung handshake or query
   * (which a caller's deadline can leave behind) would hold end() until its own timeout, so
   * after a short grace its socket is destroyed.
   */
  async close(): Promise<void> {
    const ended = this.pool.end().catch(() => undefined);
    const cut = setTimeout(() => this.sockets.forEach((socket) => socket.destroy()), Math.min(CLOSE_GRACE_MS, this.target.timeoutMs));
    await ended;
    clearTimeout(cut);
  }

  /** A pooled connection within the deadline; one that arrives after it goes back to the pool unused. */
  private async connection(deadline: CallDeadline, source: string): Promise<mysql.PoolConnection> {
    const acquiring = this.pool.getConnection();
    try {
      return await deadline.race(acquiring, source);
    } catch (error) {
      acquiring.then(
        (late) => late.release(),
        () => undefined,
      );
      throw error;
    }
  }

  private openSocket(): Socket {
    const socket = connect({ host: this.target.host, port: this.target.port, noDelay: true, keepAlive: true });
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }

  private failure(source: string, deadline: CallDeadline, error: unknown): ScrapeError {
    const e = error as { errno?: number; code?: unknown; sqlMessage?: string };
    if (e.errno === ACCESS_DENIED || e.code === 'ER_ACCESS_DENIED_ERROR') {
      return new ScrapeError('auth', source, typeof e.sqlMessage === 'string' ? e.sqlMessage : 'access denied', { cause: error });
    }
    if (deadline.expired) return deadline.timeoutError(source, error);
    if (answeredByFe(error)) {
      return new ScrapeError('query_failed', source, `error ${String(e.errno)}: ${String(e.sqlMessage)}`, { cause: error });
    }
    const kind = transportErrorKind(error);
    if (kind === 'timeout') return deadline.timeoutError(source, error);
    return new ScrapeError(kind, source, kind === 'refused' ? `connection refused or host unreachable (${describeCause(error)})` : describeCause(error), { cause: error });
  }
}

/**
 * One result set, row by row, as text cells: at the row past the cap the promise is refused and
 * the caller destroys the connection, so the rest of the result is never read.
 */
function readRows(connection: mysql.PoolConnection, sql: string, rowLimit: RowLimit, source: string): Promise<ProcTable> {
  // The promise wrapper's `connection` is mysql2's callback connection (its typings say otherwise): it streams rows as events.
  const core = connection.connection as unknown as CoreConnection;
  return new Promise((resolve, reject) => {
    const rows: (string | null)[][] = [];
    let fields: FieldPacket[] | null = null;
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    // rowsAsArray: titles and their order come from the field list, as the FE declared them.
    const query = core.query({ sql, rowsAsArray: true, typeCast: cellText });
    query.on('fields', (packets: FieldPacket[]) => {
      fields = packets;
    });
    query.on('result', (row: unknown) => {
      if (settled) return;
      if (rows.length >= rowLimit.max) return fail(tooManyRows(source, rowLimit));
      rows.push(row as (string | null)[]);
    });
    query.on('error', fail);
    query.on('end', () => {
      if (settled) return;
      settled = true;
      if (fields === null) reject(new ScrapeError('malformed', source, 'the FE answered without a result set'));
      else resolve({ columns: fields.map((f) => f.name), rows });
    });
  });
}

/** An error packet from the FE (errno and message), as opposed to a timeout or a broken connection. */
function answeredByFe(error: unknown): boolean {
  const e = error as { errno?: unknown; sqlMessage?: unknown } | null;
  return typeof e?.errno === 'number' && typeof e.sqlMessage === 'string';
}
