/**
 * The heartbeat of a lease keeper (collection-lease.ts for the leader, cluster-shards.ts for a
 * share): `tick` every `everyMs()` (read at each period: a reload that changes the collection
 * interval changes it from the next period on), never two at once; a tick that fails (the database out of
 * reach) is warned about once, and its recovery told once; `watch` runs every period even while
 * a tick hangs, so a keeper past its lease by its own clock steps down whatever the database does.
 */
import type { Logger } from 'pino';

export interface LeaseTicker {
  /** Runs the first tick now, then one every period. */
  start(): void;
  /** True once stop() was called: a tick finishing after it must not take a lease. */
  readonly stopped: boolean;
  /** No more ticks; resolves once the one under way has ended. */
  stop(): Promise<void>;
}

export function leaseTicker(options: { readonly tick: () => Promise<void>; readonly watch: () => void; readonly everyMs: () => number; readonly logger: Logger; readonly what: string }): LeaseTicker {
  const { logger, what, everyMs } = options;
  let inFlight: Promise<void> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let unreachable = false;
  const runTick = (): void => {
    inFlight = options
      .tick()
      .then(
        () => {
          if (unreachable) logger.info(`${what} can be reached again`);
          unreachable = false;
        },
        (err: unknown) => {
          if (!unreachable) logger.warn({ err }, `could not reach ${what}; trying again every ${everyMs()} ms`);
          unreachable = true;
        },
      )
      .finally(() => {
        inFlight = null;
      });
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      schedule();
      options.watch();
      if (inFlight === null) runTick();
    }, everyMs());
  };
  return {
    start() {
      runTick();
      schedule();
    },
    get stopped() {
      return stopped;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
