/**
 * Doris' answers to a failed `/api/show_proc` (HTTP 200, the failure in its envelope's code),
 * from the simulator through the client: only code 401 is a refused login; 403 (BAD_REQUEST) is
 * a failed query, whose words reach the message. Real loopback HTTP.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { ScrapeError } from '../../src/starrocks/errors.js';
import { procTableFromJson, ProcBodyError } from '../../src/starrocks/proc-table.js';
import { StarRocksClient } from '../../src/starrocks/starrocks-client.js';
import { parseFaults } from '../../src/simulator/faults.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';

let fleet: SimulatedFleet;
const clients: StarRocksClient[] = [];

beforeAll(async () => {
  fleet = await startSimulatedFleet({ clusters: 1, fes: 1, bes: 3, engine: 'doris', password: 'pw' });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await fleet.close();
});
beforeEach(async () => {
  await fleet.clusters[0]?.setFaults([]);
});

function client(): StarRocksClient {
  const d = fleet.details()[0]!;
  const c = new StarRocksClient({
    fe_host: d.fe_host,
    fe_http_port: d.frontends[0]!.http_port,
    fe_query_port: d.fe_query_port,
    username: 'root',
    password: 'pw',
    enable_ssl: false,
    connection_timeout: 2,
    engine: 'doris',
    node_list_source: 'http',
  });
  clients.push(c);
  return c;
}

const failure = (call: Promise<unknown>) =>
  call.then(
    () => null,
    (e: unknown) => e,
  );

describe('a Doris FE’s failed show_proc', () => {
  it('a refused login answers 200 with code 401, read as an auth failure with the FE’s words', async () => {
    await fleet.clusters[0]!.setFaults(parseFaults('wrong_password'));
    const error = await failure(client().backends());
    expect(error).toBeInstanceOf(ScrapeError);
    expect(error).toMatchObject({ kind: 'auth', message: expect.stringMatching(/code 401 \(Unauthorized\): Access denied for root@127\.0\.0\.1/) });
    expect((error as ScrapeError).message).not.toContain('pw');
  });

  it('an unknown proc path answers 200 with code 403, a failed query rather than a refused login', async () => {
    const d = fleet.details()[0]!;
    const answer = await request(`http://${d.fe_host}:${d.frontends[0]!.http_port}/api/show_proc?path=/no_such_list`, {
      headers: { authorization: `Basic ${Buffer.from('root:pw').toString('base64')}` },
    });
    expect(answer.statusCode).toBe(200);
    const body: unknown = await answer.body.json();
    expect(body).toMatchObject({ code: 403, msg: 'Bad Request' });
    let thrown: unknown;
    try {
      procTableFromJson(body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProcBodyError);
    expect(thrown).toMatchObject({ kind: 'query_failed', message: expect.stringMatching(/code 403 \(Bad Request\): Invalid proc path: \/no_such_list/) });
  });

  it('a good login reads the lists as before', async () => {
    expect((await client().backends()).rows).toHaveLength(3);
  });
});
