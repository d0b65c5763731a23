/**
 * The cluster registry: create, read, update and delete clusters, with their passwords sealed
 * at rest. The API and the collector both go through it; neither sees a password column.
 */
import type { Kysely } from 'kysely';
import { clusterNameTaken, clusterNotFound, validationError } from '../errors.js';
import type { SecretBox } from '../security/secret-box.js';
import { type OptionalSource, sortedSources } from '../shared/optional-sources.js';
import type { Database } from '../storage/database.js';
import type { StorageDialect } from '../storage/dialect/dialect.js';
import {
  deleteClusterRow,
  findClusterRow,
  insertClusterRow,
  listClusterRows,
  updateClusterRow,
  type ClusterRow,
  type ClusterRowPatch,
} from '../storage/repos/clusters.repo.js';
import type { Cluster, ClusterConnection, ClusterFields } from './cluster.js';

/** Associated data bound to every sealed cluster password. */
const PASSWORD_CONTEXT = 'cluster-password';

/**
 * Where a cluster's password is sent. A stored password goes only to the address it was given
 * for: moving a cluster elsewhere without it would hand it to whoever answers there.
 */
const ADDRESS_FIELDS = ['fe_host', 'fe_http_port', 'fe_query_port'] as const;

export interface ClusterUpdateOptions {
  /** Keep the stored password although the host or a port changes (an administrator's choice). */
  readonly keepPassword?: boolean;
}

export interface ClusterRegistryDeps {
  readonly db: Kysely<Database>;
  readonly dialect: StorageDialect;
  readonly secrets: SecretBox;
  readonly now: () => number;
}

export class ClusterRegistry {
  readonly #deps: ClusterRegistryDeps;
  readonly #listeners = new Set<() => void>();
  #generation = 0;

  constructor(deps: ClusterRegistryDeps) {
    this.#deps = deps;
  }

  /** Calls `listener` after every create, update and delete through this registry; returns its removal. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /**
   * Counts the creates, updates and deletes made through this registry: a cluster read while it
   * was N is still as stored (as far as this process knows) while it is N, so a caller can keep
   * it instead of reading it again. Changes made by another process do not count.
   */
  get generation(): number {
    return this.#generation;
  }

  async list(): Promise<Cluster[]> {
    return (await listClusterRows(this.#deps.db)).map(toCluster);
  }

  /** Throws STELLAR_ERR_CLUSTER_NOT_FOUND. */
  async get(id: number): Promise<Cluster> {
    return toCluster(await this.#row(id));
  }

  /** The cluster with its decrypted password, for the code that connects to it. */
  async connection(id: number): Promise<ClusterConnection> {
    const row = await this.#row(id);
    const password = row.password_encrypted === '' ? '' : this.#deps.secrets.open(row.password_encrypted, PASSWORD_CONTEXT);
    return { ...toCluster(row), password };
  }

  /** Throws STELLAR_ERR_CLUSTER_NAME_TAKEN when another cluster has the name (in any case). */
  async create(fields: ClusterFields): Promise<Cluster> {
    const now = this.#deps.now();
    const { password, ...rest } = fields;
    const row = await this.#unique(fields.name, () =>
      insertClusterRow(this.#deps.db, {
        ...rest,
        password_encrypted: this.#seal(password),
        enable_ssl: fields.enable_ssl ? 1 : 0,
        tags: JSON.stringify(fields.tags),
        sources: sourcesColumn(fields.sources),
        created_at: now,
        updated_at: now,
      }),
    );
    this.#changed();
    return toCluster(row);
  }

  /**
   * Changes only the fields given. Throws NOT_FOUND or NAME_TAKEN, and VALIDATION naming
   * `password` when the host or a port of a cluster with a stored password changes without the
   * password being sent again (unless `keepPassword`).
   */
  async update(id: number, fields: Partial<ClusterFields>, options: ClusterUpdateOptions = {}): Promise<Cluster> {
    if (fields.password === undefined && !options.keepPassword) await this.#checkPasswordStaysHome(id, fields);
    const { password, enable_ssl, tags, sources, ...rest } = fields;
    const patch: ClusterRowPatch = { ...rest, updated_at: this.#deps.now() };
    if (password !== undefined) patch.password_encrypted = this.#seal(password);
    if (enable_ssl !== undefined) patch.enable_ssl = enable_ssl ? 1 : 0;
    if (tags !== undefined) patch.tags = JSON.stringify(tags);
    if (sources !== undefined) patch.sources = sourcesColumn(sources);
    const row = await this.#unique(fields.name, () => updateClusterRow(this.#deps.db, id, patch));
    if (!row) throw clusterNotFound(id);
    this.#changed();
    return toCluster(row);
  }

  /** Deletes the cluster and its snapshots. Throws NOT_FOUND. */
  async delete(id: number): Promise<void> {
    if (!(await deleteClusterRow(this.#deps.db, id))) throw clusterNotFound(id);
    this.#changed();
  }

  async #checkPasswordStaysHome(id: number, fields: Partial<ClusterFields>): Promise<void> {
    const row = await this.#row(id);
    if (row.password_encrypted === '') return;
    const moved = ADDRESS_FIELDS.filter((field) => {
      const value = fields[field];
      if (value === undefined) return false;
      return typeof value === 'string' ? value.toLowerCase() !== String(row[field]).toLowerCase() : value !== row[field];
    });
    if (moved.length === 0) return;
    throw validationError([
      {
        field: 'password',
        message: `is required when ${moved.join(' or ')} changes: the stored password is sent only where it was given for (an administrator may send keep_password: true instead)`,
      },
    ]);
  }

  #changed(): void {
    this.#generation += 1;
    for (const listener of this.#listeners) listener();
  }

  async #row(id: number): Promise<ClusterRow> {
    const row = await findClusterRow(this.#deps.db, id);
    if (!row) throw clusterNotFound(id);
    return row;
  }

  #seal(password: string): string {
    return password === '' ? '' : this.#deps.secrets.seal(password, PASSWORD_CONTEXT);
  }

  /** Runs a write and turns a unique-index violation on the name into NAME_TAKEN. */
  async #unique<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (name !== undefined && this.#deps.dialect.isUniqueViolation(err)) throw clusterNameTaken(name);
      throw err;
    }
  }
}

/** Stored in the canonical order, each source once; null stays null (follow the global set). */
function sourcesColumn(sources: readonly OptionalSource[] | null): string | null {
  return sources === null ? null : JSON.stringify(sortedSources(sources));
}

function toCluster(row: ClusterRow): Cluster {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    fe_host: row.fe_host,
    fe_http_port: row.fe_http_port,
    fe_query_port: row.fe_query_port,
    username: row.username,
    password_set: row.password_encrypted !== '',
    enable_ssl: row.enable_ssl === 1,
    connection_timeout: row.connection_timeout,
    collect_interval: row.collect_interval ?? null,
    tags: JSON.parse(row.tags) as string[],
    sources: row.sources == null ? null : sortedSources(JSON.parse(row.sources) as OptionalSource[]),
    deployment_mode: row.deployment_mode,
    engine: row.engine,
    node_list_source: row.node_list_source,
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
  };
}
