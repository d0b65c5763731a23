/** Alerts delivered to a real Alertmanager, read back through its own API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertDeliveryError, postToAlertmanager } from '../../src/alerts/alertmanager-client.js';
import { alertmanagerSkipReason, type RunningAlertmanager, startAlertmanager } from '../helpers/alertmanager.js';
import { skipNote } from '../helpers/requirements.js';

describe.skipIf(alertmanagerSkipReason !== null)(`Alertmanager v2${skipNote(alertmanagerSkipReason)}`, () => {
  let am: RunningAlertmanager;
  beforeAll(async () => {
    am = await startAlertmanager();
  }, 30_000);
  afterAll(async () => am?.stop());

  it('receives a firing alert with its labels and annotations, and a resolved one as resolved', async () => {
    const now = Date.now();
    const labels = { alertname: 'backend-down', cluster: 'prod-olap', cluster_id: '7', severity: 'critical', team: 'olap' };
    await postToAlertmanager(am.url, [
      { labels, annotations: { summary: 'prod-olap: 9 of 10 backends alive' }, startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 240_000).toISOString(), generatorURL: 'http://stellar:8080/clusters/7' },
    ]);
    const [firing] = await am.alerts('?active=true');
    expect(firing?.labels).toEqual(labels);
    expect(firing?.annotations).toEqual({ summary: 'prod-olap: 9 of 10 backends alive' });
    expect(firing?.status.state).toBe('active');
    expect(Date.parse(firing!.startsAt)).toBe(now - 60_000);

    await postToAlertmanager(am.url, [{ labels, annotations: { summary: 'prod-olap: 9 of 10 backends alive' }, startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now - 1_000).toISOString() }]);
    expect(await am.alerts('?active=true')).toEqual([]);
  });

  it('says what Alertmanager refused, and when it cannot be reached', async () => {
    const bad = postToAlertmanager(am.url, [{ labels: {}, annotations: {}, startsAt: new Date().toISOString() }]);
    await expect(bad).rejects.toBeInstanceOf(AlertDeliveryError);
    await expect(bad).rejects.toThrow(/answered HTTP 400/);
    await expect(postToAlertmanager('http://127.0.0.1:9', [{ labels: { alertname: 'x' }, annotations: {}, startsAt: new Date().toISOString() }])).rejects.toThrow(/could not be reached/);
  });
});
