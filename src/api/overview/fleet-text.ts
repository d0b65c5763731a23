/**
 * The fleet's answer as JSON in UTF-8. Most of a cluster's entry — its registry fields, version,
 * latest figures and sparkline, about 1.7 kB of JSON with some 40 full-precision doubles — comes
 * from the kept inputs (FleetInputsCache) and is the same at every request until its cluster's
 * inputs change: it is built and serialized once (keptPartOf) and kept until they do, as the
 * bytes before and the bytes after the two fields that depend on the request's
 * clock, `health` (staleness) and `collection` (lag). A request serializes only those two and
 * writes them in between, in the schema's field order, so the text is the one JSON.stringify
 * gives of the entry. JSON.stringify of whole entries was most of a fleet request's CPU (~35 µs
 * a cluster).
 *
 * The answer is written FLEET_SLICE clusters at a time with a turn of the event loop between
 * two: one JSON.stringify of 1.5 MB held the loop 15–40 ms. */
import type { Cluster } from '../../registry/cluster.js';
import type { CollectionStateJson } from '../../shared/api/clusters.js';
import type { FleetClusterJson, FleetOverviewJson } from '../../shared/api/fleet.js';
import type { HealthJson } from '../../shared/api/overview.js';
import { nextTurn } from '../../collector/job-runner.js';
import { FIGURES, type FleetInputs, type FleetLatest, SPARKLINE_BUCKETS, SPARKLINE_TIER } from './fleet-inputs.js';
import { collectStatusKindOf } from './latest-status.js';

/** Clusters presented, or serialized, between two turns of the event loop: about a millisecond's work on an idle machine. */
export const FLEET_SLICE = 100;

/** The figures of a cluster without a snapshot yet. */
const NO_FIGURES = Object.fromEntries(FIGURES.map((f) => [f, null])) as FleetLatest['figures'];

type Before = Pick<FleetClusterJson, 'id' | 'name' | 'tags' | 'engine' | 'deployment_mode' | 'version'>;
type After = Omit<FleetClusterJson, keyof Before | 'health' | 'collection'>;

/** What a cluster's entry takes from the kept inputs: the fields before `health` and those after `collection`. */
export interface KeptPart {
  readonly before: Before;
  readonly after: After;
  /** Their JSON text in UTF-8: `before` without its closing brace, `after` without its opening one. */
  readonly beforeBytes: Buffer;
  readonly afterBytes: Buffer;
}

function keptPart(inputs: FleetInputs, cluster: Cluster): KeptPart {
  const latest = inputs.latest.get(cluster.id);
  const before: Before = {
    id: cluster.id,
    name: cluster.name,
    tags: [...cluster.tags],
    engine: cluster.engine,
    deployment_mode: cluster.deployment_mode,
    version: inputs.versions.get(cluster.id) ?? null,
  };
  const after: After = {
    last_collected_at: latest?.lastCollectedAt ?? null,
    collect_status: latest?.collectStatus ?? collectStatusKindOf(undefined),
    ...(latest?.figures ?? NO_FIGURES),
    qps_sparkline: {
      start: new Date(inputs.frame).toISOString(),
      step_seconds: SPARKLINE_TIER.widthMs / 1000,
      values: [...(inputs.sparklines.get(cluster.id) ?? new Array<number | null>(SPARKLINE_BUCKETS).fill(null))],
    },
  };
  return { before, after, beforeBytes: Buffer.from(JSON.stringify(before).slice(0, -1)), afterBytes: Buffer.from(JSON.stringify(after).slice(1)) };
}

/** A kept part and what it was made of: still the cluster's while these are. */
interface KeptFrom {
  readonly part: KeptPart;
  readonly cluster: Cluster;
  readonly frame: number;
  readonly latest: FleetLatest | undefined;
  readonly version: string | null;
  readonly sparkline: readonly (number | null)[] | undefined;
}

/**
 * Per cache of inputs (their lineage), each cluster's kept part, made when first asked for and
 * kept across reads while what it shows is unchanged: a read of the inputs keeps a cluster's
 * latest row and sparkline as the same objects while they are (fleet-inputs.ts), so after a
 * read only the clusters collected since are serialized again.
 */
const keptParts = new WeakMap<object, Map<number, KeptFrom>>();

const sameShown = (a: Cluster, b: Cluster): boolean =>
  a === b || (a.name === b.name && a.engine === b.engine && a.deployment_mode === b.deployment_mode && a.tags.length === b.tags.length && a.tags.every((t, i) => t === b.tags[i]));

