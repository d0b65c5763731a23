/**
 * The fleet's JSON made in slices: the same text JSON.stringify gives, with turns of the event
 * loop between slices, so a large fleet never holds collections and other requests.
 */
import { describe, expect, it } from 'vitest';
import type { FleetOverviewJson } from '../../shared/api/fleet.js';
import { FLEET_SLICE, fleetJson } from './read-fleet.js';

function fleetOf(clusters: number): FleetOverviewJson {
  return {
    timestamp: '2026-12-02T10:00:00.000Z',
    total: clusters,
    counts: { healthy: clusters, warning: 0, critical: 0, unreachable: 0, pending: 0 },
    tags: ['prod', 'zone "a"'],
    matched: clusters,
    clusters: Array.from({ length: clusters }, (_, i) => ({ id: i + 1, name: `c-${i}\u2028"quoted"`, qps: i % 3 === 0 ? null : i * 1.5 }) as unknown as FleetOverviewJson['clusters'][number]),
  };
}

describe('fleetJson', () => {
  it('is JSON.stringify’s text, for no cluster, one, and several slices', async () => {
    for (const n of [0, 1, FLEET_SLICE, 3 * FLEET_SLICE + 7]) {
      const fleet = fleetOf(n);
      expect(await fleetJson(fleet)).toBe(JSON.stringify(fleet));
    }
  });

  it('lets the event loop turn between slices', async () => {
    let turns = 0;
    let counting = true;
    const count = () => {
      turns += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    await fleetJson(fleetOf(5 * FLEET_SLICE));
    counting = false;
    expect(turns).toBeGreaterThanOrEqual(4);
  });
});
