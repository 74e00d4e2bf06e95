import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
};

export interface StaticServer {
  /** The app's URL: the origin, the sub-path if any, and a slash. */
  url: string;
  server: Server;
  /** Serves `body` for the file at `path` (relative to the root) from now on: a new build's service worker, say. */
  override(path: string, body: string): void;
}

/**
 * Serves a built dist/ on 127.0.0.1, with or without the cross-origin isolation headers: without
 * them the page behaves as on GitHub Pages (no SharedArrayBuffer), which is the fallback path.
 * `subPath` serves it under /<subPath>/ as Pages does for a project site.
 */
export async function serveStatic(root: string, opts: { isolated: boolean; subPath?: string }): Promise<StaticServer> {
  const prefix = opts.subPath ? `/${opts.subPath.replace(/^\/+|\/+$/g, '')}/` : '/';
  const overrides = new Map<string, string>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end();
      return;
    }
    let file = normalize(join(root, path.slice(prefix.length - 1)));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    const swapped = overrides.get(normalize(join(root, path.slice(prefix.length - 1))));
    if (swapped === undefined && !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' };
    if (opts.isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    res.writeHead(200, headers);
    if (swapped !== undefined) res.end(swapped);
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`,
    server,
    override: (path, body) => overrides.set(normalize(join(root, path)), body),
  };
}
