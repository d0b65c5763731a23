/**
 * The clusters page in a browser against a real service: log in (and again after the token
 * stopped working), add a cluster through the form (the API's own checks in the form, and the
 * server's refusals, next to their fields), test connections source by source, edit, delete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterJson } from '../../src/shared/api/clusters.js';
import { ADMIN_PASSWORD, chromiumSkipReason, type E2E, E2E_SETUP_TIMEOUT_MS, skipNote, startE2E } from './harness.js';

describe.skipIf(chromiumSkipReason !== null)(`clusters page in a browser${skipNote()}`, () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({
      clusters: [
        // Its BEs serve /metrics, so switching BE metrics on shows at the simulator.
        { name: 'e2e-registered', tags: ['prod'], sim: { beMetrics: true } },
        // Running, but not registered: the form adds it.
        { name: 'e2e-new', register: false },
        { name: 'e2e-doomed', tags: ['old'] },
      ],
      intervalSecs: 5,
    });
  }, E2E_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await e2e?.close();
  });

  it('logs in with the form and out with the header button', async () => {
    const page = await e2e.newPage({ loggedIn: false });
    await page.goto(e2e.url('/clusters'));
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/clusters');
    await page.getByLabel('User name', { exact: true }).fill('admin');
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').getByText('Wrong user name or password.').waitFor();

    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => url.pathname === '/clusters');
    await page.getByRole('heading', { name: 'Clusters', level: 1 }).waitFor();
    // The session lives in the HttpOnly cookie only: nothing a script of the page could read holds it.
    const session = await e2e.sessionCookie(page);
    expect(session).toMatch(/^stl_/);
    expect(JSON.stringify(await e2e.localStorageOf(page))).not.toContain(session);
    expect(JSON.stringify(await e2e.localStorageOf(page))).not.toMatch(/stl_/);
    expect(await page.evaluate<string>('document.cookie')).not.toContain(session);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    expect(await e2e.sessionCookie(page)).toBeNull();
    await page.context().close();
  });

  it('goes to the login page when the session stops working mid-session, and back after logging in', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url('/clusters'));
    await page.getByRole('row', { name: 'e2e-registered' }).waitFor();
    // The session expires or is revoked while the page is open; the next request answers 401 and clears the cookie.
    await page.context().addCookies([{ name: 'stellar_session', value: 'stl_revoked', url: e2e.baseUrl, httpOnly: true, sameSite: 'Strict' }]);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/clusters');
    expect(await e2e.sessionCookie(page)).toBeNull();

    // The login page stays until the user logs in (it does not bounce back to the page), then returns there.
    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => url.pathname === '/clusters');
    await page.getByRole('row', { name: 'e2e-registered' }).waitFor();
    expect(await e2e.sessionCookie(page)).toMatch(/^stl_/);
    await page.context().close();
  });

  it('adds a cluster through the form, showing validation errors next to their fields', async () => {
    const target = e2e.clusters[1]!;
    const page = await e2e.newPage();
    await page.goto(e2e.url('/clusters'));
    await page.getByRole('row', { name: 'e2e-registered' }).waitFor();
    await page.getByRole('button', { name: 'Add cluster' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a cluster' });

    await dialog.getByLabel('Name', { exact: true }).fill('e2e-new');
    await dialog.getByLabel('Tags', { exact: true }).fill('staging, e2e');
    await dialog.getByLabel('FE host', { exact: true }).fill('fe_1-');
    await dialog.getByLabel('HTTP port', { exact: true }).fill('70000');
    await dialog.getByLabel('Query port', { exact: true }).fill(String(target.feQueryPort));
    await dialog.getByLabel('Username', { exact: true }).fill(e2e.simUser.username);
    await dialog.getByLabel('Password', { exact: true }).fill(e2e.simUser.password);
    await dialog.getByRole('button', { name: 'Add cluster' }).click();

    // The form checks with the API's own field schemas: the port and the host are caught at once,
    // in the server's words, next to their fields.
    const httpPort = dialog.getByLabel('HTTP port', { exact: true });
    await dialog.getByText('must be a whole number from 1 to 65535').waitFor();
    expect(await httpPort.getAttribute('aria-invalid')).toBe('true');
    await dialog.getByText(/must be a host name or IP address/).waitFor();
    expect(await dialog.getByLabel('FE host', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    // What only the server can know is refused by the server; its `details` land next to the field.
    await httpPort.fill(String(target.feHttpPort));
    await dialog.getByLabel('FE host', { exact: true }).fill(target.feHost);
    await dialog.getByLabel('Name', { exact: true }).fill('E2E-Registered');
    await dialog.getByRole('button', { name: 'Add cluster' }).click();
    await dialog.getByText('is already used by another cluster').waitFor();
    expect(await dialog.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await httpPort.getAttribute('aria-invalid')).toBe('false');

    await dialog.getByLabel('Name', { exact: true }).fill('e2e-new');
    await dialog.getByRole('button', { name: 'Add cluster' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: 'e2e-new' });
    await row.waitFor();
    expect(await row.textContent()).toContain(`${target.feHost}:${target.feHttpPort} / ${target.feQueryPort}`);

    const stored = (await e2e.api<ClusterJson[]>('GET', '/api/clusters')).find((c) => c.name === 'e2e-new');
    expect(stored).toMatchObject({ fe_host: target.feHost, fe_http_port: target.feHttpPort, tags: ['staging', 'e2e'], password_set: true });
    await page.context().close();
  });

  it('tests a connection from the form and from the table, source by source', async () => {
    const target = e2e.clusters[1]!;
    const page = await e2e.newPage();
    await page.goto(e2e.url('/clusters'));
    await page.getByRole('button', { name: 'Add cluster' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a cluster' });
    await dialog.getByLabel('Name', { exact: true }).fill('e2e-probe');
    await dialog.getByLabel('FE host', { exact: true }).fill(target.feHost);
    await dialog.getByLabel('HTTP port', { exact: true }).fill(String(target.feHttpPort));
    await dialog.getByLabel('Query port', { exact: true }).fill(String(target.feQueryPort));
    await dialog.getByLabel('Password', { exact: true }).fill('wrong-password');
    await dialog.getByRole('button', { name: 'Test connection' }).click();

    const results = dialog.getByRole('region', { name: 'Connection test results' });
    await results.waitFor();
    const failed = await results.locator('.conn-check-failed').allTextContents();
    expect(failed.join('\n')).toContain('frontends');
    expect(failed.join('\n')).toContain('auth');

    await dialog.getByLabel('Password', { exact: true }).fill(e2e.simUser.password);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await results.getByText('Connection works').waitFor();
    const sources = await results.locator('.conn-check-source').allTextContents();
    expect(sources).toContain('frontends');
    expect(sources.some((s) => s.startsWith('metrics '))).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    // A stored cluster is tested with its stored settings.
    await page.getByRole('button', { name: 'Test connection to e2e-registered' }).click();
    const stored = page.getByRole('dialog', { name: 'Connection test: e2e-registered' });
    await stored.getByText('Connection works').waitFor();
    expect(await stored.locator('.conn-check-ok').count()).toBeGreaterThan(1);
    await stored.getByRole('button', { name: 'Done' }).click();
    await page.context().close();
  });

  it('switches a cluster’s BE metrics on in the Sources control: saved, shown again, and asked by the next collections', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url('/clusters'));
    await page.getByRole('button', { name: 'Edit e2e-registered' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit e2e-registered' });
    const sources = dialog.getByRole('group', { name: 'Sources' });
    const follow = sources.getByRole('checkbox', { name: /Follow the global setting/ });
    const beMetrics = sources.getByRole('checkbox', { name: /^BE\/CN \/metrics/ });
    // Following the global set, shown as it is now (the shipped default: follower /metrics only).
    await sources.getByText('Follow the global setting (now: Follower /metrics)').waitFor();
    expect(await follow.isChecked()).toBe(true);
    expect(await beMetrics.isDisabled()).toBe(true);
    await follow.uncheck();
    // Leaving the global set starts from it.
    expect(await sources.getByRole('checkbox', { name: /^Follower \/metrics/ }).isChecked()).toBe(true);
    await beMetrics.check();
    // Until now its collections followed the global set, which leaves the BEs alone.
    const sim = e2e.clusters[0]!.sim;
    expect(sim.requests()['be0 /metrics'] ?? 0).toBe(0);
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    const stored = (await e2e.api<ClusterJson[]>('GET', '/api/clusters')).find((c) => c.name === 'e2e-registered');
    expect(stored).toMatchObject({ sources: ['follower_metrics', 'be_metrics'], effective_sources: ['follower_metrics', 'be_metrics'] });

    await page.getByRole('button', { name: 'Edit e2e-registered' }).click();
    const again = page.getByRole('dialog', { name: 'Edit e2e-registered' }).getByRole('group', { name: 'Sources' });
    expect(await again.getByRole('checkbox', { name: /Follow the global setting/ }).isChecked()).toBe(false);
    expect(await again.getByRole('checkbox', { name: /^BE\/CN \/metrics/ }).isChecked()).toBe(true);
    await page.getByRole('dialog', { name: 'Edit e2e-registered' }).getByRole('button', { name: 'Cancel' }).click();

    // The collector asks the cluster's BEs from now on.
    await e2e.waitFor(() => (sim.requests()['be0 /metrics'] ?? 0) > 0, 'a BE /metrics request at the simulator', 30_000);
    await page.context().close();
  });

  it('edits a cluster, keeping its password when the field is left blank', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url('/clusters'));
    await page.getByRole('button', { name: 'Edit e2e-registered' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit e2e-registered' });
    expect(await dialog.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    await dialog.getByLabel('Tags', { exact: true }).fill('prod, edited');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: 'e2e-registered' }).getByText('edited').waitFor();
    const stored = (await e2e.api<ClusterJson[]>('GET', '/api/clusters')).find((c) => c.name === 'e2e-registered');
    expect(stored).toMatchObject({ tags: ['prod', 'edited'], password_set: true });
    await page.context().close();
  });

  it('asks for the password again when the port changes, or keeps the stored one when told to', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url('/clusters'));
    await page.getByRole('button', { name: 'Edit e2e-registered' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit e2e-registered' });
    const before = (await e2e.api<ClusterJson[]>('GET', '/api/clusters')).find((c) => c.name === 'e2e-registered');
    const movedPort = (before?.fe_http_port ?? 8030) + 1;
    await dialog.getByLabel('HTTP port', { exact: true }).fill(String(movedPort));
    await dialog.getByText('The host or a port changed: type the password again, or keep the stored one below').waitFor();
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.getByText(/is required when fe_http_port changes/).waitFor();
    await dialog.getByLabel('Send the stored password to the new address (administrators only)').check();
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    const stored = (await e2e.api<ClusterJson[]>('GET', '/api/clusters')).find((c) => c.name === 'e2e-registered');
    expect(stored).toMatchObject({ fe_http_port: movedPort, password_set: true });
    await page.context().close();
  });

  it('deletes a cluster after a confirmation', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url('/clusters'));
    const row = page.getByRole('row', { name: 'e2e-doomed' });
    await row.waitFor();
    await page.getByRole('button', { name: 'Delete e2e-doomed' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete e2e-doomed?' });
    await dialog.getByRole('button', { name: 'Delete cluster' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByRole('status').getByText('Deleted e2e-doomed.').waitFor();
    expect((await e2e.api<ClusterJson[]>('GET', '/api/clusters')).map((c) => c.name)).not.toContain('e2e-doomed');
    await page.context().close();
  });

  it('ran every page above under the Content-Security-Policy without a blocked script or style', async () => {
    const index = await fetch(e2e.url('/clusters'), { headers: { accept: 'text/html' } });
    expect(index.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    expect(e2e.cspViolations).toEqual([]);
  });
});
