import { describe, expect, it } from 'vitest';
import { ClusterCreateBody, type ClusterCreate, type ClusterJson } from '../../src/shared/api/clusters.js';
import { fieldName, splitList } from '../../src/shared/api/fields.js';
import { CLUSTER_FORM, type ClusterFormValues, connectionBody, errorsFromDetails, formOf, movesStoredPassword, NEW_CLUSTER, sameSources, updateBody } from '../../web/src/pages/clusters/cluster-form.js';

/** What the form's schema says of each field: its first issue, as react-hook-form's zod resolver shows it. */
async function validateForm(values: ClusterFormValues): Promise<Record<string, string>> {
  const parsed = await CLUSTER_FORM.safeParseAsync(values);
  const errors: Record<string, string> = {};
  for (const issue of parsed.error?.issues ?? []) errors[issue.path.join('.')] ??= issue.message;
  return errors;
}

/** The body the form submits. */
async function clusterBody(values: ClusterFormValues): Promise<ClusterCreate> {
  return CLUSTER_FORM.parseAsync(values);
}

/** What the server's schema says of a body, field by field, as its 400 `details` name them. */
function serverSays(body: Record<string, unknown>): Record<string, string> {
  const parsed = ClusterCreateBody.safeParse(body);
  return Object.fromEntries((parsed.error?.issues ?? []).map((issue) => [fieldName(issue.path), issue.message]));
}

const STORED: ClusterJson = {
  id: 7,
  name: 'prod-eu',
  description: 'main',
  fe_host: 'fe1.example.com',
  fe_http_port: 8030,
  fe_query_port: 9030,
  username: 'root',
  password_set: true,
  enable_ssl: false,
  connection_timeout: 10,
  collect_interval: null,
  tags: ['prod', 'eu'],
  deployment_mode: 'shared_nothing',
  engine: 'starrocks',
  node_list_source: 'http',
  sources: null,
  effective_sources: ['follower_metrics'],
  collection: null,
  created_at: '2026-11-24T12:00:00.000Z',
  updated_at: '2026-11-24T12:00:00.000Z',
};

