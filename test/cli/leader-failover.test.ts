/**
 * Three `stellar start` on one PostgreSQL database, as real processes, collecting simulated
 * clusters every 2 s: one leads, the others stand by. SIGKILL the leader: another takes over
 * within two intervals, and every cluster's rows keep one per slot, none missing more than one
 * slot in a row. SIGSTOP the next leader past its lease, then SIGCONT it: the third took over
 * meanwhile, and the woken one writes nothing (still one row per cluster and slot) and stands by.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clusterOffsetMs } from '../../src/collector/schedule.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import { postgresSkipReason, postgresTestUrl } from '../helpers/dialects.js';
import { skipNote } from '../helpers/requirements.js';
import { collectionRole, killStarted, type SharedDatabaseInstance, startSharedDatabaseInstance, waitFor } from '../helpers/stellar-process.js';

const INTERVAL_MS = 2000;
const CLUSTERS = 4;
const PASSWORD = 'leader-failover-pw';
const HEADERS = { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`, 'content-type': 'application/json' };

afterEach(killStarted);

type Instance = SharedDatabaseInstance;

describe.skipIf(postgresSkipReason !== null)(`three instances in leader mode on PostgreSQL${skipNote(postgresSkipReason)}`, () => {
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
    startSharedDatabaseInstance(name, { databaseUrl: database.url, intervalMs: INTERVAL_MS, password: PASSWORD, secretKey: 'ab'.repeat(32) });

  /** Each cluster's collection slots, in order: the interval its row's collection started in, counted from the cluster's offset. */
  async function slotsByCluster(): Promise<Map<number, number[]>> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ cluster_id: number; collected_at: string }>('select cluster_id, collected_at from metrics_snapshots order by cluster_id, collected_at');
      const slots = new Map<number, number[]>();
      for (const row of rows) {
        const at = Number(row.collected_at);
        const list = slots.get(row.cluster_id) ?? [];
        list.push(Math.floor((at - clusterOffsetMs(row.cluster_id, INTERVAL_MS)) / INTERVAL_MS));
        slots.set(row.cluster_id, list);
      }
      return slots;
    } finally {
      await client.end();
    }
  }

  /** The first instance of `among` that says it leads, once one does; how long that took, in intervals. */
  async function newLeader(among: readonly Instance[], since: number): Promise<{ leader: Instance; intervals: number }> {
    const leader = await waitFor('a standby to take over', async () => {
      for (const instance of among) if ((await collectionRole(instance.baseUrl)).role === 'leader') return instance;
      return undefined;
    }, () => among.map((i) => `--- ${i.name}\n${i.output()}`).join('\n'));
    return { leader, intervals: (Date.now() - since) / INTERVAL_MS };
  }

  /** Waits until every cluster has `more` rows beyond those it has now. */
  async function collections(more: number): Promise<void> {
    const before = await slotsByCluster();
    await waitFor(`${more} more collections of every cluster`, async () => {
      const now = await slotsByCluster();
      return now.size === CLUSTERS && [...now].every(([id, slots]) => slots.length >= (before.get(id)?.length ?? 0) + more) ? true : undefined;
    });
  }

  it('fail over within two intervals of a SIGKILL, and fence off a leader paused past its lease', async () => {
    const a = await launch('a');
    await waitFor('the first instance to lead', async () => ((await collectionRole(a.baseUrl)).role === 'leader' ? true : undefined), a.output);
    for (const d of fleet.details()) {
      const body = { name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, username: 'root', connection_timeout: 1 };
      expect((await fetch(`${a.baseUrl}/api/clusters`, { method: 'POST', headers: HEADERS, body: JSON.stringify(body) })).status).toBe(201);
    }
    const [b, c] = await Promise.all([launch('b'), launch('c')]);
    // Each names the leader once its first try for the lease (just after it listens) is done.
    for (const standby of [b, c]) {
      await waitFor(`${standby.name} to stand by`, async () => ((await collectionRole(standby.baseUrl)).holder_pid === a.child.pid ? true : undefined), standby.output);
      expect(await collectionRole(standby.baseUrl)).toEqual({ role: 'standby', holder_pid: a.child.pid, holder_host: expect.any(String) });
    }

    // Every instance lists the three, and only the leader collects.
    type Listed = { instances: { pid: number; role: string; clusters_collected: number; this_instance: boolean }[] };
    const listed = await waitFor('three heartbeats, the leader collecting every cluster', async () => {
      const answer = (await (await fetch(`${c.baseUrl}/api/instances`, { headers: HEADERS })).json()) as Listed;
      return answer.instances.length === 3 && answer.instances.some((i) => i.clusters_collected === CLUSTERS) ? answer : undefined;
    });
    expect(new Map(listed.instances.map((i) => [i.pid, [i.role, i.clusters_collected, i.this_instance]]))).toEqual(
      new Map([
        [a.child.pid, ['leader', CLUSTERS, false]],
        [b.child.pid, ['standby', 0, false]],
        [c.child.pid, ['standby', 0, true]],
      ]),
    );

    await collections(3);
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    const first = await newLeader([b, c], killedAt);
    expect(first.intervals).toBeLessThanOrEqual(2);
    expect(first.leader.output()).toContain('took over collection');
    await collections(3);

    // The new leader pauses past its lease; the last instance takes over; the paused one wakes.
    const paused = first.leader;
    const last = paused === b ? c : b;
    const stoppedAt = Date.now();
    paused.child.kill('SIGSTOP');
    const second = await newLeader([last], stoppedAt);
    expect(second.intervals).toBeLessThanOrEqual(2);
    await collections(2);
    paused.child.kill('SIGCONT');
    await waitFor('the woken leader to stand by', async () => ((await collectionRole(paused.baseUrl)).role === 'standby' ? true : undefined), paused.output);
    await collections(3);
    expect(await collectionRole(last.baseUrl)).toEqual({ role: 'leader' });
    expect(paused.output()).toContain('stopped collecting');

    // One row per cluster and slot, whoever wrote it; at most one slot missed in a row.
    for (const [clusterId, slots] of await slotsByCluster()) {
      expect(new Set(slots).size, `cluster ${clusterId}: two rows in one slot`).toBe(slots.length);
      const steps = slots.slice(1).map((slot, i) => slot - slots[i]!);
      expect(Math.max(...steps), `cluster ${clusterId}: slots ${slots.join(',')}`).toBeLessThanOrEqual(2);
    }
    console.info(`fail-over after SIGKILL: ${first.intervals.toFixed(2)} intervals; after SIGSTOP: ${second.intervals.toFixed(2)} intervals (interval ${INTERVAL_MS} ms)`);
    // Three services under tsx on a busy machine; each wait has its own deadline.
  }, 300_000);
});
