// A tiny static file server for dist/, bound to 127.0.0.1 on a free port. It serves only files
// under the given root, answers unknown paths with index.html (the app is a single page), and
// is closed by its caller; it also closes itself after `maxMs` so a crashed run never leaves it up.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export async function serveDir(root, { maxMs = 15 * 60 * 1000 } = {}) {
  const base = path.resolve(root);
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      let file = path.resolve(base, '.' + decodeURIComponent(url.pathname));
      if (!file.startsWith(base)) { res.writeHead(403).end(); return; }
      if (url.pathname.endsWith('/')) file = path.join(file, 'index.html');
      let body;
      try { body = await readFile(file); } catch {
        file = path.join(base, 'index.html');
        body = await readFile(file);
      }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const timer = setTimeout(() => server.close(), maxMs);
  timer.unref();
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => { clearTimeout(timer); server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

// `node server.mjs DIR [PORT]` serves a directory by hand (e.g. to look at dist/).
if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await serveDir(process.argv[2] ?? '../../dist');
  console.log(`serving on ${s.url}`);
}
