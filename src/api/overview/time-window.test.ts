import { describe, expect, it } from 'vitest';
import { StellarError } from '../../errors.js';
import { DAY_MS, chooseResolution, resolveWindow, tierWindowParts } from './time-window.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const H = 3_600_000;

function validationOf(run: () => unknown): { field: string; message: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StellarError);
    return [...((error as StellarError).details ?? [])];
  }
  throw new Error('expected a validation error');
}

describe('resolveWindow', () => {
  it('is the last hour by default, and a preset ends now', () => {
    expect(resolveWindow({}, NOW, '1h')).toEqual({ from: NOW - H, to: NOW, timeRange: '1h' });
    expect(resolveWindow({ timeRange: '7d' }, NOW, '1h')).toEqual({ from: NOW - 7 * DAY_MS, to: NOW, timeRange: '7d' });
  });

  it('takes from and to as given (custom), from alone up to now, to alone with the preset before it', () => {
    expect(resolveWindow({ from: NOW - 2 * H, to: NOW - H }, NOW, '1h')).toEqual({ from: NOW - 2 * H, to: NOW - H, timeRange: 'custom' });
    expect(resolveWindow({ from: NOW - 5 * H }, NOW, '1h')).toEqual({ from: NOW - 5 * H, to: NOW, timeRange: 'custom' });
    expect(resolveWindow({ to: NOW - H, timeRange: '6h' }, NOW, '1h')).toEqual({ from: NOW - 7 * H, to: NOW - H, timeRange: '6h' });
    expect(resolveWindow({ from: NOW - 10 * H, timeRange: '6h' }, NOW, '1h')).toEqual({ from: NOW - 10 * H, to: NOW - 4 * H, timeRange: '6h' });
  });

  it('names the parameter when the window is empty, backwards or over-determined', () => {
    expect(validationOf(() => resolveWindow({ from: NOW, to: NOW }, NOW, '1h'))).toEqual([{ field: 'from', message: expect.stringContaining('must be before to') }]);
    expect(validationOf(() => resolveWindow({ from: NOW + H }, NOW, '1h'))).toEqual([{ field: 'from', message: expect.stringContaining('must be before now') }]);
    expect(validationOf(() => resolveWindow({ from: 0, to: H, timeRange: '1h' }, NOW, '1h'))[0]?.field).toBe('time_range');
    expect(validationOf(() => resolveWindow({ to: 1000, timeRange: '30d' }, NOW, '1h'))[0]?.field).toBe('to');
  });
});

