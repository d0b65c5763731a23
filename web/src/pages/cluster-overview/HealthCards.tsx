/** The latest snapshot's key figures as cards, coloured at the health score's thresholds. */
import type { JSX } from 'react';
import type { DeploymentMode } from '@shared/cluster-kinds.js';
import type { HealthReason, SnapshotJson } from '@shared/api/overview.js';
import { buildHealthCards } from './health-cards.js';

const LEVEL_WORDS = { ok: 'normal', warning: 'warning', critical: 'critical', unknown: 'not measured' } as const;

export function HealthCards(props: { snapshot: SnapshotJson; reasons: readonly HealthReason[]; mode: DeploymentMode }): JSX.Element {
  const cards = buildHealthCards(props.snapshot, props.reasons, props.mode);
  return (
    <ul className="health-cards" data-testid="health-cards" aria-label="Latest figures">
      {cards.map((card) => (
        <li key={card.id} className={`health-card health-card-${card.level}`} data-card={card.id} data-level={card.level} title={card.hint}>
          <span className="health-card-label">{card.label}</span>
          <span className="health-card-value">
            {card.value}
            {(card.level === 'warning' || card.level === 'critical') && <span className="visually-hidden"> ({LEVEL_WORDS[card.level]})</span>}
          </span>
          {card.detail !== null && <span className="health-card-detail">{card.detail}</span>}
        </li>
      ))}
    </ul>
  );
}
