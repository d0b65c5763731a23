/**
 * The discrete things that happen to a simulated cluster (FE restarts and outages, leader
 * changes, BE deaths, disks filled), kept in time order so any past instant can still be rendered exactly.
 */

export type ClusterEvent =
  | { readonly kind: 'fe_start'; readonly fe: number; readonly atMs: number }
  | { readonly kind: 'fe_stop'; readonly fe: number; readonly atMs: number }
  | { readonly kind: 'leader'; readonly fe: number; readonly atMs: number }
  | { readonly kind: 'be_stop'; readonly be: number; readonly atMs: number }
  | { readonly kind: 'be_start'; readonly be: number; readonly atMs: number }
  | { readonly kind: 'disk_fill'; readonly be: number; readonly pct: number; readonly atMs: number }
  | { readonly kind: 'disk_free'; readonly be: number; readonly atMs: number };

export interface Interval {
  readonly fromMs: number;
  /** Null while still open. */
  readonly toMs: number | null;
}

export class EventLog {
  private readonly events: ClusterEvent[] = [];

  add(event: ClusterEvent): void {
    // Events arrive in clock order; a test clock that steps back still gets a sorted log.
    let i = this.events.length;
    while (i > 0 && (this.events[i - 1]?.atMs ?? 0) > event.atMs) i -= 1;
    this.events.splice(i, 0, event);
  }

  /** The latest start of FE `fe` at or before `atMs`, or `initialMs`. */
  feStartedAt(fe: number, atMs: number, initialMs: number): number {
    let started = initialMs;
    for (const e of this.events) {
      if (e.atMs > atMs) break;
      if (e.kind === 'fe_start' && e.fe === fe) started = e.atMs;
    }
    return started;
  }

  feAlive(fe: number, atMs: number): boolean {
    return this.isUp('fe_start', 'fe_stop', fe, atMs);
  }

  beAlive(be: number, atMs: number): boolean {
    return this.isUp('be_start', 'be_stop', be, atMs);
  }

  /** When BE `be` last stopped, if it is down at `atMs`. */
  beStoppedAt(be: number, atMs: number): number | null {
    let stopped: number | null = null;
    for (const e of this.events) {
      if (e.atMs > atMs) break;
      if (e.kind === 'be_stop' && e.be === be) stopped = e.atMs;
      if (e.kind === 'be_start' && e.be === be) stopped = null;
    }
    return stopped;
  }

  /** How full BE `be`'s disks were made at `atMs` (the `disk_full` fault), or null when they were not. */
  beDiskFilledPct(be: number, atMs: number): number | null {
    let pct: number | null = null;
    for (const e of this.events) {
      if (e.atMs > atMs) break;
      if (e.kind === 'disk_fill' && e.be === be) pct = e.pct;
      if (e.kind === 'disk_free' && e.be === be) pct = null;
    }
    return pct;
  }

  /** When BE `be` last started at or before `atMs`, or null if it never restarted. */
  beStartedAt(be: number, atMs: number): number | null {
    let started: number | null = null;
    for (const e of this.events) {
      if (e.atMs > atMs) break;
      if (e.kind === 'be_start' && e.be === be) started = e.atMs;
    }
    return started;
  }

  leaderAt(atMs: number, initialLeader: number): number {
    let leader = initialLeader;
    for (const e of this.events) {
      if (e.atMs > atMs) break;
      if (e.kind === 'leader') leader = e.fe;
    }
    return leader;
  }

  /** The spans during which FE `fe` was leader, from `sinceMs` to `untilMs`. */
  leadership(fe: number, sinceMs: number, untilMs: number, initialLeader: number): Interval[] {
    const spans: Interval[] = [];
    let leader = this.leaderAt(sinceMs, initialLeader);
    let openedAt: number | null = leader === fe ? sinceMs : null;
    for (const e of this.events) {
      if (e.atMs > untilMs) break;
      if (e.kind !== 'leader' || e.atMs <= sinceMs) continue;
      if (leader === fe && e.fe !== fe && openedAt !== null) {
        spans.push({ fromMs: openedAt, toMs: e.atMs });
        openedAt = null;
      } else if (leader !== fe && e.fe === fe) {
        openedAt = e.atMs;
      }
      leader = e.fe;
    }
    if (openedAt !== null) spans.push({ fromMs: openedAt, toMs: null });
    return spans;
  }

  private isUp(startKind: 'fe_start' | 'be_start', stopKind: 'fe_stop' | 'be_stop', node: number, atMs: number): boolean {
    let up = true;
    for (const e of this.events) {
      if (e.atMs > atMs) break;
      const subject = 'fe' in e ? e.fe : e.be;
      if (subject !== node) continue;
      if (e.kind === startKind) up = true;
      if (e.kind === stopKind) up = false;
    }
    return up;
  }
}
