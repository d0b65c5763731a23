/**
 * The e2e harness's cache of console builds: which directories a run may delete (pure), so a
 * concurrent test process of other sources never loses the build it is serving.
 */
import { describe, expect, it } from 'vitest';
import { WEB_BUILD_MAX_IDLE_MS, WEB_BUILDS_KEPT, webBuildsToDelete } from './harness.js';

const NOW = 1_700_000_000_000;
const HOUR = 60 * 60_000;

describe('webBuildsToDelete', () => {
  it('keeps the current build and the most recently used others, whatever their age', () => {
    expect(WEB_BUILDS_KEPT).toBe(3);
    const entries = [
      { name: 'current', lastUsedMs: NOW - 10 * HOUR },
      { name: 'a', lastUsedMs: NOW - 2 * HOUR },
      { name: 'b', lastUsedMs: NOW - 3 * HOUR },
      { name: 'c', lastUsedMs: NOW - 4 * HOUR },
      { name: 'd', lastUsedMs: NOW - 5 * HOUR },
    ];
    expect(webBuildsToDelete(entries, 'current', NOW).sort()).toEqual(['c', 'd']);
  });

  it('never deletes a build used within the hour, however many there are', () => {
    const entries = ['current', 'a', 'b', 'c', 'd', 'e'].map((name, i) => ({ name, lastUsedMs: NOW - i * 60_000 }));
    expect(webBuildsToDelete(entries, 'current', NOW)).toEqual([]);
    const justIdle = [...entries, { name: 'old', lastUsedMs: NOW - WEB_BUILD_MAX_IDLE_MS - 1 }];
    expect(webBuildsToDelete(justIdle, 'current', NOW)).toEqual(['old']);
    const notYet = [...entries, { name: 'old', lastUsedMs: NOW - WEB_BUILD_MAX_IDLE_MS }];
    expect(webBuildsToDelete(notYet, 'current', NOW)).toEqual([]);
  });

  it('deletes scratch directories only when idle for an hour (a build may be in progress)', () => {
    const entries = [
      { name: 'current', lastUsedMs: NOW },
      { name: 'tmp-abc-123', lastUsedMs: NOW - 5 * 60_000 },
      { name: 'tmp-def-456', lastUsedMs: NOW - 2 * HOUR },
    ];
    expect(webBuildsToDelete(entries, 'current', NOW)).toEqual(['tmp-def-456']);
  });

  it('does not count scratch directories among the kept builds', () => {
    const entries = [
      { name: 'current', lastUsedMs: NOW },
      { name: 'tmp-x-1', lastUsedMs: NOW - 10 * 60_000 },
      { name: 'a', lastUsedMs: NOW - 2 * HOUR },
      { name: 'b', lastUsedMs: NOW - 3 * HOUR },
    ];
    expect(webBuildsToDelete(entries, 'current', NOW)).toEqual([]);
  });
});
