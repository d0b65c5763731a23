/**
 * Every custom metric in force: those of the config file's `[[custom_metrics]]` (read-only here,
 * replaced whole by a reload) and those made through the API (the custom_metrics table). Names
 * are unique across both: the API refuses a clash (isFromFile, and the table's primary key
 * between API ones), and a row that clashes anyway (the file gained the name since) is ignored
 * with a warning, the file's definition winning.
 *
 * current() is what the collector reads at each collection: synchronous, from memory. The table
 * is read again when the copy in memory is older than REFRESH_MS (in the background: the
 * collection in progress uses the copy it has, the next one the new), and at once after this
 * process changed it (the API awaits refresh()), so instances sharing a PostgreSQL database see
 * each other's changes within REFRESH_MS and one collection. A row is parsed with
 * CustomMetricInput when read, never per collection.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { CustomMetricInput, type CustomMetric } from '../shared/custom-metrics.js';
import type { Database } from '../storage/database.js';
import { apiCustomMetrics } from '../storage/repos/custom-metrics.repo.js';
import type { CustomMetricSet } from './custom-metric-set.js';

export const CUSTOM_METRICS_REFRESH_MS = 15_000;

export type CustomMetricOrigin = 'file' | 'api';

/** A custom metric in force, where it comes from and, for an API one, when and by whom it was saved last. */
export interface BookedCustomMetric {
  readonly metric: CustomMetric;
  readonly origin: CustomMetricOrigin;
  readonly createdAt: number | null;
  readonly updatedAt: number | null;
  readonly updatedBy: string | null;
}

export class CustomMetricBook implements CustomMetricSet {
  #file: readonly BookedCustomMetric[];
  #fileNames: ReadonlySet<string>;
  #api: readonly BookedCustomMetric[] = [];
  #current: readonly CustomMetric[];
  #readAt: number | null = null;
  #reading: Promise<void> | null = null;
  /** Rows already warned about, so a bad row is logged once, not at every refresh. */
  readonly #warned = new Set<string>();

  constructor(
    fileMetrics: readonly CustomMetric[],
    private readonly deps: { readonly db: Kysely<Database>; readonly logger: Logger; readonly now: () => number },
  ) {
    this.#file = fileMetrics.map(fromFile);
    this.#fileNames = new Set(fileMetrics.map((m) => m.name));
    this.#current = [...fileMetrics];
  }

  /** What a collection computes: the file's metrics, then the API's by name, as last read. Starts a background re-read when that was over REFRESH_MS ago. */
  current(): readonly CustomMetric[] {
    if (this.#stale()) {
      void this.refresh().catch((err: unknown) => this.deps.logger.warn({ err }, 'custom metrics: the custom_metrics table could not be read; the collection keeps the ones it had'));
    }
    return this.#current;
  }

  /** Every custom metric with its origin, the table read afresh (what the API lists: every instance answers alike). */
  async all(): Promise<readonly BookedCustomMetric[]> {
    await this.refresh();
    return [...this.#file, ...this.#api];
  }

  /** Whether `name` is declared in the config file (which the API may neither take, replace nor delete). */
  isFromFile(name: string): boolean {
    return this.#fileNames.has(name);
  }

  /** The `[[custom_metrics]]` of a reloaded configuration; the API ones are read again with them. */
  replaceFileMetrics(fileMetrics: readonly CustomMetric[]): Promise<void> {
    this.#file = fileMetrics.map(fromFile);
    this.#fileNames = new Set(fileMetrics.map((m) => m.name));
    this.#current = [...fileMetrics, ...this.#api.filter((b) => !this.#fileNames.has(b.metric.name)).map((b) => b.metric)];
    return this.refresh();
  }

  /** Reads the table now (at start, and after this process changed it); concurrent calls share one read. */
  refresh(): Promise<void> {
    this.#reading ??= this.#read().finally(() => (this.#reading = null));
    return this.#reading;
  }

  #stale(): boolean {
    return this.#reading === null && (this.#readAt === null || this.deps.now() - this.#readAt >= CUSTOM_METRICS_REFRESH_MS);
  }

  async #read(): Promise<void> {
    const rows = await apiCustomMetrics(this.deps.db);
    const api: BookedCustomMetric[] = [];
    for (const row of rows) {
      const parsed = CustomMetricInput.safeParse(row.definition);
      const problem = this.#fileNames.has(row.name)
        ? 'the config file declares a custom metric of the same name, which wins'
        : !parsed.success
          ? parsed.error.issues.map((i) => `${i.path.join('.') || 'definition'}: ${i.message}`).join('; ')
          : parsed.data.name !== row.name
            ? `its definition is named "${parsed.data.name}"`
            : null;
      if (problem !== null || !parsed.success) {
        const key = `${row.name}@${row.updatedAt}`;
        if (!this.#warned.has(key)) this.deps.logger.warn({ custom_metric: row.name, problem }, 'a custom metric saved through the API is not collected');
        this.#warned.add(key);
        continue;
      }
      api.push({ metric: parsed.data, origin: 'api', createdAt: row.createdAt, updatedAt: row.updatedAt, updatedBy: row.updatedBy });
    }
    this.#api = api;
    this.#current = [...this.#file.map((b) => b.metric), ...api.map((b) => b.metric)];
    this.#readAt = this.deps.now();
  }
}

const fromFile = (metric: CustomMetric): BookedCustomMetric => ({ metric, origin: 'file', createdAt: null, updatedAt: null, updatedBy: null });
