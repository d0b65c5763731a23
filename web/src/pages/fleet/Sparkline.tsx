/**
 * A small trend line in inline SVG (a fleet card has a couple of dozen points: a chart library
 * would cost more than it draws). The values are consecutive buckets, so a bucket without a
 * figure is a gap, not a squeezed line; Y spans the values' own range, like a Grafana stat
 * sparkline.
 */
import type { JSX } from 'react';
import type { SparklineJson } from '@shared/api/fleet.js';
import { formatNumber } from '../../app/format.js';

const WIDTH = 120;
const HEIGHT = 32;
const PAD = 2;

export function Sparkline(props: { line: SparklineJson; label: string; color?: string }): JSX.Element {
  const samples = props.line.values.map((v, i) => ({ t: i, v }));
  const values = samples.flatMap((p) => (p.v === null ? [] : [p.v]));
  if (values.length === 0) {
    return (
      <svg className="sparkline sparkline-empty" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={`${props.label}: no data`}>
        <line x1={0} x2={WIDTH} y1={HEIGHT - PAD} y2={HEIGHT - PAD} />
      </svg>
    );
  }
  const [t0, t1] = [samples[0]?.t ?? 0, samples.at(-1)?.t ?? 1];
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  const x = (t: number) => (t1 === t0 ? WIDTH / 2 : ((t - t0) / (t1 - t0)) * WIDTH);
  // A flat series sits in the middle rather than on an edge.
  const y = (v: number) => (hi === lo ? HEIGHT / 2 : PAD + (1 - (v - lo) / (hi - lo)) * (HEIGHT - 2 * PAD));

  const segments: { x: number; y: number }[][] = [];
  let current: { x: number; y: number }[] = [];
  for (const p of samples) {
    if (p.v === null) {
      if (current.length > 0) segments.push(current);
      current = [];
    } else current.push({ x: x(p.t), y: y(p.v) });
  }
  if (current.length > 0) segments.push(current);

  const line = segments.map((seg) => seg.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join('')).join('');
  const area = segments
    .filter((seg) => seg.length > 1)
    .map((seg) => `M${seg[0]?.x.toFixed(1)},${HEIGHT}${seg.map((p) => `L${p.x.toFixed(1)},${p.y.toFixed(1)}`).join('')}L${seg.at(-1)?.x.toFixed(1)},${HEIGHT}Z`)
    .join('');
  const lonely = segments.filter((seg) => seg.length === 1).map((seg) => seg[0] as { x: number; y: number });

  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`${props.label}: from ${formatNumber(lo)} to ${formatNumber(hi)}`}
      style={props.color === undefined ? undefined : { color: props.color }}
    >
      <path className="sparkline-area" d={area} />
      <path className="sparkline-line" d={line} />
      {lonely.map((p) => (
        <circle key={`${p.x}`} className="sparkline-dot" cx={p.x} cy={p.y} r={1.5} />
      ))}
    </svg>
  );
}
