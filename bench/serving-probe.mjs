/**
 * Loaded into the Stellar process the reads benchmark serves from (`node --import`), so nothing
 * of it is in the product:
 * - the event loop's delay, from `monitorEventLoopDelay`: on SIGUSR2 the percentiles since the
 *   last signal, and the longest pauses with when they ended, are written as JSON to
 *   STELLAR_BENCH_LOOP_DELAY_FILE and the histogram starts again: one histogram per phase;
 * - the clock set back by STELLAR_BENCH_CLOCK_OFFSET_MS (Date.now only; Stellar reads time
 *   nowhere else), so a week of rows generated once and cached reads as the week up to now,
 *   and the collector's new rows follow it.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const offset = Number(process.env.STELLAR_BENCH_CLOCK_OFFSET_MS ?? 0);
if (offset !== 0) {
  const realNow = Date.now;
  Date.now = () => realNow() - offset;
}

const file = process.env.STELLAR_BENCH_LOOP_DELAY_FILE;
if (file) {
  // Sampled every 5 ms; a sample is the time between two timer turns, so the interval itself
  // is taken off: what is left is how late the loop was.
  const RESOLUTION_MS = 5;
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  const late = (ns) => Math.max(0, Math.round(ns / 1e4) / 100 - RESOLUTION_MS);
  // The garbage collector's pauses of the last seconds, so a long pause says how much of it was
  // V8 collecting (a heap to shrink) rather than our own code (a loop to slice).
  let gcs = [];
  new PerformanceObserver((list) => {
    const horizon = performance.now() - 5_000;
    gcs = [...gcs.filter((g) => g.end > horizon), ...list.getEntries().map((e) => ({ start: e.startTime, end: e.startTime + e.duration }))];
  }).observe({ entryTypes: ['gc'] });
  const gcWithin = (from, to) => gcs.reduce((ms, g) => ms + Math.max(0, Math.min(to, g.end) - Math.max(from, g.start)), 0);
  // The longest pauses, with when they ended (the real clock), to find what held the loop in the service's log.
  let pauses = [];
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    const ms = now - last - 10;
    const from = last;
    last = now;
    if (ms > 50) {
      // Read a turn later: the collector's entries of this pause are queued behind this timer.
      setImmediate(() => {
        const pause = { endedAt: new Date(performance.timeOrigin + now).toISOString(), ms: Math.round(ms), gcMs: Math.round(gcWithin(from, now)) };
        pauses = [...pauses, pause].sort((a, b) => b.ms - a.ms).slice(0, 5);
      });
    }
  }, 10).unref();
  process.on('SIGUSR2', () => {
    const figures = { count: histogram.count, p50: late(histogram.percentile(50)), p99: late(histogram.percentile(99)), max: late(histogram.max), pauses };
    writeFileSync(file, JSON.stringify(figures));
    histogram.reset();
    pauses = [];
  });
}
