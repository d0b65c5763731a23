/**
 * A hostile FE's node lists over real loopback HTTP: a backends list of more rows than
 * `limits.max_backends` is refused while it streams (an endless one too, long before the byte
 * limit), a gzip bomb in its place is stopped by the byte limits, and the collection records a
 * reason naming the limit and its key while the rest of it goes on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ScrapeLimits } from '../../src/config/schema.js';
import type { RawScrape, SourceOutcome } from '../../src/collector/raw-scrape.js';
import { scrapeCluster, scrapeDeadlineMs } from '../../src/collector/scrape-cluster.js';
import { StarRocksClient } from '../../src/starrocks/starrocks-client.js';
import { loopbackTarget } from '../../src/starrocks/testing.js';
import { BACKEND_ROW, GOOD_LINES, type HostileFe, type HostileMetrics, jsonList, startHostileFe } from '../helpers/hostile-fe.js';

const LIMITS: ScrapeLimits = {
  max_response_bytes: 4 * 1024 * 1024,
  max_decompressed_bytes: 8 * 1024 * 1024,
  max_series: 1000,
  max_line_length: 1024,
  max_frontends: 4,
  max_backends: 1000,
};

let fe: HostileFe | null = null;
afterEach(async () => {
  await fe?.close();
  fe = null;
});

/** One collection of an FE whose backends list is `backends`, with the test's limits. */
async function scrapeWithBackends(backends: HostileMetrics, limits = LIMITS): Promise<RawScrape> {
  fe = await startHostileFe({ metrics: () => ({ body: GOOD_LINES }), nodeList: (list) => (list === '/backends' ? backends : undefined) });
  const target = loopbackTarget({ fe_http_port: fe.port, connection_timeout: 60 });
  const client = new StarRocksClient(target, { limits });
  try {
    return await scrapeCluster(client, target, { scrapeFollowers: true, scrapeBackends: true, runtimeInfo: false, limits, deadlineMs: scrapeDeadlineMs(60), now: Date.now });
  } finally {
    await client.close();
  }
}

function outcomeOf(raw: RawScrape, source: string): SourceOutcome {
  const outcome = raw.sources.find((s) => s.source === source);
  if (!outcome) throw new Error(`${source} was not asked`);
  return outcome;
}

describe('a hostile FE’s backends list', () => {
  it('of more rows than max_backends is refused, naming the limit and the key, and the rest of the collection goes on', async () => {
    const raw = await scrapeWithBackends(jsonList(BACKEND_ROW, 20_000)); // about 2 MB: within the byte limit
    expect(outcomeOf(raw, 'backends')).toMatchObject({
      ok: false,
      kind: 'over_limit',
      message: expect.stringMatching(/: the backends list has more than 1000 rows \(limit limits\.max_backends\)$/),
    });
    expect(raw.backends).toBeNull();
    expect(outcomeOf(raw, 'frontends')).toMatchObject({ ok: true });
    expect(outcomeOf(raw, `metrics 127.0.0.1:${fe!.port}`)).toMatchObject({ ok: true });
  });

  it('of exactly max_backends rows is read whole', async () => {
    const raw = await scrapeWithBackends(jsonList(BACKEND_ROW, 1000));
    expect(outcomeOf(raw, 'backends')).toMatchObject({ ok: true });
    expect(raw.backends).toHaveLength(1000);
  });

  it('without end is cut at max_backends rows as it streams, long before max_response_bytes', async () => {
    const raw = await scrapeWithBackends(jsonList(BACKEND_ROW, 'endless'), { ...LIMITS, max_response_bytes: 1024 ** 3 });
    expect(outcomeOf(raw, 'backends')).toMatchObject({ ok: false, kind: 'over_limit', message: expect.stringContaining('the backends list has more than 1000 rows (limit limits.max_backends)') });
  });

  it('sent as a gzip bomb (never asked for gzip) is stopped at max_decompressed_bytes', async () => {
    const bomb = `[${' '.repeat(64 * 1024 * 1024)}]`; // 64 MiB of JSON that packs into about 64 KB
    const raw = await scrapeWithBackends({ body: bomb, gzip: true });
    expect(outcomeOf(raw, 'backends')).toMatchObject({
      ok: false,
      kind: 'over_limit',
      message: expect.stringMatching(/: response larger than 8 MiB once decompressed \(limit limits\.max_decompressed_bytes\)$/),
    });
  });

  it('sent gzipped with too many rows has them counted once unpacked', async () => {
    const list = jsonList(BACKEND_ROW, 5000) as { body: string };
    const raw = await scrapeWithBackends({ body: list.body, gzip: true });
    expect(outcomeOf(raw, 'backends')).toMatchObject({ ok: false, kind: 'over_limit', message: expect.stringContaining('the backends list has more than 1000 rows (limit limits.max_backends)') });
  });
});
