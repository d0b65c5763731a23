/**
 * Three `stellar start` in `coordination = "shards"` on one PostgreSQL database, as real
 * processes, collecting 300 simulated clusters every 3 s: each collects a third, and every
 * cluster is collected in every slot exactly once. SIGKILL one: the other two take its clusters
 * over (within two intervals) and again every slot has one row. Start it again: it gets its
 * share back, and still one row per cluster and slot, none missing more than one slot in a row
 * over the whole run.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clusterOffsetMs } from '../../src/collector/schedule.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import { postgresSkipReason, postgresTestUrl } from '../helpers/dialects.js';
import { skipNote } from '../helpers/requirements.js';
import { collectionRole, killStarted, slotsByCluster, type SharedDatabaseInstance, startSharedDatabaseInstance, waitFor } from '../helpers/stellar-process.js';

const INTERVAL_MS = 3000;
/** A fleet: three services under tsx and the simulator collect it in about a minute on a busy 2-core machine. */
const CLUSTERS = 300;
const PASSWORD = 'shards-pw';
const HEADERS = { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`, 'content-type': 'application/json' };

afterEach(killStarted);

type Instance = SharedDatabaseInstance;

describe.skipIf(postgresSkipReason !== null)(`three instances in shards mode on PostgreSQL${skipNote(postgresSkipReason)}`, () => {
  let database: { url: string; drop(): Promise<void> };
  let fleet: SimulatedFleet;
  beforeAll(async () => {
    database = await postgresTestUrl();
    fleet = await startSimulatedFleet({ clusters: CLUSTERS, fes: 1, bes: 1 });
  });
  afterAll(async () => {
    await fleet?.close();
    await database?.drop();
  });

  const launch = (name: string): Promise<Instance> =>
    startSharedDatabaseInstance(name, { databaseUrl: database.url, intervalMs: INTERVAL_MS, password: PASSWORD, secretKey: 'cd'.repeat(32), env: { APP_CLUSTER_COORDINATION: 'shards' } });

  const outputs = (instances: readonly Instance[]) => () => instances.map((i) => `--- ${i.name}\n${i.output().slice(-4000)}`).join('\n');

  /** Waits until `instances` collect `CLUSTERS` between them, each its even share; returns when, and the shares. */
  async function balanced(instances: readonly Instance[]): Promise<{ at: number; shares: number[] }> {
    const share = Math.ceil(CLUSTERS / instances.length);
    return waitFor(
      `${instances.length} instances to collect ${share} clusters each`,
      async () => {
        const roles = await Promise.all(instances.map((i) => collectionRole(i.baseUrl)));
        const shares = roles.map((r) => r.clusters ?? 0);
        const total = shares.reduce((a, b) => a + b, 0);
        return total === CLUSTERS && shares.every((n) => n >= CLUSTERS - share * (instances.length - 1) && n <= share) ? { at: Date.now(), shares } : undefined;
      },
      outputs(instances),
    );
  }

  /** Every cluster has exactly one row in each of its slots that began in [from, to - one interval]. */
  async function exactlyOncePerSlot(from: number, to: number): Promise<void> {
    const slots = await slotsByCluster(database.url, INTERVAL_MS);
    expect(slots.size).toBe(CLUSTERS);
    for (const [clusterId, list] of slots) {
      const offset = clusterOffsetMs(clusterId, INTERVAL_MS);
      const first = Math.ceil((from - offset) / INTERVAL_MS);
      const last = Math.floor((to - INTERVAL_MS - offset) / INTERVAL_MS);
      for (let slot = first; slot <= last; slot += 1) {
        expect(list.filter((s) => s === slot).length, `cluster ${clusterId}, slot ${slot} (slots ${list.join(',')})`).toBe(1);
      }
    }
  }

  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('collect every cluster once per interval, across a SIGKILL and a return', async () => {
    const a = await launch('a');
    for (const d of fleet.details()) {
      const body = { name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, username: 'root', connection_timeout: 1 };
      expect((await fetch(`${a.baseUrl}/api/clusters`, { method: 'POST', headers: HEADERS, body: JSON.stringify(body) })).status).toBe(201);
    }
    const [b, c] = await Promise.all([launch('b'), launch('c')]);
    const first = await balanced([a, b, c]);
    await pause(4 * INTERVAL_MS);
    await exactlyOncePerSlot(first.at, Date.now());

    // One instance, and only one, runs the maintenance; /api/instances lists the three shards.
    const roles = await Promise.all([a, b, c].map((i) => collectionRole(i.baseUrl)));
    expect(roles.map((r) => r.role)).toEqual(['shard', 'shard', 'shard']);
    expect(roles.filter((r) => r.maintenance === true)).toHaveLength(1);
    type Listed = { coordination: string; instances: { pid: number; role: string; clusters_collected: number; silent: boolean }[] };
    const listed = await waitFor('three shards listed with their shares', async () => {
      const answer = (await (await fetch(`${b.baseUrl}/api/instances`, { headers: HEADERS })).json()) as Listed;
      return answer.instances.reduce((n, i) => n + i.clusters_collected, 0) === CLUSTERS ? answer : undefined;
    });
    expect(listed.coordination).toBe('shards');
    expect(new Set(listed.instances.map((i) => i.pid))).toEqual(new Set([a.child.pid, b.child.pid, c.child.pid]));
    expect(listed.instances.every((i) => i.role === 'shard' && i.clusters_collected <= CLUSTERS / 3)).toBe(true);

    // SIGKILL one (the maintenance holder, if it is not the first): the two others take its share over.
    const victim = roles[1]?.maintenance === true ? b : c;
    const survivors = [a, victim === b ? c : b];
    const killedAt = Date.now();
    victim.child.kill('SIGKILL');
    const takenOver = await balanced(survivors);
    const takeoverIntervals = (takenOver.at - killedAt) / INTERVAL_MS;
    expect(takeoverIntervals).toBeLessThanOrEqual(2);
    // The maintenance moves on too.
    await waitFor('a survivor to run the maintenance', async () => ((await Promise.all(survivors.map((i) => collectionRole(i.baseUrl)))).some((r) => r.maintenance) ? true : undefined), outputs(survivors));
    await pause(4 * INTERVAL_MS);
    await exactlyOncePerSlot(takenOver.at, Date.now());

    // It comes back (a new process): the others hand its share back.
    const back = await launch(`${victim.name}-again`);
    const backListening = Date.now();
    const returned = await balanced([...survivors, back]);
    const returnIntervals = (returned.at - backListening) / INTERVAL_MS;
    await pause(4 * INTERVAL_MS);
    await exactlyOncePerSlot(returned.at, Date.now());

    // Over the whole run: never two rows in one slot, never more than one slot missed in a row.
    for (const [clusterId, slots] of await slotsByCluster(database.url, INTERVAL_MS)) {
      expect(new Set(slots).size, `cluster ${clusterId}: two rows in one slot (${slots.join(',')})`).toBe(slots.length);
      const steps = slots.slice(1).map((slot, i) => slot - slots[i]!);
      expect(Math.max(...steps), `cluster ${clusterId}: slots ${slots.join(',')}`).toBeLessThanOrEqual(2);
    }
    const refused = [a, b, c, back].map((i) => i.output().split('already has one for this slot').length - 1).reduce((x, y) => x + y, 0);
    console.info(
      `shards: ${CLUSTERS} clusters, interval ${INTERVAL_MS} ms; shares ${first.shares.join('/')}; after SIGKILL ${takenOver.shares.join('/')} within ${takeoverIntervals.toFixed(2)} intervals; ` +
        `after the return ${returned.shares.join('/')} within ${returnIntervals.toFixed(2)} intervals of its start; second writes of a slot refused: ${refused}`,
    );
  }, 400_000);
});
