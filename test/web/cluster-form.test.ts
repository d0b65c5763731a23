import { describe, expect, it } from 'vitest';
import type { ClusterJson } from '../../src/shared/api-types.js';
import { clusterBody, errorsFromDetails, formOf, NEW_CLUSTER, splitTags, updateBody, validateForm } from '../../web/src/pages/clusters/cluster-form.js';

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
  collection: null,
  created_at: '2026-11-24T12:00:00.000Z',
  updated_at: '2026-11-24T12:00:00.000Z',
};

describe('cluster form', () => {
  it('starts from the API defaults and needs a name, a host and a user', () => {
    expect(validateForm(NEW_CLUSTER)).toEqual({ name: 'is required', fe_host: 'is required' });
    expect(validateForm({ ...NEW_CLUSTER, name: 'a', fe_host: 'fe1', username: ' ' })).toEqual({ username: 'is required' });
  });

  it('checks ports, timeout, interval, host and tags as the API does', () => {
    const errors = validateForm({
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
      fe_http_port: 'must be at most 65535',
      fe_query_port: 'must be a whole number',
      connection_timeout: 'must be at least 1',
      collect_interval: 'must be at most 86400',
      tags: 'must have at most 32 tags',
    });
  });

  it('builds typed bodies; a blank password on edit is left out so the stored one stays', () => {
    const values = { ...formOf(STORED), collect_interval: '60', tags: ' prod , eu, prod,, ' };
    expect(clusterBody(values)).toMatchObject({ fe_http_port: 8030, collect_interval: 60, tags: ['prod', 'eu'], password: '' });
    expect(updateBody(values)).not.toHaveProperty('password');
    expect(updateBody({ ...values, password: 'new' })).toMatchObject({ password: 'new' });
    expect(clusterBody({ ...values, collect_interval: ' ' }).collect_interval).toBeNull();
    expect(formOf(STORED)).toMatchObject({ password: '', tags: 'prod, eu', fe_http_port: '8030', collect_interval: '' });
    expect(splitTags('a, b ,a')).toEqual(['a', 'b']);
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
