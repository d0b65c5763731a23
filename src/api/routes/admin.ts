/** POST /api/admin/reload: the configuration read again and applied, as SIGHUP does (config-reloader.ts). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ReloadOutcome } from '../../config/config-reloader.js';
import { ReloadResponse } from '../../shared/api/admin.js';
import { errors, json } from '../route-responses.js';

/** Reloads the configuration; `trigger` names who asked, for the log. Throws STELLAR_ERR_CONFIG_INVALID. */
export type ReloadConfig = (trigger: string) => Promise<ReloadOutcome>;

export const adminRoutes: FastifyPluginAsyncZod<{ reload: ReloadConfig }> = async (app, { reload }) => {
  // Admin only, as every change is (authorize.ts).
  app.post(
    '/admin/reload',
    {
      schema: {
        summary: 'Reload the configuration',
        description:
          'Reads the configuration again from the sources it was started with (the --config file, APP_* variables, flags), as SIGHUP does. ' +
          'A value that is not accepted refuses the whole reload (400, `details` naming each key): nothing is applied and the running configuration is kept. ' +
          'Otherwise the changed keys that reload (interval, retention, concurrency, sources, backoff, [limits], log level, allowed targets) take effect at once, ' +
          'the collection restarting from its stored state; changed keys that take a restart are listed in `restart_needed` and keep their running values.',
        tags: ['admin'],
        response: { 200: json('What the reload applied', ReloadResponse), ...errors(400, 401) },
      },
    },
    async (request) => {
      const by = request.principal === null ? 'an anonymous caller (authentication off)' : request.principal.username;
      const outcome = await reload(`POST /api/admin/reload by ${by}`);
      return { applied: [...outcome.applied], restart_needed: [...outcome.restart_needed], unchanged: outcome.unchanged };
    },
  );
};
