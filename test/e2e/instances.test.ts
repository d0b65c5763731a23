/**
 * The instances page in a browser against a real service (one process on SQLite, so it is the
 * leader): reached from the footer link at phone width without sideways scrolling, it lists
 * this instance as the leader collecting the registered cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason, type E2E, E2E_SETUP_TIMEOUT_MS, skipNote, startE2E } from './harness.js';

describe.skipIf(chromiumSkipReason !== null)(`instances page in a browser${skipNote()}`, () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({ clusters: [{ name: 'e2e-instances' }] });
    await e2e.waitForCollections(1);
  }, E2E_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await e2e?.close();
  });

  it('is linked from the footer on a phone, and shows this instance leading and collecting the cluster', async () => {
    const page = await e2e.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(e2e.url('/'));
    await page.getByRole('article').first().waitFor();
    await page.getByRole('contentinfo').getByRole('link', { name: 'Instances' }).click();
    await page.waitForURL((url) => url.pathname === '/instances');
    await page.getByRole('heading', { name: 'Instances', level: 1 }).waitFor();
    const row = page.getByRole('row', { name: /this one/ });
    await row.waitFor();
    expect(await row.getAttribute('data-role')).toBe('leader');
    expect(await row.getByRole('cell').last().textContent()).toBe('1');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.context().close();
  });
});
