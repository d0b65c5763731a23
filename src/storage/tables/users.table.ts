import type { Generated } from 'kysely';
import type { Role } from '../../shared/roles.js';

/** A person or script allowed to use the API. */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  /** scrypt hash with its parameters and salt, see security/password-hash.ts. */
  password_hash: string;
  /** admin or viewer (shared/roles.ts). */
  role: Role;
  created_at: number;
  updated_at: number;
}

/**
 * A bearer token: handed out by POST /api/auth/login (no name, no role: its user's), or a
 * personal API token made by POST /api/auth/tokens (a name and a role). Only its SHA-256 is stored.
 */
export interface AuthTokensTable {
  id: Generated<number>;
  user_id: number;
  /** Hex SHA-256 of the token: a stolen database does not yield usable tokens. */
  token_hash: string;
  created_at: number;
  expires_at: number;
  /** Personal tokens only; null for login tokens. */
  name: string | null;
  /** Personal tokens only: what the token may do, at most its owner's role. */
  role: Role | null;
  /** Personal tokens only: the last request made with it. */
  last_used_at: number | null;
}

/** Small facts about the installation itself, e.g. the fingerprint of the secret key. */
export interface StellarMetaTable {
  key: string;
  value: string;
}

/** The one row naming the instance that collects (collector/collection-lease.ts); times are the database server's, epoch ms. */
export interface CollectionLeaseTable {
  id: number;
  /** The holder's instance id (stellar_instances.id). */
  holder: string;
  /** Incremented at every acquisition: snapshot writes check it (fencing). */
  token: number;
  acquired_at: number;
  expires_at: number;
}

/** With `coordination = "shards"`: which instance collects a cluster, until when (server clock, epoch ms), under which token. */
export interface ClusterLeasesTable {
  cluster_id: number;
  /** The holder's instance id; '' while nobody ever held it. */
  holder: string;
  /** Incremented at every claim: snapshot writes of the cluster check it (fencing). */
  token: number;
  expires_at: number;
}

/** An instance running on this database, as it last reported itself; times are the database server's, epoch ms. */
export interface StellarInstancesTable {
  /** Random, chosen at each start. */
  id: string;
  host: string;
  pid: number;
  version: string;
  /** leader or standby. */
  role: string;
  started_at: number;
  last_heartbeat_at: number;
  /** Clusters it collects: all registered ones while it leads, none as a standby. */
  clusters_collected: number;
}
