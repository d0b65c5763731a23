/**
 * Families a simulated node prints that no built-in field reads: what custom metrics
 * (src/shared/custom-metrics.ts) are for. Per-table load counters (StarRocks' table metrics,
 * labels `db_name`, `tbl_name`, `tbl_id`), the FE's thread pools (`thread_pool{name, type}`),
 * and a BE's loaded rows. Pure functions of the model and the instant, so a test computes
 * exactly what each node printed at the instant it was asked.
 */
import type { ClusterModel } from './cluster-model.js';
import { between, intBetween, wander } from './random.js';

/** Tables each user database has in these families. */
const TABLES = ['orders', 'clicks'] as const;
/** Databases (the first user ones) whose tables are printed. */
const DATABASES = 3;
export const THREAD_POOLS = ['mysql-nio-pool', 'query-deploy', 'starrocks-taskrun-pool'] as const;

export interface TableLoadRows {
  readonly db: string;
  readonly table: string;
  readonly id: number;
  /** Rows loaded into the table through this FE since its start: a counter, reset by a restart. */
  readonly rows: number;
}

export interface ThreadPool {
  readonly name: string;
  readonly poolSize: number;
  readonly activeThreads: number;
  readonly tasksInQueue: number;
  /** Tasks completed since the FE's start. */
  readonly completedTasks: number;
}

function userDatabases(model: ClusterModel): string[] {
  return model.databases
    .map((d) => d.name)
    .filter((name) => name !== 'information_schema' && name !== '_statistics_')
    .slice(0, DATABASES);
}

/** `table_load_rows{db_name, tbl_name, tbl_id}` of one FE at `tMs`. */
export function feTableLoadRows(model: ClusterModel, feIndex: number, tMs: number): TableLoadRows[] {
  const fe = model.fes[feIndex];
  if (!fe) throw new RangeError(`no FE ${feIndex}`);
  const s = model.spec.seed;
  const from = model.sec(model.events.feStartedAt(feIndex, tMs, fe.initialStartMs));
  const loads = fe.weight * model.loads.between(from, Math.max(from, model.sec(tMs)));
  return userDatabases(model).flatMap((db, d) =>
    TABLES.map((table, k) => ({ db, table, id: 10_000 + 100 * d + k, rows: Math.floor(loads * between(200, 5_000, s, 900, d, k)) })),
  );
}

/** `thread_pool{name, type}` of one FE at `tMs`. */
export function feThreadPools(model: ClusterModel, feIndex: number, tMs: number): ThreadPool[] {
  const fe = model.fes[feIndex];
  if (!fe) throw new RangeError(`no FE ${feIndex}`);
  const s = model.spec.seed;
  const t = model.sec(tMs);
  const upSec = Math.max(0, (tMs - model.events.feStartedAt(feIndex, tMs, fe.initialStartMs)) / 1000);
  return THREAD_POOLS.map((name, p) => {
    const poolSize = intBetween(8, 256, s, 910, feIndex, p);
    return {
      name,
      poolSize,
      activeThreads: Math.round(poolSize * wander(s, 911 + 10 * feIndex + p, t, 60)),
      tasksInQueue: Math.round(40 * wander(s, 912 + 10 * feIndex + p, t, 90) ** 2),
      completedTasks: Math.floor(upSec * between(1, 50, s, 913, feIndex, p)),
    };
  });
}

/** `load_rows` of one BE at `tMs`: rows it has loaded since the simulation's origin. */
export function beLoadRows(model: ClusterModel, beIndex: number, tMs: number): number {
  const be = model.bes[beIndex];
  if (!be) throw new RangeError(`no BE ${beIndex}`);
  const t = model.sec(model.events.beStoppedAt(beIndex, tMs) ?? tMs);
  return Math.floor(be.diskWrite.between(0, t) / 120);
}
