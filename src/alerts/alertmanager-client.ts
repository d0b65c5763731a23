/**
 * Sends alerts to Prometheus Alertmanager through its v2 API (`POST /api/v2/alerts`), the way
 * Prometheus itself does: every firing alert again at each evaluation with `endsAt` a few
 * evaluation intervals ahead (so Alertmanager resolves it by itself should Stellar stop), and a
 * resolved one once with `endsAt` set to when it resolved. Alertmanager groups, deduplicates,
 * silences and routes them; Stellar only delivers.
 */
import { request } from 'undici';

export interface AlertmanagerAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt?: string;
  /** Where a person sees what fired: the cluster's page in Stellar's console. */
  readonly generatorURL?: string;
}

export class AlertDeliveryError extends Error {
  override readonly name = 'AlertDeliveryError';
}

/** Posts a batch; throws AlertDeliveryError with Alertmanager's status and answer when it is refused or unreachable. */
export async function postToAlertmanager(baseUrl: string, alerts: readonly AlertmanagerAlert[], options: { timeoutMs?: number; headers?: Record<string, string> } = {}): Promise<void> {
  if (alerts.length === 0) return;
  const url = new URL('api/v2/alerts', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const timeout = options.timeoutMs ?? 10_000;
  let answer;
  try {
    answer = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(alerts),
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
  } catch (error) {
    throw new AlertDeliveryError(`Alertmanager at ${url.origin} could not be reached: ${(error as Error).message}`);
  }
  // Alertmanager's own answer (its validation error) is worth showing: it is not a cluster's body.
  const text = (await answer.body.text()).slice(0, 300);
  if (answer.statusCode >= 300) throw new AlertDeliveryError(`Alertmanager at ${url.origin} answered HTTP ${answer.statusCode}: ${text.trim()}`);
}
