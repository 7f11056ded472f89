// A small static file server for www/: correct MIME types (application/wasm for streaming
// compilation), a strict Content-Security-Policy, no caching during development, and only
// files inside the served root. No request, however malformed, stops it.
//   node scripts/serve.mjs [port] [root]      (port 0: any free port; the line it prints names it)
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';

const port = Number(process.argv[2] ?? process.env.PORT ?? 8000);
const root = resolve(process.argv[3] ?? join(import.meta.dirname, '..', 'www'));

// Strict: scripts only from this origin (no inline script), WebAssembly compilation allowed,
// nothing from other origins.
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

// Sent with every response, errors included.
const COMMON = {
  'Cache-Control': 'no-cache',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': CSP,
};

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.gz': 'application/gzip',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * The path a request target names, decoded, or an HttpError. Accepts origin form
 * (`/a/b?q`) and absolute form (`http://host/a/b`); anything else is a bad request.
 */
function requestPath(target) {
  let raw;
  if (target.startsWith('/')) {
    raw = target.split(/[?#]/, 1)[0];
  } else if (/^https?:\/\//i.test(target)) {
    let url;
    try {
      url = new URL(target);
    } catch {
      throw new HttpError(400, 'bad request target');
    }
    raw = url.pathname;
  } else {
    throw new HttpError(400, 'bad request target');
  }
  let path;
  try {
    path = decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'bad percent-encoding');
  }
  if (path.includes('\0')) throw new HttpError(400, 'bad request target');
  return path;
}

/** The name under `root` of a decoded path, or null if it points outside `root`. */
function fileName(path) {
  const file = resolve(root, `.${sep}${path}`);
  if (file !== root && !file.startsWith(root + sep)) return null;
  return file;
}

/** Opens the file a path names, following a directory to its index.html; null if none. */
async function openFile(path) {
  const name = fileName(path);
  if (!name) return null;
  let handle;
  try {
    handle = await open(name, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      await handle.close();
      return openFile(join(path, 'index.html'));
    }
    // `/a.html/` names a folder, and a file is none.
    if (!stat.isFile() || path.endsWith('/')) {
      await handle.close();
      return null;
    }
    return { name, handle, stat };
  } catch {
    await handle?.close().catch(() => {});
    return null;
  }
}

function sendText(res, status, text, extra = {}) {
  const body = Buffer.from(`${text}\n`);
  res.writeHead(status, {
    ...COMMON,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
    ...extra,
  });
  res.end(body);
}

async function respond(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    return;
  }
  const file = await openFile(requestPath(req.url));
  if (!file) {
    sendText(res, 404, 'not found');
    return;
  }
  const { name, handle, stat } = file;
  const type = extname(name);
  const headers = { ...COMMON, 'Content-Type': TYPES[type] ?? 'application/octet-stream' };
  try {
    res.writeHead(200, { ...headers, 'Content-Length': stat.size });
    if (req.method === 'HEAD' || stat.size === 0) {
      res.end();
      return;
    }
    // Read through the open file, and no more than the size sent. A client that goes away
    // mid-response ends the pipeline; nothing else needs doing.
    const stream = createReadStream(null, { fd: handle, start: 0, end: stat.size - 1, autoClose: false });
    await new Promise((done) => { pipeline(stream, res, () => done()); });
  } finally {
    await handle.close().catch(() => {});
  }
}

const server = createServer((req, res) => {
  respond(req, res).catch((error) => {
    if (res.headersSent) {
      res.destroy();
    } else if (error instanceof HttpError) {
      sendText(res, error.status, error.message);
    } else {
      console.error(`backprop-lab: ${req.method} ${JSON.stringify(req.url)}: ${error.stack ?? error}`);
      sendText(res, 500, 'internal error');
    }
  });
});
// A client that takes longer than this to send its headers is cut off (Node answers 408).
// Malformed requests and oversized headers are answered by Node itself (400, 431), which
// closes that connection only.
server.headersTimeout = 20_000;
server.requestTimeout = 60_000;
server.listen(port, '127.0.0.1', () => {
  console.log(`backprop-lab: serving ${root} on http://localhost:${server.address().port}`);
});
