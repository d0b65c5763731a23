/**
 * What HTTP Basic credentials cost per request, with and without the cache of verified pairs
 * (src/auth/verified-credentials.ts), against a bearer token as the baseline. Each request is
 * GET /api/auth/me through the whole Fastify pipeline (app.inject, no socket).
 */
import { createTestApp } from '../test/helpers/test-app.js';
import { measure, report } from './harness.js';

export async function basicAuthBench(): Promise<string> {
  const cached = await createTestApp();
  const uncached = await createTestApp({ basicCacheMs: 0 });
  const me = (app: typeof cached, authorization: string) => () => app.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization } });
  try {
    const baseline = await measure('bearer token', me(cached, cached.auth));
    const withCache = await measure('HTTP Basic, verified pairs cached', me(cached, cached.basicAuth));
    const withoutCache = await measure('HTTP Basic, full scrypt check each time', me(uncached, uncached.basicAuth), { runMs: 3000 });
    return report('API authentication per request', baseline, [withCache, withoutCache]);
  } finally {
    await cached.close();
    await uncached.close();
  }
}
