/**
 * Passwords never leave: not in a response, not in a log line (even at trace level), not in
 * plaintext in the database file or its WAL.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';
import { clusterBody } from '../helpers/factories.js';
import { ADMIN_PASSWORD, createTestApp } from '../helpers/test-app.js';

const CLUSTER_PASSWORDS = ['Cl-Pw-Alpha-7731', 'Cl-Pw-Bravo-1290', 'Cl-Pw-Charlie-4456'];
const NEW_ADMIN_PASSWORD = 'Adm-New-Pw-8812';

describe('secrets', () => {
  it('appear in no response, no log line and no database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stellar-secrets-'));
    const t = await createTestApp({ storage: openSqlite(join(dir, 'stellar.db')) });
    const bodies: string[] = [];
    const send = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) => {
      const response = await t.app.inject({ method, url, headers: { authorization: t.basicAuth, ...headers }, ...(payload ? { payload } : {}) });
      bodies.push(JSON.stringify(response.headers), response.body);
      return response;
    };

    const [first, second, third] = CLUSTER_PASSWORDS as [string, string, string];
    const created = (await send('POST', '/api/clusters', clusterBody({ password: first }))).json();
    await send('PUT', `/api/clusters/${created.id}`, { password: second });
    await send('POST', '/api/clusters', clusterBody({ name: created.name, password: third }));
    await send('POST', '/api/clusters', clusterBody({ password: third, fe_http_port: 'bad' }));
    await send('PUT', `/api/clusters/${created.id}`, { password: third, unknown_field: third });
    await send('GET', '/api/clusters');
    await send('GET', `/api/clusters/${created.id}`);

    const login = await send('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    const { token } = login.json();
    await send('POST', '/api/auth/login', { username: 'admin', password: 'Wrong-Pw-0001' });
    await send('PUT', '/api/auth/password', { current_password: ADMIN_PASSWORD, new_password: NEW_ADMIN_PASSWORD }, { authorization: `Bearer ${token}` });
    await send('GET', '/api/auth/me', undefined, { authorization: `Basic ${Buffer.from(`admin:${NEW_ADMIN_PASSWORD}`).toString('base64')}` });
    await send('DELETE', `/api/clusters/${created.id}`);

    const responses = bodies.join('\n');
    const logs = t.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [...CLUSTER_PASSWORDS, ADMIN_PASSWORD, NEW_ADMIN_PASSWORD, 'Wrong-Pw-0001']) {
      expect(responses, `response contains ${secret}`).not.toContain(secret);
      expect(logs, `log contains ${secret}`).not.toContain(secret);
    }
    expect(logs, 'log contains a bearer token').not.toContain(token);

    await t.close();
    for (const file of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, file)).toString('latin1');
      for (const secret of [...CLUSTER_PASSWORDS, ADMIN_PASSWORD, NEW_ADMIN_PASSWORD]) {
        expect(bytes, `${file} contains ${secret}`).not.toContain(secret);
      }
    }
  });
});
