/**
 * The client of one cluster: what the collector asks a StarRocks or Doris FE for, over HTTP
 * (one keep-alive pool per cluster) or MySQL, each call bounded by the cluster's
 * `connection_timeout` and the caller's deadline, each failure a typed ScrapeError.
 */
import { STATUS_CODES } from 'node:http';
import { DEFAULT_LIMITS, type ScrapeLimits } from '../config/schema.js';
import type { Engine, NodeListSource } from '../shared/cluster-kinds.js';
import { CallDeadline } from './call-deadline.js';
import { ScrapeError } from './errors.js';
import { type Health, healthFrom, parseJsonBody, type RuntimeInfo, runtimeInfoFrom, unwrapDorisEnvelope } from './fe-json.js';
import { type HttpAnswer, HttpTransport } from './http-transport.js';
import type { RowLimit } from './limit-error.js';
import { prometheusTextOf } from './metrics-body.js';
import { MysqlTransport } from './mysql-transport.js';
import { parseFrontendRows } from './parse/node-lists.js';
import { ProcBodyError, type ProcTable, procTableFromJson } from './proc-table.js';

export type { Health, RuntimeInfo } from './fe-json.js';
export type { ProcTable } from './proc-table.js';

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
  /**
   * The caller's clock for this call's times (`answeredAt`, `durationMs`), so they share the
   * caller's time base (a collection's epoch ms); the client's own clock when absent.
   */
  readonly now?: () => number;
}

export interface StarRocksClientOptions {
  /** Keep-alive connections per origin (each FE, each BE scraped); 2 by default. */
  readonly connectionsPerOrigin?: number;
  /** Milliseconds, for the times of calls that bring no clock of their own; `performance.now` by default. */
  readonly now?: () => number;
  /**
   * How long an idle connection is kept for the next call: longer than the time between a
   * cluster's collections, so every cycle reuses the last one's connections. An FE that says
   * it closes idle connections sooner (a `Keep-Alive: timeout=` header) is taken at its word.
   * 30 s by default.
   */
  readonly keepAliveMs?: number;
  /** What the client accepts from the cluster (`[limits]`); the defaults when absent. */
  readonly limits?: ScrapeLimits;
}

export interface MetricsText {
  /** The body exactly as the FE sent it, after gunzip. */
  readonly text: string;
  /** Bytes that crossed the network (compressed when gzipped). */
  readonly wireBytes: number;
  /** Bytes of the text. */
  readonly bodyBytes: number;
  readonly gzipped: boolean;
  /**
   * When the answer's last byte arrived, before it was decompressed, decoded or parsed: the
   * instant the FE's figures are as of, whatever the parsing costs afterwards.
   */
  readonly answeredAt: number;
  /** From the request to `answeredAt`. */
  readonly durationMs: number;
}

/** Where a request goes: the origin and path undici dispatches to, and the URL errors name. */
interface RequestUrl {
  readonly origin: string;
  readonly path: string;
  readonly href: string;
}

type NodeList = 'backends' | 'compute_nodes' | 'frontends';
const SHOW_STATEMENTS: Record<NodeList, string> = {
  backends: 'SHOW BACKENDS',
  compute_nodes: 'SHOW COMPUTE NODES',
  frontends: 'SHOW FRONTENDS',
};
/** What a reason calls each list: "the compute nodes list has more than 5000 rows". */
const LIST_NAMES: Record<NodeList, string> = { backends: 'backends', compute_nodes: 'compute nodes', frontends: 'frontends' };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** IPv6 hosts come bracketed out of a URL, bare out of a frontends list or a registration. */
const hostKey = (host: string): string => host.replace(/^\[(.*)\]$/, '$1').toLowerCase();

export class StarRocksClient {
  private readonly http: HttpTransport;
  private mysql: MysqlTransport | null = null;
  private readonly timeoutMs: number;
  private readonly authorization: string;
  private readonly now: () => number;
  private readonly limits: ScrapeLimits;
  /** Hosts of the cluster's frontends list as last read, to check a redirect's target against. */
  private feHosts: ReadonlySet<string> = new Set();
  private feHostsReading: Promise<ReadonlySet<string>> | null = null;

  constructor(
    private readonly target: StarRocksTarget,
    options: StarRocksClientOptions = {},
  ) {
    this.timeoutMs = Math.max(1, Math.round(target.connection_timeout * 1000));
    this.limits = options.limits ?? DEFAULT_LIMITS;
    this.http = new HttpTransport(this.timeoutMs, options.connectionsPerOrigin ?? 2, options.keepAliveMs ?? 30_000, this.limits);
    this.authorization = `Basic ${Buffer.from(`${target.username}:${target.password}`).toString('base64')}`;
    this.now = options.now ?? (() => performance.now());
  }

  /** The configured FE, where node lists are asked for and the default for per-FE calls. */
  get configuredFe(): FeAddress {
    return { host: this.target.fe_host, httpPort: this.target.fe_http_port };
  }

