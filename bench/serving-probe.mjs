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
import { monitorEventLoopDelay } from 'node:perf_hooks';

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
  // The longest pauses, with when they ended (the real clock), to find what held the loop in the service's log.
  let pauses = [];
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    const ms = now - last - 10;
    last = now;
    if (ms > 50) pauses = [...pauses, { endedAt: new Date(performance.timeOrigin + now).toISOString(), ms: Math.round(ms) }].sort((a, b) => b.ms - a.ms).slice(0, 5);
  }, 10).unref();
  process.on('SIGUSR2', () => {
    const figures = { count: histogram.count, p50: late(histogram.percentile(50)), p99: late(histogram.percentile(99)), max: late(histogram.max), pauses };
    writeFileSync(file, JSON.stringify(figures));
    histogram.reset();
    pauses = [];
  });
}
