/**
 * One call's time limit: the per-request timeout (the cluster's `connection_timeout`) and the
 * caller's optional deadline, combined, and a way to tell afterwards which one struck.
 */
import { ScrapeError } from './errors.js';

export class CallDeadline {
  private readonly timeoutSignal: AbortSignal;
  readonly signal: AbortSignal;

  constructor(
    readonly timeoutMs: number,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    this.timeoutSignal = AbortSignal.timeout(timeoutMs);
    this.signal = callerSignal ? AbortSignal.any([this.timeoutSignal, callerSignal]) : this.timeoutSignal;
  }

  get expired(): boolean {
    return this.signal.aborted;
  }

  /** The timeout error to report, naming the limit that struck. */
  timeoutError(source: string, cause?: unknown): ScrapeError {
    const which =
      this.callerSignal?.aborted && !this.timeoutSignal.aborted
        ? 'the caller’s deadline passed'
        : `no answer within the per-request timeout of ${formatSeconds(this.timeoutMs)}`;
    return new ScrapeError('timeout', source, which, { cause });
  }

  /** Rejects when the deadline passes, for work that cannot take a signal (mysql2). */
  race<T>(work: Promise<T>, source: string): Promise<T> {
    if (this.signal.aborted) return Promise.reject(this.timeoutError(source));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(this.timeoutError(source));
      this.signal.addEventListener('abort', onAbort, { once: true });
      work.then(
        (value) => {
          this.signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          this.signal.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
