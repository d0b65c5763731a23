/**
 * The client of one cluster: what the collector asks a StarRocks or Doris FE for, over HTTP
 * (one keep-alive pool per cluster) or MySQL, each call bounded by the cluster's
 * `connection_timeout` and the caller's deadline, each failure a typed ScrapeError.
 */
import type { Engine, NodeListSource } from '../shared/api-types.js';
import { CallDeadline } from './call-deadline.js';
import { ScrapeError } from './errors.js';
import { type HttpAnswer, HttpTransport } from './http-transport.js';
import { MysqlTransport } from './mysql-transport.js';
import { ProcBodyError, type ProcTable, procTableFromJson } from './proc-table.js';

/** What the client needs of a registered cluster (the registry's ClusterConnection has it). */
export interface StarRocksTarget {
  readonly fe_host: string;
  readonly fe_http_port: number;
  readonly fe_query_port: number;
  readonly username: string;
  readonly password: string;
  readonly enable_ssl: boolean;
  /** Seconds: the limit of each request, connect to last byte. */
  readonly connection_timeout: number;
  readonly engine: Engine;
  readonly node_list_source: NodeListSource;
}

export interface FeAddress {
  readonly host: string;
  readonly httpPort: number;
}

export interface CallOptions {
  /** The caller's deadline (the collector's budget for the whole cluster). */
  readonly signal?: AbortSignal;
}

export interface MetricsText {
  readonly text: string;
  readonly wireBytes: number;
  readonly bodyBytes: number;
  readonly gzipped: boolean;
  readonly durationMs: number;
}

export interface RuntimeInfo {
  readonly free_mem: number;
  readonly total_mem: number;
  readonly max_mem: number;
  readonly thread_cnt: number;
}

export interface Health {
  readonly online_backend_num: number;
  readonly total_backend_num: number;
  readonly status: string;
}

type NodeList = 'backends' | 'compute_nodes' | 'frontends';
const SHOW_STATEMENTS: Record<NodeList, string> = {
  backends: 'SHOW BACKENDS',
  compute_nodes: 'SHOW COMPUTE NODES',
  frontends: 'SHOW FRONTENDS',
};

