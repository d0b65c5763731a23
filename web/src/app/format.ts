/**
 * Number and time formatting for every page. A value that was not measured is null and prints
 * as an em dash, never as 0: a dashboard that shows 0 for "unknown" lies.
 */

export const MISSING = '—';

type Maybe = number | null | undefined;

function missing(value: Maybe): value is null | undefined {
  return value === null || value === undefined || !Number.isFinite(value);
}

const SI_SUFFIXES = ['', 'k', 'M', 'G', 'T', 'P'];

/**
 * Plain numbers, grouped by thousands, with as many decimals as help reading them (2 under 10,
 * 1 under 100, none above; a value under 0.01 keeps two significant digits rather than reading
 * 0): 3.14, 42.3, 1,235, 0.0042. From 10 000 on, compact with an SI suffix: 12.3k, 4.56M.
 * Integers and fractions print alike (1,234 and 1,234.4 both read "1,234"). `fractionDigits`
 * fixes the decimals instead (and turns the suffixes off): formatNumber(1234.5, 2) is "1,234.50".
 */
export function formatNumber(value: Maybe, fractionDigits?: number): string {
  if (missing(value)) return MISSING;
  if (fractionDigits !== undefined) return grouped(value, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
  const abs = Math.abs(value);
  // 9 999.6 would round to "10,000": it takes a suffix too.
  if (Math.round(abs) >= 10_000) {
    let tier = Math.min(SI_SUFFIXES.length - 1, Math.floor(Math.log10(abs) / 3));
    // 999 950 rounds to "1000k": say "1M" instead.
    if (tier < SI_SUFFIXES.length - 1 && Number((abs / 1000 ** tier).toFixed(significantDecimals(abs / 1000 ** tier))) >= 1000) tier += 1;
    const scaled = value / 1000 ** tier;
    return `${grouped(scaled, { maximumFractionDigits: significantDecimals(Math.abs(scaled)) })}${SI_SUFFIXES[tier]}`;
  }
  if (abs > 0 && abs < 0.01) return grouped(value, { maximumSignificantDigits: 2 });
  return grouped(value, { maximumFractionDigits: significantDecimals(abs) });
}

/** Decimals for a value shown as is: 2 under 10, 1 under 100, none above. */
function significantDecimals(abs: number): number {
  return abs < 10 ? 2 : abs < 100 ? 1 : 0;
}

/** en-US grouping, trailing zeros dropped unless asked for; never "-0". */
function grouped(value: number, options: Intl.NumberFormatOptions): string {
  const text = value.toLocaleString('en-US', options);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

const IEC_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** Bytes in powers of 1024: 512 B, 1.5 GiB, 12.4 TiB. */
export function formatBytes(bytes: Maybe): string {
  if (missing(bytes)) return MISSING;
  const abs = Math.abs(bytes);
  if (abs < 1024) return `${Math.round(bytes)} B`;
  const tier = Math.min(IEC_UNITS.length - 1, Math.floor(Math.log2(abs) / 10));
  const scaled = bytes / 1024 ** tier;
  return `${trimZeros(scaled.toFixed(Math.abs(scaled) < 10 ? 2 : Math.abs(scaled) < 100 ? 1 : 0))} ${IEC_UNITS[tier]}`;
}

/** A rate in bytes per second: 3.2 MiB/s. */
export function formatBytesRate(bytesPerSecond: Maybe): string {
  return missing(bytesPerSecond) ? MISSING : `${formatBytes(bytesPerSecond)}/s`;
}

/** A value already in percent (0–100, as the API sends them): 42.1%. */
export function formatPercent(percent: Maybe, fractionDigits = 1): string {
  if (missing(percent)) return MISSING;
  return `${percent.toFixed(fractionDigits)}%`;
}

/** A duration in milliseconds, at the two largest useful units: 850 ms, 1.25 s, 3m 20s, 2h 5m, 3d 4h. */
export function formatDuration(ms: Maybe): string {
  if (missing(ms)) return MISSING;
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${trimZeros(abs.toFixed(abs < 10 ? 2 : abs < 100 ? 1 : 0))} ms`;
  if (abs < 60_000) return `${sign}${trimZeros((abs / 1000).toFixed(abs < 10_000 ? 2 : 1))} s`;
  const seconds = Math.round(abs / 1000);
  const [d, h, m, s] = [Math.floor(seconds / 86_400), Math.floor((seconds % 86_400) / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  if (d > 0) return `${sign}${d}d${h > 0 ? ` ${h}h` : ''}`;
  if (h > 0) return `${sign}${h}h${m > 0 ? ` ${m}m` : ''}`;
  return `${sign}${m}m${s > 0 ? ` ${s}s` : ''}`;
}

/** How long ago (or in how long) an ISO instant is: just now, 12 s ago, 5 min ago, 3 h ago, 2 d ago, in 20 s. */
export function formatRelativeTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (iso === null || iso === undefined) return MISSING;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return MISSING;
  const delta = now - at;
  const abs = Math.abs(delta);
  const words =
    abs < 5_000
      ? null
      : abs < 60_000
        ? `${Math.round(abs / 1000)} s`
        : abs < 3_600_000
          ? `${Math.round(abs / 60_000)} min`
          : abs < 86_400_000
            ? `${Math.round(abs / 3_600_000)} h`
            : `${Math.round(abs / 86_400_000)} d`;
  if (words === null) return 'just now';
  return delta >= 0 ? `${words} ago` : `in ${words}`;
}

/** Local wall-clock time, hh:mm (24 h), e.g. for "stale since 14:05". */
export function formatClockTime(instant: string | number | Date | null | undefined): string {
  if (instant === null || instant === undefined) return MISSING;
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) return MISSING;
  return date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

/** Local date and time for tooltips: 2026-11-24 14:05:09. */
export function formatDateTime(instant: string | number | Date | null | undefined): string {
  if (instant === null || instant === undefined) return MISSING;
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) return MISSING;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** "1.50" → "1.5", "2.00" → "2": the zeros after the point that say nothing. */
export function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
