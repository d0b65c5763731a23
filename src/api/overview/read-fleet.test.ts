/**
 * The fleet's answer from kept inputs: its text is JSON.stringify's of the answer as an object,
 * made in slices with turns of the event loop between; the part kept per inputs read is never
 * served for other inputs, and the health and collection state follow the request's clock.
 */
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../registry/cluster.js';
import type { FleetRequest } from '../../shared/api/fleet.js';
import type { HealthFigures } from './health-score.js';
import type { FleetInputs, FleetLatest } from './fleet-inputs.js';
import { FLEET_SLICE, FleetBodyBuffers, fleetJson, fleetObject, keptPartOf } from './fleet-text.js';
import { fleetAnswer } from './read-fleet.js';
import { DEFAULT_METRICS_SETTINGS } from '../stored-data-deps.js';
import type { CollectionStateRecord } from '../../storage/repos/collection-state.repo.js';

const NOW = Date.UTC(2026, 11, 2, 10, 0, 0);
const FRAME = NOW - 115 * 60_000;
const ALL: FleetRequest = { sort: 'name', order: 'asc', tags: [], statuses: [], name: '' };
const clock = (now = NOW) => ({ now, settings: DEFAULT_METRICS_SETTINGS });

function clusterOf(id: number, name = `c-${id}\u2028"quoted"`): Cluster {
  return {
    id,
    name,
    description: '',
    fe_host: 'fe',
    fe_http_port: 8030,
    fe_query_port: 9030,
    username: 'root',
    password_set: false,
    enable_ssl: false,
    connection_timeout: 10,
    collect_interval: null,
    tags: id % 2 === 0 ? ['prod', 'zone "a"'] : [],
    sources: null,
    deployment_mode: 'shared_nothing',
    engine: 'starrocks',
    node_list_source: 'mysql',
    created_at: 0,
    updated_at: 0,
  };
}

/** A healthy latest row collected at `at`, its figures full-precision doubles. */
function latestOf(at: number, qps: number): FleetLatest {
  const figures: FleetLatest['figures'] = {
    qps,
    query_latency_p99: qps / 3,
    query_error_pct: 0.1,
    backend_alive: 3,
    backend_total: 3,
    compute_node_alive: 2,
    compute_node_total: 2,
    frontend_alive: 3,
    frontend_total: 3,
    avg_cpu_usage: 12.345678901234567,
    avg_memory_usage: 100 / 3,
    disk_usage_pct: 41.1,
    max_compaction_score: 7.25,
    jvm_heap_usage_pct: 50.123,
  };
  const health: HealthFigures = { ...figures, collected_at: at, collect_status: 'ok', failed_sources: [], disk_max_usage_pct: null, queries: 100 };
  return { health, collectStatus: 'ok', collectedAt: at, lastCollectedAt: new Date(at).toISOString(), figures };
}

/** `n` clusters, every third without a snapshot, every fifth without a sparkline. */
function inputsOf(n: number, options: { names?: (id: number) => string; qps?: number; at?: number; lineage?: object } = {}): FleetInputs {
  const clusters = Array.from({ length: n }, (_, i) => clusterOf(i + 1, options.names?.(i + 1)));
  const latest = new Map(clusters.filter((c) => c.id % 3 !== 0).map((c) => [c.id, latestOf(options.at ?? NOW - 60_000, (options.qps ?? 1) * c.id)]));
  const sparklines = new Map(clusters.filter((c) => c.id % 5 !== 0).map((c) => [c.id, Array.from({ length: 24 }, (_, i) => (i === 3 ? null : (options.qps ?? 1) * (c.id + i / 7)))]));
  return { clusters, frame: FRAME, latest, versions: new Map(clusters.map((c) => [c.id, c.id % 4 === 0 ? null : '3.3.1'])), sparklines, lineage: options.lineage ?? {} };
}

/** A collection state due at `due`, not running, last started `lagMs` late; its error, text beyond ASCII. */
const stateOf = (due: number, lagMs = 0): CollectionStateRecord => ({
  lastStatus: 'partial',
  consecutiveFailures: 0,
  lastAttemptAt: due - 30_000,
  lastSuccessAt: due - 30_000,
  lastDurationMs: 120,
  lastError: 'fe-1 refusé → 😀 \ud800',
  nextAttemptAt: due,
  running: false,
  lagMs,
  intervalMs: 30_000,
});

