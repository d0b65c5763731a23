/**
 * The custom metrics page in a browser against a real service and simulator: an admin adds a
 * metric through the form (a built-in name and a taken name refused next to the name field), sees
 * it listed with its origin, previews it on the cluster (the value and the series each FE printed),
 * edits and deletes it; the cluster overview charts the custom metric the collector stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomMetricsJson } from '../../src/shared/api/custom-metrics.js';
import type { ClusterOverviewJson } from '../../src/shared/api/overview.js';
import { formatChartValue } from '../../web/src/charts/chart-units.js';
import { chromiumSkipReason, type E2E, E2E_SETUP_TIMEOUT_MS, skipNote, startE2E } from './harness.js';

describe.skipIf(chromiumSkipReason !== null)(`custom metrics page in a browser${skipNote()}`, () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({ clusters: [{ name: 'e2e-custom', sim: { fes: 2, bes: 2 } }] });
    await e2e.api('POST', '/api/custom-metrics', { name: 'e2e_taken', source: 'fe', family: 'jvm_heap_size_bytes', labels: { type: 'max' }, unit: 'bytes' });
  }, E2E_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await e2e?.close();
  });

  it('lets an admin add a metric with the server’s words by the fields, preview it on a cluster, edit and delete it', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url('/'));
    await page.getByRole('contentinfo').getByRole('link', { name: 'Custom metrics' }).click();
    await page.getByRole('heading', { name: 'Custom metrics', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Custom metrics' });
    await table.getByRole('row').filter({ hasText: 'e2e_taken' }).waitFor();

    await page.getByRole('button', { name: 'Add metric' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a custom metric' });
    // A built-in field's name: refused in the browser by the schema the server uses.
    await dialog.getByLabel('Name').fill('qps');
    await dialog.getByLabel('Family', { exact: true }).fill('starrocks_fe_connection_total');
    await dialog.getByRole('button', { name: 'Add metric' }).click();
    await dialog.getByText(/built-in field/).waitFor();
    expect(await dialog.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    // A name another metric has: the server's 409, next to the name.
    await dialog.getByLabel('Name').fill('e2e_taken');
    await dialog.getByRole('button', { name: 'Add metric' }).click();
    await dialog.getByText('is already used by another custom metric', { exact: true }).waitFor();

    await dialog.getByLabel('Name').fill('e2e_etl_connections');
    await dialog.getByLabel('Labels').fill('user=~etl|bi_reader');
    await dialog.getByLabel('Aggregate').selectOption('max');
    await dialog.getByLabel('Unit').fill('connections');
    await dialog.getByRole('button', { name: 'Add metric' }).click();
    await dialog.waitFor({ state: 'detached' });
    const added = table.getByRole('row').filter({ hasText: 'e2e_etl_connections' });
    await added.getByText('connections', { exact: true }).waitFor();
    expect(await added.getByRole('cell').nth(1).textContent()).toBe('API');
    expect(await added.getByRole('cell').nth(4).textContent()).toBe('user=~etl|bi_reader');

    // The preview: the metric just added, on the cluster; a value and the series of each FE.
    const preview = page.getByRole('region', { name: 'Preview' });
    expect(await preview.getByLabel('Metric to preview').inputValue()).toBe('e2e_etl_connections');
    await preview.getByRole('button', { name: 'Run preview' }).click();
    const value = preview.getByTestId('custom-metric-preview-value');
    await value.waitFor();
    expect(Number(await value.textContent())).toBeGreaterThan(0);
    const series = preview.getByRole('table', { name: 'Matched series' }).getByRole('row');
    // A header and, on each of the two FEs, one row per matched user.
    expect(await series.count()).toBe(1 + 2 * 2);
    expect(await series.filter({ hasText: 'user="etl"' }).count()).toBe(2);
    expect(await series.filter({ hasText: '(leader)' }).count()).toBe(1);

    await added.getByRole('button', { name: 'Edit e2e_etl_connections' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit e2e_etl_connections' });
    await edit.getByLabel('Kind').selectOption('rate');
    // Now a per-table family: the FEs print it only when asked with_table_metrics, which the checkbox says.
    await edit.getByLabel('Family', { exact: true }).fill('starrocks_fe_table_load_rows');
    await edit.getByLabel('Labels').fill('tbl_name=orders');
    await edit.getByLabel(/^Per-table family/).check();
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await added.getByText('rate', { exact: true }).waitFor();
    await added.getByText('(per table)').waitFor();
    await preview.getByRole('button', { name: 'Run preview' }).click();
    // Two readings for a rate; then, on each of the two FEs, one row per user database's `orders` table.
    await preview.getByRole('table', { name: 'Matched series' }).getByText('tbl_name="orders"').first().waitFor({ timeout: 15_000 });
    expect(await series.filter({ hasText: 'tbl_name="orders"' }).count()).toBe(2 * 3);

    await added.getByRole('button', { name: 'Delete e2e_etl_connections' }).click();
    await page.getByRole('dialog', { name: 'Delete e2e_etl_connections?' }).getByRole('button', { name: 'Delete metric' }).click();
    await added.waitFor({ state: 'detached' });
    expect((await e2e.api<CustomMetricsJson>('GET', '/api/custom-metrics')).metrics.map((m) => m.name)).toEqual(['e2e_taken']);
    await page.context().close();
  });

  it('charts the collected custom metrics on the overview, one chart per unit with the legend’s last, mean and max', async () => {
    await e2e.waitForCollections(2);
    const id = e2e.clusters[0]!.id!;
    const overview = await e2e.api<ClusterOverviewJson>('GET', `/api/clusters/${id}/overview`);
    // What the collector stored: the FEs' heap maximum, in its trend and its statistics.
    const last = overview.statistics.custom.e2e_taken?.last;
    expect(last).toBeGreaterThan(0);
    expect(overview.custom_trends.e2e_taken?.length).toBeGreaterThan(0);
    const page = await e2e.newPage();
    await page.goto(e2e.url(`/clusters/${id}`));
    const section = page.getByTestId('custom-metrics-section');
    await section.waitFor();
    expect(await section.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['e2e_taken']);
    const legend = section.getByTestId('chart-custom-0').getByRole('row').filter({ hasText: 'e2e_taken' });
    expect(await legend.getByRole('cell').allTextContents()).toContain(formatChartValue('count', last));
    await page.context().close();
  });
});
