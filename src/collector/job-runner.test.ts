import { describe, expect, it } from 'vitest';
import { FakeClock, flush } from '../../test/helpers/fake-clock.js';
import { loggerInto } from '../../test/helpers/test-app.js';
import { JobRunner, SYSTEM_CLOCK } from './job-runner.js';

function setUp() {
  const clock = new FakeClock(1_000_000);
  const logs: string[] = [];
  const runner = new JobRunner({ clock, logger: loggerInto(logs, 'info') });
  return { clock, logs, runner };
}

/** A promise the test resolves by hand, to hold a run open. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('JobRunner', () => {
  it('runs a job at once, then at each instant it returns, never before', async () => {
    const { clock, runner } = setUp();
    const runs: number[] = [];
    runner.add('tick', ({ now }) => {
      runs.push(now());
      return Promise.resolve(runs.length < 3 ? now() + 5_000 : null);
    }, { retryMs: 1000 });
    await clock.advance(4_999);
    expect(runs).toEqual([1_000_000]);
    await clock.advance(1);
    expect(runs).toEqual([1_000_000, 1_005_000]);
    await clock.advance(60_000);
    expect(runs).toEqual([1_000_000, 1_005_000, 1_010_000]);
    expect(clock.nextTimerAt()).toBeNull();
  });

  it('never overlaps a run: a request during one runs once, right after it', async () => {
    const { clock, runner } = setUp();
    const held = gate();
    let active = 0;
    let most = 0;
    const runs: number[] = [];
    const job = runner.add('held', async ({ now }) => {
      active += 1;
      most = Math.max(most, active);
      runs.push(now());
      if (runs.length === 1) await held.promise;
      active -= 1;
      return null;
    }, { retryMs: 1000 });
    await clock.advance(0);
    job.runBy(clock.now());
    job.runBy(clock.now() + 10);
    await clock.advance(100);
    expect(runs).toHaveLength(1);
    held.open();
    await clock.advance(0, () => runner.whenIdle());
    expect(runs).toEqual([1_000_000, 1_000_100]);
    expect(most).toBe(1);
  });

  it('moves the next run earlier on request, never later', async () => {
    const { clock, runner } = setUp();
    const runs: number[] = [];
    const job = runner.add('later', ({ now }) => {
      runs.push(now());
      return Promise.resolve(null);
    }, { firstAt: 1_060_000, retryMs: 1000 });
    job.runBy(1_090_000);
    job.runBy(1_030_000);
    await clock.advanceTo(1_100_000);
    expect(runs).toEqual([1_030_000]);
  });

  it('logs a run that throws and tries again after retryMs', async () => {
    const { clock, runner, logs } = setUp();
    const runs: number[] = [];
    runner.add('flaky', ({ now }) => {
      runs.push(now());
      return runs.length === 1 ? Promise.reject(new Error('database is locked')) : Promise.resolve(null);
    }, { retryMs: 30_000 });
    await clock.advance(29_999);
    expect(runs).toHaveLength(1);
    expect(logs.join('')).toContain('flaky failed; trying again in 30 s');
    expect(logs.join('')).toContain('database is locked');
    await clock.advance(1);
    expect(runs).toEqual([1_000_000, 1_030_000]);
  });

  it('stops promptly: cancels waiting runs, wakes a sleeping run, and waits for it and for tracked work', async () => {
    const { clock, runner } = setUp();
    const steps: string[] = [];
    runner.add('long', async ({ signal, sleep }) => {
      for (let i = 0; i < 100 && !signal.aborted; i += 1) {
        steps.push(`step ${i}`);
        await sleep(60_000);
      }
      steps.push('long returned');
      return null;
    }, { retryMs: 1000 });
    let waiting = 0;
    runner.add('waiting', () => {
      waiting += 1;
      return Promise.resolve(null);
    }, { firstAt: 1_500_000, retryMs: 1000 });
    const tracked = gate();
    let trackedDone = false;
    runner.track(tracked.promise.then(() => void (trackedDone = true)));
    await clock.advance(60_000);
    expect(steps).toEqual(['step 0', 'step 1']);

    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await flush();
    expect(steps.at(-1)).toBe('long returned');
    expect(stopped).toBe(false); // the tracked work is still running
    tracked.open();
    await stopping;
    expect(trackedDone).toBe(true);
    await clock.advance(1_000_000);
    expect(waiting).toBe(0);
    expect(runner.stopping).toBe(true);
  });

  it('runs on the system clock', async () => {
    const runner = new JobRunner({ clock: SYSTEM_CLOCK, logger: loggerInto([], 'info') });
    const ran = gate();
    runner.add('now', () => {
      ran.open();
      return Promise.resolve(Date.now() + 3_600_000);
    }, { retryMs: 1000 });
    await ran.promise;
    await runner.stop();
  });
});
