/**
 * A small timing harness: runs a case for a fixed time after a warm-up and reports operations
 * per second; `report` prints every case as a ratio to the named baseline of the same run.
 */

export interface Measurement {
  readonly name: string;
  readonly opsPerSecond: number;
}

export async function measure(name: string, op: () => Promise<unknown>, { warmupMs = 300, runMs = 2000 } = {}): Promise<Measurement> {
  const warmupEnd = performance.now() + warmupMs;
  while (performance.now() < warmupEnd) await op();
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < runMs) {
    await op();
    ops += 1;
    elapsed = performance.now() - start;
  }
  return { name, opsPerSecond: (ops * 1000) / elapsed };
}

export function report(title: string, baseline: Measurement, others: readonly Measurement[]): string {
  const rows = [baseline, ...others].map((m) => {
    const ratio = m.opsPerSecond / baseline.opsPerSecond;
    return `  ${m.name.padEnd(48)} ${m.opsPerSecond.toFixed(0).padStart(8)} ops/s   ${ratio.toFixed(3).padStart(7)} × baseline`;
  });
  return [`${title} (baseline: ${baseline.name})`, ...rows].join('\n');
}
