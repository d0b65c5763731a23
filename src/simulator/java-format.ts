/**
 * Number and string formats exactly as a StarRocks FE prints them (Java `toString`,
 * `DecimalFormat("0.000")`, `String.format("%.2f %%")`), as `PrometheusMetricVisitor`, `BackendsProcDir`
 * and `DebugUtil` in StarRocks' fe-core use them.
 */

/** Java `Double.toString`: `0.0`, `12.5`, and scientific `1.2345678E7` at ≥ 1e7 or < 1e-3. */
export function javaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  // JavaScript gives "1.2345678e+7"; Java gives "1.2345678E7" and always a fraction digit.
  const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
  const fraction = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${fraction}E${Number(exponent)}`;
}

/** Java `long` printing: plain integer digits. */
export function javaLong(value: number): string {
  return Math.trunc(value).toString();
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1024-based unit choice shared by the capacity formats; TB is the largest (so `2048.000 TB`). */
function scaleBytes(bytes: number): { amount: number; unit: (typeof BYTE_UNITS)[number] } {
  let amount = bytes;
  let index = 0;
  while (amount >= 1024 && index < BYTE_UNITS.length - 1) {
    amount /= 1024;
    index += 1;
  }
  return { amount, unit: BYTE_UNITS[index] ?? 'TB' };
}

/**
 * Capacity columns (`DataUsedCapacity`, `AvailCapacity`, …): three decimals, one space, unit.
 * Up to 3.0 a value below 1 KB has an empty unit, which leaves `0.000 ` with a trailing space.
 */
export function capacityString(bytes: number, emptyUnitBelowKb: boolean): string {
  const { amount, unit } = scaleBytes(bytes);
  const shownUnit = emptyUnitBelowKb && unit === 'B' ? '' : unit;
  return `${amount.toFixed(3)} ${shownUnit}`;
}

/** `MemLimit`: `getPrettyStringBytes`, three decimals and the unit with no space (`27.423GB`). */
export function prettyBytesString(bytes: number): string {
  const { amount, unit } = scaleBytes(bytes);
  return `${amount.toFixed(3)}${unit}`;
}

/** Doris' `Memory`: `RuntimeProfile.printCounter(…, BYTES)`, two decimals, one space, no unit below 1 KB (`375.81 GB`). */
export function dorisBytesString(bytes: number): string {
  const { amount, unit } = scaleBytes(bytes);
  return `${amount.toFixed(2)} ${unit === 'B' ? '' : unit}`;
}

/** The bytes a reader of a capacity string gets back (three decimals of the chosen unit). */
export function displayedBytes(bytes: number): number {
  const { amount, unit } = scaleBytes(bytes);
  return Number(amount.toFixed(3)) * 1024 ** BYTE_UNITS.indexOf(unit);
}

/** `UsedPct`, `MemUsedPct`, …: `%.2f %`. */
export function percentString(percent: number): string {
  return `${percent.toFixed(2)} %`;
}

/** `CpuUsedPct`: one decimal, derived from per-mille. */
export function cpuPercentString(percent: number): string {
  return `${(Math.round(percent * 10) / 10).toFixed(1)} %`;
}

/** `yyyy-MM-dd HH:mm:ss` in the FE's local time zone; the simulated FEs run in UTC. */
export function feTimeString(epochMs: number | null): string {
  if (epochMs === null || epochMs <= 0) return 'NULL';
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}
