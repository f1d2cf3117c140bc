// The built Svelte app (dashboard/web/dist). Files are served as they are; any
// other GET that is not an API path answers index.html, so the app's own routes
// (/, /wall, /sla, …) survive a reload. Unknown /api/ paths stay JSON 404s.
import { existsSync, statSync } from 'node:fs';
import { extname, relative, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { badRequest, notFound } from '../../infra/http/errors.js';

export interface WebRouteOptions {
  /** Folder holding index.html and assets/. */
  root: string;
}

/** True when `root` holds a built app. */
export const hasWebBuild = (root: string): boolean => existsSync(resolve(root, 'index.html'));

export const webRoute: FastifyPluginAsync<WebRouteOptions> = async (app, o) => {
  const root = resolve(o.root);
  await app.register(fastifyStatic, { root, serve: false });

  app.get('/*', async (req, reply) => {
    const path = req.url.split('?')[0]!;
    if (path === '/api' || path.startsWith('/api/')) throw notFound(`no route GET ${path}`);
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      throw badRequest(`path: ${path} is not valid percent-encoding`);
    }
    const file = resolve(root, `.${decoded}`);
    if (file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile()) {
      // Vite puts content-hashed names under assets/: cache them for good.
      const hashed = relative(root, file).startsWith(`assets${sep}`);
      return reply.sendFile(relative(root, file), hashed ? { maxAge: '365d', immutable: true } : { maxAge: 0 });
    }
    if (extname(decoded) !== '') throw notFound(`no file ${path}`);
    // The shell must be revalidated, or a browser keeps asset names of an old build.
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', { cacheControl: false });
  });
};
