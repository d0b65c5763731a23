/**
 * How each HealthStatus looks and reads. Each has a colour (a theme.css variable) and a shape,
 * so the status reads without colour vision too. The order of statuses, worst first, is the
 * server's (`HEALTH_STATUSES`, @shared/health.ts).
 */
import type { HealthStatus } from '@shared/health.js';

export interface StatusLook {
  readonly label: string;
  /** The theme colour, as a CSS value: var(--ok) … */
  readonly color: string;
  /** A glyph drawn before the label. */
  readonly shape: string;
  /** One sentence for tooltips and the legend. */
  readonly description: string;
}

export const STATUS_LOOKS: Record<HealthStatus, StatusLook> = {
  unreachable: { label: 'Unreachable', color: 'var(--unreachable)', shape: '✕', description: 'Stellar cannot reach the cluster: its last collections failed.' },
  critical: { label: 'Critical', color: 'var(--crit)', shape: '◆', description: 'Something needs attention now (e.g. a backend down, disks nearly full).' },
  warning: { label: 'Warning', color: 'var(--warn)', shape: '▲', description: 'Working, with figures outside their comfortable range.' },
  pending: { label: 'Pending', color: 'var(--unknown)', shape: '○', description: 'Not collected yet.' },
  healthy: { label: 'Healthy', color: 'var(--ok)', shape: '●', description: 'Every check passes.' },
};

export function statusLook(status: HealthStatus): StatusLook {
  return STATUS_LOOKS[status];
}
