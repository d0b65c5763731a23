/**
 * Background jobs on one injectable clock: the collection scheduler, the daily roll-up and the
 * retention sweep. A job runs at the instant it asks for and never overlaps itself; a run that
 * throws is logged and tried again later. stop() cancels what waits, tells what runs to finish
 * early (its signal, its sleeps) and waits for it. Tests drive the same code on a fake clock.
 */
import type { Logger } from 'pino';

/** The time and the timers: the system's, or a test's fake clock. */
export interface Clock {
  now(): number;
  /** Calls `callback` once, `delayMs` (0 or more) from now; the handle goes to clearTimer. */
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(timer: unknown): void;
}

/** setTimeout waits at most 2^31 − 1 ms; a job due later is armed again when such a timer ends. */
const MAX_TIMER_MS = 2_147_483_647;

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  setTimer: (callback, delayMs) => setTimeout(callback, Math.min(Math.max(0, delayMs), MAX_TIMER_MS)),
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/**
 * A turn of the event loop, for jobs that work through many steps: SQLite answers synchronously,
 * so a loop of awaited queries never gives way by itself (a day's roll-up of 100 clusters held
 * the service's requests for 2.7 s before it took a turn between clusters).
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface JobContext {
  /** Aborted when the runner stops: a long run checks it between steps and returns early. */
  readonly signal: AbortSignal;
  readonly now: () => number;
  /** Waits on the runner's clock; ends at once when the runner stops. */
  readonly sleep: (ms: number) => Promise<void>;
}

/** One run of a job; resolves to the instant of its next run, or null for none until runBy() asks. */
export type JobBody = (context: JobContext) => Promise<number | null>;

export interface JobOptions {
  /** The first run: now when absent; null for none until runBy() asks. */
  readonly firstAt?: number | null;
  /** After a run that threw, the next one this much later. */
  readonly retryMs: number;
}

export interface Job {
  readonly name: string;
  /** Makes the next run no later than `at` (at once when it is past); during a run, the next starts when it ends. */
  runBy(at: number): void;
}

export class JobRunner {
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #jobs: RunnerJob[] = [];
  readonly #tasks = new Set<Promise<unknown>>();
  readonly #abort = new AbortController();
  readonly #context: JobContext;

  constructor(deps: { readonly clock: Clock; readonly logger: Logger }) {
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#context = { signal: this.#abort.signal, now: () => this.#clock.now(), sleep: (ms) => this.#sleep(ms) };
  }

  get clock(): Clock {
    return this.#clock;
  }

  /** True once stop() was called: nothing new starts. */
  get stopping(): boolean {
    return this.#abort.signal.aborted;
  }

  add(name: string, body: JobBody, options: JobOptions): Job {
    const job = new RunnerJob(name, body, options.retryMs, this.#clock, this.#logger, this.#context);
    this.#jobs.push(job);
    const first = options.firstAt === undefined ? this.#clock.now() : options.firstAt;
    if (first !== null) job.runBy(first);
    return job;
  }

  /** Work a job started and did not wait for (a collection): stop() and whenIdle() wait for it too. */
  track(task: Promise<unknown>): void {
    this.#tasks.add(task);
    const forget = (): void => void this.#tasks.delete(task);
    task.then(forget, forget);
  }

  /** Resolves once no run and no tracked task is in flight (runs that are only due do not count). */
  async whenIdle(): Promise<void> {
    for (;;) {
      const busy = [...this.#tasks, ...this.#jobs.flatMap((job) => (job.running ? [job.running] : []))];
      if (busy.length === 0) return;
      await Promise.allSettled(busy);
    }
  }

  /** Cancels every waiting run, aborts the context of running ones, and waits for them and the tracked tasks. */
  async stop(): Promise<void> {
    this.#abort.abort();
    for (const job of this.#jobs) job.cancel();
    await this.whenIdle();
  }

  #sleep(ms: number): Promise<void> {
    const signal = this.#abort.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = this.#clock.setTimer(done, ms);
      const wake = (): void => {
        this.#clock.clearTimer(timer);
        done();
      };
      signal.addEventListener('abort', wake, { once: true });
    });
  }
}

class RunnerJob implements Job {
  #dueAt: number | null = null;
  #timer: unknown = null;
  #running: Promise<void> | null = null;
  /** The earliest runBy() instant asked for during the current run. */
  #asked: number | null = null;

  constructor(
    readonly name: string,
    private readonly body: JobBody,
    private readonly retryMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly context: JobContext,
  ) {}

  get running(): Promise<void> | null {
    return this.#running;
  }

  runBy(at: number): void {
    if (this.context.signal.aborted) return;
    if (this.#running !== null) {
      this.#asked = this.#asked === null ? at : Math.min(this.#asked, at);
      return;
    }
    if (this.#dueAt !== null && this.#dueAt <= at) return;
    this.#arm(at);
  }

  cancel(): void {
    if (this.#timer !== null) this.clock.clearTimer(this.#timer);
    this.#timer = null;
    this.#dueAt = null;
  }

  #arm(at: number): void {
    this.cancel();
    this.#dueAt = at;
    this.#timer = this.clock.setTimer(() => this.#fire(), at - this.clock.now());
  }

  #fire(): void {
    this.#timer = null;
    const due = this.#dueAt;
    if (due === null || this.context.signal.aborted) return;
    // A timer may end early (a wait longer than setTimeout allows, or the wall clock moved back).
    if (this.clock.now() < due) {
      this.#arm(due);
      return;
    }
    this.#dueAt = null;
    // Set before the body starts, so a runBy() from its synchronous part waits for this run.
    this.#running = Promise.resolve().then(() => this.#run());
  }

  async #run(): Promise<void> {
    let next: number | null;
    try {
      next = await this.body(this.context);
    } catch (error) {
      this.logger.error({ err: error, job: this.name }, `${this.name} failed; trying again in ${Math.round(this.retryMs / 1000)} s`);
      next = this.clock.now() + this.retryMs;
    }
    this.#running = null;
    const asked = this.#asked;
    this.#asked = null;
    if (asked !== null) next = next === null ? asked : Math.min(next, asked);
    if (next !== null) this.runBy(next);
  }
}
