/**
 * Serves the built web console (dist/web) from the service itself: one process, one port.
 *
 * - `/assets/*` are Vite's content-hashed files: cached for a year, immutable.
 * - `/` and every other GET that a browser navigates to (Accept: text/html) get index.html with
 *   `no-cache`, so a deep link such as /clusters/3 opens the console and a new build is picked up
 *   at the next load. The router in the browser takes it from there.
 * - `/api/*`, `/healthz` and `/readyz` are never answered with the console: an unknown API path
 *   stays a JSON 404.
 * - When the console is not built, `/` says so (HTML for a browser, JSON otherwise) rather than
 *   a bare 404.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { StellarError } from '../../errors.js';
import { sendError } from '../error-handler.js';

export interface WebConsoleOptions {
  /** The directory holding index.html and assets/ (dist/web). */
  readonly root: string;
}

/** Paths that belong to the API and the probes, never to the console. */
const SERVER_PATH = /^\/(api(\/|$)|healthz\/?$|readyz\/?$)/;

function acceptsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? '/';
}

export const webConsoleRoutes: FastifyPluginAsync<WebConsoleOptions> = async (app, { root }) => {
  if (!existsSync(join(root, 'index.html'))) {
    registerNotBuilt(app, root);
    return;
  }
  // serve: false: only reply.sendFile; the routes below decide what is served and how it is cached.
  await app.register(fastifyStatic, { root, serve: false });

  // Files beside index.html (favicon.svg, …), read once: only these names are served from the top level.
  const topLevelFiles = new Set(readdirSync(root).filter((name) => name !== 'index.html' && statSync(join(root, name)).isFile()));

  const sendIndex = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });

  app.get('/assets/*', (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    // Source maps would hand out the console's source; the build makes none, and a stray one is not served.
    if (file.endsWith('.map')) return reply.callNotFound();
    return reply.sendFile(`assets/${file}`, { maxAge: '365d', immutable: true });
  });

  app.get('/', (_request, reply) => sendIndex(reply));

  app.get('/*', (request, reply) => {
    const path = pathOf(request);
    if (SERVER_PATH.test(path)) return reply.callNotFound();
    const name = path.slice(1);
    if (topLevelFiles.has(name)) return reply.sendFile(name, { maxAge: '1h' });
    if (acceptsHtml(request)) return sendIndex(reply);
    return reply.callNotFound();
  });
};

function registerNotBuilt(app: Parameters<FastifyPluginAsync>[0], root: string): void {
  const message = `The web console is not built: ${root} has no index.html. Run \`npm run build\` (or \`npm start\`, which builds what is missing), then reload.`;
  const answer = (request: FastifyRequest, reply: FastifyReply) => {
    if (!acceptsHtml(request)) return sendError(reply, new StellarError('STELLAR_ERR_ROUTE_NOT_FOUND', message));
    return reply
      .code(404)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stellar: console not built</title></head>` +
          `<body>` +
          `<h1>The web console is not built</h1><p>${escapeHtml(root)} has no index.html.</p>` +
          `<p>Run <code>npm run build</code> (or <code>npm start</code>, which builds what is missing), then reload this page.</p>` +
          `<p>The API answers meanwhile under <code>/api/</code>.</p></body></html>`,
      );
  };
  app.get('/', answer);
  app.get('/*', (request, reply) => (SERVER_PATH.test(pathOf(request)) || !acceptsHtml(request) ? reply.callNotFound() : answer(request, reply)));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
