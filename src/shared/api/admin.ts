/** What POST /api/admin/reload answers: the configuration keys a reload applied, and those that take a restart. */
import { z } from 'zod';

export const ReloadResponse = z
  .object({
    applied: z.array(z.string()).meta({ description: 'Changed keys now in effect, by path (`metrics.interval_secs`), in the order of docs/configuration.md' }),
    restart_needed: z.array(z.string()).meta({ description: 'Changed keys that take a restart: they keep their running values until then' }),
    unchanged: z.boolean().meta({ description: 'Whether the configuration sources say what already runs: nothing applied, nothing waiting for a restart' }),
  })
  .meta({ id: 'Reload' });

export type ReloadJson = z.output<typeof ReloadResponse>;
