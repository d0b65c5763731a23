/**
 * How each HealthStatus looks and reads. Each has a colour (a theme.css variable) and a shape,
 * so the status reads without colour vision too; `rank` orders by urgency (worst first).
 */
import type { HealthStatus } from '@shared/overview-types.js';

export interface StatusLook {
  readonly label: string;
  /** The theme colour, as a CSS value: var(--ok) … */
  readonly color: string;
  /** A glyph drawn before the label. */
  readonly shape: string;
  /** One sentence for tooltips and the legend. */
  readonly description: string;
  /** 0 is the most urgent. */
  readonly rank: number;
}

export const HEALTH_STATUSES: readonly HealthStatus[] = ['critical', 'unreachable', 'warning', 'pending', 'healthy'];

export const STATUS_LOOKS: Record<HealthStatus, StatusLook> = {
  critical: { label: 'Critical', color: 'var(--crit)', shape: '◆', description: 'Something needs attention now (e.g. a backend down, disks nearly full).', rank: 0 },
  unreachable: { label: 'Unreachable', color: 'var(--unreachable)', shape: '✕', description: 'Stellar cannot reach the cluster: its last collections failed.', rank: 1 },
  warning: { label: 'Warning', color: 'var(--warn)', shape: '▲', description: 'Working, with figures outside their comfortable range.', rank: 2 },
  pending: { label: 'Pending', color: 'var(--unknown)', shape: '○', description: 'Not collected yet.', rank: 3 },
  healthy: { label: 'Healthy', color: 'var(--ok)', shape: '●', description: 'Every check passes.', rank: 4 },
};

export function statusLook(status: HealthStatus): StatusLook {
  return STATUS_LOOKS[status];
}