describe('chooseResolution', () => {
  const KEPT = { raw: 7, tier5m: 35, tier1h: 400 };
  const window = (fromAgo: number, span: number) => ({ from: NOW - fromAgo, to: NOW - fromAgo + span, timeRange: 'custom' as const });
  const choose = (fromAgo: number, span: number, maxPoints = 720, kept = KEPT) => chooseResolution(window(fromAgo, span), NOW, maxPoints, 30_000, kept);

  it('reads the coarsest table whose buckets still give (within a tenth) the points asked', () => {
    expect(choose(H, H)).toBe('raw');
    expect(choose(DAY_MS, DAY_MS)).toBe('raw'); // 720 points of 2 minutes: finer than 5-minute buckets
    expect(choose(DAY_MS, DAY_MS, 288)).toBe('5m');
    expect(choose(H, H, 10)).toBe('raw'); // 6-minute points: 5-minute buckets would give 6, not 10
    expect(choose(7 * DAY_MS, 7 * DAY_MS)).toBe('5m'); // 672 points of 15 minutes for 720 of 14
    expect(choose(30 * DAY_MS, 30 * DAY_MS)).toBe('1h');
    expect(choose(400 * DAY_MS, 400 * DAY_MS)).toBe('1h');
  });

  it('goes coarser when the finer table no longer holds the window, and to the daily rows past every tier', () => {
    // A short window long ago: raw rows are gone, 5-minute buckets remain.
    expect(choose(20 * DAY_MS, H)).toBe('5m');
    expect(choose(60 * DAY_MS, H)).toBe('1h');
    expect(choose(500 * DAY_MS, 30 * DAY_MS)).toBe('daily');
    // The same 30 days when raw rows are kept that long and hours are not.
    expect(choose(30 * DAY_MS, 30 * DAY_MS, 720, { raw: 30, tier5m: 30, tier1h: 1 })).toBe('5m');
  });

  it('reads raw rows instead of the 5-minute tier where they are packed into trend blocks and still held', () => {
    const packed = (fromAgo: number, span: number, packedUntil: number, maxPoints = 720) =>
      chooseResolution(window(fromAgo, span), NOW, maxPoints, 30_000, KEPT, packedUntil);
    expect(packed(7 * DAY_MS, 7 * DAY_MS, NOW - H)).toBe('raw');
    expect(packed(DAY_MS, DAY_MS, NOW - H, 288)).toBe('raw');
    // Hourly buckets are cheaper still; raw rows past retention are gone, packed or not.
    expect(packed(30 * DAY_MS, 30 * DAY_MS, NOW - H)).toBe('1h');
    expect(packed(20 * DAY_MS, H, NOW - H)).toBe('5m');
    // Packing that lags (an upgrade still packing its history) leaves the 5-minute tier cheaper.
    expect(packed(7 * DAY_MS, 7 * DAY_MS, NOW - 3 * DAY_MS)).toBe('5m');
    // A window that ends where the packing does reads packed, whenever that was.
    expect(packed(3 * DAY_MS, DAY_MS, NOW - 2 * DAY_MS - H, 288)).toBe('raw');
  });

  it('reads the 5-minute tier again where its day blocks reach the window’s last day or the one before', () => {
    const today = Math.floor(NOW / DAY_MS) * DAY_MS;
    const blocked = (fromAgo: number, span: number, tier5mBlocksUntil: number | undefined, maxPoints = 720) =>
      chooseResolution(window(fromAgo, span), NOW, maxPoints, 30_000, KEPT, NOW - H, tier5mBlocksUntil);
    expect(blocked(7 * DAY_MS, 7 * DAY_MS, today)).toBe('5m');
    // Just after midnight, yesterday's blocks are not built yet: the day before's still count.
    expect(blocked(7 * DAY_MS, 7 * DAY_MS, today - DAY_MS)).toBe('5m');
    // Blocks still being built (an upgrade), or none: packed raw rows are cheaper.
    expect(blocked(7 * DAY_MS, 7 * DAY_MS, today - 2 * DAY_MS)).toBe('raw');
    expect(blocked(7 * DAY_MS, 7 * DAY_MS, undefined)).toBe('raw');
    // A window whose points the 5-minute tier cannot give is raw whatever the blocks.
    expect(blocked(DAY_MS, DAY_MS, today)).toBe('raw');
  });
});

describe('tierWindowParts', () => {
  const W = 300_000;
  const B = 1000 * W; // a bucket start

  it('reads a window aligned to the buckets as whole buckets, with no edges', () => {
    expect(tierWindowParts({ from: B, to: B + 3 * W }, W, 0)).toEqual({ inside: [B, B + 3 * W], head: undefined, tail: undefined });
  });

  it('reads the ragged edges raw while raw rows are kept', () => {
    expect(tierWindowParts({ from: B + 10, to: B + 3 * W - 20 }, W, B)).toEqual({
      inside: [B + W, B + 2 * W],
      head: { raw: [B + 10, B + W] },
      tail: { raw: [B + 2 * W, B + 3 * W - 20] },
    });
  });

  it('reads the tier edge buckets whole where raw rows have expired, each edge on its own', () => {
    const window = { from: B + 10, to: B + 3 * W - 20 };
    expect(tierWindowParts(window, W, B + 3 * W)).toEqual({ inside: [B + W, B + 2 * W], head: { tier: [B, B + W] }, tail: { tier: [B + 2 * W, B + 3 * W] } });
    // Raw rows kept from within the window: the head's have gone, the tail's remain.
    expect(tierWindowParts(window, W, B + W)).toEqual({ inside: [B + W, B + 2 * W], head: { tier: [B, B + W] }, tail: { raw: [B + 2 * W, B + 3 * W - 20] } });
  });

  it('reads a window shorter than one bucket as one edge and nothing inside', () => {
    expect(tierWindowParts({ from: B + 10, to: B + 20 }, W, 0)).toEqual({ inside: [B + 20, B + 20], head: { raw: [B + 10, B + 20] }, tail: undefined });
    // Raw rows gone: the span before the window's end holds exactly the bucket the window lies in.
    expect(tierWindowParts({ from: B + 10, to: B + 20 }, W, B + W)).toEqual({ inside: [B + 20, B + 20], head: { tier: [B + 20 - W, B + 20] }, tail: undefined });
    // Starting on a bucket boundary, the window is all tail.
    expect(tierWindowParts({ from: B, to: B + 20 }, W, B + W)).toEqual({ inside: [B, B], head: undefined, tail: { tier: [B, B + W] } });
  });
});
