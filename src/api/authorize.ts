/**
 * Who may change what, in one place: an onRequest hook run after authentication on every
 * protected route. Reads (GET, HEAD) are open to every signed-in user. Any other method is for
 * administrators, unless the route says `config: { access: SELF_SERVICE }`: a change a user
 * makes to their own account (log out, own password, own tokens). A new route is thus
 * admin-only until it says otherwise; test/api/roles.test.ts walks every route to hold this.
 */
import type { FastifyRequest, RouteOptions } from 'fastify';
import { isAdmin } from '../auth/auth-service.js';
import { StellarError } from '../errors.js';
import { errors } from './route-responses.js';

/** The route option of a change any signed-in user may make to their own account. */
export const SELF_SERVICE = 'self-service';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Absent: changes (methods other than GET and HEAD) are for administrators. */
    access?: typeof SELF_SERVICE;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD']);

export function createAuthorizeHook(options: { authEnabled: boolean }) {
  return async function authorize(request: FastifyRequest): Promise<void> {
    if (READ_METHODS.has(request.method) || request.routeOptions.config.access === SELF_SERVICE) return;
    // Authentication off and no credentials sent: the API is open, as configured.
    if (request.principal === null && !options.authEnabled) return;
    if (!isAdmin(request.principal)) {
      throw new StellarError('STELLAR_ERR_AUTH_FORBIDDEN', `${request.method} ${request.routeOptions.url ?? request.url} changes Stellar: only an administrator may; your role is "${request.principal?.role ?? 'none'}" (read only)`);
    }
  };
}

/**
 * The onRoute hook that puts the 403 of a change into the route's documented answers, so the
 * spec says what the hooks do without each route repeating it: an admin-only change refused to
 * a viewer, and any change, self-service ones too, made with the session cookie but without the
 * CSRF header (authenticate.ts).
 */
export function documentChangeRefusals(route: RouteOptions): void {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (methods.every((m) => READ_METHODS.has(m)) || !route.schema) return;
  const response = (route.schema.response ?? {}) as Record<string, unknown>;
  route.schema.response = { ...response, ...(response[403] === undefined ? errors(403) : {}) };
}
