/**
 * The headers every answer carries, API and console alike: a Content-Security-Policy that
 * allows only Stellar's own scripts, styles and API and forbids framing (clickjacking),
 * X-Frame-Options for browsers without CSP 3, nosniff so a JSON or text answer is never run
 * as a script, and no Referer leaking a console URL to another site.
 *
 * The console (web/) has no inline script or style element, so `'self'` is all it needs.
 * Swagger UI at /api/docs sets styles inline and draws icons from data: URIs: its pages alone
 * allow those (still no inline script, still no framing).
 */
import type { FastifyReply } from 'fastify';
import { DOCS_PATH } from './openapi.js';

const COMMON = ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"];

const CONSOLE_CSP = [...COMMON, "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'"].join('; ');
const DOCS_CSP = [...COMMON, "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "connect-src 'self'"].join('; ');

export const SECURITY_HEADERS = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** Sets the headers on a reply to a request for `url`. */
export function setSecurityHeaders(reply: FastifyReply, url: string): void {
  const docs = url === DOCS_PATH || url.startsWith(`${DOCS_PATH}/`) || url.startsWith(`${DOCS_PATH}?`);
  void reply.headers({ ...SECURITY_HEADERS, 'content-security-policy': docs ? DOCS_CSP : CONSOLE_CSP });
}
