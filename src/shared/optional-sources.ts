/**
 * The optional sources a collection may ask, besides the node lists and the configured FE's
 * `/metrics` that it always reads: their names, what each reads and what it costs a cluster.
 * One definition for the configuration (`[metrics] sources`, its comment in conf/config.toml),
 * a cluster's own `sources` in the API and the console's cluster form.
 */

export const OPTIONAL_SOURCES = ['follower_metrics', 'runtime_info', 'be_metrics'] as const;
export type OptionalSource = (typeof OPTIONAL_SOURCES)[number];

export interface OptionalSourceInfo {
  /** A short name for a form: "Follower /metrics". */
  readonly label: string;
  /** What it reads and what for. */
  readonly reads: string;
  /** Its requests per collection interval. */
  readonly cost: string;
}

export const OPTIONAL_SOURCE_INFO: Readonly<Record<OptionalSource, OptionalSourceInfo>> = {
  follower_metrics: {
    label: 'Follower /metrics',
    reads: '/metrics of every other alive FE',
    cost: 'one request per other alive FE; without it qps, rps and connections count only the configured FE',
  },
  runtime_info: {
    label: 'Runtime info',
    reads: '/api/show_runtime_info of each FE read, for JVM heap figures when /metrics has none',
    cost: 'one request per FE read',
  },
  be_metrics: {
    label: 'BE/CN /metrics',
    reads: '/metrics of each alive BE/CN on port 8040, for network, disk IO and CPU figures',
    cost: 'one request per alive BE/CN',
  },
};

/** The sources in their canonical order, each once: how a list is stored and shown. */
export function sortedSources(sources: Iterable<OptionalSource>): OptionalSource[] {
  const set = new Set(sources);
  return OPTIONAL_SOURCES.filter((s) => set.has(s));
}

/**
 * The sources a cluster's collections ask: its own list when it has one (an empty list is
 * none), else the global `[metrics] sources` in effect.
 */
export function clusterSources(own: readonly OptionalSource[] | null, global: Iterable<OptionalSource>): OptionalSource[] {
  return sortedSources(own ?? global);
}
