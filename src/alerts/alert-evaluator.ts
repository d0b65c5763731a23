/**
 * Evaluates the alert rules on a cluster after each stored collection (a CollectionObserver on
 * the collecting instance), moves each rule's state on the cluster with nextAlertState, and
 * stores what changed — states, events and a delivery per event and channel — in one
 * transaction, so that a restart neither forgets an alert nor sends it twice.
 *
 * Cheap at a thousand clusters: the rules are parsed once (AlertRuleBook); the inputs are the
 * collection's own figures; the states are read once per cluster and then kept in memory; the
 * database is read only for a rule's lookbacks (one query per distinct lookback, not per rule)
 * and for the time of the last data after a failed collection (once, then remembered), and
 * written only when a state changes. `evaluated_at` is stored with a change, not at each
 * evaluation: a steady fleet would otherwise write a row per rule and cluster every interval
 * (500 rows a second at 1,000 clusters, 15 rules, 30 s) for a time the cluster's collection
 * state already tells.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { CollectionObserver, CollectionResult } from '../collector/collector.js';
import { effectiveIntervalMs } from '../collector/schedule.js';
import type { Cluster } from '../registry/cluster.js';
import type { ClusterRegistry } from '../registry/cluster-registry.js';
import { type AlertInputs, CUSTOM_FIELD_PREFIX, evaluateAlertCondition, isCustomField, lookbacksOf } from '../shared/alerts/alert-expression.js';
import { type AlertRule, renderAlertTemplate, ruleCoversCluster } from '../shared/alerts/alert-rule.js';
import type { Database } from '../storage/database.js';
import { type AlertStateRecord, alertStatesOf, firedEventOf, type NewAlertEvent, recordAlertChanges, type RuleClusterState } from '../storage/repos/alerts.repo.js';
import { latestRowBetween } from '../storage/repos/snapshots.repo.js';
import type { AlertRuleBook } from './alert-rule-book.js';
import { type AlertState, INACTIVE, nextAlertState } from './alert-state.js';

/** How long the cluster list (names, tags, intervals) is kept before it is read again, when no change was made through this process. */
const CLUSTERS_REFRESH_MS = 60_000;

export interface AlertEvaluatorDeps {
  readonly db: Kysely<Database>;
  readonly registry: ClusterRegistry;
  readonly rules: AlertRuleBook;
  readonly logger: Logger;
  /** `[metrics] interval_secs` in ms: a cluster's own interval is a multiple of it. */
  readonly intervalMs: number;
  /** Where each event is to be delivered (`alertmanager`, `webhook NAME`, `slack NAME`), as configured now. */
  readonly channels: () => readonly string[];
  readonly now: () => number;
  /** Runs first in each write's transaction (the lease's fence): a deposed leader writes nothing. */
  readonly beforeWrite?: (trx: Transaction<Database>) => Promise<void>;
  /** Work started and not awaited (each evaluation): the job runner waits for it on stop. */
  readonly track?: (task: Promise<unknown>) => void;
  /** Told after each evaluation how many rules it evaluated, and whether an event was stored. */
  readonly evaluated?: (rules: number, events: number) => void;
}

export class AlertEvaluator implements CollectionObserver {
  /** Each cluster's rule states, as stored; read at its first evaluation. */
  readonly #states = new Map<number, Map<string, AlertState>>();
  /** When each cluster last had data (an ok or partial collection); read once after a failed collection. */
  readonly #lastDataAt = new Map<number, number | null>();
  /** Each cluster's evaluations, one after the other. */
  readonly #chains = new Map<number, Promise<void>>();
  readonly #lookbacks = new WeakMap<AlertRule, ReturnType<typeof lookbacksOf>>();
  #clusters: { byId: Map<number, Cluster>; readAt: number; generation: number } | null = null;
  #readingClusters: Promise<Map<number, Cluster>> | null = null;

  constructor(private readonly deps: AlertEvaluatorDeps) {}

