import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { manualClock } from '../../test/helpers/factories.js';
import { loggerInto } from '../../test/helpers/test-app.js';
import { ConfigReloader } from '../config/config-reloader.js';
import { resolveConfig } from '../config/resolve.js';
import type { LoadedConfig } from '../config/sources.js';
import { CustomMetricInput, type CustomMetricSource } from '../shared/custom-metrics.js';
import { migrateToLatest } from '../storage/migrate.js';
import { insertCustomMetric } from '../storage/repos/custom-metrics.repo.js';
import { CUSTOM_METRICS_REFRESH_MS, CustomMetricBook } from './custom-metric-book.js';
import { customMetricsReloadParticipant } from './custom-metrics-reload.js';

const metric = (source: CustomMetricSource) => CustomMetricInput.parse(source);
const HEAP = metric({ name: 'heap_max', source: 'fe', family: 'jvm_heap_size_bytes', labels: { type: 'max' } });
const QUERIES = { name: 'fe_query_rate', source: 'fe', family: 'starrocks_fe_query_total', kind: 'rate' } as const;

/** Lets a background re-read (started by current()) finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe.each(DIALECTS)('the custom metrics in force, on $name', (dialect) => {
  it('joins the file’s metrics with the API’s, re-reads the table after REFRESH_MS or when told, and never collects one that takes a file metric’s name', async () => {
    const storage = await dialect.open();
    await migrateToLatest(storage);
    const clock = manualClock();
    const logs: string[] = [];
    const book = new CustomMetricBook([HEAP], { db: storage.db, logger: loggerInto(logs, 'info'), now: clock.now });
    const names = () => book.current().map((m) => m.name);
    await book.refresh();
    expect(names()).toEqual(['heap_max']);

    // Saved by another instance: seen once the copy in memory is older than REFRESH_MS (read in the background; the next collection has it).
    await insertCustomMetric(storage.db, 'fe_query_rate', QUERIES, clock.now(), 'admin');
    expect(names()).toEqual(['heap_max']);
    clock.advance(CUSTOM_METRICS_REFRESH_MS);
    expect(names()).toEqual(['heap_max']);
    await settle();
    expect(names()).toEqual(['heap_max', 'fe_query_rate']);
    expect(book.current()[1]).toEqual(metric(QUERIES));
    expect((await book.all()).map((b) => `${b.origin} ${b.metric.name} ${b.updatedBy}`)).toEqual(['file heap_max null', 'api fe_query_rate admin']);

    // A row with a file metric's name, or one that no longer validates, is not collected and is warned about once.
    await insertCustomMetric(storage.db, 'heap_max', { name: 'heap_max', source: 'be', family: 'x' }, clock.now(), null);
    await insertCustomMetric(storage.db, 'broken', { name: 'broken', source: 'nowhere', family: 'x' }, clock.now(), null);
    await book.refresh();
    await book.refresh();
    expect(names()).toEqual(['heap_max', 'fe_query_rate']);
    expect(book.current()[0]).toBe(HEAP);
    expect(logs.filter((l) => l.includes('is not collected'))).toHaveLength(2);
    expect(logs.find((l) => l.includes('"custom_metric":"broken"'))).toContain('source');

    // A reload's [[custom_metrics]] replace the file's; the API row of the same name is collected once its name is free.
    const reloaded = metric({ name: 'leader_jobs', source: 'fe_leader', family: 'starrocks_fe_job', aggregate: 'max' });
    const loaded: LoadedConfig = { ...resolveConfig([]), file: '/etc/stellar.toml', notes: [], customMetrics: [reloaded] };
    const reloader = new ConfigReloader({ config: loaded.config, load: () => loaded, logger: loggerInto([], 'silent') });
    reloader.add(customMetricsReloadParticipant(book));
    await reloader.reload('test');
    expect(names()).toEqual(['leader_jobs', 'fe_query_rate', 'heap_max']);
    expect(book.isFromFile('heap_max')).toBe(false);
    expect(book.isFromFile('leader_jobs')).toBe(true);
    expect(book.current().find((m) => m.name === 'heap_max')?.source).toBe('be');
    await storage.close();
  });
});
