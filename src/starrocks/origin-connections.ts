/**
 * A cluster's connections, a few per origin, each an undici `Client` (one socket, kept alive).
 *
 * Not undici's `Agent` with a `Pool` per origin: every Pool carries a request queue of a fixed
 * 2,048 slots (16 KB) however few requests it ever holds, and a cluster has a Pool per FE, so at
 * fleet scale those empty queues were the largest item of the heap (48 MB over 1,000 clusters of
 * three FEs, of a process that must stay under 300 MB). A collection sends only a handful of
 * requests per origin, so a new one goes to the Client with the fewest in flight, and opens
 * another connection (up to `perOrigin`) only when every Client is busy.
 */
import { Client, type Dispatcher } from 'undici';

interface OriginClient {
  readonly client: Client;
  inFlight: number;
}

export class OriginConnections {
  readonly #origins = new Map<string, OriginClient[]>();

  constructor(
    private readonly perOrigin: number,
    private readonly options: Client.Options,
  ) {}

  /** Sends one request; `done` is called once when its handler has settled, to free the slot. */
  dispatch(options: Dispatcher.DispatchOptions & { origin: string }, handler: Dispatcher.DispatchHandler): () => void {
    const chosen = this.#choose(options.origin);
    chosen.inFlight += 1;
    chosen.client.dispatch(options, handler);
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      chosen.inFlight -= 1;
    };
  }

  /** Closes every connection (waiting for requests in flight). */
  async close(): Promise<void> {
    const clients = [...this.#origins.values()].flat();
    this.#origins.clear();
    await Promise.all(clients.map((c) => c.client.close()));
  }

  #choose(origin: string): OriginClient {
    let clients = this.#origins.get(origin);
    if (clients === undefined) {
      clients = [];
      this.#origins.set(origin, clients);
    }
    let least: OriginClient | undefined;
    for (const c of clients) if (least === undefined || c.inFlight < least.inFlight) least = c;
    if (least !== undefined && (least.inFlight === 0 || clients.length >= this.perOrigin)) return least;
    const added = { client: new Client(origin, this.options), inFlight: 0 };
    clients.push(added);
    return added;
  }
}
