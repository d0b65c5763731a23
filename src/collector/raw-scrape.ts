/**
 * What one collection brought back from a cluster, before any arithmetic: the node lists, each
 * FE's parsed `/metrics`, optionally each BE's, and every source that failed with why. The
 * snapshot builder turns it into a snapshot; `stellar inspect snapshot` builds one from files.
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
  /** When its answer arrived (epoch ms): rates use each FE's own interval. */
  readonly atMs: number;
}

export interface BeScrape {
  readonly key: string;
  readonly metrics: ParsedMetrics;
  readonly atMs: number;
}

/** An FE's `/api/show_runtime_info`, asked only with the `runtime_info` source. */
export interface RuntimeScrape {
  /** The same key as the FE's FeScrape. */
  readonly key: string;
  readonly info: RuntimeInfo;
}

export interface SourceFailure {
  /** `frontends`, `backends`, `compute_nodes`, `metrics 10.0.0.1:8030`, `runtime_info …`, `be_metrics …` */
  readonly source: string;
  readonly kind: ScrapeErrorKind | 'parse';
  readonly message: string;
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
  readonly failures: readonly SourceFailure[];
}