  collected(result: CollectionResult): void {
    const previous = this.#chains.get(result.clusterId) ?? Promise.resolve();
    const next = previous
      .then(() => this.evaluate(result))
      .catch((error: unknown) => this.deps.logger.warn({ err: error, cluster_id: result.clusterId }, 'alert rules could not be evaluated on a collection; the next one tries again'))
      .finally(() => {
        if (this.#chains.get(result.clusterId) === next) this.#chains.delete(result.clusterId);
      });
    this.#chains.set(result.clusterId, next);
    this.deps.track?.(next);
  }

  forgotten(clusterId: number): void {
    this.#states.delete(clusterId);
    this.#lastDataAt.delete(clusterId);
  }

  /** Resolves once every evaluation started so far has ended. */
  async idle(): Promise<void> {
    while (this.#chains.size > 0) await Promise.all([...this.#chains.values()]);
  }

  /** Evaluates every enabled rule covering the cluster on one stored collection. */
  async evaluate(result: CollectionResult): Promise<void> {
    const cluster = (await this.clusters()).get(result.clusterId);
    if (cluster === undefined) return;
    const rules = (await this.deps.rules.enabled()).map((r) => r.rule).filter((rule) => ruleCoversCluster(rule, cluster));
    const states = await this.statesOf(cluster.id);
    const now = result.collectedAt;
    const inputs = await this.inputsFor(result, cluster, rules);

    const changed: RuleClusterState[] = [];
    const events: NewAlertEvent[] = [];
    const next = new Map(states);
    for (const rule of rules) {
      const before = states.get(rule.name) ?? INACTIVE;
      const { holds, value } = evaluateAlertCondition(rule.condition.parsed, inputs);
      const step = nextAlertState(before, holds, value, now, rule.for);
      next.set(rule.name, step.state);
      if (step.state.status !== before.status || step.state.activeSince !== before.activeSince) changed.push({ ruleName: rule.name, clusterId: cluster.id, state: step.state });
      if (step.event !== null) events.push(this.eventOf(rule, cluster, step.event, step.event === 'fired' ? step.state : before, value, inputs.latest, now));
    }
    // A rule switched off, deleted or no longer covering the cluster resolves what it had firing, with the labels it fired with.
    const live = new Set(rules.map((r) => r.name));
    for (const [name, state] of states) {
      if (live.has(name) || state.status === 'inactive') continue;
      next.set(name, INACTIVE);
      changed.push({ ruleName: name, clusterId: cluster.id, state: { ...INACTIVE, evaluatedAt: now } });
      const fired = state.status === 'firing' && state.firedAt !== null ? await firedEventOf(this.deps.db, name, cluster.id, state.firedAt) : undefined;
      if (fired !== undefined) events.push({ ...fired, event: 'resolved', at: now, value: null, channels: this.deps.channels() });
    }
    if (changed.length > 0 || events.length > 0) {
      await recordAlertChanges(this.deps.db, { states: changed, events }, this.deps.beforeWrite ? { beforeWrite: this.deps.beforeWrite } : {});
      for (const event of events) this.deps.logger.info({ alert: event.ruleName, cluster: cluster.name, event: event.event, value: event.value }, `alert ${event.event}`);
    }
    // Kept only once stored: a failed write evaluates from the stored states again next time.
    this.#states.set(cluster.id, next);
    this.deps.evaluated?.(rules.length, events.length);
  }

  private eventOf(rule: AlertRule, cluster: Cluster, event: 'fired' | 'resolved', state: AlertStateRecord, value: number | string | null, fields: AlertInputs['latest'], now: number): NewAlertEvent {
    const base = { alertname: rule.name, cluster: cluster.name, cluster_id: String(cluster.id), severity: rule.severity };
    const values = { cluster: cluster.name, clusterId: cluster.id, value, rule: rule.name, severity: rule.severity, labels: rule.labels, fields };
    const render = (texts: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(texts).map(([k, text]) => [k, renderAlertTemplate(text, values)]));
    return {
      ruleName: rule.name,
      clusterId: cluster.id,
      event,
      severity: rule.severity,
      at: now,
      activeSince: state.activeSince ?? now,
      value,
      labels: { ...render(rule.labels), ...base },
      annotations: render(rule.annotations),
      channels: this.deps.channels(),
    };
  }

  private async inputsFor(result: CollectionResult, cluster: Cluster, rules: readonly AlertRule[]): Promise<AlertInputs> {
    const latest: Record<string, number | string | null> = { ...result.values, collected_at: result.collectedAt, collect_status: result.status };
    for (const [name, value] of Object.entries(result.custom)) latest[`${CUSTOM_FIELD_PREFIX}${name}`] = value;
    const past = new Map<number, Record<string, unknown> | undefined>();
    // One query per distinct lookback, reading every field the rules want at that instant.
    const fieldsByLookback = new Map<number, Set<string>>();
    for (const rule of rules) {
      let lookbacks = this.#lookbacks.get(rule);
      if (lookbacks === undefined) this.#lookbacks.set(rule, (lookbacks = lookbacksOf(rule.condition.parsed)));
      for (const { field, lookbackMs } of lookbacks) fieldsByLookback.set(lookbackMs, (fieldsByLookback.get(lookbackMs) ?? new Set()).add(field));
    }
    for (const [lookbackMs, fields] of fieldsByLookback) {
      // Custom metrics' past values are in the row's custom_values (JSON), read once for all of them.
      const columns = [...fields].filter((f) => !isCustomField(f));
      if (columns.length < fields.size) columns.push('custom_values');
      const row = await latestRowBetween(this.deps.db, cluster.id, 0, result.collectedAt - lookbackMs + 1, columns);
      past.set(lookbackMs, row === undefined || typeof row.custom_values !== 'string' ? row : { ...row, ...customFieldsOf(row.custom_values) });
    }
    return {
      latest,
      lastDataAt: await this.lastDataAt(result),
      now: result.collectedAt,
      intervalMs: effectiveIntervalMs(this.deps.intervalMs, cluster.collect_interval),
      past: (field, lookbackMs) => {
        const row = past.get(lookbackMs);
        if (row === undefined) return undefined;
        const value = row[field];
        return { value: typeof value === 'number' ? value : value === null || value === undefined ? null : Number(value), at: Number(row.collected_at) };
      },
    };
  }

  private async lastDataAt(result: CollectionResult): Promise<number | null> {
    if (result.status !== 'failed') {
      this.#lastDataAt.set(result.clusterId, result.collectedAt);
      return result.collectedAt;
    }
    if (!this.#lastDataAt.has(result.clusterId)) {
      const row = await this.deps.db
        .selectFrom('metrics_snapshots')
        .select('collected_at')
        .where('cluster_id', '=', result.clusterId)
        .where('collect_status', 'in', ['ok', 'partial'])
        .orderBy('collected_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      this.#lastDataAt.set(result.clusterId, row === undefined ? null : Number(row.collected_at));
    }
    return this.#lastDataAt.get(result.clusterId) ?? null;
  }

  private async statesOf(clusterId: number): Promise<Map<string, AlertState>> {
    const known = this.#states.get(clusterId);
    if (known !== undefined) return known;
    const stored = await alertStatesOf(this.deps.db, clusterId);
    this.#states.set(clusterId, stored);
    return stored;
  }

  private async clusters(): Promise<Map<number, Cluster>> {
    const known = this.#clusters;
    const generation = this.deps.registry.generation;
    if (known !== null && known.generation === generation && this.deps.now() - known.readAt < CLUSTERS_REFRESH_MS) return known.byId;
    this.#readingClusters ??= this.deps.registry
      .list()
      .then((list) => {
        const byId = new Map(list.map((c) => [c.id, c]));
        this.#clusters = { byId, readAt: this.deps.now(), generation };
        return byId;
      })
      .finally(() => (this.#readingClusters = null));
    return this.#readingClusters;
  }
}

/** A stored `custom_values` JSON as condition fields (`custom.<name>`); nothing when it cannot be read. */
function customFieldsOf(json: string): Record<string, unknown> {
  try {
    const values = JSON.parse(json) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(values).map(([name, value]) => [`${CUSTOM_FIELD_PREFIX}${name}`, value]));
  } catch {
    return {};
  }
}
