/**
 * Which node lists a collection stores. A cluster's lists barely change between collections
 * but are several KB each: they are written when a node came, went, or changed state (alive,
 * decommissioned, role, version, error, restart), and otherwise at most every few minutes to
 * refresh their figures (capacity, CPU, heartbeat). Each stored list keeps the time it was
 * collected at, so what the API shows is never passed off as newer than it is. Pure.
 */
import type { FrontendRow, NodeRow } from '../shared/node-rows.js';
import type { CollectedNodeLists } from '../storage/repos/nodes.repo.js';
import type { RawScrape } from './raw-scrape.js';

/** A list whose nodes did not change is still written when its stored copy is this old. */
export const NODE_LIST_REFRESH_MS = 5 * 60_000;

interface StoredList {
  readonly signature: string;
  readonly at: number;
}

export interface NodeListsMemory {
  readonly frontends: StoredList | null;
  readonly backends: StoredList | null;
  readonly computeNodes: StoredList | null;
}

export const NO_LISTS_STORED: NodeListsMemory = { frontends: null, backends: null, computeNodes: null };

const nodeSignature = (n: NodeRow): string => [n.kind, n.id, n.host, n.heartbeatPort, n.httpPort, n.alive, n.decommissioned, n.version, n.errMsg, n.lastStartMs].join('\u0001');
const frontendSignature = (f: FrontendRow): string => [f.name, f.host, f.httpPort, f.queryPort, f.role, f.alive, f.version, f.errMsg, f.startTimeMs].join('\u0001');

function decide<T>(rows: readonly T[] | null, stored: StoredList | null, at: number, sign: (row: T) => string): { json: string | null; memory: StoredList | null } {
  if (rows === null) return { json: null, memory: stored };
  const signature = rows.map(sign).join('\u0002');
  if (stored !== null && stored.signature === signature && at - stored.at < NODE_LIST_REFRESH_MS) return { json: null, memory: stored };
  return { json: JSON.stringify(rows), memory: { signature, at } };
}

/** The lists to write for this collection (null: keep the stored one), and the memory once they are written. */
export function nodeListsToStore(raw: RawScrape, stored: NodeListsMemory): { lists: CollectedNodeLists; memory: NodeListsMemory } {
  const at = raw.collectedAt;
  const frontends = decide(raw.frontends, stored.frontends, at, frontendSignature);
  const backends = decide(raw.backends, stored.backends, at, nodeSignature);
  const computeNodes = decide(raw.computeNodes, stored.computeNodes, at, nodeSignature);
  return {
    lists: { at, frontends: frontends.json, backends: backends.json, computeNodes: computeNodes.json },
    memory: { frontends: frontends.memory, backends: backends.memory, computeNodes: computeNodes.memory },
  };
}
