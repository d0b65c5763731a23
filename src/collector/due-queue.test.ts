import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DueQueue } from './due-queue.js';

describe('DueQueue', () => {
  it('gives entries back earliest first, equal instants by cluster id, however they were pushed', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ at: fc.integer({ min: 0, max: 50 }), clusterId: fc.integer({ min: 1, max: 20 }) })), (entries) => {
        const queue = new DueQueue();
        for (const entry of entries) queue.push(entry);
        expect(queue.size).toBe(entries.length);
        const out = [];
        for (let e = queue.pop(); e; e = queue.pop()) out.push(e);
        expect(out).toEqual([...entries].sort((a, b) => a.at - b.at || a.clusterId - b.clusterId));
        expect(queue.peek()).toBeUndefined();
      }),
    );
  });
});
