/**
 * `stellar collect --once [--cluster ID]`: one collection of every cluster (or one), stored
 * like the service stores it, and a table of what came back. On a terminal, a progress line
 * counts the clusters as they finish.
 */
import { isAbsolute, join } from 'node:path';
import pino from 'pino';
import { fixedCustomMetricSet } from '../../collector/custom-metric-set.js';
import { Collector, type CollectionResult, collectorOptionsFrom } from '../../collector/collector.js';
import { loadConfig } from '../../config/sources.js';
import { TargetPolicy } from '../../security/allowed-targets.js';
import { StellarError } from '../../errors.js';
import { ClusterRegistry } from '../../registry/cluster-registry.js';
import { checkSecretKeyMatchesDatabase, loadSecretKey } from '../../security/secret-key.js';
import { migrateToLatest } from '../../storage/migrate.js';
import { openStorage } from '../../storage/open-storage.js';
import type { ParsedCommandLine } from '../args.js';
import type { CliIO } from '../io.js';

export async function collectCommand(line: ParsedCommandLine, io: CliIO): Promise<number> {
  if (line.options.once !== true) throw new StellarError('STELLAR_ERR_USAGE', 'stellar collect needs --once (the service itself collects on its schedule)');
  const cluster = line.options.cluster;
  const only = typeof cluster === 'string' ? [clusterId(cluster)] : undefined;
  const { config, customMetrics } = loadConfig({ configPath: line.configPath, env: io.env, flags: line.configFlags });
  const dataDir = config.server.data_dir;
  const keyFile = isAbsolute(config.secret.key_file) ? config.secret.key_file : join(dataDir, config.secret.key_file);
  const secret = loadSecretKey({ key: config.secret.key, keyFile });
  const storage = openStorage({ url: config.database.url, dataDir, poolSize: config.database.pool_size });
  try {
    await migrateToLatest(storage);
    await checkSecretKeyMatchesDatabase(storage.db, secret);
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: secret.box, now: Date.now });
    if (only && !(await registry.list()).some((c) => c.id === only[0])) throw new StellarError('STELLAR_ERR_USAGE', `--cluster ${cluster as string}: no cluster has this id`);
    const collector = new Collector({
      storage,
      registry,
      logger: pino({ level: 'silent' }),
      now: Date.now,
      options: collectorOptionsFrom(config.metrics, config.limits, new TargetPolicy(config.security.allowed_targets)),
      customMetrics: fixedCustomMetricSet(customMetrics ?? []),
    });
    try {
      const progress = io.isTTY === true ? (done: number, total: number) => io.stderr.write(`\rcollected ${done}/${total} clusters`) : undefined;
      const results = await collector.collectAll(only, progress);
      if (progress) io.stderr.write('\n');
      io.stdout.write(resultsTable(results));
      return results.every((r) => r.status === 'ok') ? 0 : 1;
    } finally {
      await collector.close();
    }
  } finally {
    await storage.close();
  }
}

function clusterId(text: string): number {
  if (!/^\d+$/.test(text)) throw new StellarError('STELLAR_ERR_USAGE', `--cluster ${text} is not accepted; give a cluster id (a whole number)`);
  return Number(text);
}

const fixed = (value: number | string | null, digits = 1): string => (typeof value === 'number' ? value.toFixed(digits) : value === null ? '-' : value);

export function resultsTable(results: readonly CollectionResult[]): string {
  if (results.length === 0) return 'no clusters registered\n';
  const header = ['ID', 'CLUSTER', 'STATUS', 'MS', 'FE', 'BE/CN', 'QPS', 'P99 MS', 'CPU %', 'DISK %', 'FAILED SOURCES'];
  const rows = results.map((r) => {
    const v = r.values;
    const nodesAlive = (v.backend_alive ?? 0) + (v.compute_node_alive ?? 0);
    const nodesTotal = v.backend_total === null && v.compute_node_total === null ? null : (v.backend_total ?? 0) + (v.compute_node_total ?? 0);
    return [
      String(r.clusterId),
      r.clusterName,
      r.status,
      r.durationMs.toFixed(0),
      v.frontend_total === null ? '-' : `${v.frontend_alive}/${v.frontend_total}`,
      nodesTotal === null ? '-' : `${nodesAlive}/${nodesTotal}`,
      fixed(v.qps),
      fixed(v.query_latency_p99, 0),
      fixed(v.avg_cpu_usage),
      fixed(v.disk_usage_pct),
      r.failures.map((f) => `${f.source}: ${f.kind}`).join('; ') || '-',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}