describe('cluster form', () => {
  it('starts from the API defaults and needs a name, a host and a user', async () => {
    expect(await validateForm(NEW_CLUSTER)).toEqual({ name: 'is required', fe_host: 'is required' });
    expect(await validateForm({ ...NEW_CLUSTER, name: 'a', fe_host: 'fe1', username: ' ' })).toEqual({ username: 'is required' });
    expect(await clusterBody({ ...NEW_CLUSTER, name: 'a', fe_host: 'fe1' })).toEqual(ClusterCreateBody.parse({ name: 'a', fe_host: 'fe1', username: 'root' }));
  });

  it('checks ports, timeout, interval, host and tags with the API’s own rules and words', async () => {
    const errors = await validateForm({
      ...NEW_CLUSTER,
      name: 'x',
      fe_host: 'http://fe1:8030',
      fe_http_port: '70000',
      fe_query_port: '9o30',
      connection_timeout: '0',
      collect_interval: '90000',
      tags: Array.from({ length: 33 }, (_, i) => `t${i}`).join(','),
    });
    expect(errors).toEqual({
      fe_host: expect.stringContaining('without scheme, port or path'),
      fe_http_port: 'must be a whole number from 1 to 65535',
      fe_query_port: 'must be a whole number from 1 to 65535',
      connection_timeout: 'must be a whole number from 1 to 300',
      collect_interval: 'must be a whole number from 1 to 86400',
      tags: 'must have at most 32 tags',
    });
    // Word for word what the server answers for the same body.
    const server = serverSays({
      name: 'x',
      username: 'root',
      fe_host: 'http://fe1:8030',
      fe_http_port: 70000,
      fe_query_port: Number.NaN,
      connection_timeout: 0,
      collect_interval: 90000,
      tags: Array.from({ length: 33 }, (_, i) => `t${i}`),
    });
    expect(errors).toEqual(server);
  });

  it('refuses what the server refuses, e.g. a host label ending in a dash', async () => {
    const values = { ...NEW_CLUSTER, name: 'x', fe_host: 'fe_1-' };
    expect(await validateForm(values)).toEqual(serverSays({ name: 'x', username: 'root', fe_host: 'fe_1-' }));
    expect((await validateForm(values)).fe_host).toMatch(/must be a host name or IP address/);
    expect(await validateForm({ ...NEW_CLUSTER, name: 'x', fe_host: 'fe80::1' })).toEqual({});
    expect(await validateForm({ ...NEW_CLUSTER, name: 'x', fe_host: 'x'.repeat(65), tags: `ok, ${'t'.repeat(65)}` })).toEqual({
      fe_host: serverSays({ name: 'x', username: 'root', fe_host: 'x'.repeat(65) }).fe_host,
      tags: 'tag 2: must be at most 64 characters',
    });
  });

  it('knows when an edit moves a stored password to another host or port', () => {
    const stored = { ...STORED, password_set: true };
    expect(movesStoredPassword(stored, formOf(stored))).toBe(false);
    expect(movesStoredPassword(stored, { ...formOf(stored), fe_host: ` ${stored.fe_host.toUpperCase()} ` })).toBe(false);
    expect(movesStoredPassword(stored, { ...formOf(stored), fe_http_port: '8040' })).toBe(true);
    expect(movesStoredPassword({ ...stored, password_set: false }, { ...formOf(stored), fe_host: 'elsewhere' })).toBe(false);
  });

  it('builds typed bodies; a blank password on edit is left out so the stored one stays', async () => {
    const values = { ...formOf(STORED), collect_interval: '60', tags: ' prod , eu, prod,, ' };
    expect(await clusterBody(values)).toMatchObject({ fe_http_port: 8030, collect_interval: 60, tags: ['prod', 'eu'], password: '' });
    expect(updateBody(await clusterBody(values))).not.toHaveProperty('password');
    expect(updateBody(await clusterBody({ ...values, password: 'new' }))).toMatchObject({ password: 'new' });
    expect(updateBody(await clusterBody(values), true)).toMatchObject({ keep_password: true });
    expect(updateBody(await clusterBody({ ...values, password: 'new' }), true)).not.toHaveProperty('keep_password');
    expect((await clusterBody({ ...values, collect_interval: ' ' })).collect_interval).toBeNull();
    expect(formOf(STORED)).toMatchObject({ password: '', tags: 'prod, eu', fe_http_port: '8030', collect_interval: '' });
    expect(splitList('a, b ,a')).toEqual(['a', 'b']);
  });

  it('reads the sources control as the API’s sources: null to follow the global set, else the list checked', async () => {
    const base = { ...NEW_CLUSTER, name: 'a', fe_host: 'fe1' };
    expect(NEW_CLUSTER.sources).toEqual({ follow: true, own: [] });
    expect((await clusterBody(base)).sources).toBeNull();
    // Checked sources while following are not sent: following wins.
    expect((await clusterBody({ ...base, sources: { follow: true, own: ['be_metrics'] } })).sources).toBeNull();
    expect((await clusterBody({ ...base, sources: { follow: false, own: [] } })).sources).toEqual([]);
    expect((await clusterBody({ ...base, sources: { follow: false, own: ['be_metrics', 'follower_metrics'] } })).sources).toEqual(['follower_metrics', 'be_metrics']);
    expect(await validateForm({ ...base, sources: { follow: false, own: ['cpu'] } })).toEqual({ sources: 'must be one of follower_metrics, runtime_info, be_metrics' });
    expect(formOf({ ...STORED, sources: ['be_metrics'] }).sources).toEqual({ follow: false, own: ['be_metrics'] });
    expect(formOf(STORED).sources).toEqual({ follow: true, own: [] });
    expect(sameSources({ follow: false, own: ['be_metrics', 'runtime_info'] }, { follow: false, own: ['runtime_info', 'be_metrics'] })).toBe(true);
    expect(sameSources({ follow: true, own: [] }, { follow: false, own: [] })).toBe(false);
    expect(connectionBody({ ...base, sources: { follow: false, own: ['runtime_info'] } })?.sources).toEqual(['runtime_info']);
  });

  it('tests the connection fields of a half-filled form with the API defaults for the rest', () => {
    const body = connectionBody({ ...NEW_CLUSTER, fe_host: 'fe1', tags: `ok, ${'t'.repeat(65)}`, name: '' });
    expect(body).toMatchObject({ name: 'connection test', fe_host: 'fe1', tags: [], fe_http_port: 8030 });
    expect(connectionBody({ ...NEW_CLUSTER, fe_host: 'http://fe1' })).toBeNull();
  });

  it("puts the server's details next to their fields, and the rest aside", () => {
    const mapped = errorsFromDetails([
      { field: 'fe_host', message: 'must be a host name' },
      { field: 'tags[2]', message: 'must not contain commas' },
      { field: 'body', message: 'must be an object' },
    ]);
    expect(mapped.fields).toEqual({ fe_host: 'must be a host name', tags: 'tag 3: must not contain commas' });
    expect(mapped.other).toEqual(['body must be an object']);
  });
});
