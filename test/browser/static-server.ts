// A minimal static file server for the plain-page test: serves a few directories of the repository
// (the built bundle, the wasm binary, the test pages) over http on localhost, nothing else.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * Serves `root`'s files under the listed top-level directories; resolves to the base URL and a stop
 * function. `headers` go on every file response (e.g. COOP/COEP for cross-origin isolation).
 */
export async function serveStatic(
  root: string,
  directories: readonly string[],
  headers: Record<string, string> = {},
): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const allowed = directories.some((d) => path.startsWith(`/${d}/`)) && !path.includes('..');
    const file = join(root, path);
    let ok = false;
    try {
      ok = allowed && statSync(file).isFile();
    } catch {
      ok = false;
    }
    if (!ok) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      ...headers,
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
