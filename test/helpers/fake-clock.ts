/**
 * A Clock for the job runner that moves only when a test says so: timers fire in order of
 * their instant (then of creation) as the test advances time, with the time set to each
 * timer's instant while it fires. Only the runner's timers are fake; sockets and the database
 * work on real time, so `settle` waits for what a fired timer started (e.g. runner.whenIdle()).
 */
import type { Clock } from '../../src/collector/job-runner.js';

interface FakeTimer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
}

/** Lets pending promise callbacks and one turn of I/O run. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Set<FakeTimer>();

  constructor(start = Date.UTC(2026, 10, 24, 12, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, delayMs: number): unknown {
    const timer = { at: this.#now + Math.max(0, delayMs), seq: this.#seq++, callback };
    this.#timers.add(timer);
    return timer;
  }

  clearTimer(timer: unknown): void {
    this.#timers.delete(timer as FakeTimer);
  }

  /** The instant of the earliest timer, or null when none waits. */
  nextTimerAt(): number | null {
    return this.#earliest()?.at ?? null;
  }

  /** Moves time to `to`, firing every timer due by then at its instant, and awaiting `settle` after each. */
  async advanceTo(to: number, settle: () => Promise<void> = flush): Promise<void> {
    for (;;) {
      await settle();
      const timer = this.#earliest();
      if (!timer || timer.at > to) break;
      this.#timers.delete(timer);
      this.#now = Math.max(this.#now, timer.at);
      timer.callback();
    }
    this.#now = Math.max(this.#now, to);
  }

  advance(ms: number, settle?: () => Promise<void>): Promise<void> {
    return this.advanceTo(this.#now + ms, settle);
  }

  #earliest(): FakeTimer | undefined {
    let first: FakeTimer | undefined;
    for (const t of this.#timers) if (!first || t.at < first.at || (t.at === first.at && t.seq < first.seq)) first = t;
    return first;
  }
}
