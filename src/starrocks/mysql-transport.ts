/**
 * The MySQL protocol to one cluster's FE (query_port) through a small mysql2 pool: for
 * `SHOW BACKENDS` and friends when a cluster's node list comes over MySQL.
 */
import mysql from 'mysql2/promise';
import type { CallDeadline } from './call-deadline.js';
import { describeCause, ScrapeError, transportErrorKind } from './errors.js';
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

export class MysqlTransport {
  private readonly pool: mysql.Pool;
  private readonly address: string;

  constructor(private readonly target: MysqlTarget) {
    this.address = `${target.host}:${target.port}`;
    this.pool = mysql.createPool({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      connectTimeout: target.timeoutMs,
      connectionLimit: 2,
      maxIdle: 2,
      idleTimeout: 60_000,
      enableKeepAlive: true,
      ...(target.ssl ? { ssl: {} } : {}),
    });
    // A pooled connection that the FE drops is replaced on next use; the event only needs a listener.
    this.pool.on('connection', (connection) => connection.on('error', () => undefined));
  }

  async query(sql: string, deadline: CallDeadline): Promise<ProcTable> {
    const source = `mysql ${this.address} ${sql}`;
    try {
      const [rows, fields] = await deadline.race(this.pool.query({ sql, rowsAsArray: true, timeout: this.target.timeoutMs }), source);
      return {
        columns: fields.map((f) => f.name),
        rows: (rows as unknown[][]).map((row) => row.map((cell) => (cell === null ? null : String(cell as string)))),
      };
    } catch (error) {
      if (error instanceof ScrapeError) throw error;
      throw this.failure(source, deadline, error);
    }
  }

  /** Ends the pool; a connection stuck in a hung handshake is not waited for beyond the timeout. */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const givenUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.target.timeoutMs);
      timer.unref();
    });
    await Promise.race([this.pool.end().catch(() => undefined), givenUp]);
    clearTimeout(timer);
  }

  private failure(source: string, deadline: CallDeadline, error: unknown): ScrapeError {
    const e = error as { errno?: unknown; code?: unknown; sqlMessage?: unknown; fatal?: unknown };
    if (e.errno === ACCESS_DENIED || e.code === 'ER_ACCESS_DENIED_ERROR') {
      return new ScrapeError('auth', source, typeof e.sqlMessage === 'string' ? e.sqlMessage : 'access denied', { cause: error });
    }
    if (e.code === 'PROTOCOL_SEQUENCE_TIMEOUT' || deadline.expired) return deadline.timeoutError(source, error);
    if (typeof e.errno === 'number' && typeof e.sqlMessage === 'string') {
      return new ScrapeError('query_failed', source, `error ${e.errno}: ${e.sqlMessage}`, { cause: error });
    }
    const kind = transportErrorKind(error);
    if (kind === 'timeout') return deadline.timeoutError(source, error);
    return new ScrapeError(kind, source, kind === 'refused' ? `connection refused or host unreachable (${describeCause(error)})` : describeCause(error), { cause: error });
  }
}
