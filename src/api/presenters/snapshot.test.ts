import { describe, expect, it } from 'vitest';
import { SNAPSHOT_FIELDS } from '../../shared/snapshot-fields.js';
import type { SnapshotRow } from '../../storage/repos/snapshots.repo.js';
import { parseFailedSources, presentSnapshot } from './snapshot.js';

describe('presentSnapshot', () => {
  it('has every snapshot field, the time as ISO, the failures parsed and every custom metric in effect (null where the row has none)', () => {
    const row = Object.fromEntries(SNAPSHOT_FIELDS.map((f, i) => [f.name, f.kind === 'info' ? 'fe1' : i])) as unknown as SnapshotRow;
    const json = presentSnapshot({
      ...row,
      id: 1,
      cluster_id: 2,
      collected_at: Date.UTC(2026, 10, 24, 12),
      collect_status: 'partial',
      collect_duration_ms: 120,
      failed_sources: JSON.stringify([{ source: 'backends', kind: 'timeout', message: 'no answer' }]),
      frontends_scraped: 3,
      slot_at: null,
      custom_values: JSON.stringify({ queue: 4.5, dropped_since: 7, broken: null }),
    }, [{ name: 'queue' }, { name: 'broken' }, { name: 'defined_later' }]);
    for (const [i, field] of SNAPSHOT_FIELDS.entries()) expect(json[field.name]).toBe(field.kind === 'info' ? 'fe1' : i);
    expect(json).toMatchObject({
      collected_at: '2026-11-24T12:00:00.000Z',
      collect_status: 'partial',
      collect_duration_ms: 120,
      failed_sources: [{ source: 'backends', kind: 'timeout', message: 'no answer' }],
      frontends_scraped: 3,
      custom: { queue: 4.5, broken: null, defined_later: null },
    });
    expect(json).not.toHaveProperty('id');
    expect(json).not.toHaveProperty('custom_values');
    expect(json).not.toHaveProperty('cluster_id');
  });
});

describe('parseFailedSources', () => {
  it('reads the stored list, and says so when it cannot', () => {
    expect(parseFailedSources(null)).toEqual([]);
    expect(parseFailedSources('[]')).toEqual([]);
    expect(parseFailedSources('{oops')).toEqual([{ source: 'unknown', kind: 'unknown', message: expect.stringContaining('unreadable') }]);
    expect(parseFailedSources('[{"source":1}]')).toEqual([{ source: 'unknown', kind: 'unknown', message: '' }]);
  });
});