/** A line that looks like a Prometheus sample: `name[{…}] value`. */
const SAMPLE_LINE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^\n]*\})?[ \t]+\S/m;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class StarRocksClient {
  private readonly http: HttpTransport;
  private mysql: MysqlTransport | null = null;
  private readonly timeoutMs: number;
  private readonly authorization: string;

  constructor(
    private readonly target: StarRocksTarget,
    options: { readonly connectionsPerFe?: number } = {},
  ) {
    this.timeoutMs = Math.max(1, Math.round(target.connection_timeout * 1000));
    this.http = new HttpTransport(this.timeoutMs, options.connectionsPerFe ?? 2);
    this.authorization = `Basic ${Buffer.from(`${target.username}:${target.password}`).toString('base64')}`;
  }

  /** The configured FE, where node lists are asked for and the default for per-FE calls. */
  get configuredFe(): FeAddress {
    return { host: this.target.fe_host, httpPort: this.target.fe_http_port };
  }

  /** Prometheus text of one FE, asked gzipped; the text is returned exactly as sent. */
  async metricsText(fe: FeAddress = this.configuredFe, call: CallOptions = {}): Promise<MetricsText> {
    const started = performance.now();
    const url = this.url(fe, '/metrics');
    const answer = await this.get(url, call, { auth: false, gzip: true });
    const source = `GET ${url}`;
    if (answer.body.length === 0) throw new ScrapeError('malformed', source, 'the body is empty (an FE that is still starting answers so)');
    let text: string;
    try {
      text = utf8.decode(answer.body);
    } catch {
      throw new ScrapeError('malformed', source, 'the body is not UTF-8 text');
    }
    if (text.includes('\u0000') || !SAMPLE_LINE.test(text)) {
      throw new ScrapeError('malformed', source, `the body is not Prometheus text (starts with ${JSON.stringify(text.slice(0, 40))})`);
    }
    return { text, wireBytes: answer.wireBytes, bodyBytes: answer.body.length, gzipped: answer.gzipped, durationMs: performance.now() - started };
  }

  backends(call: CallOptions = {}): Promise<ProcTable> {
    return this.nodeList('backends', call);
  }

  /** Doris has no compute-node list (its compute nodes are backends with a role), so none is asked for. */
  computeNodes(call: CallOptions = {}): Promise<ProcTable> {
    if (this.target.engine === 'doris') return Promise.resolve({ columns: null, rows: [] });
    return this.nodeList('compute_nodes', call);
  }

  frontends(call: CallOptions = {}): Promise<ProcTable> {
    return this.nodeList('frontends', call);
  }

  /** `/api/show_runtime_info`: the FE's JVM heap (free, committed, max) and thread count. */
  async runtimeInfo(fe: FeAddress = this.configuredFe, call: CallOptions = {}): Promise<RuntimeInfo> {
    const url = this.url(fe, '/api/show_runtime_info');
    const body = this.unwrapDoris(url, this.json(url, await this.get(url, call, { auth: false, gzip: false })));
    const number = (key: keyof RuntimeInfo): number => {
      const value = Number((body as Record<string, unknown>)[key]);
      if (!Number.isFinite(value)) throw new ScrapeError('malformed', `GET ${url}`, `"${key}" is missing or not a number`);
      return value;
    };
    return { free_mem: number('free_mem'), total_mem: number('total_mem'), max_mem: number('max_mem'), thread_cnt: number('thread_cnt') };
  }

  /** `/api/health`: alive and total backends (compute nodes are not counted by the FE). */
  async health(fe: FeAddress = this.configuredFe, call: CallOptions = {}): Promise<Health> {
    const url = this.url(fe, '/api/health');
    const raw = this.json(url, await this.get(url, call, { auth: false, gzip: false }));
    const body = this.unwrapDoris(url, raw) as Record<string, unknown>;
    const online = body.online_backend_num;
    const total = body.total_backend_num;
    if (typeof online !== 'number' || typeof total !== 'number') {
      throw new ScrapeError('malformed', `GET ${url}`, 'online_backend_num and total_backend_num must be numbers');
    }
    return { online_backend_num: online, total_backend_num: total, status: typeof body.status === 'string' ? body.status : 'OK' };
  }

  async close(): Promise<void> {
    await Promise.all([this.http.close(), this.mysql?.close()]);
  }

  private async nodeList(list: NodeList, call: CallOptions): Promise<ProcTable> {
    if (this.target.node_list_source === 'mysql') {
      this.mysql ??= new MysqlTransport({
        host: this.target.fe_host,
        port: this.target.fe_query_port,
        user: this.target.username,
        password: this.target.password,
        ssl: this.target.enable_ssl,
        timeoutMs: this.timeoutMs,
      });
      return this.mysql.query(SHOW_STATEMENTS[list], new CallDeadline(this.timeoutMs, call.signal));
    }
    // forward=true: a follower answers with the leader's view, not its own stale one (StarRocks#29638).
    const url = this.url(this.configuredFe, `/api/show_proc?path=/${list}&forward=true`);
    const body = this.json(url, await this.get(url, call, { auth: true, gzip: false }));
    try {
      return procTableFromJson(body);
    } catch (error) {
      if (error instanceof ProcBodyError) throw new ScrapeError(/reported/.test(error.message) ? 'query_failed' : 'malformed', `GET ${url}`, error.message);
      throw error;
    }
  }

  private async get(url: string, call: CallOptions, how: { auth: boolean; gzip: boolean }): Promise<HttpAnswer> {
    // Anonymous endpoints get no credentials: nothing is sent that the FE does not need.
    const answer = await this.http.get({
      url,
      authorization: how.auth ? this.authorization : null,
      acceptGzip: how.gzip,
      deadline: new CallDeadline(this.timeoutMs, call.signal),
    });
    if (answer.status >= 200 && answer.status < 300) return answer;
    const source = `GET ${url}`;
    const message = feMessage(answer.body);
    if (answer.status === 401 || answer.status === 403) {
      throw new ScrapeError('auth', source, `HTTP ${answer.status}${message ? `: ${message}` : ''}`, { status: answer.status });
    }
    throw new ScrapeError('http_status', source, `HTTP ${answer.status}${message ? `: ${message}` : ''}`, { status: answer.status });
  }

  private json(url: string, answer: HttpAnswer): unknown {
    try {
      return JSON.parse(answer.body.toString('utf8')) as unknown;
    } catch {
      const start = answer.body.subarray(0, 60).toString('utf8');
      throw new ScrapeError('malformed', `GET ${url}`, `the body is not JSON (starts with ${JSON.stringify(start)})`);
    }
  }

  /** Doris wraps JSON answers in `{"msg","code","data","count"}`; StarRocks never does. */
  private unwrapDoris(url: string, body: unknown): unknown {
    if (this.target.engine !== 'doris' || typeof body !== 'object' || body === null || !('data' in body)) return body;
    const envelope = body as { code?: unknown; msg?: unknown; data: unknown };
    if (envelope.code !== 0) throw new ScrapeError('query_failed', `GET ${url}`, `the FE reported code ${String(envelope.code)}: ${typeof envelope.msg === 'string' ? envelope.msg : ''}`);
    return envelope.data;
  }

  private url(fe: FeAddress, path: string): string {
    const host = fe.host.includes(':') ? `[${fe.host}]` : fe.host;
    return `${this.target.enable_ssl ? 'https' : 'http'}://${host}:${fe.httpPort}${path}`;
  }
}

/** The FE's own words from an error body (JSON msg/message, or the start of text), for messages. */
function feMessage(body: Buffer): string {
  const text = body.subarray(0, 300).toString('utf8').trim();
  try {
    const parsed = JSON.parse(text) as { msg?: unknown; message?: unknown };
    const message = parsed.msg ?? parsed.message;
    return typeof message === 'string' ? message : '';
  } catch {
    return text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 160);
  }
}
