import { afterEach, describe, expect, it } from 'vitest';
import { ClusterRegistry } from '../registry/cluster-registry.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { clusterFields, randomSecretBox } from '../../test/helpers/factories.js';
import { applyRetention } from './retention.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24, 12);
let storage: Storage | null = null;
afterEach(async () => {
  await storage?.close();
  storage = null;
});

describe.each(DIALECTS)('applyRetention on $name', (dialect) => {
  it('deletes every row past the retention in small batches and keeps the rest', async () => {
    storage = await dialect.open();
    await migrateToLatest(storage);
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => NOW });
    const [a, b] = [await registry.create(clusterFields()), await registry.create(clusterFields())];
    const rows = [];
    for (let i = 0; i < 250; i += 1) {
      for (const cluster of [a, b]) rows.push({ cluster_id: cluster.id, collected_at: NOW - i * 0.1 * DAY, collect_status: 'ok' as const });
    }
    await storage.db.insertInto('metrics_snapshots').values(rows).execute();
    const deleted = await applyRetention(storage.db, NOW, { retentionDays: 7, batchSize: 37, pauseMs: 0 });
    const left = await storage.db.selectFrom('metrics_snapshots').select('collected_at').execute();
    expect(deleted).toBe(500 - left.length);
    expect(left.every((r) => r.collected_at >= NOW - 7 * DAY)).toBe(true);
    expect(left.length).toBe(2 * 71);
  });
});
