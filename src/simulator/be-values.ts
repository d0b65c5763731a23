/**
 * What one simulated BE (or CN) reports at an instant, as the FE's node list shows it and as
 * its own `/metrics` counts it. A dead BE's figures freeze at the moment it died.
 */
import type { BeAttributes, ClusterModel } from './cluster-model.js';
import { wander } from './random.js';

const HEARTBEAT_SEC = 5;
/** jiffies per second per core (USER_HZ). */
const HZ = 100;

export interface BeValues {
  readonly be: BeAttributes;
  readonly alive: boolean;
  readonly errMsg: string;
  readonly lastStartMs: number;
  readonly lastHeartbeatMs: number;
  readonly tablets: number;
  readonly dataUsedBytes: number;
  readonly availBytes: number;
  readonly totalBytes: number;
  /** (total − avail) / total, in percent. */
  readonly usedPct: number;
  readonly maxDiskUsedPct: number;
  readonly cpuUsedPct: number;
  readonly memUsedPct: number;
  readonly runningQueries: number;
  readonly compactionScore: number;
  readonly lastReportMs: number;
}

export interface BeCounters {
  /** `/proc/stat` jiffies by mode, as `starrocks_be_cpu{mode=...}`. */
  readonly cpu: Readonly<Record<'user' | 'nice' | 'system' | 'idle' | 'iowait' | 'irq' | 'soft_irq' | 'steal' | 'guest' | 'guest_nice', number>>;
  readonly netSendBytes: number;
  readonly netReceiveBytes: number;
  readonly diskReadBytes: number;
  readonly diskWrittenBytes: number;
}

export function beValues(model: ClusterModel, index: number, tMs: number): BeValues {
  const be = model.bes[index];
  if (!be) throw new RangeError(`no BE ${index}`);
  const stoppedMs = model.events.beStoppedAt(index, tMs);
  const at = stoppedMs ?? tMs;
  const s = model.spec.seed;
  const t = model.sec(at);
  const sinceOrigin = t;
  const dataUsedBytes = be.baseDataBytes + be.dataGrowthBytesPerSec * sinceOrigin;
  // A disk filled by the `disk_full` fault: other files take what its natural use leaves free, up to the fault's share.
  const filledPct = model.events.beDiskFilledPct(index, at);
  const naturalAvailBytes = Math.max(0, be.totalBytes - dataUsedBytes - be.otherUsedBytes);
  const availBytes = filledPct === null ? naturalAvailBytes : Math.min(naturalAvailBytes, Math.round(be.totalBytes * (1 - filledPct / 100)));
  const usedPct = ((be.totalBytes - availBytes) / be.totalBytes) * 100;
  const beat = Math.floor((t - be.heartbeatPhaseSec) / HEARTBEAT_SEC) * HEARTBEAT_SEC + be.heartbeatPhaseSec;
  return {
    be,
    alive: stoppedMs === null,
    errMsg: stoppedMs === null ? '' : 'java.net.ConnectException: Connection refused',
    lastStartMs: model.events.beStartedAt(index, tMs) ?? be.initialStartMs,
    lastHeartbeatMs: Math.round(model.originMs + beat * 1000),
    tablets: be.baseTablets + Math.floor((be.tabletsPerDay * sinceOrigin) / 86_400),
    dataUsedBytes,
    availBytes,
    totalBytes: be.totalBytes,
    usedPct,
    maxDiskUsedPct: Math.min(100, usedPct + be.diskSkewPct),
    cpuUsedPct: Math.min(100, be.cpuBusy.at(t) * 100),
    memUsedPct: 5 + 65 * wander(s, 300 + index, t, 600),
    runningQueries: Math.round(40 * wander(s, 400 + index, t, 120) ** 2),
    compactionScore: Math.round(5 + 55 * wander(s, 500 + index, t, 900)),
    lastReportMs: Math.round(model.originMs + Math.floor(t / 60) * 60_000),
  };
}

/** A BE's own cumulative counters (its `/metrics`), from the integrals of its rates. */
export function beCounters(model: ClusterModel, index: number, tMs: number): BeCounters {
  const be = model.bes[index];
  if (!be) throw new RangeError(`no BE ${index}`);
  const t = model.sec(model.events.beStoppedAt(index, tMs) ?? tMs);
  const total = HZ * be.cores * t;
  const busy = HZ * be.cores * be.cpuBusy.integral(t) - HZ * be.cores * be.cpuBusy.integral(0);
  // Busy time split over modes in fixed shares; idle is the rest, so idle share = 1 − CPU use.
  const share = (fraction: number): number => Math.floor(busy * fraction);
  return {
    cpu: {
      user: share(0.7),
      nice: share(0.01),
      system: share(0.18),
      idle: Math.floor(total - busy),
      iowait: share(0.06),
      irq: share(0.01),
      soft_irq: share(0.04),
      steal: 0,
      guest: 0,
      guest_nice: 0,
    },
    netSendBytes: Math.floor(be.netSend.between(0, t)),
    netReceiveBytes: Math.floor(be.netReceive.between(0, t)),
    diskReadBytes: Math.floor(be.diskRead.between(0, t)),
    diskWrittenBytes: Math.floor(be.diskWrite.between(0, t)),
  };
}
