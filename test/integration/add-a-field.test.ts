/**
 * docs/metrics.md's "Adding a field", done: one entry added to a catalogue (here a temporary
 * one, exactly as the walkthrough writes it) and nothing else, and the field is collected from
 * simulated FEs over real sockets, stored in its own column, rolled up into the day, served by
 * the export API and described in the docs' tables.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../src/collector/collector.js';
import { rollUpDay } from '../../src/collector/daily-job.js';
import { renderFieldTable } from '../../src/collector/metrics-doc.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import { dayOf } from '../../src/shared/day.js';
import { counter, feSum, field } from '../../src/shared/fields/field-spec.js';
import { type FieldCatalogue, SNAPSHOT_FIELDS } from '../../src/shared/snapshot-fields.js';
import { feValues } from '../../src/simulator/fe-values.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import { clusterFields } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const T = 'Transactions and loads';
// The walkthrough's entry, word for word.
const FIELDS: FieldCatalogue = [
  ...SNAPSHOT_FIELDS,
  field('edit_log_reads', { unit: 'journal entries', kind: 'delta', column: 'bigint', group: T,
    value: { type: 'delta', counter: counter('fe', feSum('edit_log_read')) } }),
];

let t: TestApp;
let fleet: SimulatedFleet;

beforeAll(async () => {
  t = await createTestApp({ fields: FIELDS });
  fleet = await startSimulatedFleet({ clusters: 1, fes: 3, bes: 2, password: 'pw', clock: t.clock.now });
});

afterAll(async () => {
  await fleet.close();
  await t.close();
});

/** What the FEs replayed between two instants: Σ of each alive FE's counter increase. */
function replayedBetween(from: number, to: number): number {
  const model = fleet.clusters[0]!.model;
  return model.fes.reduce((sum, fe) => sum + feValues(model, fe.index, to).counters.journalReplayed - feValues(model, fe.index, from).counters.journalReplayed, 0);
}

describe('a field added to the catalogue', () => {
  it('is collected, stored in its own column, rolled up, served and documented', async () => {
    const registry = new ClusterRegistry({ db: t.storage.db, dialect: t.storage.dialect, secrets: t.secrets, now: t.clock.now });
    const d = fleet.details()[0]!;
    const cluster = await registry.create(clusterFields({ name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, password: 'pw' }));
    const collector = new Collector({ storage: t.storage, registry, logger: pino({ level: 'silent' }), now: t.clock.now, fields: FIELDS,
      options: { scrapeFollowers: true, scrapeBackends: false, runtimeInfo: false, maxConcurrency: 1 } });
    const times = [t.clock.now()];
    try {
      await collector.collect(cluster);
      for (let i = 0; i < 3; i += 1) {
        t.clock.advance(30_000);
        times.push(t.clock.now());
        const result = await collector.collect(cluster);
        // Collected: the counter's increase over the interval, remembered between collections.
        expect((result.values as Record<string, unknown>).edit_log_reads).toBe(replayedBetween(times[i]!, times[i + 1]!));
      }
    } finally {
      await collector.close();
    }
    const expected = replayedBetween(times[0]!, times[3]!);
    expect(expected).toBeGreaterThan(0);

    // Stored: its own column, read back through the export API.
    const page = await t.app.inject({ method: 'GET', url: `/api/clusters/${cluster.id}/snapshots?fields=edit_log_reads&from=${times[0]}&to=${times[3]! + 1}`, headers: { authorization: t.auth } });
    expect(page.statusCode).toBe(200);
    const rows = page.json<{ fields: string[]; rows: { edit_log_reads: number | null }[] }>();
    expect(rows.fields).toEqual(['edit_log_reads']);
    expect(rows.rows.map((r) => r.edit_log_reads)).toEqual([null, ...[0, 1, 2].map((i) => replayedBetween(times[i]!, times[i + 1]!))]);

    // Rolled up: a delta's day is its total.
    const day = dayOf(times[0]!, 'UTC');
    expect(await rollUpDay(t.storage.db, cluster.id, day, 'UTC', t.clock.now(), FIELDS)).toBe(true);
    const daily = await t.app.inject({ method: 'GET', url: `/api/clusters/${cluster.id}/daily?from=${day}&to=${day}`, headers: { authorization: t.auth } });
    expect(daily.json<{ rows: Record<string, unknown>[] }>().rows[0]).toMatchObject({ snapshot_date: day, total_edit_log_reads: expected });

    // Served only for fields the catalogue has: an unknown one is still a 400 naming it.
    const unknown = await t.app.inject({ method: 'GET', url: `/api/clusters/${cluster.id}/snapshots?fields=edit_log_writes_typo`, headers: { authorization: t.auth } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('unknown field \\"edit_log_writes_typo\\"');

    // Documented: the tables docs/metrics.md is written from carry it with its source.
    expect(renderFieldTable(FIELDS)).toContain('| `edit_log_reads` | journal entries | delta | Σ | FE `/metrics` `starrocks_fe_edit_log_read` | FE `/metrics` `doris_fe_edit_log_read` |');
  });
});
