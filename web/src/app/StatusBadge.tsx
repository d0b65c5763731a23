/** A health status as a coloured pill with a shape and a word; the score beside it when given. */
import type { CSSProperties, JSX } from 'react';
import type { HealthStatus } from '@shared/health.js';
import { statusLook } from './status.js';

export function StatusBadge(props: { status: HealthStatus; score?: number | null; title?: string }): JSX.Element {
  const look = statusLook(props.status);
  const score = props.score === undefined || props.score === null ? null : Math.round(props.score);
  return (
    <span className={`status-badge status-${props.status}`} style={{ '--status-color': look.color } as CSSProperties} title={props.title ?? look.description} data-status={props.status}>
      <span className="status-badge-shape" aria-hidden="true">
        {look.shape}
      </span>
      <span className="status-badge-label">{look.label}</span>
      {score !== null && <span className="status-badge-score" aria-label={`score ${score} of 100`}>{score}</span>}
    </span>
  );
}
