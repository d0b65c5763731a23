/**
 * The MySQL-protocol port (query_port, 9030) of one simulated StarRocks FE: logs clients in
 * with mysql_native_password and answers their text queries with whatever the simulator says.
 *
 * The TCP side is a plain net.Server rather than mysql2's createServer(): that wrapper cannot
 * report its bound port, does not forward listen errors and does not track its sockets. Each
 * socket is wrapped in a server-side mysql2 Connection exactly as mysql2's Server does it.
 */
import type { EventEmitter } from 'node:events';
import net from 'node:net';
import mysql from 'mysql2';
import { accessDeniedMessage, isValidLogin, type NativePasswordLogin } from './mysql-native-password.js';

export interface SqlResultSet {
  /** No columns at all is answered with an OK packet, as StarRocks answers SET or USE. */
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | null)[])[];
}
export interface SqlFailure { readonly errno: number; readonly sqlState: string; readonly message: string }
export type SqlAnswer = SqlResultSet | SqlFailure;
/** What the listener does right now; asked on every new connection and every query. */
export type MysqlBehaviour =
  | { readonly kind: 'normal' }
  | { readonly kind: 'hang' } // accept the TCP connection, never send the handshake / never answer the query
  | { readonly kind: 'slow'; readonly delayMs: number } // answer each query after delayMs
  | { readonly kind: 'wrong_password' }; // reject every login with ER_ACCESS_DENIED_ERROR
export interface MysqlListenerOptions {
  readonly host: string;
  readonly port: number; // 0 = ephemeral
  readonly username: string;
  readonly password: string; // '' allowed
  readonly serverVersion: string; // e.g. '8.0.33', the MySQL version StarRocks claims to be
  answer(sql: string): SqlAnswer; // called with the query text as received
  behaviour(): MysqlBehaviour;
}
export interface MysqlListener {
  readonly port: number; // the bound port (resolved when port was 0)
  /** Stop accepting (new connections get ECONNREFUSED) and drop open connections; the port stays reserved for listenAgain(). */
  stopListening(): Promise<void>;
  /** Listen again on the same host:port after stopListening(). */
  listenAgain(): Promise<void>;
  /** Stop for good, destroy every socket, resolve when closed. */
  close(): Promise<void>;
}

const COM_QUIT = 0x01;
const COM_INIT_DB = 0x02;
const COM_QUERY = 0x03;
const COM_PING = 0x0e;
const UTF8_GENERAL_CI = 33;
const MYSQL_TYPE_VAR_STRING = 253;
const SERVER_STATUS_AUTOCOMMIT = 0x0002;
// Roughly what a StarRocks FE announces. mysql2 parses the client's reply with these flags and
// its client intersects them with its own, so announcing CLIENT_QUERY_ATTRIBUTES, DEPRECATE_EOF
// or SSL would make the client send or expect bytes that mysql2's server side does not handle.
const SERVER_CAPABILITIES =
  0x00000001 | // LONG_PASSWORD
  0x00000004 | // LONG_FLAG
  0x00000008 | // CONNECT_WITH_DB
  0x00000200 | // PROTOCOL_41
  0x00002000 | // TRANSACTIONS
  0x00008000 | // SECURE_CONNECTION
  0x00020000 | // MULTI_RESULTS
  0x00080000 | // PLUGIN_AUTH
  0x00100000 | // CONNECT_ATTRS
  0x00200000; // PLUGIN_AUTH_LENENC_CLIENT_DATA

/** What Connection.writePacket needs of a packet; it fills in the 4-byte header itself. */
interface RawPacket { readonly buffer: Buffer; length(): number; writeHeader(sequenceId: number): void }
interface CommandPacket { readInt8(): number; readString(length: undefined, encoding: string): string }

/** The part of mysql2's server-side Connection used here; mysql2 types hardly any of it. */
interface ServerConnection extends EventEmitter {
  /** mysql2 never resets it between commands on the server side, so we do. */
  sequenceId: number;
  readonly clientHelloReply: { readonly encoding: string };
  serverHandshake(args: {
    protocolVersion: number; serverVersion: string; connectionId: number; statusFlags: number;
    characterSet: number; capabilityFlags: number;
    authCallback(login: NativePasswordLogin, accept: (err: null) => void): void;
  }): void;
  writeColumns(columns: readonly object[]): void;
  writeTextRow(row: readonly (string | null)[]): void;
  writeEof(): void;
  writeOk(): void;
  writePacket(packet: RawPacket): void;
  close(): void;
}
const mysqlServerSide = mysql as unknown as {
  Connection: new (options: { config: unknown }) => ServerConnection;
  ConnectionConfig: new (options: { stream: net.Socket; isServer: true; connectTimeout: number }) => unknown;
};

/** An ERR packet with its SQLSTATE; mysql2's writeError always sends '_____'. */
function errorPacket({ errno, sqlState, message }: SqlFailure): RawPacket {
  const text = Buffer.from(message, 'utf8');
  const buffer = Buffer.alloc(13 + text.length);
  buffer.writeUInt8(0xff, 4);
  buffer.writeUInt16LE(errno, 5);
  buffer.write(`#${sqlState}`, 7, 6, 'ascii');
  text.copy(buffer, 13);
  return {
    buffer,
    length: () => buffer.length,
    writeHeader(sequenceId) {
      buffer.writeUIntLE(buffer.length - 4, 0, 3);
      buffer.writeUInt8(sequenceId, 3);
    },
  };
}

