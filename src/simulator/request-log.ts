/**
 * The HTTP requests a simulated cluster's nodes answered, counted by node and path
 * (`fe0 /metrics`, `fe0 /api/show_proc?path=/backends`, `be2 /metrics`): how a test sees
 * exactly what a collection asked of a cluster, and what it did not. `/_sim/*` is not counted.
 */
export class RequestLog {
  private readonly counts = new Map<string, number>();

  /** `node`: `fe<i>` or `be<i>`; `path` with the show_proc `path` parameter, the rest of the query left out. */
  record(node: string, url: URL): void {
    const proc = url.pathname === '/api/show_proc' ? url.searchParams.get('path') : null;
    const key = `${node} ${url.pathname}${proc === null ? '' : `?path=${proc}`}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Every request since the cluster started, by `node path`. */
  json(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
