/**
 * One simulated cluster: its model, an HTTP server per FE, a MySQL listener (answering as FE 0,
 * the FE a cluster is registered with), optional BE metrics servers, the faults in force and
 * the ground truth. `/_sim/*` on any FE controls the cluster from outside the process.
 */
import { type BeServer, startBeServer } from './be-metrics-server.js';
import { ClusterModel } from './cluster-model.js';
import type { SimClusterSpec } from './cluster-spec.js';
import type { ConnectionCounts } from './connection-counts.js';
import { type Fault, FAULT_KINDS, FaultSpecError, feFaultView, formatFault, ONE_SHOT_FAULTS, parseFaults } from './faults.js';
import type { Answer } from './fe-endpoints.js';
import { type FeServer, startFeServer } from './fe-http-server.js';
import { type GroundTruth, groundTruth } from './ground-truth.js';
import { type MysqlBehaviour, type MysqlListener, type SqlAnswer, startMysqlListener } from './mysql-listener.js';
import { backendsTable, computeNodesTable, frontendsTable } from './render-node-lists.js';
import { RequestLog } from './request-log.js';

export interface SimStartOptions {
  readonly host: string;
  /** Ports for the FEs then the MySQL listener, in order; null for ephemeral ports. */
  readonly ports: readonly number[] | null;
  readonly username: string;
  readonly password: string;
  readonly clock: () => number;
  readonly faults: readonly Fault[];
  /**
   * The address the frontends list shows for every FE instead of the one it listens on, as
   * when FEs report internal addresses a monitor cannot reach (behind NAT, in a container).
   */
  readonly advertiseHost?: string;
  /**
   * Each FE on a loopback address of its own, FE i on 127.0.0.(i + 1), as FEs on separate
   * machines (a Doris follower's redirect then names another host); all on `host` otherwise.
   */
  readonly distinctFeHosts?: boolean;
  /** Where the FEs count the connections they accept: the fleet's, one for all its clusters. */
  readonly connections: ConnectionCounts;
}

/** How to reach a simulated cluster: what to register in Stellar, and every FE. */
export interface SimClusterDetails {
  readonly name: string;
  readonly engine: string;
  readonly deployment_mode: string;
  readonly version: string;
  readonly fe_host: string;
  readonly fe_http_port: number;
  readonly fe_query_port: number;
  readonly username: string;
  readonly password: string;
  readonly frontends: readonly { readonly host: string; readonly http_port: number }[];
  readonly backends: readonly { readonly host: string; readonly http_port: number }[];
  readonly faults: readonly string[];
}

export class SimulatedCluster {
  private feServers: FeServer[] = [];
  private beServers: BeServer[] = [];
  private mysql: MysqlListener | null = null;
  private active: Fault[] = [];
  /** Where each FE listens. */
  private feListenHosts: string[] = [];
  private readonly requestLog = new RequestLog();

  private constructor(
    readonly model: ClusterModel,
    private readonly options: SimStartOptions,
  ) {}

  static async start(spec: SimClusterSpec, options: SimStartOptions): Promise<SimulatedCluster> {
    const model = new ClusterModel(spec, options.username, options.password, options.clock());
    const cluster = new SimulatedCluster(model, options);
    try {
      await cluster.listen();
      await cluster.setFaults(options.faults);
    } catch (error) {
      await cluster.close();
      throw error;
    }
    return cluster;
  }

  get name(): string {
    return this.model.spec.name;
  }

  details(): SimClusterDetails {
    const fe0 = this.model.fes[0];
    return {
      name: this.name,
      engine: this.model.spec.engine,
      deployment_mode: this.model.spec.mode,
      version: this.model.buildString,
      fe_host: this.feListenHosts[0] ?? this.options.host,
      fe_http_port: fe0?.httpPort ?? 0,
      fe_query_port: this.model.queryPort,
      username: this.options.username,
      password: this.options.password,
      frontends: this.model.fes.map((fe) => ({ host: this.feListenHosts[fe.index] ?? this.options.host, http_port: fe.httpPort })),
      backends: this.model.spec.beMetrics ? this.model.bes.map((be) => ({ host: be.ip, http_port: be.httpPort })) : [],
      faults: this.active.map(formatFault),
    };
  }

  faults(): readonly Fault[] {
    return this.active;
  }

  /** The HTTP requests its FEs and BEs answered since it started, by `node path` (request-log.ts). */
  requests(): Record<string, number> {
    return this.requestLog.json();
  }