function varcharColumn(name: string): object {
  return {
    catalog: 'def', schema: '', table: '', orgTable: '', name, orgName: name,
    characterSet: UTF8_GENERAL_CI, columnLength: 255, columnType: MYSQL_TYPE_VAR_STRING, flags: 0, decimals: 0,
  };
}

function writeAnswer(connection: ServerConnection, answer: SqlAnswer): void {
  if ('errno' in answer) {
    connection.writePacket(errorPacket(answer));
  } else if (answer.columns.length === 0) {
    connection.writeOk();
  } else {
    // Not writeTextResult(): it wants rows as objects keyed by column title, so equal titles collide.
    connection.writeColumns(answer.columns.map(varcharColumn));
    for (const row of answer.rows) connection.writeTextRow(row);
    connection.writeEof();
  }
  connection.sequenceId = 0;
}

function answerSafely(options: MysqlListenerOptions, sql: string): SqlAnswer {
  try {
    return options.answer(sql);
  } catch (error) {
    // A bug in the simulator reaches the client instead of killing the process from a timer.
    return { errno: 1105, sqlState: 'HY000', message: error instanceof Error ? error.message : String(error) };
  }
}

function ignore(): void {}

export async function startMysqlListener(options: MysqlListenerOptions): Promise<MysqlListener> {
  const sockets = new Set<net.Socket>();
  let nextConnectionId = 1;
  let closedForGood = false;

  function serve(socket: net.Socket): void {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // Clients reset or vanish all the time; that is not the simulator's problem.
    socket.on('error', ignore);
    const atConnect = options.behaviour();
    if (atConnect.kind === 'hang') return;

    const delayedReplies = new Set<NodeJS.Timeout>();
    socket.once('close', () => delayedReplies.forEach(clearTimeout));
    // connectTimeout 0: mysql2 would otherwise arm a 10 s timer on every server-side socket.
    const config = new mysqlServerSide.ConnectionConfig({ stream: socket, isServer: true, connectTimeout: 0 });
    const connection = new mysqlServerSide.Connection({ config });
    // mysql2 emits every disconnect as an 'error'; unheard, that would throw.
    connection.on('error', ignore);

    function reply(answer: () => SqlAnswer): void {
      const now = options.behaviour();
      if (now.kind === 'hang') return;
      if (now.kind !== 'slow') {
        writeAnswer(connection, answer());
        return;
      }
      const timer = setTimeout(() => {
        delayedReplies.delete(timer);
        writeAnswer(connection, answer());
      }, now.delayMs);
      delayedReplies.add(timer);
    }

    // mysql2 answers PING, INIT_DB and prepared statements itself unless someone listens, and
    // hands COM_QUERY texts starting with SET, PREPARE or EXECUTE to its prepared-statement
    // events. Listening to all of them silences that; commands are served from 'packet' instead.
    for (const event of ['query', 'ping', 'init_db', 'stmt_prepare', 'stmt_execute', 'field_list']) {
      connection.on(event, ignore);
    }
    connection.on('packet', (packet: CommandPacket, _known: boolean, command: number) => {
      switch (command) {
        case COM_QUIT:
          return; // mysql2 has already ended the stream
        case COM_QUERY: {
          packet.readInt8();
          const sql = packet.readString(undefined, connection.clientHelloReply.encoding);
          reply(() => answerSafely(options, sql));
          return;
        }
        case COM_PING:
        case COM_INIT_DB:
          reply(() => ({ columns: [], rows: [] }));
          return;
        default:
          writeAnswer(connection, { errno: 1047, sqlState: '08S01', message: 'Unknown command' });
      }
    });

    connection.serverHandshake({
      protocolVersion: 10,
      serverVersion: options.serverVersion,
      connectionId: nextConnectionId++,
      statusFlags: SERVER_STATUS_AUTOCOMMIT,
      characterSet: UTF8_GENERAL_CI,
      capabilityFlags: SERVER_CAPABILITIES,
      authCallback(login, accept) {
        if (atConnect.kind !== 'wrong_password' && isValidLogin(login, options.username, options.password)) {
          accept(null);
          connection.sequenceId = 0;
          return;
        }
        // Not through accept(): mysql2 would send the error without its SQLSTATE 28000.
        const message = accessDeniedMessage(login, socket.remoteAddress ?? '');
        connection.writePacket(errorPacket({ errno: 1045, sqlState: '28000', message }));
        connection.close();
      },
    });
  }

  const server = net.createServer(serve);
  // A failed accept (EMFILE with a thousand clusters) costs that one client its connection,
  // as on a real overloaded FE; it must not take the simulator down.
  server.on('error', ignore);

  function listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  async function stopListening(): Promise<void> {
    if (!server.listening) return;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await stopped;
  }

  await listen(options.port);
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    stopListening,
    async listenAgain() {
      if (closedForGood) throw new Error(`MySQL listener on ${options.host}:${port} is closed for good`);
      if (!server.listening) await listen(port);
    },
    async close() {
      closedForGood = true;
      await stopListening();
    },
  };
}
