/**
 * The fleet page's URL and the request it makes. What the server does with the request (order,
 * filters, counts) is tested where it is done: src/api/overview/fleet-order.test.ts and
 * test/api/fleet.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { aliveOfTotal, fleetPath, parseSort, parseStatus, parseTags } from '../../web/src/pages/fleet/fleet-view.js';

const none = { tags: [], status: null, query: '', sort: 'status' } as const;
const paramsOf = (path: string) => Object.fromEntries(new URL(path, 'http://x').searchParams);

describe('fleet view', () => {
  it('asks the server for the clusters by urgency by default', () => {
    expect(fleetPath(none)).toBe('/api/fleet/overview?sort=status&order=desc&limit=200');
  });

  it('asks for a page of cards, and more when told', () => {
    expect(paramsOf(fleetPath(none, 400)).limit).toBe('400');
  });

  it('asks for each sort in the direction the page names it', () => {
    expect(paramsOf(fleetPath({ ...none, sort: 'name' }))).toEqual({ sort: 'name', order: 'asc', limit: '200' });
    expect(paramsOf(fleetPath({ ...none, sort: 'qps' }))).toEqual({ sort: 'qps', order: 'desc', limit: '200' });
    expect(paramsOf(fleetPath({ ...none, sort: 'score' }))).toEqual({ sort: 'score', order: 'asc', limit: '200' });
    expect(paramsOf(fleetPath({ ...none, sort: 'latency' }))).toEqual({ sort: 'latency', order: 'desc', limit: '200' });
  });

  it('passes the tag, status and name filters on', () => {
    expect(paramsOf(fleetPath({ tags: ['prod', 'eu'], status: 'critical', query: ' PROD-1 ', sort: 'disk' }))).toEqual({
      sort: 'disk',
      order: 'desc',
      limit: '200',
      tag: 'prod,eu',
      status: 'critical',
      name: 'PROD-1',
    });
  });

  it('reads the tag parameters as the API does: repeated or comma-separated', () => {
    expect(parseTags([])).toEqual([]);
    expect(parseTags(['prod'])).toEqual(['prod']);
    expect(parseTags(['prod', 'eu'])).toEqual(['prod', 'eu']);
    expect(parseTags(['prod,eu'])).toEqual(['prod', 'eu']);
    expect(parseTags([' prod , eu,', '', 'prod'])).toEqual(['prod', 'eu']);
  });

  it('reads the URL leniently: an unknown sort or status is the default', () => {
    expect(parseSort('disk')).toBe('disk');
    expect(parseSort('toString')).toBe('status');
    expect(parseSort(null)).toBe('status');
    expect(parseStatus('warning')).toBe('warning');
    expect(parseStatus('bad')).toBeNull();
  });

  it('prints nodes alive of total, or a dash when never read', () => {
    expect(aliveOfTotal(11, 12)).toBe('11/12');
    expect(aliveOfTotal(0, 0)).toBe('0/0');
    expect(aliveOfTotal(null, 12)).toBe('—');
  });
});