/** Shared by every answer here, as the route shares them: a shorter answer written where a longer one was. */
const buffers = new FleetBodyBuffers();

/** The answer's text, checked to be JSON.stringify's of the answer as an object, parsed. */
async function answerOf(inputs: FleetInputs, states: ReadonlyMap<number, CollectionStateRecord> = new Map(), request = ALL, now = NOW) {
  const answer = await fleetAnswer(inputs, states, request, clock(now));
  const body = await fleetJson(answer, buffers);
  const text = body.toString('utf8');
  buffers.give(body);
  expect(text).toBe(JSON.stringify(fleetObject(answer)));
  return JSON.parse(text) as ReturnType<typeof fleetObject>;
}

describe('fleetJson', () => {
  it('is JSON.stringify’s text of the answer, for no cluster, one, and several slices, whole or a page', async () => {
    for (const n of [0, 1, FLEET_SLICE, 3 * FLEET_SLICE + 7]) {
      const inputs = inputsOf(n);
      const states = new Map(inputs.clusters.filter((c) => c.id % 2 === 0).map((c) => [c.id, stateOf(NOW - 5_000, 250)]));
      const whole = await answerOf(inputs, states);
      expect(whole.clusters).toHaveLength(n);
      // Asked again of the same inputs (the kept parts reused): the same answer.
      expect(await answerOf(inputs, states)).toEqual(whole);
      const page = await answerOf(inputs, states, { ...ALL, sort: 'qps', order: 'desc', limit: 7, offset: 2 });
      expect(page.clusters.map((c) => c.id)).toEqual(whole.clusters.filter((c) => c.qps !== null).sort((a, b) => (b.qps ?? 0) - (a.qps ?? 0)).slice(2, 9).map((c) => c.id));
    }
  });

  it('writes into a buffer given back, never into one still lent, nor into Node’s shared pool', async () => {
    const own = new FleetBodyBuffers();
    const answer = await fleetAnswer(inputsOf(3), new Map(), ALL, clock());
    const first = await fleetJson(answer, own);
    const second = await fleetJson(answer, own);
    expect(second.buffer).not.toBe(first.buffer);
    // Even a tiny answer has its own memory, not a slice of Node's shared pool, so giving it back gives no one else's bytes.
    const tiny = await fleetJson(await fleetAnswer(inputsOf(0), new Map(), ALL, clock()), own);
    expect(tiny.buffer.byteLength).toBeLessThan(Buffer.poolSize);
    own.give(first);
    const third = await fleetJson(answer, own);
    expect(third.buffer).toBe(first.buffer);
    expect(third.toString('utf8')).toBe(JSON.stringify(fleetObject(answer)));
  });

  it('keeps the figures exact and the fields in the schema’s order', async () => {
    const [entry] = (await answerOf(inputsOf(1))).clusters;
    expect(entry?.query_latency_p99).toBe(1 / 3);
    expect(entry?.avg_memory_usage).toBe(100 / 3);
    expect(entry?.qps_sparkline.values[1]).toBe(1 + 1 / 7);
    expect(Object.keys(entry ?? {}).slice(0, 10)).toEqual(['id', 'name', 'tags', 'engine', 'deployment_mode', 'version', 'health', 'collection', 'last_collected_at', 'collect_status']);
    expect(Object.keys(entry ?? {}).at(-1)).toBe('qps_sparkline');
  });

  it('lets the event loop turn between slices', async () => {
    let turns = 0;
    let counting = true;
    const count = () => {
      turns += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    await fleetJson(await fleetAnswer(inputsOf(5 * FLEET_SLICE), new Map(), ALL, clock()));
    counting = false;
    // Slices of the health, of the kept parts and of the text: at least four turns each.
    expect(turns).toBeGreaterThanOrEqual(12);
  });
});

describe('fleetAnswer, its kept parts', () => {
  it('serves new inputs their own names, figures and sparklines, never those kept for older ones', async () => {
    const first = await answerOf(inputsOf(3));
    const renamed = await answerOf(inputsOf(3, { names: (id) => `renamed-${id}`, qps: 10, at: NOW - 30_000 }));
    expect(first.clusters[0]).toMatchObject({ name: 'c-1\u2028"quoted"', qps: 1, last_collected_at: new Date(NOW - 60_000).toISOString() });
    expect(renamed.clusters[0]).toMatchObject({ name: 'renamed-1', qps: 10, last_collected_at: new Date(NOW - 30_000).toISOString() });
    expect(renamed.clusters[0]?.qps_sparkline.values[0]).toBe(10);
    expect(first.clusters[0]?.qps_sparkline.values[0]).toBe(1);
  });

  it('keeps a cluster’s part from read to read of one cache while what it shows is unchanged, and makes it again when it is not', async () => {
    const lineage = {};
    const first = inputsOf(3, { lineage });
    const [c1, c2, c3] = first.clusters as [Cluster, Cluster, Cluster];
    const parts = [c1, c2, c3].map((c) => keptPartOf(first, c));
    // The next read: cluster 1 collected again, cluster 2 renamed, cluster 3 read again unchanged (an equal object).
    const l1 = first.latest.get(1) as FleetLatest;
    const next: FleetInputs = {
      ...first,
      clusters: [c1, { ...c2, name: 'renamed-2' }, { ...c3 }],
      latest: new Map([...first.latest, [1, { ...l1, collectedAt: NOW, figures: { ...l1.figures, qps: 99 } }]]),
    };
    const again = next.clusters.map((c) => keptPartOf(next, c));
    expect(again[0]).not.toBe(parts[0]);
    expect(again[0]?.after).toMatchObject({ qps: 99 });
    expect(again[1]).not.toBe(parts[1]);
    expect(again[1]?.before.name).toBe('renamed-2');
    expect(again[2]).toBe(parts[2]);
    // Another cache's inputs never take this one's parts.
    expect(keptPartOf({ ...next, lineage: {} }, next.clusters[2] as Cluster)).not.toBe(parts[2]);
  });

  it('computes the staleness and the collection lag for each request’s clock, the inputs kept', async () => {
    const inputs = inputsOf(2);
    const states = new Map([[1, stateOf(NOW - 5_000, 250)]]);
    const atNow = (await answerOf(inputs, states)).clusters[0];
    expect(atNow?.health).toEqual({ status: 'healthy', score: 100, reasons: [] });
    expect(atNow?.collection).toMatchObject({ lag_ms: 5_000, late: false });
    // Four minutes on, the same inputs: the snapshot is five minutes old, the collection 245 s overdue.
    const later = (await answerOf(inputs, states, ALL, NOW + 4 * 60_000)).clusters[0];
    expect(later?.health).toMatchObject({ status: 'warning', score: 90, reasons: [{ code: 'data_stale', message: expect.stringContaining('300 s old') }] });
    expect(later?.collection).toMatchObject({ lag_ms: 245_000, late: true });
    expect(later?.qps_sparkline).toEqual(atNow?.qps_sparkline);
    // Back to the first clock: fresh again.
    expect((await answerOf(inputs, states)).clusters[0]?.health).toEqual(atNow?.health);
  });

  it('judges staleness by the collection interval in effect at each request', async () => {
    const inputs = inputsOf(1);
    const later = NOW + 4 * 60_000;
    const statusWith = async (intervalSecs: number) =>
      (await fleetAnswer(inputs, new Map(), ALL, { now: later, settings: { ...DEFAULT_METRICS_SETTINGS, intervalSecs } })).clusters[0]?.health.status;
    expect(await statusWith(300)).toBe('healthy');
    expect(await statusWith(30)).toBe('warning');
    expect(await statusWith(300)).toBe('healthy');
  });

  it('says at every request how old a stale snapshot is', async () => {
    const inputs = inputsOf(1);
    const messageAt = async (now: number) => (await answerOf(inputs, new Map(), ALL, now)).clusters[0]?.health.reasons[0]?.message;
    expect(await messageAt(NOW + 4 * 60_000)).toContain('300 s old');
    expect(await messageAt(NOW + 5 * 60_000)).toContain('360 s old');
  });
});
