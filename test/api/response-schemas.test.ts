/**
 * Every answer of the API has its shape defined once, in src/shared/api (the console reads the
 * types inferred from it), and the server validates each answer against it before sending: a
 * presenter that drifts from the shape is a logged 500, never a console reading fields that are
 * not there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as admin from '../../src/shared/api/admin.js';
import * as alertSilences from '../../src/shared/api/alert-silences.js';
import * as alerts from '../../src/shared/api/alerts.js';
import * as auth from '../../src/shared/api/auth.js';
import * as clusters from '../../src/shared/api/clusters.js';
import * as common from '../../src/shared/api/common.js';
import * as connectionTest from '../../src/shared/api/connection-test.js';
import * as customMetrics from '../../src/shared/api/custom-metrics.js';
import * as exports from '../../src/shared/api/export.js';
import * as fleet from '../../src/shared/api/fleet.js';
import * as instances from '../../src/shared/api/instances.js';
import * as nodes from '../../src/shared/api/nodes.js';
import * as ops from '../../src/shared/api/ops.js';
import * as overview from '../../src/shared/api/overview.js';
import * as users from '../../src/shared/api/users.js';
import { json } from '../../src/api/route-responses.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** The named schemas src/shared/api defines. */
const SHARED_IDS = new Set(
  [admin, alertSilences, alerts, auth, clusters, common, connectionTest, customMetrics, exports, fleet, instances, nodes, ops, overview, users]
    .flatMap((module) => Object.values(module))
    .flatMap((value) => (value instanceof z.ZodType ? [z.globalRegistry.get(value)?.id] : []))
    .filter((id): id is string => id !== undefined),
);

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string; type?: string; items?: { $ref?: string } } }> }>;
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    // A route answering a shared shape with something else, as a drifted presenter would.
    moreRoutes: (app) => app.get('/drifted', { schema: { response: { 200: json('A cluster', clusters.ClusterResponse) } } }, () => Promise.resolve({ id: 'seven', name: 'x' })),
  });
});
afterAll(async () => {
  await t.close();
});

describe('response schemas', () => {
  it('are the named schemas of src/shared/api, for every JSON answer of every route', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, Operation>> }>();
    const used = new Set<string>();
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          const schema = response.content?.['application/json']?.schema;
          if (schema === undefined) continue;
          const ref = schema.$ref ?? (schema.type === 'array' ? schema.items?.$ref : undefined);
          const id = ref?.replace('#/components/schemas/', '');
          expect(id !== undefined && SHARED_IDS.has(id), `${method.toUpperCase()} ${path} ${status}: ${JSON.stringify(schema)}`).toBe(true);
          if (id !== undefined) used.add(id);
        }
      }
    }
    expect([...used]).toEqual(expect.arrayContaining(['Cluster', 'ClusterOverview', 'FleetOverview', 'ClusterNodes', 'ConnectionTest', 'SnapshotPage', 'DailyRows', 'Login', 'Me', 'UserList', 'User', 'PersonalTokenList', 'CreatedPersonalToken', 'Ready', 'Healthz', 'Error']));
  });

  it('are checked on every answer: one that does not fit is a 500, logged', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/drifted' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ code: 'STELLAR_ERR_INTERNAL', request_id: expect.any(String) });
    expect(t.logs.some((line) => line.includes('"request failed"') && line.includes('/drifted'))).toBe(true);
  });
});