  truth(fromMs: number, toMs: number): GroundTruth {
    return groundTruth(this.model, fromMs, toMs);
  }

  /** Replace the faults in force; one-shot faults (restart, failover) happen now. */
  async setFaults(faults: readonly Fault[]): Promise<void> {
    const now = this.options.clock();
    const { events } = this.model;
    for (const f of faults.filter((x) => ONE_SHOT_FAULTS.includes(x.kind))) {
      if (f.kind === 'fe_restart') for (const fe of this.targets(f)) events.add({ kind: 'fe_start', fe, atMs: now });
      if (f.kind === 'failover') this.moveLeadership(now, f.value);
    }
    const next = faults.filter((x) => !ONE_SHOT_FAULTS.includes(x.kind));
    const has = (list: readonly Fault[], kind: string, node: number): boolean =>
      list.some((f) => f.kind === kind && (f.target === node || f.target === 'all'));
    for (const fe of this.model.fes) {
      const wasDown = has(this.active, 'fe_down', fe.index);
      const isDown = has(next, 'fe_down', fe.index);
      if (!wasDown && isDown) {
        events.add({ kind: 'fe_stop', fe: fe.index, atMs: now });
        await this.feServers[fe.index]?.stopListening();
        if (fe.index === 0) await this.mysql?.stopListening();
        if (this.model.leaderAt(now) === fe.index) this.moveLeadership(now, null);
      } else if (wasDown && !isDown) {
        events.add({ kind: 'fe_start', fe: fe.index, atMs: now });
        await this.feServers[fe.index]?.listenAgain();
        if (fe.index === 0) await this.mysql?.listenAgain();
      }
    }
    for (const be of this.model.bes) {
      const wasDead = has(this.active, 'be_dead', be.index);
      const isDead = has(next, 'be_dead', be.index);
      if (!wasDead && isDead) events.add({ kind: 'be_stop', be: be.index, atMs: now });
      if (wasDead && !isDead) events.add({ kind: 'be_start', be: be.index, atMs: now });
      const full = (list: readonly Fault[]) => list.find((f) => f.kind === 'disk_full' && (f.target === be.index || f.target === 'all'));
      const wasFull = full(this.active);
      const isFull = full(next);
      if (isFull && wasFull?.value !== isFull.value) events.add({ kind: 'disk_fill', be: be.index, pct: Math.min(100, isFull.value ?? 95), atMs: now });
      if (wasFull && !isFull) events.add({ kind: 'disk_free', be: be.index, atMs: now });
    }
    this.model.password = next.some((f) => f.kind === 'wrong_password') ? `${this.options.password}-rotated` : this.options.password;
    this.active = next;
  }

  async close(): Promise<void> {
    await Promise.all([...this.feServers.map((s) => s.close()), ...this.beServers.map((s) => s.close()), this.mysql?.close()]);
  }

  private targets(f: Fault): number[] {
    return f.target === 'all' ? this.model.fes.map((fe) => fe.index) : [f.target];
  }

  /** Leadership goes to `to`, or to the next alive FE after the current leader. */
  private moveLeadership(now: number, to: number | null): void {
    const count = this.model.fes.length;
    const current = this.model.leaderAt(now);
    let next = to ?? current;
    for (let step = 1; to === null && step <= count; step += 1) {
      const candidate = (current + step) % count;
      if (this.model.events.feAlive(candidate, now)) {
        next = candidate;
        break;
      }
    }
    if (next !== current && next >= 0 && next < count) this.model.events.add({ kind: 'leader', fe: next, atMs: now });
  }

  private async listen(): Promise<void> {
    const { host, ports } = this.options;
    for (const fe of this.model.fes) {
      const listenHost = this.options.distinctFeHosts === true ? `127.0.0.${fe.index + 1}` : host;
      const server = await startFeServer(
        {
          model: this.model,
          fe: fe.index,
          clock: this.options.clock,
          faults: () => feFaultView(this.active, fe.index),
          followerStale: () => this.active.some((f) => f.kind === 'follower_stale'),
          connections: this.options.connections,
          requests: this.requestLog,
          control: (method, url, body) => this.control(method, url, body),
        },
        listenHost,
        ports?.[fe.index] ?? 0,
      );
      this.feServers.push(server);
      this.feListenHosts.push(listenHost);
      fe.host = this.options.advertiseHost ?? listenHost;
      fe.httpPort = server.port;
    }
    this.mysql = await startMysqlListener({
      host,
      port: ports?.[this.model.fes.length] ?? 0,
      username: this.options.username,
      password: this.options.password,
      serverVersion: '8.0.33',
      answer: (sql) => this.answerSql(sql),
      behaviour: () => this.mysqlBehaviour(),
    });
    this.model.queryPort = this.mysql.port;
    if (this.model.spec.beMetrics) {
      for (const be of this.model.bes) {
        const server = await startBeServer(this.model, be.index, be.ip, this.options.clock, this.requestLog);
        this.beServers.push(server);
        be.httpPort = server.port;
      }
    }
  }

