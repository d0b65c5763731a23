/**
 * A data folder as `stellar start` leaves it, for tests that run the CLI or the service on it:
 * its secret key, the migrated database, and the given simulated clusters registered (their
 * passwords sealed with that key). Returns the clusters' ids, in order.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import { checkSecretKeyMatchesDatabase, loadSecretKey } from '../../src/security/secret-key.js';
import type { SimClusterDetails } from '../../src/simulator/simulated-cluster.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { clusterFields } from './factories.js';

export async function dataDirWithClusters(dataDir: string, clusters: readonly SimClusterDetails[]): Promise<number[]> {
  mkdirSync(dataDir, { recursive: true });
  const secret = loadSecretKey({ key: '', keyFile: join(dataDir, 'secret.key') });
  const storage = openStorage({ url: 'stellar.db', dataDir });
  try {
    await migrateToLatest(storage);
    await checkSecretKeyMatchesDatabase(storage.db, secret);
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: secret.box, now: Date.now });
    const ids: number[] = [];
    for (const d of clusters) {
      ids.push((await registry.create(clusterFields({ name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, connection_timeout: 1 }))).id);
    }
    return ids;
  } finally {
    await storage.close();
  }
}
