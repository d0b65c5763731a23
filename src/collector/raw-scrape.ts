/**
 * What one collection brought back from a cluster, before any arithmetic: the node lists, each
 * FE's parsed `/metrics`, optionally each BE's, and the record of every source asked — what it
 * returned or why it failed. The snapshot builder turns it into a snapshot; the connection test
 * presents its record; `stellar inspect snapshot` builds one from files.
 */
import type { Engine } from '../shared/cluster-kinds.js';
import type { ScrapeErrorKind } from '../starrocks/errors.js';
import type { FrontendRow, NodeRow } from '../starrocks/parse/node-lists.js';
import type { ParsedMetrics } from '../starrocks/parse/prometheus-text.js';
import type { RuntimeInfo } from '../starrocks/starrocks-client.js';

export interface FeScrape {
  /** `host:http_port`, the FE's identity from one collection to the next. */
  readonly key: string;
  /** `Role` = LEADER in the frontends list. */
  readonly leaderInList: boolean;
  readonly metrics: ParsedMetrics;
  /**
   * When the FE's answer arrived (its last byte, before decoding and parsing), on the
   * collection's clock: rates use each FE's own interval, so the time a parse takes must not
   * stretch or shrink it.
   */
  readonly atMs: number;
}

export interface BeScrape {
  readonly key: string;
  readonly metrics: ParsedMetrics;
  /** When the BE's answer arrived, as FeScrape.atMs. */
  readonly atMs: number;
}

/** An FE's `/api/show_runtime_info`, asked only with the `runtime_info` source. */
export interface RuntimeScrape {
  /** The same key as the FE's FeScrape. */
  readonly key: string;
  readonly info: RuntimeInfo;
}

/** A source that failed, as the snapshot row's `failed_sources` stores it. */
export interface SourceFailure {
  /** `frontends`, `backends`, `compute_nodes`, `metrics 10.0.0.1:8030`, `runtime_info …`, `be_metrics …` */
  readonly source: string;
  /** `custom_metric`: a custom metric's warning (collector/custom-collection.ts). */
  readonly kind: ScrapeErrorKind | 'parse' | 'custom_metric';
  readonly message: string;
}

/** One source asked in a collection: how long it took and what it returned, or why it failed. */
export type SourceOutcome =
  | {
      readonly source: string;
      readonly ok: true;
      readonly durationMs: number;
      /**
       * A short account of what came back ("3 backends, 3 alive"), written only when asked for:
       * a collection runs for every cluster every interval and almost never needs it.
       */
      readonly summary: () => string;
    }
  | {
      readonly source: string;
      readonly ok: false;
      readonly durationMs: number;
      readonly kind: SourceFailure['kind'];
      readonly message: string;
    };

/** The failed sources of a record, in the order they were asked. */
export function failuresOf(sources: readonly SourceOutcome[]): SourceFailure[] {
  return sources.flatMap((s) => (s.ok ? [] : [{ source: s.source, kind: s.kind, message: s.message }]));
}

export interface RawScrape {
  readonly engine: Engine;
  readonly collectedAt: number;
  readonly durationMs: number;
  /** Null when the list could not be had. */
  readonly frontends: readonly FrontendRow[] | null;
  readonly backends: readonly NodeRow[] | null;
  readonly computeNodes: readonly NodeRow[] | null;
  /** FEs whose `/metrics` answered. */
  readonly fes: readonly FeScrape[];
  /** BEs whose `/metrics` answered; null when BE scraping is off. */
  readonly bes: readonly BeScrape[] | null;
  /** FEs whose runtime info answered; null when that source is off. */
  readonly runtime: readonly RuntimeScrape[] | null;
  /**
   * Every source asked, in a fixed order: the lists (frontends, backends, compute_nodes), each
   * FE's `metrics` (the configured FE first), each FE's `runtime_info`, each BE/CN's `be_metrics`.
   */
  readonly sources: readonly SourceOutcome[];
  /** The sources that failed: `failuresOf(sources)`. */
  readonly failures: readonly SourceFailure[];
  /** Bytes of every `/metrics` body that answered (FEs and BEs, as decoded): what Stellar's own /metrics reports per cluster. */
  readonly metricsBytes: number;
}
