// A small static file server for www/: correct MIME types (application/wasm for streaming
// compilation), a strict Content-Security-Policy, cross-origin isolation (COOP + COEP, so
// SharedArrayBuffer works), gzip and brotli for text and wasm, no caching during development,
// and only files inside the served root. No request, however malformed, stops it.
//   node scripts/serve.mjs [port] [root] [--csp-reports] [--cdn] [--trust=ORIGIN]
// Port 0 takes any free port; the line printed on start names it. With --csp-reports the
// policy also asks browsers to report each violation (in pages, frames and workers alike) to
// /.csp-report, and each report is printed as one line `csp-report {json}`; the end-to-end
// tests count on that. --cdn serves as a CDN such as jsDelivr or unpkg does, to pages of any
// origin (CORS and Cross-Origin-Resource-Policy headers); --trust=ORIGIN gives this server's
// pages the policy an author needs to load the element from that origin (README, "Loading it
// from a CDN").
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';

const flags = process.argv.slice(2).filter((arg) => arg.startsWith('--'));
const [portArg, rootArg] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const port = Number(portArg ?? process.env.PORT ?? 8000);
const root = resolve(rootArg ?? join(import.meta.dirname, '..', 'www'));
const REPORTS = flags.includes('--csp-reports') ? '/.csp-report' : null;
const CDN = flags.includes('--cdn');
const TRUSTED = flags.filter((flag) => flag.startsWith('--trust=')).map((flag) => new URL(flag.slice('--trust='.length)).origin);
const MAX_REPORT_BYTES = 64 * 1024;

// Strict: scripts only from this origin (no inline script), WebAssembly compilation allowed,
// nothing from other origins but the trusted ones, whose element also needs blob: workers
// (worker-requests.js says why; a module worker's imports count as worker scripts too).
const ORIGINS = ["'self'", ...TRUSTED].join(' ');
const CSP = [
  "default-src 'self'",
  `script-src ${ORIGINS} 'wasm-unsafe-eval'`,
  "style-src 'self'",
  "img-src 'self' data: blob:",
  `connect-src ${ORIGINS}`,
  `frame-src ${ORIGINS}`,
  `worker-src ${ORIGINS}${TRUSTED.length ? ' blob:' : ''}`,
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  ...(REPORTS ? [`report-uri ${REPORTS}`] : []),
].join('; ');

// Sent with every response, errors included. COOP + COEP make pages cross-origin isolated
// (workers and frames need COEP on their own responses too).
const COMMON = {
  'Cache-Control': 'no-cache',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': CSP,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  ...(CDN ? { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' } : {}),
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

// What is worth compressing: text and wasm. Images and the .gz data files are compressed
// already and go out as they are.
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg', '.ts', '.md', '.txt']);
// Larger files are streamed uncompressed rather than held in memory.
const MAX_COMPRESSED_FILE = 32 * 1024 * 1024;
const MAX_CACHE_BYTES = 128 * 1024 * 1024;
// The server's preference when the client likes several codings equally.
const CODINGS = ['br', 'gzip'];
const COMPRESS = {
  // Quality 5 compresses wasm and JSON nearly as well as 11, in a fraction of the time.
  br: (bytes) => promisify(brotliCompress)(bytes, {
    params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }),
  gzip: (bytes) => promisify(gzip)(bytes, { level: 6 }),
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

/** The coding to send for an Accept-Encoding header: 'br', 'gzip' or null (as it is). */
function chooseCoding(header) {
  if (!header) return null;
  const q = new Map();
  for (const part of String(header).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';').map((s) => s.trim());
    if (!name) continue;
    let weight = 1;
    for (const param of params) {
      const match = /^q=([01](?:\.\d{0,3})?)$/.exec(param);
      if (match) weight = Math.min(1, Number(match[1]));
    }
    q.set(name, weight);
  }
  let best = null;
  let bestWeight = 0;
  for (const coding of CODINGS) {
    const named = q.get(coding) ?? (coding === 'gzip' ? q.get('x-gzip') : undefined);
    const weight = named ?? q.get('*') ?? 0;
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

// Compressed bytes by file, for the file's modification time and size: path -> { key, size,
// bodies: Map(coding -> Promise<Buffer>) }. Oldest entries go first when it grows too big.
const cache = new Map();
let cachedBytes = 0;

/**
 * The file's bytes in `coding`, compressed once per modification: `{ body, cached }`, where
 * `cached` says whether an earlier request had already compressed them.
 */
async function compressed(file, stat, bytes, coding) {
  const key = `${stat.mtimeMs}:${stat.size}`;
  let entry = cache.get(file);
  if (entry?.key !== key) {
    if (entry) forget(file);
    entry = { key, size: 0, bodies: new Map() };
    cache.set(file, entry);
  }
  let body = entry.bodies.get(coding);
  const cached = body !== undefined;
  if (!cached) {
    body = bytes().then((raw) => COMPRESS[coding](raw)).then((out) => {
      if (cache.get(file) === entry) {
        entry.size += out.length;
        cachedBytes += out.length;
        trim();
      }
      return out;
    });
    body.catch(() => { if (entry.bodies.get(coding) === body) entry.bodies.delete(coding); });
    entry.bodies.set(coding, body);
  }
  return { body: await body, cached };
}

function forget(file) {
  cachedBytes -= cache.get(file).size;
  cache.delete(file);
}

function trim() {
  for (const file of cache.keys()) {
    if (cachedBytes <= MAX_CACHE_BYTES) break;
    forget(file);
  }
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

/** A CSP violation report (POST to /.csp-report): printed as one line, answered 204. */
async function report(req, res) {
  let size = 0;
  const chunks = [];
  try {
    // Past the limit the rest is read and dropped (up to 16 times the limit), so that the
    // client, still sending, gets the answer rather than a reset connection.
    for await (const chunk of req) {
      size += chunk.length;
      if (size <= MAX_REPORT_BYTES) chunks.push(chunk);
      else if (size > 16 * MAX_REPORT_BYTES) break;
    }
  } catch {
    throw new HttpError(400, 'incomplete report');
  }
  if (size > MAX_REPORT_BYTES) throw new HttpError(413, 'report too large');
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'a report is JSON');
  }
  console.log(`csp-report ${JSON.stringify(body?.['csp-report'] ?? body)}`);
  res.writeHead(204, COMMON);
  res.end();
}

async function respond(req, res) {
  if (REPORTS && req.method === 'POST' && req.url === REPORTS) {
    await report(req, res);
    return;
  }
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
    const compressible = COMPRESSIBLE.has(type) && stat.size <= MAX_COMPRESSED_FILE;
    const coding = compressible ? chooseCoding(req.headers['accept-encoding']) : null;
    if (compressible) headers.Vary = 'Accept-Encoding';
    if (coding) {
      const started = performance.now();
      const { body, cached } = await compressed(name, stat, () => handle.readFile(), coding);
      // Says in the browser's network panel (and to the server test) what the coding cost.
      const timing = cached ? 'compress;desc="cached"' : `compress;dur=${(performance.now() - started).toFixed(1)}`;
      res.writeHead(200, {
        ...headers, 'Content-Encoding': coding, 'Content-Length': body.length, 'Server-Timing': timing,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
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
      // After a refused body, the rest of it is not read: close the connection.
      sendText(res, error.status, error.message, error.status === 413 ? { Connection: 'close' } : {});
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