  private mysqlBehaviour(): MysqlBehaviour {
    const view = feFaultView(this.active, 0);
    if (view.hang) return { kind: 'hang' };
    if (this.model.password !== this.options.password) return { kind: 'wrong_password' };
    if (view.slowMs > 0) return { kind: 'slow', delayMs: view.slowMs };
    return { kind: 'normal' };
  }

  /** `SHOW BACKENDS` and friends answer with the same columns as the HTTP proc lists. */
  private answerSql(sql: string): SqlAnswer {
    const statement = sql.trim().replace(/;$/, '').replace(/\s+/g, ' ').toUpperCase();
    const now = this.options.clock();
    // The MySQL statements give the leader's view, whatever FE answers.
    const view = { answeringFe: 0, staleFollowerView: false };
    const doris = this.model.engine === 'doris';
    if (statement === 'SHOW BACKENDS' || statement === "SHOW PROC '/BACKENDS'") return backendsTable(this.model, now, view);
    if (statement === 'SHOW FRONTENDS' || statement === "SHOW PROC '/FRONTENDS'") return frontendsTable(this.model, now, view);
    if (!doris && (statement === 'SHOW COMPUTE NODES' || statement === "SHOW PROC '/COMPUTE_NODES'")) {
      return computeNodesTable(this.model, now, view);
    }
    if (statement === 'SELECT 1') return { columns: ['1'], rows: [['1']] };
    // Session statements get an OK, as the FE gives them.
    if (/^(SET|USE) /.test(statement)) return { columns: [], rows: [] };
    if (statement === 'SELECT @@VERSION_COMMENT LIMIT 1' || statement === 'SELECT @@VERSION_COMMENT') {
      return { columns: ['@@version_comment'], rows: [[doris ? 'Doris version ' + this.model.buildString : 'StarRocks version ' + this.model.buildString]] };
    }
    return { errno: 1064, sqlState: '42000', message: `Getting syntax error. Detail message: simulated FE does not answer "${sql.slice(0, 80)}".` };
  }

  private async control(method: string, url: URL, body: string): Promise<Answer> {
    const reply = (status: number, value: unknown): Answer => ({ status, contentType: 'application/json', body: JSON.stringify(value) });
    const now = this.options.clock();
    if (url.pathname === '/_sim/truth' && method === 'GET') {
      const to = Number(url.searchParams.get('to') ?? now);
      const from = Number(url.searchParams.get('from') ?? to - 60_000);
      if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) {
        return reply(400, { error: 'from and to must be epoch milliseconds with from < to' });
      }
      return reply(200, this.truth(from, to));
    }
    if (url.pathname === '/_sim/cluster' && method === 'GET') return reply(200, this.details());
    if (url.pathname === '/_sim/connections' && method === 'GET') return reply(200, this.options.connections.json());
    if (url.pathname === '/_sim/faults' && method === 'GET') {
      return reply(200, { faults: this.active.map(formatFault), kinds: FAULT_KINDS });
    }
    if (url.pathname === '/_sim/faults' && method === 'POST') {
      try {
        const parsed = JSON.parse(body || '{}') as { faults?: unknown };
        const list = parsed.faults;
        if (typeof list !== 'string' && !(Array.isArray(list) && list.every((x) => typeof x === 'string'))) {
          return reply(400, { error: 'send {"faults": ["kind[@target][=value]", …]} or {"faults": "a,b"}; [] clears every fault' });
        }
        await this.setFaults(parseFaults(list));
        return reply(200, { faults: this.active.map(formatFault) });
      } catch (error) {
        if (error instanceof FaultSpecError || error instanceof SyntaxError) return reply(400, { error: error.message });
        throw error;
      }
    }
    return reply(404, { error: `no simulator route ${method} ${url.pathname}; try GET /_sim/truth, GET|POST /_sim/faults, GET /_sim/cluster, GET /_sim/connections` });
  }
}