/** The cluster's kept part for these inputs; `cluster` is one of `inputs.clusters`. */
export function keptPartOf(inputs: FleetInputs, cluster: Cluster): KeptPart {
  let parts = keptParts.get(inputs.lineage);
  if (parts === undefined) keptParts.set(inputs.lineage, (parts = new Map<number, KeptFrom>()));
  const latest = inputs.latest.get(cluster.id);
  const version = inputs.versions.get(cluster.id) ?? null;
  const sparkline = inputs.sparklines.get(cluster.id);
  const kept = parts.get(cluster.id);
  if (kept !== undefined && kept.frame === inputs.frame && kept.latest === latest && kept.version === version && kept.sparkline === sparkline && sameShown(kept.cluster, cluster)) return kept.part;
  // Deleted clusters' parts go once they would be most of what is kept.
  if (parts.size > 2 * inputs.clusters.length + 64) {
    const ids = new Set(inputs.clusters.map((c) => c.id));
    for (const id of parts.keys()) if (!ids.has(id)) parts.delete(id);
  }
  const part = keptPart(inputs, cluster);
  parts.set(cluster.id, { part, cluster, frame: inputs.frame, latest, version, sparkline });
  return part;
}

/** A cluster of the answer: its kept part and what this request's clock made of it. */
export interface FleetAnswerCluster {
  readonly kept: KeptPart;
  readonly health: HealthJson;
  readonly collection: CollectionStateJson | null;
}

/** The fleet's answer before it is JSON: the clusters as kept parts and fresh parts. */
export interface FleetAnswer {
  readonly head: Omit<FleetOverviewJson, 'clusters'>;
  readonly clusters: readonly FleetAnswerCluster[];
}

/** The answer as an object (where answers are validated, and for tests); the text is its JSON.stringify. */
export function fleetObject(answer: FleetAnswer): FleetOverviewJson {
  return { ...answer.head, clusters: answer.clusters.map(({ kept, health, collection }) => ({ ...kept.before, health, collection, ...kept.after })) };
}

/** Bytes a string's UTF-8 may take: at most 3 a UTF-16 unit (a surrogate pair's 4 bytes are 2 units). */
const utf8Bound = (text: string): number => 3 * text.length;

/**
 * Buffers for the answers' bytes, taken again once the answer they held is sent. A fresh buffer
 * per request (1.5 MB at 1,000 clusters) is memory outside V8's heap that V8 answers, past a few
 * dozen requests, with a full collection of the heap: tens of milliseconds that fell inside
 * fleet requests, their p99. A buffer is given back only once its answer was handed to the
 * socket (`finish`), so its bytes are never overwritten while they are written; an answer cut
 * short leaves its buffer to the garbage collector. The bytes sent are only those written
 * (`subarray`), never what an earlier answer left.
 */
export class FleetBodyBuffers {
  private readonly free: Buffer[] = [];

  constructor(private readonly keep = 4) {}

  take(bytes: number): Buffer {
    const index = this.free.findIndex((b) => b.length >= bytes);
    if (index >= 0) return this.free.splice(index, 1)[0] as Buffer;
    // Never a slice of Node's shared pool (allocUnsafeSlow), so `give` may take the whole memory
    // back; with room to grow, so a fleet that gains a few clusters still fits the buffers it has.
    return Buffer.allocUnsafeSlow(Math.ceil(bytes * 1.25));
  }

  /** Gives back the buffer an answer was written into: `body` is fleetJson's result, a view on one taken here. */
  give(body: Buffer): void {
    if (this.free.length < this.keep) this.free.push(Buffer.from(body.buffer));
  }
}

/**
 * The answer as JSON in UTF-8, the clusters FLEET_SLICE at a time with a turn of the event loop
 * between two: their fresh fields serialized, then everything written into one buffer (taken
 * from `buffers` when given). Bytes, not a string: joining a thousand spliced strings and
 * encoding the result cost more than the serializing it replaced (each string flattened, then
 * 1.5 MB to UTF-8), where copying the kept bytes is a memcpy. One buffer, not one a slice: each
 * large buffer is fresh memory to fault in.
 */
export async function fleetJson(answer: FleetAnswer, buffers?: FleetBodyBuffers): Promise<Buffer> {
  const { head, clusters } = answer;
  const start = `${JSON.stringify(head).slice(0, -1)},"clusters":[`;
  const fresh: string[] = [];
  let bound = utf8Bound(start) + clusters.length + 2;
  for (const { kept, health, collection } of clusters) {
    if (fresh.length > 0 && fresh.length % FLEET_SLICE === 0) await nextTurn();
    const text = `,"health":${JSON.stringify(health)},"collection":${JSON.stringify(collection)},`;
    fresh.push(text);
    bound += kept.beforeBytes.length + utf8Bound(text) + kept.afterBytes.length;
  }
  const out = buffers?.take(bound) ?? Buffer.allocUnsafe(bound);
  let at = out.write(start, 0, 'utf8');
  for (const [i, { kept }] of clusters.entries()) {
    if (i > 0) {
      if (i % FLEET_SLICE === 0) await nextTurn();
      at = out.writeUInt8(0x2c, at);
    }
    at += kept.beforeBytes.copy(out, at);
    at += out.write(fresh[i] as string, at, 'utf8');
    at += kept.afterBytes.copy(out, at);
  }
  at += out.write(']}', at, 'latin1');
  return out.subarray(0, at);
}
