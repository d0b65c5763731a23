/** Test data with overrides: one valid value of each input, changed only where a test cares. */
import { randomBytes } from 'node:crypto';
import type { ClusterFields } from '../../src/registry/cluster.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { CLUSTER_DEFAULTS } from '../../src/shared/api/clusters.js';

let sequence = 0;

/** A valid POST /api/clusters body (only the required fields unless overridden). */
export function clusterBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  return { name: `cluster-${sequence}`, fe_host: 'fe1.example.com', username: 'root', ...overrides };
}

/** Every field of a cluster, for the registry. */
export function clusterFields(overrides: Partial<ClusterFields> = {}): ClusterFields {
  sequence += 1;
  // The API's defaults for everything a user may leave out.
  return { ...CLUSTER_DEFAULTS, tags: [], name: `cluster-${sequence}`, fe_host: 'fe1.example.com', username: 'root', ...overrides };
}

export function randomSecretBox(): SecretBox {
  return new SecretBox(randomBytes(32));
}

/** A clock tests move by hand. */
export function manualClock(start = Date.UTC(2026, 10, 24, 12, 0, 0)) {
  let current = start;
  return {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
  };
}
