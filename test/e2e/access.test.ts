/**
 * The access page in a browser against a real service: an admin adds a viewer and makes an API
 * token whose value is shown once and works until revoked; the viewer sees the users without
 * the admin's controls and makes a read-only token of their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason, type E2E, E2E_SETUP_TIMEOUT_MS, skipNote, startE2E } from './harness.js';

describe.skipIf(chromiumSkipReason !== null)(`access page in a browser${skipNote()}`, () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({ clusters: [{ name: 'e2e-access' }] });
  }, E2E_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await e2e?.close();
  });

  const status = async (token: string) => (await fetch(e2e.url('/api/clusters'), { headers: { authorization: `Bearer ${token}` } })).status;

  it('lets an admin add a viewer, and make a token shown once that works until revoked', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url('/access'));
    await page.getByRole('heading', { name: 'Access', level: 1 }).waitFor();

    const users = page.getByRole('region', { name: 'Users' });
    await users.getByLabel('Name').fill('vera');
    await users.getByLabel('Password').fill('vera-password');
    await users.getByRole('button', { name: 'Add user' }).click();
    await users.getByRole('cell', { name: 'vera' }).waitFor();
    expect(await users.getByLabel('Role of vera').inputValue()).toBe('viewer');

    const tokens = page.getByRole('region', { name: 'Your API tokens' });
    await tokens.getByLabel('Name').fill('nightly export');
    await tokens.getByRole('button', { name: 'Create token' }).click();
    const shown = tokens.getByRole('status').locator('code');
    const value = (await shown.textContent()) ?? '';
    expect(value).toMatch(/^stl_/);
    expect(await status(value)).toBe(200);
    await tokens.getByRole('cell', { name: 'nightly export' }).waitFor();

    await page.reload();
    await page.getByRole('region', { name: 'Your API tokens' }).getByRole('cell', { name: 'nightly export' }).waitFor();
    expect(await page.content()).not.toContain(value);

    await page.getByRole('region', { name: 'Your API tokens' }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('region', { name: 'Your API tokens' }).getByText('No personal tokens').waitFor();
    expect(await status(value)).toBe(401);
    await page.context().close();
  });

  it('shows a viewer the users without admin controls, and offers only viewer tokens', async () => {
    await e2e.api('POST', '/api/users', { username: 'otto', password: 'otto-password', role: 'viewer' });
    const page = await e2e.newPage({ loggedIn: false });
    await page.goto(e2e.url('/login?next=/access'));
    await page.getByLabel('User name', { exact: true }).fill('otto');
    await page.getByLabel('Password', { exact: true }).fill('otto-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => url.pathname === '/access');
    await page.getByText('You are a viewer (read only)').waitFor();

    const users = page.getByRole('region', { name: 'Users' });
    await users.getByRole('cell', { name: 'otto' }).waitFor();
    expect(await users.getByRole('button', { name: 'Add user' }).count()).toBe(0);
    expect(await users.getByRole('button', { name: 'Delete' }).count()).toBe(0);

    const tokens = page.getByRole('region', { name: 'Your API tokens' });
    expect(await tokens.getByLabel('Role').locator('option').allTextContents()).toEqual(['viewer']);
    await tokens.getByLabel('Name').fill('dashboard');
    await tokens.getByRole('button', { name: 'Create token' }).click();
    const value = (await tokens.getByRole('status').locator('code').textContent()) ?? '';
    expect(await status(value)).toBe(200);
    const refused = await fetch(e2e.url('/api/users'), { method: 'POST', headers: { authorization: `Bearer ${value}`, 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(403);
    await page.context().close();
  });
});
