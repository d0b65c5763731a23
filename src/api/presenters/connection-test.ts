/**
 * A collection's record of its sources → ConnectionTestJson: one check per source asked, in
 * the order asked, with its summary or its error. The connection test is a scrape like the
 * collector's, so what it says is what a collection would see.
 */
import type { RawScrape } from '../../collector/raw-scrape.js';
import type { ConnectionTestJson, SourceCheckJson } from '../../shared/api/connection-test.js';
import { frontendsVersion } from '../../starrocks/parse/node-lists.js';

export function presentConnectionTest(raw: Pick<RawScrape, 'frontends' | 'sources'>): ConnectionTestJson {
  const checks = raw.sources.map(
    (s): SourceCheckJson =>
      s.ok
        ? { source: s.source, ok: true, duration_ms: Math.round(s.durationMs), message: s.summary(), error_kind: null }
        : { source: s.source, ok: false, duration_ms: Math.round(s.durationMs), message: s.message, error_kind: s.kind },
  );
  return { ok: checks.every((c) => c.ok), version: frontendsVersion(raw.frontends ?? []), checks };
}
