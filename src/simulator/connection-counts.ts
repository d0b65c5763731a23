/**
 * TCP connections the simulated FEs accepted, by client: how a benchmark sees whether a
 * collector reuses its connections between cycles. A connection is attributed to the
 * User-Agent of its first request (Stellar sends `stellar`, Prometheus `Prometheus/<version>`);
 * one that closed before sending a request is counted only in the total.
 */

/** `GET /_sim/connections`: totals since the fleet started. */
export interface ConnectionCountsJson {
  accepted: number;
  by_client: Record<string, number>;
}

/** A connection whose first request had no User-Agent header. */
const NO_USER_AGENT = '(none)';

export class ConnectionCounts {
  private accepted = 0;
  private readonly byClient = new Map<string, number>();

  accept(): void {
    this.accepted += 1;
  }

  firstRequest(userAgent: string | undefined): void {
    const client = userAgent === undefined || userAgent === '' ? NO_USER_AGENT : userAgent;
    this.byClient.set(client, (this.byClient.get(client) ?? 0) + 1);
  }

  json(): ConnectionCountsJson {
    return { accepted: this.accepted, by_client: Object.fromEntries(this.byClient) };
  }
}
