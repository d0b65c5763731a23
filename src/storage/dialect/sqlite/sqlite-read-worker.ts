/**
 * The read pool's worker (sqlite-read-pool.ts), as source text run with `eval`: one file that
 * starts the same way under the build, tsx and the test runner, none of which would otherwise
 * agree on the path of a worker's module. It opens the database read-only, keeps its prepared
 * statements (the builder sends the same few texts again and again), and answers each read
 * with its rows, or the error's message and code.
 */

export interface ReadRequest {
  readonly id: number;
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

export type ReadReply = { readonly id: number; readonly rows: unknown[] } | { readonly id: number; readonly message: string; readonly code: string | undefined };

/** Statements kept per worker; the API's reads are a few dozen texts, exports add one per column choice. */
export const KEPT_STATEMENTS = 256;

export const READ_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = ' + Number(workerData.busyTimeoutMs));
db.pragma('cache_size = -' + Number(workerData.cacheKib));
const statements = new Map();
function statement(sql) {
  let found = statements.get(sql);
  if (found !== undefined) {
    statements.delete(sql);
    statements.set(sql, found);
    return found;
  }
  found = db.prepare(sql);
  if (!found.reader) throw Object.assign(new Error('the read pool runs only reads'), { code: 'STELLAR_ERR_STORAGE' });
  statements.set(sql, found);
  if (statements.size > ${KEPT_STATEMENTS}) statements.delete(statements.keys().next().value);
  return found;
}
parentPort.on('message', (request) => {
  try {
    parentPort.postMessage({ id: request.id, rows: statement(request.sql).all(request.parameters) });
  } catch (error) {
    parentPort.postMessage({ id: request.id, message: String(error && error.message), code: error && error.code });
  }
});
`;