  /**
   * Prometheus text of one FE (or BE), asked gzipped; the text is returned exactly as sent.
   * `tableMetrics` (FEs only) asks `?with_table_metrics=minified` with the cluster's credentials:
   * a StarRocks FE then adds its per-table families, for an admin user only (anyone else gets
   * the page without them, status 200), leaving out the counters that are 0.
   */
  async metricsText(fe: FeAddress = this.configuredFe, call: CallOptions = {}, how: { readonly tableMetrics?: boolean } = {}): Promise<MetricsText> {
    const started = (call.now ?? this.now)();
    const tableMetrics = how.tableMetrics === true;
    const url = this.url(fe, tableMetrics ? '/metrics?with_table_metrics=minified' : '/metrics');
    const answer = await this.get(url, call, { auth: tableMetrics, gzip: true });
    const text = await prometheusTextOf(answer.body, `GET ${url.href}`);
    return {
      text,
      wireBytes: answer.wireBytes,
      bodyBytes: answer.body.length,
      gzipped: answer.gzipped,
      answeredAt: answer.receivedAt,
      durationMs: answer.receivedAt - started,
    };
  }

  backends(call: CallOptions = {}): Promise<ProcTable> {
    return this.nodeList('backends', call);
  }

  /**
   * Whether the cluster has a compute-node list. Doris has none — no `/compute_nodes` proc, no
   * `SHOW COMPUTE NODES`; its compute nodes are backends with NodeRole `computation` — so none
   * is asked for: asking would only fail on every cycle. The one place that says so.
   */
  get hasComputeNodeList(): boolean {
    return this.target.engine !== 'doris';
  }

  /** The compute-node list; an empty one, never asked, where there is none (`hasComputeNodeList`). */
  computeNodes(call: CallOptions = {}): Promise<ProcTable> {
    if (!this.hasComputeNodeList) return Promise.resolve({ columns: null, rows: [] });
    return this.nodeList('compute_nodes', call);
  }

  frontends(call: CallOptions = {}): Promise<ProcTable> {
    return this.nodeList('frontends', call);
  }

  /** `/api/show_runtime_info`: the FE's JVM heap (free, committed, max) and thread count. */
  async runtimeInfo(fe: FeAddress = this.configuredFe, call: CallOptions = {}): Promise<RuntimeInfo> {
    const url = this.url(fe, '/api/show_runtime_info');
    const source = `GET ${url.href}`;
    const body = parseJsonBody((await this.get(url, call, { auth: false, gzip: false })).body, source);
    return runtimeInfoFrom(unwrapDorisEnvelope(body, this.target.engine, source), source);
  }

  /** `/api/health`: alive and total backends. */
  async health(fe: FeAddress = this.configuredFe, call: CallOptions = {}): Promise<Health> {
    const url = this.url(fe, '/api/health');
    const source = `GET ${url.href}`;
    const body = parseJsonBody((await this.get(url, call, { auth: false, gzip: false })).body, source);
    return healthFrom(unwrapDorisEnvelope(body, this.target.engine, source), this.target.engine, source);
  }

