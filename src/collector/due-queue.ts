/**
 * Clusters waiting for their next collection, earliest instant first (a binary heap): the
 * scheduler takes the due ones in O(log n) each instead of scanning the fleet. An entry whose
 * cluster was rescheduled, started or deleted meanwhile stays until it surfaces; the scheduler
 * skips it then.
 */

export interface DueEntry {
  readonly at: number;
  readonly clusterId: number;
}

export class DueQueue {
  readonly #heap: DueEntry[] = [];

  get size(): number {
    return this.#heap.length;
  }

  push(entry: DueEntry): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  peek(): DueEntry | undefined {
    return this.#heap[0];
  }

  pop(): DueEntry | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let first = i;
      if (left < heap.length && earlier(heap[left]!, heap[first]!)) first = left;
      if (right < heap.length && earlier(heap[right]!, heap[first]!)) first = right;
      if (first === i) return top;
      [heap[i], heap[first]] = [heap[first]!, heap[i]!];
      i = first;
    }
  }
}

/** By instant, then by cluster id, so equal instants come out in a stable order. */
function earlier(a: DueEntry, b: DueEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.clusterId < b.clusterId);
}
