/** What a connection test found, source by source (POST /api/clusters/test-connection, /api/clusters/:id/test). */
import { z } from 'zod';
import { nullableString } from './common.js';

const SourceCheckResponse = z.object({
  source: z.string().meta({ description: '`frontends`, `backends`, `compute_nodes`, `metrics HOST:PORT`, `runtime_info HOST:PORT`, `be_metrics HOST:PORT`, or `follower_metrics` when the frontends list was cut at limits.max_frontends' }),
  ok: z.boolean(),
  duration_ms: z.number(),
  message: z.string().meta({ description: 'What came back (e.g. "3 frontends, leader fe1", "412 families"), or the error' }),
  error_kind: nullableString('The ScrapeError kind when it failed: refused, timeout, auth, http_status, malformed, network, query_failed, not_allowed, over_limit or parse'),
});

export const ConnectionTestResponse = z
  .object({
    ok: z.boolean().meta({ description: 'Every source answered' }),
    version: nullableString('Version of the leader FE, when the frontends list answered'),
    checks: z.array(SourceCheckResponse),
  })
  .meta({ id: 'ConnectionTest' });

export type SourceCheckJson = z.output<typeof SourceCheckResponse>;
export type ConnectionTestJson = z.output<typeof ConnectionTestResponse>;
