/**
 * One call's time limit: the per-request timeout (the cluster's `connection_timeout`) and the
 * caller's optional deadline, combined, and a way to tell afterwards which one struck.
 *
 * One timer and one listener on the caller's signal, both dropped by `dispose()` when the call
 * ends, and no AbortSignal of its own: at fleet scale a collection makes a handful of calls per
 * cluster every interval, and `AbortSignal.timeout` combined with `AbortSignal.any` cost
 * several times that in timers, signals and weak references per call.
 */
import { ScrapeError } from './errors.js';

export class CallDeadline {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private struck: 'timeout' | 'caller' | null = null;
  private readonly onExpiry: (() => void)[] = [];
  private readonly onCallerAbort = (): void => this.expire('caller');

  constructor(
    readonly timeoutMs: number,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    if (callerSignal?.aborted) {
      this.struck = 'caller';
      return;
    }
    this.timer = setTimeout(() => this.expire('timeout'), timeoutMs);
    callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get expired(): boolean {
    return this.struck !== null;
  }

  /**
   * Calls `listener` once when either limit passes (at once if one has); returns its removal.
   * Never after `dispose()`.
   */
  whenExpired(listener: () => void): () => void {
    if (this.struck !== null) {
      listener();
      return () => undefined;
    }
    this.onExpiry.push(listener);
    return () => {
      const at = this.onExpiry.indexOf(listener);
      if (at >= 0) this.onExpiry.splice(at, 1);
    };
  }

  /** The call is over: the timer and the listener on the caller's signal go. */
  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    this.onExpiry.length = 0;
  }

  /** The timeout error to report, naming the limit that struck. */
  timeoutError(source: string, cause?: unknown): ScrapeError {
    const which = this.struck === 'caller' ? 'the caller’s deadline passed' : `no answer within the per-request timeout of ${formatSeconds(this.timeoutMs)}`;
    return new ScrapeError('timeout', source, which, { cause });
  }

  /** Rejects when the deadline passes, for work that cannot take a signal (mysql2). */
  race<T>(work: Promise<T>, source: string): Promise<T> {
    if (this.expired) return Promise.reject(this.timeoutError(source));
    return new Promise<T>((resolve, reject) => {
      const remove = this.whenExpired(() => reject(this.timeoutError(source)));
      work.then(
        (value) => {
          remove();
          resolve(value);
        },
        (error: unknown) => {
          remove();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  private expire(which: 'timeout' | 'caller'): void {
    if (this.struck !== null) return;
    this.struck = which;
    const listeners = [...this.onExpiry];
    this.dispose();
    for (const listener of listeners) listener();
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
