import { describe, expect, it } from 'vitest';
import type { CollectionResult } from '../../collector/collector.js';
import type { SnapshotValues } from '../../shared/snapshot-fields.js';
import { parsePrometheusText } from '../../starrocks/parse/prometheus-text.js';
import { ClusterFigures } from './cluster-figures.js';

const result = (clusterId: number, name: string, bytes: number): CollectionResult => ({
  clusterId,
  clusterName: name,
  collectedAt: 1_700_000_000_000,
  status: 'ok',
  durationMs: 250,
  failures: [],
  values: {} as SnapshotValues,
  frontendsScraped: 1,
  metricsBytes: bytes,
  metricsSeries: bytes / 10,
  writeMs: 1,
  custom: {},
});

/** cluster_id → scraped bytes, as the rendered text says. */
async function bytesByCluster(figures: ClusterFigures): Promise<Record<string, number>> {
  const parsed = parsePrometheusText(await figures.render(() => null));
  return Object.fromEntries(parsed.family('stellar_cluster_scraped_bytes')?.samples.map((s) => [s.labels.cluster_id, s.value]) ?? []);
}

describe('ClusterFigures', () => {
  it('keeps each cluster’s figures through growth, deletions and renames', async () => {
    const figures = new ClusterFigures();
    for (let id = 1; id <= 150; id += 1) figures.collected(result(id, `c${id}`, id * 100));
    figures.forgotten(1);
    figures.forgotten(75);
    figures.forgotten(999);
    figures.collected(result(151, 'c151', 15_100));
    figures.collected(result(2, 'renamed "two"', 222));
    const bytes = await bytesByCluster(figures);
    expect(figures.size).toBe(149);
    expect(Object.keys(bytes)).toHaveLength(149);
    expect([bytes['1'], bytes['75'], bytes['2'], bytes['150'], bytes['151'], bytes['74']]).toEqual([undefined, undefined, 222, 15_000, 15_100, 7400]);
    const up = parsePrometheusText(await figures.render(() => null)).family('stellar_cluster_up')?.samples.find((s) => s.labels.cluster_id === '2');
    expect(up?.labels.cluster).toBe('renamed "two"');
  });
});
