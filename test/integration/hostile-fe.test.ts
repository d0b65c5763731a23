/**
 * One bad cluster must never take the service down: each hostile `/metrics` answer, served over
 * real loopback HTTP, is cut at its limit and recorded as a failed source whose reason names
 * the real cause and the key that sets it, while the rest of the collection goes on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ScrapeLimits } from '../../src/config/schema.js';
import type { RawScrape, SourceOutcome } from '../../src/collector/raw-scrape.js';
import { scrapeCluster, scrapeDeadlineMs } from '../../src/collector/scrape-cluster.js';
import { StarRocksClient } from '../../src/starrocks/starrocks-client.js';
import { loopbackTarget } from '../../src/starrocks/testing.js';
import { endless, GOOD_LINES, type HostileFe, type HostileMetrics, startHostileFe } from '../helpers/hostile-fe.js';

const LIMITS: ScrapeLimits = {
  max_response_bytes: 256 * 1024,
  max_decompressed_bytes: 1024 * 1024,
  max_series: 1000,
  max_line_length: 1024,
  max_frontends: 4,
  max_backends: 10_000,
};

let fe: HostileFe | null = null;
afterEach(async () => {
  await fe?.close();
  fe = null;
});

/** One collection of the hostile FE, with the test's limits and a timeout far beyond any of them. */
async function scrapeHostile(metrics: (request: unknown) => HostileMetrics, extraFrontends = 0, limits = LIMITS): Promise<RawScrape> {
  await fe?.close();
  fe = await startHostileFe({ metrics, extraFrontends });
  const target = loopbackTarget({ fe_http_port: fe.port, connection_timeout: 60 });
  const client = new StarRocksClient(target, { limits });
  try {
    return await scrapeCluster(client, target, { scrapeFollowers: true, scrapeBackends: false, runtimeInfo: false, limits, deadlineMs: scrapeDeadlineMs(60), now: Date.now });
  } finally {
    await client.close();
  }
}

function metricsOutcome(raw: RawScrape): SourceOutcome {
  const outcome = raw.sources.find((s) => s.source === `metrics 127.0.0.1:${fe!.port}`);
  if (!outcome) throw new Error('the configured FE was not asked');
  return outcome;
}

const series = (count: number): string => Array.from({ length: count }, (_, i) => `starrocks_fe_query_total{n="${i}"} ${i}\n`).join('');

describe('a hostile FE', () => {
  it('announcing a body larger than max_response_bytes is refused before it is read', async () => {
    const raw = await scrapeHostile(() => ({ body: GOOD_LINES, contentLength: 1024 ** 3 }));
    expect(metricsOutcome(raw)).toMatchObject({
      ok: false,
      kind: 'over_limit',
      message: expect.stringMatching(/: response of 1073741824 bytes announced, larger than 256 KiB \(limit limits\.max_response_bytes\)$/),
    });
  });

  it('sending an endless body is cut at max_response_bytes, not at the timeout', async () => {
    const raw = await scrapeHostile(() => endless(GOOD_LINES));
    expect(metricsOutcome(raw)).toMatchObject({ ok: false, kind: 'over_limit', message: expect.stringMatching(/: response larger than 256 KiB \(limit limits\.max_response_bytes\)$/) });
    // The node lists still answered: the row keeps what the cluster did send.
    expect(raw.frontends).toHaveLength(1);
  });

  it('sending a gzip bomb is stopped at max_decompressed_bytes, and the reason says so (not "not valid UTF-8")', async () => {
    const bomb = GOOD_LINES.repeat(Math.ceil((64 * 1024 * 1024) / GOOD_LINES.length)); // 64 MiB unpacked, a few hundred KB packed
    const raw = await scrapeHostile(() => ({ body: bomb, gzip: true }));
    expect(metricsOutcome(raw)).toMatchObject({
      ok: false,
      kind: 'over_limit',
      message: expect.stringMatching(/: response larger than 1 MiB once decompressed \(limit limits\.max_decompressed_bytes\)$/),
    });
  });

  it('sending a small gzip body that unpacks past the limit is stopped the same way', async () => {
    const raw = await scrapeHostile(() => ({ body: Buffer.alloc(8 * 1024 * 1024, 'a'), gzip: true }));
    expect(metricsOutcome(raw)).toMatchObject({ ok: false, kind: 'over_limit', message: expect.stringContaining('(limit limits.max_decompressed_bytes)') });
  });

  it('sending a line longer than max_line_length has the body refused, naming the line', async () => {
    const raw = await scrapeHostile(() => ({ body: `${GOOD_LINES}starrocks_fe_qps{x="${'y'.repeat(2000)}"} 1\n` }));
    expect(metricsOutcome(raw)).toMatchObject({ ok: false, kind: 'over_limit', message: 'line 5 is longer than 1024 characters (limit limits.max_line_length)' });
  });

  it('sending more series than max_series has the body refused, as Prometheus’ sample_limit does', async () => {
    const raw = await scrapeHostile(() => ({ body: `# TYPE starrocks_fe_query_total counter\n${series(1001)}` }));
    expect(metricsOutcome(raw)).toMatchObject({ ok: false, kind: 'over_limit', message: 'more than 1000 series (limit limits.max_series)' });
    const atTheLimit = await scrapeHostile(() => ({ body: `# TYPE starrocks_fe_query_total counter\n${series(1000)}` }));
    expect(metricsOutcome(atTheLimit)).toMatchObject({ ok: true });
  });

  it('listing 5,000 frontends gets max_frontends scraped, and the row says the list was cut', async () => {
    // The list itself (about 800 KB) is within a larger response limit.
    const raw = await scrapeHostile(() => ({ body: GOOD_LINES }), 4999, { ...LIMITS, max_response_bytes: 4 * 1024 * 1024 });
    expect(fe!.requests('/metrics')).toBe(LIMITS.max_frontends);
    expect(raw.fes).toHaveLength(LIMITS.max_frontends);
    expect(raw.failures).toEqual([
      {
        source: 'follower_metrics',
        kind: 'over_limit',
        message: 'the frontends list names 5000 alive FEs; only the configured FE and the first 3 others were scraped (limit limits.max_frontends)',
      },
    ]);
  });

  it('putting a NUL in a label value, a vertical tab in HELP and a NUL in a name loses only the bad line, as Prometheus does', async () => {
    const body = `# HELP starrocks_fe_qps queries\u000b per second\n${GOOD_LINES}starrocks_fe_connection_total{user="a\u0000b"} 3\nstarrocks\u0000_fe_job 1\n`;
    const raw = await scrapeHostile(() => ({ body }));
    expect(metricsOutcome(raw)).toMatchObject({ ok: true });
    const metrics = raw.fes[0]!.metrics;
    expect(metrics.family('starrocks_fe_qps')?.samples[0]?.value).toBe(2.5);
    expect(metrics.family('starrocks_fe_qps')?.help).toBe('queries\u000b per second');
    expect(metrics.family('starrocks_fe_connection_total')?.samples[0]?.labels).toEqual({ user: 'a\u0000b' });
    expect(metrics.skippedLines).toBe(1);
  });

  it('answering an error page that echoes the request has only the kind and status recorded', async () => {
    const raw = await scrapeHostile((request) => ({ status: 401, body: `echo: ${JSON.stringify((request as { headers: unknown }).headers)} Basic cm9vdDpwOnc=` }));
    const outcome = metricsOutcome(raw);
    expect(outcome).toMatchObject({ ok: false, kind: 'auth', message: expect.stringMatching(/: HTTP 401 Unauthorized$/) });
    expect(JSON.stringify(raw.failures)).not.toContain('echo');
  });
});
