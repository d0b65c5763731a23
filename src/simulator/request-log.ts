/**
 * The HTTP requests a simulated cluster's nodes answered, counted by node and path
 * (`fe0 /metrics`, `fe0 /metrics?with_table_metrics=minified`, `fe0 /api/show_proc?path=/backends`, `be2 /metrics`): how a test sees
 * exactly what a collection asked of a cluster, and what it did not. `/_sim/*` is not counted.
 */
export class RequestLog {
  private readonly counts = new Map<string, number>();

  /** `node`: `fe<i>` or `be<i>`; `path` with show_proc's `path` and /metrics' `with_table_metrics` parameters, the rest of the query left out. */
  record(node: string, url: URL): void {
    const kept = url.pathname === '/api/show_proc' ? 'path' : url.pathname === '/metrics' ? 'with_table_metrics' : null;
    const value = kept === null ? null : url.searchParams.get(kept);
    const key = `${node} ${url.pathname}${value === null ? '' : `?${kept}=${value}`}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Every request since the cluster started, by `node path`. */
  json(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
