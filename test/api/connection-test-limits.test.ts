/**
 * The connection test reads a cluster as a collection does: within `[limits]`, and never
 * repeating what the cluster answered. A hostile FE over loopback HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionTestJson } from '../../src/shared/api/connection-test.js';
import { DEFAULT_LIMITS } from '../../src/config/schema.js';
import { clusterBody } from '../helpers/factories.js';
import { endless, GOOD_LINES, type HostileFe, type HostileMetrics, startHostileFe } from '../helpers/hostile-fe.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp | null = null;
let fe: HostileFe | null = null;
afterEach(async () => {
  await Promise.all([t?.close(), fe?.close()]);
  t = null;
  fe = null;
});

async function testAgainst(metrics: (request: { headers: Record<string, unknown> }) => HostileMetrics): Promise<ConnectionTestJson> {
  t = await createTestApp({ limits: { ...DEFAULT_LIMITS, max_response_bytes: 64 * 1024 } });
  fe = await startHostileFe({ metrics });
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/clusters/test-connection',
    headers: { authorization: t.auth },
    payload: clusterBody({ fe_host: '127.0.0.1', fe_http_port: fe.port, connection_timeout: 30, password: 'secret-pw' }),
  });
  expect(response.statusCode).toBe(200);
  return response.json<ConnectionTestJson>();
}

describe('a connection test against a hostile FE', () => {
  it('cuts an endless /metrics body at the configured limits.max_response_bytes', async () => {
    const result = await testAgainst(() => endless(GOOD_LINES));
    const metrics = result.checks.find((c) => c.source.startsWith('metrics '));
    expect(metrics).toMatchObject({ ok: false, error_kind: 'over_limit' });
    expect(JSON.stringify(metrics)).toContain('response larger than 64 KiB (limit limits.max_response_bytes)');
  });

  it('answers an error page that echoes the request with its kind and status only', async () => {
    const result = await testAgainst((request) => ({ status: 401, body: `echo: ${JSON.stringify(request.headers)} authorization: Basic ${Buffer.from('root:secret-pw').toString('base64')}` }));
    const metrics = result.checks.find((c) => c.source.startsWith('metrics '));
    expect(metrics).toMatchObject({ ok: false, error_kind: 'auth' });
    expect(JSON.stringify(result)).toContain('HTTP 401 Unauthorized');
    expect(JSON.stringify(result)).not.toContain('echo');
    expect(JSON.stringify(result)).not.toContain(Buffer.from('root:secret-pw').toString('base64'));
  });
});
