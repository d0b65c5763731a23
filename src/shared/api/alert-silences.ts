/** Silences and acknowledgements of alerts in the API (GET/POST /api/alerts/silences, POST /api/alerts/firing/{rule}/{cluster_id}/ack; docs/alerts.md). */
import { z } from 'zod';
import { SilenceMatcher } from '../alerts/alert-silence.js';
import { isoTime } from './common.js';

export { SilenceInput } from '../alerts/alert-silence.js';

export const AlertAck = z
  .object({
    by: z.string().meta({ description: 'The user who acknowledged it' }),
    at: isoTime(),
    comment: z.string(),
  })
  .meta({ id: 'AlertAck' });

const MutedAlert = z.object({ rule: z.string(), cluster_id: z.number(), cluster: z.string() });

const Silence = z
  .object({
    id: z.number(),
    matchers: z.array(SilenceMatcher),
    starts_at: isoTime(),
    ends_at: isoTime(),
    status: z.enum(['pending', 'active', 'expired']).meta({ description: 'pending: starts later; active: mutes now; expired: ended (ran its course, or expired early: expired_by)' }),
    comment: z.string(),
    created_by: z.string(),
    created_at: isoTime(),
    expired_by: z.string().nullable().meta({ description: 'Who expired it early; null when it ran (or runs) its course' }),
    muting: z.array(MutedAlert).meta({ description: 'The firing alerts it mutes now' }),
  })
  .meta({ id: 'AlertSilence' });

export const SilenceResponse = Silence;
export const SilencesResponse = z.object({ silences: z.array(Silence).meta({ description: 'Newest first' }) }).meta({ id: 'AlertSilences' });

export const SilencesQuery = z
  .object({
    expired_hours: z.coerce.number().int().min(0).max(24 * 90).default(24).meta({ description: 'Also those ended in the last this many hours (0: only pending and active)' }),
  })
  .strict();

export const SilenceIdParams = z.object({ id: z.coerce.number().int().positive() });

export const FiringAlertParams = z.object({ rule: z.string(), cluster_id: z.coerce.number().int().positive() });

export const AckInput = z.object({ comment: z.string().trim().max(1000).default('') }).strict();

export const AckResponse = z.object({ rule: z.string(), cluster_id: z.number(), fired_at: isoTime(), acknowledged: AlertAck }).meta({ id: 'AlertAckResult' });

export type AlertAckJson = z.output<typeof AlertAck>;
export type SilenceJson = z.output<typeof Silence>;
export type SilencesJson = z.output<typeof SilencesResponse>;
export type AckResultJson = z.output<typeof AckResponse>;
