/**
 * Faults a simulated cluster can be told to show, written `kind[@target][=value]`, e.g.
 * `slow@1=2000` (FE 1 answers after 2 s) or `be_dead@3`. FE faults target FE 0 — the one a
 * cluster is registered with — unless `@N` or `@all` says otherwise.
 */

/** Persistent faults last until cleared; one-shot faults happen once, when set. */
export const FAULT_KINDS = {
  fe_down: 'the FE refuses connections (HTTP and, for FE 0, MySQL); clearing it restarts the FE',
  hang: 'the FE accepts connections and never answers',
  slow: 'the FE answers every request after =N milliseconds (default 2000)',
  http_500: 'every FE route answers HTTP 500',
  wrong_password: 'the cluster no longer accepts the configured password (HTTP 401, MySQL 1045)',
  truncated: 'bodies stop halfway although Content-Length promised more',
  garbage: '/metrics answers 200 with binary garbage',
  empty: '/metrics answers 200 with an empty body, as an FE that is still starting',
  crlf: '/metrics lines end in CRLF',
  duplicates: '/metrics prints some series twice',
  split_families: '/metrics interleaves per-database families, as 3.5 does',
  no_table_metrics: '/metrics leaves out the per-table families (table_load_rows) even when asked with_table_metrics by the admin user, as an FE with none to print',
  follower_stale: "followers answer node lists with their own stale view (zero CPU and memory, older heartbeats) unless forward=true",
  unknown_layout: 'show_proc node lists gain a column no release has (an Extra cell on every row), as a release Stellar does not know',
  redirect_elsewhere: "a Doris follower @N redirects show_proc?forward=true to 127.0.0.99 (port =N, default the leader's) instead of to the leader",
  be_dead: 'BE @N is dead: Alive false, ErrMsg set, figures frozen; clearing it restarts the BE',
  disk_full: "BE @N's disks are filled to =PCT % (default 95) by other files, in its node list, /metrics and the ground truth; clearing it frees them",
  fe_restart: 'one-shot: FE @N restarts now (counters reset, StartTime changes)',
  failover: 'one-shot: leadership moves to FE =N, or to the next alive FE',
} as const;

export type FaultKind = keyof typeof FAULT_KINDS;
export const ONE_SHOT_FAULTS: readonly FaultKind[] = ['fe_restart', 'failover'];

export interface Fault {
  readonly kind: FaultKind;
  /** FE index for FE faults, BE index for `be_dead` and `disk_full`; 'all' for every FE (or BE). */
  readonly target: number | 'all';
  readonly value: number | null;
}

export class FaultSpecError extends Error {}

const SPEC = /^([a-z_0-9]+)(?:@(\d+|all))?(?:=(\d+))?$/;

export function parseFault(text: string): Fault {
  const match = SPEC.exec(text.trim());
  const kind = match?.[1];
  if (!match || kind === undefined || !(kind in FAULT_KINDS)) {
    throw new FaultSpecError(
      `fault "${text}" is not accepted; write kind[@target][=value] with kind one of ${Object.keys(FAULT_KINDS).join(', ')}`,
    );
  }
  const target = match[2] === undefined ? 0 : match[2] === 'all' ? 'all' : Number(match[2]);
  return { kind: kind as FaultKind, target, value: match[3] === undefined ? null : Number(match[3]) };
}

/** A comma-separated list, as `--faults` and `POST /_sim/faults` take it. */
export function parseFaults(text: string | readonly string[]): Fault[] {
  const items = typeof text === 'string' ? text.split(',') : text;
  return items.map((s) => s.trim()).filter((s) => s !== '').map(parseFault);
}

export function formatFault(f: Fault): string {
  const target = f.kind === 'failover' ? '' : `@${f.target}`;
  return `${f.kind}${target}${f.value === null ? '' : `=${f.value}`}`;
}

/** What the faults in force mean for one FE's HTTP answers. */
export interface FeFaultView {
  readonly down: boolean;
  readonly hang: boolean;
  readonly slowMs: number;
  readonly http500: boolean;
  readonly truncated: boolean;
  readonly garbage: boolean;
  readonly empty: boolean;
  readonly crlf: boolean;
  readonly duplicates: boolean;
  readonly splitFamilies: boolean;
  readonly noTableMetrics: boolean;
  readonly unknownLayout: boolean;
  /** `redirect_elsewhere`: the port of the foreign host a Doris follower redirects to (0: the leader's), or null. */
  readonly redirectElsewhere: number | null;
}

export function feFaultView(faults: readonly Fault[], fe: number): FeFaultView {
  const on = (kind: FaultKind): Fault | undefined => faults.find((f) => f.kind === kind && (f.target === fe || f.target === 'all'));
  const slow = on('slow');
  const elsewhere = on('redirect_elsewhere');
  return {
    down: on('fe_down') !== undefined,
    hang: on('hang') !== undefined,
    slowMs: slow ? (slow.value ?? 2000) : 0,
    http500: on('http_500') !== undefined,
    truncated: on('truncated') !== undefined,
    garbage: on('garbage') !== undefined,
    empty: on('empty') !== undefined,
    crlf: on('crlf') !== undefined,
    duplicates: on('duplicates') !== undefined,
    splitFamilies: on('split_families') !== undefined,
    noTableMetrics: on('no_table_metrics') !== undefined,
    unknownLayout: on('unknown_layout') !== undefined,
    redirectElsewhere: elsewhere ? (elsewhere.value ?? 0) : null,
  };
}