  /** Closes the keep-alive pool and the MySQL pool; the client is not used afterwards. */
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
      const deadline = new CallDeadline(this.timeoutMs, call.signal);
      try {
        return await this.mysql.query(SHOW_STATEMENTS[list], deadline, this.rowLimit(list));
      } finally {
        deadline.dispose();
      }
    }
    // forward=true: a follower answers with the leader's view, not its own stale one (StarRocks#29638).
    return this.procTable(this.url(this.configuredFe, `/api/show_proc?path=/${list}&forward=true`), call, true, this.rowLimit(list));
  }

  /** A hostile FE's list of millions of rows is refused while it arrives, over HTTP or MySQL. */
  private rowLimit(list: NodeList): RowLimit {
    return { max: this.limits.max_backends, what: `the ${LIST_NAMES[list]} list` };
  }

  /**
   * A `/api/show_proc` answer as a table. With `followToLeader`, one redirect is followed: a Doris
   * follower asked with forward=true answers 307 to the master (httpv2 `RestBaseController.redirectTo`,
   * the credentials in the Location). Only to an FE of this cluster, and with Stellar's own
   * Authorization header, never the Location's user info; a second redirect is not followed.
   */
  private async procTable(url: RequestUrl, call: CallOptions, followToLeader: boolean, rowLimit: RowLimit): Promise<ProcTable> {
    let at = url;
    let answer = await this.get(url, call, { auth: true, gzip: false, redirect: followToLeader, rowLimit });
    if (REDIRECTS.has(answer.status)) {
      at = await this.redirectTarget(url, answer, call);
      answer = await this.get(at, call, { auth: true, gzip: false, redirect: false, rowLimit });
    }
    const source = `GET ${at.href}`;
    const body = parseJsonBody(answer.body, source);
    try {
      return procTableFromJson(body);
    } catch (error) {
      if (error instanceof ProcBodyError) throw new ScrapeError(error.kind, source, this.withoutCredentials(error.message), { cause: error });
      throw error;
    }
  }

  /**
   * Where a redirect may be followed: the registered FE's host, or a host of the cluster's
   * frontends list (read from the registered FE without forward=true, so it answers itself).
   * Anything else — another host, https to http, no Location — fails the list, naming where
   * the FE pointed without its user info.
   */
  private async redirectTarget(from: RequestUrl, answer: HttpAnswer, call: CallOptions): Promise<RequestUrl> {
    const source = `GET ${from.href}`;
    const refuse = (why: string): ScrapeError => new ScrapeError('http_status', source, `HTTP ${answer.status} ${why}`, { status: answer.status });
    const location = answer.location ?? '';
    if (location === '' || !URL.canParse(location, from.href)) throw refuse('without a usable Location: not followed');
    const target = new URL(location, from.href);
    const where = `${target.protocol}//${target.host}`;
    if (target.protocol !== new URL(from.origin).protocol) throw refuse(`to ${where}: not followed, it changes the scheme of a request that carries the credentials`);
    const host = hostKey(target.hostname);
    if (host !== hostKey(this.target.fe_host)) {
      let known: boolean;
      try {
        known = await this.isFrontendHost(host, call);
      } catch (error) {
        throw refuse(`to ${where}: not followed, the cluster's frontends list to check it against could not be read (${error instanceof Error ? error.message : String(error)})`);
      }
      if (!known) throw refuse(`to ${where}, a host that is neither the registered FE's nor in the cluster's frontends list: not followed, the credentials are not sent there`);
    }
    return { origin: target.origin, path: `${target.pathname}${target.search}`, href: `${target.origin}${target.pathname}${target.search}` };
  }

  /** Whether a host is in the frontends list: as last read, else as read now (the FEs changed). */
  private async isFrontendHost(host: string, call: CallOptions): Promise<boolean> {
    if (this.feHosts.has(host)) return true;
    this.feHostsReading ??= this.readFrontendHosts(call).finally(() => {
      this.feHostsReading = null;
    });
    this.feHosts = await this.feHostsReading;
    return this.feHosts.has(host);
  }

  private async readFrontendHosts(call: CallOptions): Promise<ReadonlySet<string>> {
    const table = await this.procTable(this.url(this.configuredFe, '/api/show_proc?path=/frontends'), call, false, this.rowLimit('frontends'));
    const rows = parseFrontendRows(table, { engine: this.target.engine });
    return new Set(rows.flatMap((r) => (r.host === null ? [] : [hostKey(r.host)])));
  }

  /**
   * Credentials go only where the FE asks for them (`/api/show_proc`). `/metrics`, `/api/health`
   * and `/api/show_runtime_info` are anonymous on StarRocks and Doris (their actions override
   * `execute()` and skip the Basic-auth step: StarRocks' `MetricsAction`, `HealthAction`, …),
   * and `metricsText` is also pointed at BEs, which never check them: sending the admin's Basic
   * header — plain base64, readable on the wire without TLS — to every FE and BE every cycle
   * would spread the password for nothing. An FE with `enable_http_auth` answers 401, which
   * shows up as an `auth` error naming the URL. The one exception is an FE's `/metrics` with
   * `with_table_metrics`, asked only when a custom metric reads a per-table family: the FE
   * checks the user there before printing them.
   */
  private async get(url: RequestUrl, call: CallOptions, how: { auth: boolean; gzip: boolean; redirect?: boolean; rowLimit?: RowLimit }): Promise<HttpAnswer> {
    const answer = await this.http.get({
      origin: url.origin,
      path: url.path,
      authorization: how.auth ? this.authorization : null,
      acceptGzip: how.gzip,
      deadline: new CallDeadline(this.timeoutMs, call.signal),
      now: call.now ?? this.now,
      ...(how.rowLimit ? { rowLimit: how.rowLimit } : {}),
    });
    if ((answer.status >= 200 && answer.status < 300) || (how.redirect === true && REDIRECTS.has(answer.status))) return answer;
    const source = `GET ${url.href}`;
    // The status and its name only, never the body: a server that echoes the request (the
    // Authorization header included) into an error page would hand the password to whoever reads the reason.
    const message = REDIRECTS.has(answer.status) ? ': a redirect, not followed (only one hop to the leader is)' : '';
    const kind = answer.status === 401 || answer.status === 403 ? 'auth' : 'http_status';
    throw new ScrapeError(kind, source, `HTTP ${answer.status} ${STATUS_CODES[answer.status] ?? 'status'}${message}`, { status: answer.status });
  }

  /**
   * The FE's own words in a failure (a Doris envelope's msg, a FAILED status) are worth keeping,
   * but this request carried the credentials: anything echoing them is hidden.
   */
  private withoutCredentials(message: string): string {
    const secrets = [this.authorization, this.authorization.slice('Basic '.length), this.target.password].filter((s) => s.length >= 4);
    return secrets.reduce((text, secret) => text.split(secret).join('<hidden>'), message);
  }

  private url(fe: FeAddress, path: string): RequestUrl {
    const host = fe.host.includes(':') ? `[${fe.host}]` : fe.host;
    const origin = `${this.target.enable_ssl ? 'https' : 'http'}://${host}:${fe.httpPort}`;
    return { origin, path, href: `${origin}${path}` };
  }
}
