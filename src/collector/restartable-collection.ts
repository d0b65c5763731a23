/**
 * A running collection that a configuration reload can restart with new settings (interval,
 * sources, limits, retention): the old one stops — its collections in flight end and their
 * state is stored — then `start` builds a new one, which resumes every cluster from the stored
 * state (collection_state), so a restart loses nothing. Restarts and the final stop run one
 * after another, never two collections at once.
 */
import type { RunningCollection } from './collection-service.js';

export class RestartableCollection implements RunningCollection {
  #current: RunningCollection;
  #stopped = false;
  /** The restart or stop under way: the next waits for it. */
  #last: Promise<void> = Promise.resolve();

  constructor(private readonly start: () => RunningCollection) {
    this.#current = start();
  }

  get scheduler(): RunningCollection['scheduler'] {
    return this.#current.scheduler;
  }

  /** Stops the collection and starts it again from what `start` reads now; nothing once stopped. */
  restart(): Promise<void> {
    return this.#queue(async () => {
      if (this.#stopped) return;
      await this.#current.stop();
      this.#current = this.start();
    });
  }

  stop(): Promise<void> {
    return this.#queue(async () => {
      if (this.#stopped) return;
      this.#stopped = true;
      await this.#current.stop();
    });
  }

  #queue(step: () => Promise<void>): Promise<void> {
    const run = this.#last.then(step);
    this.#last = run.catch(() => undefined);
    return run;
  }
}
