/**
 * `stellar demo` (and `npm run demo`): three simulated clusters of different sizes, versions
 * and modes, registered in a service of their own (data/demo), so a newcomer sees a working
 * Stellar without a StarRocks cluster. Ports change at every run; the clusters are updated
 * by name, so the demo database keeps its history.
 */
import type { ParsedCommandLine } from '../args.js';
import type { CliIO } from '../io.js';
import { runUntilSignal } from '../wait-for-signal.js';
import { CONFIG_KEYS, OPTIONAL_SOURCES } from '../../config/schema.js';
import { loadConfig } from '../../config/sources.js';
import { createLogger } from '../../logger.js';
import type { ClusterFields } from '../../registry/cluster.js';
import type { ClusterRegistry } from '../../registry/cluster-registry.js';
import { startService } from '../../service.js';
import type { FleetOptions } from '../../simulator/fleet.js';
import { startSimulatedFleet } from '../../simulator/fleet.js';
import type { SimClusterDetails } from '../../simulator/simulated-cluster.js';

export const DEMO_DATA_DIR = 'data/demo';
export const DEMO_ADMIN_PASSWORD = 'stellar-demo';

/** Three shapes a fleet really has: a big current cluster, a shared-data one, an old one on MySQL. Every one serves BE metrics, so every chart has data. */
export const DEMO_FLEET: FleetOptions = {
  clusters: 3,
  password: 'demo-root',
  specs: [
    { name: 'demo-prod-olap', version: '3.5', fes: 3, bes: 12, latencyGauges: true, beMetrics: true },
    { name: 'demo-lakehouse', version: '3.3', mode: 'shared_data', fes: 3, bes: 4, beMetrics: true },
    { name: 'demo-legacy-reports', version: '3.0', fes: 1, bes: 3, beMetrics: true },
  ],
};

const DESCRIPTIONS: Record<string, { description: string; tags: string[]; node_list_source: 'http' | 'mysql' }> = {
  'demo-prod-olap': { description: 'Simulated: 3 FEs, 12 BEs, StarRocks 3.5', tags: ['demo', 'prod'], node_list_source: 'http' },
  'demo-lakehouse': { description: 'Simulated: shared-data, 4 compute nodes, StarRocks 3.3', tags: ['demo', 'lake'], node_list_source: 'http' },
  'demo-legacy-reports': { description: 'Simulated: 1 FE, 3 BEs, StarRocks 3.0, node list over MySQL', tags: ['demo', 'legacy'], node_list_source: 'mysql' },
};

export async function demoCommand(line: ParsedCommandLine, io: CliIO): Promise<number> {
  const first = loadConfig({ configPath: line.configPath, env: io.env, flags: line.configFlags });
  // Demo values apply only where the user kept the documented default (the shipped config file has them all).
  const flags = { ...line.configFlags };
  const isDefault = (path: string, value: unknown): boolean => CONFIG_KEYS.find((k) => k.path === path)?.spec.default === value;
  if (isDefault('server.data_dir', first.config.server.data_dir)) flags['server-data-dir'] = DEMO_DATA_DIR;
  if (isDefault('auth.admin_password', first.config.auth.admin_password)) flags['auth-admin-password'] = DEMO_ADMIN_PASSWORD;
  // Every source the simulated clusters serve, so no chart of the demo says a source is off.
  const sourcesKept = JSON.stringify(first.config.metrics.sources) === JSON.stringify(CONFIG_KEYS.find((k) => k.path === 'metrics.sources')?.spec.default);
  if (sourcesKept && isDefault('metrics.scrape_backends', first.config.metrics.scrape_backends)) flags['metrics-sources'] = OPTIONAL_SOURCES.join(',');
  const loaded = loadConfig({ configPath: line.configPath, env: io.env, flags });
  const logger = createLogger({ level: loaded.config.log.level, format: loaded.config.log.format });

  const fleet = await startSimulatedFleet(DEMO_FLEET);
  let service;
  try {
    service = await startService({ loaded, logger, print: (text) => io.stdout.write(text) });
    await registerDemoClusters(service.registry, fleet.details());
  } catch (err) {
    await service?.close();
    await fleet.close();
    throw err;
  }
  const running = service;
  const login = flags['auth-admin-password'] === DEMO_ADMIN_PASSWORD ? ` (log in as admin / ${DEMO_ADMIN_PASSWORD})` : '';
  io.stdout.write(
    `\nStellar demo: ${running.url}${login}\n` +
      `  3 simulated clusters registered: ${fleet.details().map((d) => d.name).join(', ')}\n` +
      `  try: curl -u admin:${DEMO_ADMIN_PASSWORD} ${running.url}/api/clusters\n` +
      `  data in ${loaded.config.server.data_dir}; stop with Ctrl-C\n\n`,
  );
  return runUntilSignal(
    async () => {
      await running.close();
      await fleet.close();
    },
    (level, message) => logger[level](message),
  );
}

/** Create each demo cluster, or point the existing one (same name) at this run's ports. */
export async function registerDemoClusters(registry: ClusterRegistry, details: readonly SimClusterDetails[]): Promise<void> {
  const existing = new Map((await registry.list()).map((c) => [c.name.toLowerCase(), c.id]));
  for (const d of details) {
    const extra = DESCRIPTIONS[d.name];
    const fields: ClusterFields = {
      name: d.name,
      description: extra?.description ?? 'Simulated cluster',
      fe_host: d.fe_host,
      fe_http_port: d.fe_http_port,
      fe_query_port: d.fe_query_port,
      username: d.username,
      password: d.password,
      enable_ssl: false,
      connection_timeout: 5,
      collect_interval: null,
      sources: null,
      tags: extra?.tags ?? ['demo'],
      deployment_mode: d.deployment_mode === 'shared_data' ? 'shared_data' : 'shared_nothing',
      engine: d.engine === 'doris' ? 'doris' : 'starrocks',
      node_list_source: extra?.node_list_source ?? 'http',
    };
    const id = existing.get(d.name.toLowerCase());
    if (id === undefined) await registry.create(fields);
    else await registry.update(id, fields);
  }
}
