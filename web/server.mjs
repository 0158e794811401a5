#!/usr/bin/env node
// A small static file server for the built site (build/web/site), with the headers that make a
// page cross-origin isolated, so SharedArrayBuffer and with it pthreads work:
//   Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp,
//   Cross-Origin-Resource-Policy: same-origin.
// No npm dependencies. Used by `./lab web` and by web/tests/browser.test.mjs.
//
// usage: node web/server.mjs --root DIR [--port N] [--host H] [--no-coi-headers]
//   --port 0 picks a free port. --no-coi-headers leaves the three headers out, like a static
//   host that cannot set them (the page's coi-serviceworker.js must then add them).
import { createReadStream, realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.woff2': 'font/woff2',
  '.data': 'application/octet-stream',
};

const COI_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

// Resolves a URL path inside `root`; null if it tries to leave it.
function fileFor(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.join(root, path.normalize(decoded));
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

/**
 * Creates (but does not start) the server.
 * @param {{root: string, coiHeaders?: boolean}} options
 */
export function createSiteServer({ root, coiHeaders = true }) {
  const absRoot = path.resolve(root);
  return http.createServer(async (req, res) => {
    const headers = {
      'Cache-Control': 'no-cache',  // always revalidate, so a rebuilt site is picked up
      'X-Content-Type-Options': 'nosniff',
      ...(coiHeaders ? COI_HEADERS : {}),
    };
    const reply = (status, text) => {
      res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : `${text}\n`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'method not allowed');

    let file = fileFor(absRoot, req.url || '/');
    if (!file) return reply(403, 'forbidden');
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = path.join(file, 'index.html');
        info = await stat(file);
      }
      res.writeHead(200, {
        ...headers,
        'Content-Type': MIME_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'Content-Length': info.size,
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch {
      reply(404, 'not found');
    }
  });
}

/**
 * Starts serving `root`; resolves to {server, port, url} once listening.
 * @param {{root: string, port?: number, host?: string, coiHeaders?: boolean}} options
 */
export function serveSite({ root, port = 8080, host = '127.0.0.1', coiHeaders = true }) {
  const server = createSiteServer({ root, coiHeaders });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const actual = server.address().port;
      resolve({ server, port: actual, url: `http://${host}:${actual}/` });
    });
  });
}

function parseArgs(argv) {
  const options = { root: null, port: 8080, host: '127.0.0.1', coiHeaders: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    if (flag === '--root') options.root = value();
    else if (flag === '--host') options.host = value();
    else if (flag === '--no-coi-headers') options.coiHeaders = false;
    else if (flag === '--port') {
      const text = value();
      const port = Number(text);
      if (!/^\d+$/.test(text) || port > 65535) throw new Error(`--port expects 0-65535, got '${text}'`);
      options.port = port;
    } else if (flag === '--help' || flag === '-h') {
      options.help = true;
    } else throw new Error(`unknown option '${flag}'`);
  }
  if (!options.help && !options.root) throw new Error('--root DIR is required');
  return options;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`wqlab: server: ${e.message} (usage: node web/server.mjs --root DIR [--port N] [--host H] [--no-coi-headers])`);
    process.exit(2);
  }
  if (options.help) {
    console.log('usage: node web/server.mjs --root DIR [--port N] [--host H] [--no-coi-headers]');
    return;
  }
  const root = path.resolve(options.root);
  try {
    if (!(await stat(root)).isDirectory()) throw new Error();
  } catch {
    console.error(`wqlab: server: ${root} is not a folder; build the site first (./lab build web)`);
    process.exit(2);
  }
  try {
    const { server, port } = await serveSite({ ...options, root });
    console.log(`wqlab: serving ${root} at http://${options.host}:${port}/`);
    const stop = () => {
      server.close(() => process.exit(0));
      server.closeAllConnections();  // browsers keep connections alive; do not wait for them
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (e) {
    const hint = e.code === 'EADDRINUSE' ? ' (the port is in use; try --port N)' : '';
    console.error(`wqlab: server: cannot listen on ${options.host}:${options.port}: ${e.message}${hint}`);
    process.exit(1);
  }
}

// Run as a program, not when imported (by the browser tests); realpath because of symlinks.
const invokedPath = process.argv[1] ? realpathSync(path.resolve(process.argv[1])) : '';
if (invokedPath === realpathSync(fileURLToPath(import.meta.url))) main();
