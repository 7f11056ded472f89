// The dev server (scripts/serve.mjs), spoken to over raw sockets: no request, however
// malformed, stops it or gets a file from outside the served root; every response carries the
// site's headers (CSP, COOP, COEP); text and wasm go out in gzip or brotli as the client's
// Accept-Encoding asks, decoding to the file's exact bytes. After each case the server must
// still answer a normal GET correctly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';

const SERVE = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'serve.mjs');
const SECRET = 'SECRET-outside-the-served-root';

/** Text of about `size` bytes that compresses the way source code does. */
function sourceLike(size, word) {
  let text = '';
  for (let i = 0; text.length < size; i++) text += `export const ${word}${i} = ${(i * 7919) % 1000} + ${word}${i >> 1}; // line ${i}\n`;
  return text;
}

const wasm = Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), Buffer.from(sourceLike(40_000, 'f'))]);
const FILES = {
  'index.html': `<!doctype html><title>index</title>\n${sourceLike(20_000, 'p')}`,
  'sub/index.html': '<!doctype html><title>sub</title>\n',
  'js/app.js': sourceLike(30_000, 'js'),
  'js/worker.mjs': sourceLike(10_000, 'mjs'),
  'css/app.css': sourceLike(10_000, 'css'),
  'models/model.json': JSON.stringify({ weights: Array.from({ length: 5000 }, (_, i) => Math.sin(i)) }),
  'favicon.svg': `<svg xmlns="http://www.w3.org/2000/svg">${'<circle r="1"/>'.repeat(500)}</svg>`,
  'types.d.ts': sourceLike(8000, 'ts'),
  'README.md': sourceLike(8000, 'md'),
  'notes.txt': sourceLike(8000, 'txt'),
  'pkg/core.wasm': wasm,
  'data/digits.idx.gz': gzipSync(Buffer.from(sourceLike(50_000, 'idx'))),
  'image.png': randomBytes(20_000),
  'empty.txt': '',
  'caf\u00e9 menu.txt': 'a name to percent-decode\n',
  'big.bin': randomBytes(12 * 1024 * 1024),
  'big.json': JSON.stringify(Array.from({ length: 400_000 }, (_, i) => Math.sin(i))),
};
const COMPRESSIBLE = {
  'index.html': 'text/html; charset=utf-8',
  'js/app.js': 'text/javascript; charset=utf-8',
  'js/worker.mjs': 'text/javascript; charset=utf-8',
  'css/app.css': 'text/css; charset=utf-8',
  'models/model.json': 'application/json; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
  'types.d.ts': 'text/plain; charset=utf-8',
  'README.md': 'text/markdown; charset=utf-8',
  'notes.txt': 'text/plain; charset=utf-8',
  'pkg/core.wasm': 'application/wasm',
};

let base;
let root;
let server;
const bytesOf = (name) => Buffer.from(FILES[name]);

function startServer(...flags) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVE, '0', root, ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code}: ${stderr}`)));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const port = Number(/localhost:(\d+)\n/.exec(stdout)?.[1]);
      if (port) resolve({ child, port, stderr: () => stderr, stdout: () => stdout });
    });
  });
}

before(async () => {
  base = mkdtempSync(join(tmpdir(), 'backprop-serve-'));
  root = join(base, 'site');
  for (const [name, content] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  // Files that must never be served: beside the root, and in a sibling whose name starts
  // with the root's.
  writeFileSync(join(base, 'secret.txt'), SECRET);
  mkdirSync(join(base, 'site-private'));
  writeFileSync(join(base, 'site-private', 'secret.txt'), SECRET);
  server = await startServer();
});

after(() => {
  server?.child.kill();
  if (base) rmSync(base, { recursive: true, force: true });
});

/**
 * Sends `chunks` (strings or buffers) on a fresh connection, `pause` ms apart, and resolves
 * with every byte the server sent until it closed the connection (or until `until(received)`
 * is true, when this side closes it).
 */
function exchange(chunks, { pause = 0, until, timeout = 30_000, to = server } = {}) {
  return new Promise((resolve, reject) => {
    const socket = connect(to.port, '127.0.0.1');
    const received = [];
    let done = false;
    const finish = (error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(Buffer.concat(received));
    };
    const timer = setTimeout(() => finish(new Error(`no end of response within ${timeout} ms`)), timeout);
    socket.on('data', (data) => {
      received.push(data);
      if (until?.(Buffer.concat(received))) finish();
    });
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (error) => (error.code === 'ECONNRESET' ? finish() : finish(error)));
    socket.on('connect', async () => {
      for (const [i, chunk] of [chunks].flat().entries()) {
        if (i > 0 && pause) await new Promise((r) => { setTimeout(r, pause); });
        if (done) return;
        socket.write(chunk);
      }
    });
  });
}

/** Connects, sends `bytes` and closes the connection at once. */
async function hangUp(bytes) {
  const socket = connect(server.port, '127.0.0.1');
  await new Promise((resolve, reject) => { socket.on('connect', resolve); socket.on('error', reject); });
  socket.end(bytes);
  socket.destroy();
}

/** Parses one or more HTTP/1.1 responses; `heads` says which answer HEAD requests (no body). */
function parse(buffer, heads = []) {
  const responses = [];
  let at = 0;
  while (at < buffer.length) {
    const end = buffer.indexOf('\r\n\r\n', at);
    assert.ok(end >= 0, `an incomplete response head: ${JSON.stringify(buffer.subarray(at, at + 200).toString())}`);
    const [statusLine, ...lines] = buffer.subarray(at, end).toString('latin1').split('\r\n');
    const match = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine);
    assert.ok(match, `a status line: ${JSON.stringify(statusLine)}`);
    const headers = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    at = end + 4;
    let body = Buffer.alloc(0);
    if (heads[responses.length]) {
      // no body
    } else if (headers['transfer-encoding'] === 'chunked') {
      const parts = [];
      for (;;) {
        const lineEnd = buffer.indexOf('\r\n', at);
        const size = parseInt(buffer.subarray(at, lineEnd).toString(), 16);
        at = lineEnd + 2;
        if (size === 0) { at += 2; break; }
        parts.push(buffer.subarray(at, at + size));
        at += size + 2;
      }
      body = Buffer.concat(parts);
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      body = buffer.subarray(at, at + length);
      assert.equal(body.length, length, 'the body is as long as Content-Length says');
      at += length;
    } else {
      body = buffer.subarray(at);
      at = buffer.length;
    }
    responses.push({ status: Number(match[1]), headers, body });
  }
  return responses;
}

const request = (method, target, headers = {}) => `${method} ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${
  Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;

async function send(method, target, headers = {}) {
  const responses = parse(await exchange(request(method, target, headers)), [method === 'HEAD']);
  assert.equal(responses.length, 1, 'one response');
  return responses[0];
}

const get = (target, headers) => send('GET', target, headers);

/** The server process is running and serves index.html exactly. */
async function expectHealthy(after) {
  assert.equal(server.child.exitCode, null, `the server exited after ${after}: ${server.stderr()}`);
  assert.equal(server.child.signalCode, null, `the server was killed after ${after}`);
  const response = await get('/index.html');
  assert.equal(response.status, 200, `a normal GET after ${after}`);
  assert.deepEqual(response.body, bytesOf('index.html'), `index.html's bytes after ${after}`);
  assert.equal(server.stderr(), '', `the server logged an internal error after ${after}`);
}

function expectSiteHeaders(response, what) {
  assert.match(response.headers['content-security-policy'] ?? '', /^default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self';/, `${what}: the strict CSP`);
  assert.equal(response.headers['cross-origin-opener-policy'], 'same-origin', `${what}: COOP`);
  assert.equal(response.headers['cross-origin-embedder-policy'], 'require-corp', `${what}: COEP`);
  assert.equal(response.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
}

test('files are served with their types and the site\'s headers; errors carry the headers too', async () => {
  for (const [name, type] of Object.entries({ ...COMPRESSIBLE, 'image.png': 'image/png', 'data/digits.idx.gz': 'application/gzip', 'big.bin': 'application/octet-stream' })) {
    const response = await get(`/${name}`);
    assert.equal(response.status, 200, name);
    assert.equal(response.headers['content-type'], type, name);
    assert.equal(response.headers['content-encoding'], undefined, `${name} without Accept-Encoding`);
    assert.deepEqual(response.body, bytesOf(name), `${name}'s exact bytes`);
    expectSiteHeaders(response, name);
  }
  const empty = await get('/empty.txt');
  assert.equal(empty.status, 200);
  assert.equal(empty.headers['content-length'], '0');
  for (const [target, file] of [['/', 'index.html'], ['/sub/', 'sub/index.html'], ['/sub', 'sub/index.html'], ['/index.html?v=1#x', 'index.html'], ['/js%2Fapp.js', 'js/app.js'], ['/caf%C3%A9%20menu.txt', 'caf\u00e9 menu.txt']]) {
    const response = await get(target);
    assert.equal(response.status, 200, target);
    assert.deepEqual(response.body, bytesOf(file), target);
  }
  const missing = await get('/missing.html');
  assert.equal(missing.status, 404);
  expectSiteHeaders(missing, 'a 404');
  const bad = await get('/%zz');
  assert.equal(bad.status, 400);
  expectSiteHeaders(bad, 'a 400');
  await expectHealthy('plain requests');
});

test('malformed request targets are refused and the server goes on', async () => {
  // The issue's request first: `curl --path-as-is http://127.0.0.1:8000//` used to kill it.
  const slashes = await get('//');
  assert.equal(slashes.status, 200);
  assert.deepEqual(slashes.body, bytesOf('index.html'));
  await expectHealthy('//');
  for (const target of ['///', '//index.html', '//js//app.js']) {
    assert.equal((await get(target)).status, 200, target);
    await expectHealthy(target);
  }
  const cases = [
    // Bad percent-encoding and decoded NUL bytes: 400 from the server.
    ['/%', 400], ['/%zz', 400], ['/%E0%A4%A', 400], ['/%C0%AF', 400], ['/%FF', 400],
    ['/index.html%00.png', 400], ['/%00', 400], ['/%u002e%u002e', 400],
    // Neither origin form nor absolute form.
    ['index.html', 400], ['*', 400], ['..', 400], ['file:///etc/passwd', 400], ['ftp://localhost/', 400],
    ['http://[::1/', 400], ['http://', 400], ['http:', 400], ['javascript:alert(1)', 400],
    // Nothing there.
    ['/index.html/', 404], ['/index.html/..', 200], ['/%2e', 200], ['/.', 200],
    ['/' + 'a'.repeat(4000), 404], ['/' + 'a/'.repeat(3000), 404], ['/%C3%A9', 404],
    // Raw bytes outside ASCII in the request line: Node's parser refuses them.
    ['/\u00e9', 400],
  ];
  for (const [target, status] of cases) {
    const response = await get(target);
    assert.equal(response.status, status, `${JSON.stringify(target)}`);
    await expectHealthy(JSON.stringify(target));
  }
  // Requests Node's parser refuses: 400, and that connection is closed.
  const garbage = [
    'GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: x\r\n\r\n',
    'GET /\0 HTTP/1.1\r\nHost: localhost\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n',
    '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n',   // a TLS ClientHello
    'GET / HTTP/1.1 extra\r\n\r\n',
    'BREW /pot HTTP/1.1\r\nHost: localhost\r\n\r\n',
  ];
  for (const bytes of garbage) {
    const [response] = parse(await exchange(bytes));
    assert.equal(response.status, 400, JSON.stringify(bytes));
    await expectHealthy(JSON.stringify(bytes));
  }
  // Connections that close before a whole request.
  for (const bytes of ['', 'GET /ind', 'GET /index.html HTTP/1.1\r\nHost: loc']) {
    await hangUp(bytes);
    await expectHealthy(`a connection closed after ${JSON.stringify(bytes)}`);
  }
});

test('nothing outside the served root is ever served', async () => {
  const attempts = [
    '/../secret.txt', '/../../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/%2e%2e%2fsecret.txt',
    '/%2E%2E%2Fsecret.txt', '/.%2e/secret.txt', '/js/../../secret.txt', '/js/%2e%2e/%2e%2e/secret.txt',
    '//../secret.txt', '/..//secret.txt', '/../site-private/secret.txt', '/..%2fsite-private%2fsecret.txt',
    '/%2e%2e%5csecret.txt', '/..\\secret.txt', '/%252e%252e/secret.txt', '/..%c0%afsecret.txt',
    '/..%00/secret.txt', '/./../secret.txt', '/js/./.././../secret.txt', `/${'../'.repeat(20)}etc/passwd`,
    `/${'..%2f'.repeat(20)}etc%2fpasswd`, 'http://localhost/../secret.txt', 'http://localhost/%2e%2e/secret.txt',
    'http://localhost/..%2fsecret.txt', 'http://localhost//../secret.txt',
  ];
  for (const target of attempts) {
    const response = await get(target);
    assert.ok(response.status === 400 || response.status === 404, `${target} answered ${response.status}`);
    assert.ok(!response.body.includes(SECRET), `${target} leaked a file from outside the root`);
    await expectHealthy(target);
  }
  // The same with HEAD: it answers as GET does, so no header tells of the file either.
  for (const target of attempts) {
    const [head, got] = [await send('HEAD', target), await get(target)];
    assert.equal(head.status, got.status, `HEAD ${target}`);
    assert.equal(head.headers['content-length'], got.headers['content-length'], `HEAD ${target}`);
  }
  await expectHealthy('HEAD traversal');
});

test('absolute-form targets are served from the root, whatever host they name', async () => {
  for (const target of [`http://127.0.0.1:${server.port}/index.html`, 'http://example.com/index.html', 'HTTP://LOCALHOST/index.html', 'http://localhost/index.html?x=1']) {
    const response = await get(target);
    assert.equal(response.status, 200, target);
    assert.deepEqual(response.body, bytesOf('index.html'), target);
  }
  const js = await get('http://localhost/js/app.js');
  assert.deepEqual(js.body, bytesOf('js/app.js'));
  await expectHealthy('absolute-form targets');
});

test('huge headers get 431 and only that connection closes', async () => {
  const long = await exchange(request('GET', '/index.html', { 'X-Long': 'a'.repeat(100_000) }));
  assert.equal(parse(long)[0].status, 431);
  await expectHealthy('one 100 kB header');
  const many = await exchange(request('GET', '/index.html', Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`X-H${i}`, 'value']))));
  assert.equal(parse(many)[0].status, 431);
  await expectHealthy('2000 headers');
  const target = await exchange(request('GET', `/${'a'.repeat(100_000)}`));
  assert.equal(parse(target)[0].status, 431);
  await expectHealthy('a 100 kB request target');
});

test('a slow client that trickles its request holds up nobody and is answered', async () => {
  const bytes = Buffer.from(request('GET', '/js/app.js', { 'Accept-Encoding': 'gzip' }));
  const chunks = [...bytes].map((b) => Buffer.of(b));
  const slow = exchange(chunks, { pause: 10 });
  // While it trickles (about a second), others are answered at once.
  for (let i = 0; i < 3; i++) await expectHealthy('a slow client started');
  const [response] = parse(await slow);
  assert.equal(response.status, 200);
  assert.deepEqual(gunzipSync(response.body), bytesOf('js/app.js'));
  await expectHealthy('a slow client finished');
});

test('clients that disconnect mid-response leave the server serving', async () => {
  for (const [name, headers] of [['big.bin', {}], ['big.json', {}], ['big.json', { 'Accept-Encoding': 'br' }], ['big.json', { 'Accept-Encoding': 'gzip' }]]) {
    // Read the head and some of the body, then hang up.
    const partial = await exchange(request('GET', `/${name}`, headers), { until: (received) => received.length > 64 * 1024 });
    assert.match(partial.toString('latin1', 0, 12), /^HTTP\/1\.1 200/);
    await expectHealthy(`a client left ${name} mid-response`);
    // Hang up right after asking.
    await hangUp(request('GET', `/${name}`, headers));
    await expectHealthy(`a client hung up on ${name}`);
  }
  // And the whole big file still arrives intact.
  const whole = await get('/big.bin');
  assert.deepEqual(whole.body, bytesOf('big.bin'));
  await expectHealthy('whole big file');
});

test('HEAD sends the headers GET would, and no body', async () => {
  for (const headers of [{}, { 'Accept-Encoding': 'br' }, { 'Accept-Encoding': 'gzip' }]) {
    for (const name of ['index.html', 'pkg/core.wasm', 'image.png', 'data/digits.idx.gz']) {
      const got = await get(`/${name}`, headers);
      const raw = await exchange(request('HEAD', `/${name}`, headers));
      const [head] = parse(raw, [true]);
      assert.equal(head.status, 200);
      assert.ok(raw.toString('latin1').endsWith('\r\n\r\n'), `HEAD /${name} sent no body`);
      for (const header of ['content-type', 'content-length', 'content-encoding', 'vary', 'content-security-policy', 'cross-origin-embedder-policy']) {
        assert.equal(head.headers[header], got.headers[header], `HEAD /${name} ${JSON.stringify(headers)}: ${header}`);
      }
    }
  }
  const missing = await send('HEAD', '/missing.html');
  assert.equal(missing.status, 404);
  await expectHealthy('HEAD');
});

test('methods other than GET and HEAD get 405 with Allow', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND']) {
    const response = await send(method, '/index.html');
    assert.equal(response.status, 405, method);
    assert.equal(response.headers.allow, 'GET, HEAD', method);
    expectSiteHeaders(response, method);
    await expectHealthy(method);
  }
  const withBody = parse(await exchange(`POST /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(100_000)}`));
  assert.equal(withBody[0].status, 405);
  assert.equal((await send('OPTIONS', '*')).status, 405);
  // CONNECT and protocol upgrades are not spoken here: the connection closes unanswered or
  // with a plain response, and the server goes on.
  await exchange('CONNECT localhost:22 HTTP/1.1\r\nHost: localhost:22\r\n\r\n', { timeout: 5000 });
  await expectHealthy('CONNECT');
  const upgrade = parse(await exchange(request('GET', '/index.html', { Upgrade: 'websocket', Connection: 'Upgrade' }), { timeout: 5000 }));
  assert.ok(upgrade.length <= 1);
  await expectHealthy('an upgrade request');
});

test('keep-alive: several requests on one connection, a bad one among them', async () => {
  const pipelined = `GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\nHEAD /js/app.js HTTP/1.1\r\nHost: localhost\r\n\r\nGET /%zz HTTP/1.1\r\nHost: localhost\r\n\r\nGET /css/app.css HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`;
  const responses = parse(await exchange(pipelined), [false, true, false, false]);
  assert.deepEqual(responses.map((r) => r.status), [200, 200, 400, 200]);
  assert.deepEqual(responses[0].body, bytesOf('index.html'));
  assert.deepEqual(responses[3].body, bytesOf('css/app.css'));
  await expectHealthy('pipelined requests');
});

const decode = { br: brotliDecompressSync, gzip: gunzipSync };

test('text, JSON, JS, CSS, SVG, .ts, .md and wasm go out in gzip or brotli and decode to their exact bytes', async () => {
  for (const name of Object.keys(COMPRESSIBLE)) {
    for (const coding of ['br', 'gzip']) {
      const response = await get(`/${name}`, { 'Accept-Encoding': coding });
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-encoding'], coding, `${name} in ${coding}`);
      assert.equal(response.headers.vary, 'Accept-Encoding', `${name}: Vary`);
      assert.equal(response.headers['content-type'], COMPRESSIBLE[name]);
      assert.equal(Number(response.headers['content-length']), response.body.length);
      assert.ok(response.body.length < bytesOf(name).length / 2, `${name} in ${coding}: ${response.body.length} of ${bytesOf(name).length} bytes`);
      assert.deepEqual(decode[coding](response.body), bytesOf(name), `${name} in ${coding} decodes to the file`);
      expectSiteHeaders(response, `${name} in ${coding}`);
    }
    // Uncompressed answers to the same resource say that they vary too.
    assert.equal((await get(`/${name}`)).headers.vary, 'Accept-Encoding');
  }
  const empty = await get('/empty.txt', { 'Accept-Encoding': 'br' });
  assert.deepEqual(decode.br(empty.body), Buffer.alloc(0));
  await expectHealthy('compression');
});

test('the coding follows Accept-Encoding and its q-values', async () => {
  const cases = [
    ['gzip', 'gzip'], ['br', 'br'], ['gzip, br', 'br'], ['br, gzip', 'br'], ['deflate, gzip', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'], ['gzip;q=0.8, br;q=0.9', 'br'], ['gzip;q=1.0, br;q=0.999', 'gzip'],
    ['br; q=0.2 , gzip ; q=0.1', 'br'], ['*', 'br'], ['*;q=0.5, br;q=0', 'gzip'], ['gzip;q=0, *', 'br'],
    ['br;q=0, gzip;q=0', undefined], ['*;q=0', undefined], ['identity', undefined], ['', undefined],
    ['deflate', undefined], ['compress, deflate;q=0.5', undefined], ['GZIP', 'gzip'], ['BR;Q=0.3, GZip;q=0.2', 'br'],
    ['x-gzip', 'gzip'], ['br;q=0.000', undefined], [',,;q=1,', undefined], ['gzip;q=2', 'gzip'],
  ];
  for (const [accept, expected] of cases) {
    const response = await get('/js/app.js', { 'Accept-Encoding': accept });
    assert.equal(response.headers['content-encoding'], expected, `Accept-Encoding: ${accept}`);
    assert.deepEqual(expected ? decode[expected](response.body) : response.body, bytesOf('js/app.js'), `Accept-Encoding: ${accept}`);
  }
  await expectHealthy('q-values');
});

test('gzip data files and images are sent exactly as they are', async () => {
  for (const name of ['data/digits.idx.gz', 'image.png', 'big.bin']) {
    const response = await get(`/${name}`, { 'Accept-Encoding': 'br, gzip' });
    assert.equal(response.headers['content-encoding'], undefined, name);
    assert.equal(response.headers.vary, undefined, name);
    assert.deepEqual(response.body, bytesOf(name), name);
  }
  await expectHealthy('precompressed files');
});

test('compressed bytes are kept per file and modification, and follow a changed file', async () => {
  const name = 'js/changing.js';
  const first = sourceLike(20_000, 'first');
  writeFileSync(join(root, name), first);
  const miss = await get(`/${name}`, { 'Accept-Encoding': 'br' });
  assert.match(miss.headers['server-timing'], /^compress;dur=\d+(\.\d)?$/, 'the first request compresses');
  assert.deepEqual(decode.br(miss.body).toString(), first);
  for (const coding of ['br', 'gzip', 'gzip']) {
    const response = await get(`/${name}`, { 'Accept-Encoding': coding });
    assert.deepEqual(decode[coding](response.body).toString(), first);
  }
  const hit = await get(`/${name}`, { 'Accept-Encoding': 'br' });
  assert.equal(hit.headers['server-timing'], 'compress;desc="cached"', 'a repeated request is served from memory');
  assert.deepEqual(hit.body, miss.body);
  // Concurrent first requests share one compression.
  const fresh = 'models/fresh.json';
  writeFileSync(join(root, fresh), FILES['big.json']);
  const big = await Promise.all(Array.from({ length: 4 }, () => get(`/${fresh}`, { 'Accept-Encoding': 'gzip' })));
  assert.equal(big.filter((r) => r.headers['server-timing'].startsWith('compress;dur=')).length, 1, 'one of four concurrent requests compressed');
  for (const response of big) assert.deepEqual(gunzipSync(response.body), bytesOf('big.json'));

  // A new version of the file (new modification time and size) is compressed anew.
  const second = sourceLike(25_000, 'second');
  writeFileSync(join(root, name), second);
  const later = new Date(Date.now() + 5000);
  utimesSync(join(root, name), later, later);
  const changed = await get(`/${name}`, { 'Accept-Encoding': 'br' });
  assert.match(changed.headers['server-timing'], /^compress;dur=/);
  assert.deepEqual(decode.br(changed.body).toString(), second);
  // Same size, new time: compressed anew as well.
  const third = second.replace('second0', 'SECOND0');
  writeFileSync(join(root, name), third);
  const later2 = new Date(Date.now() + 10_000);
  utimesSync(join(root, name), later2, later2);
  assert.deepEqual(decode.gzip((await get(`/${name}`, { 'Accept-Encoding': 'gzip' })).body).toString(), third);
  assert.deepEqual(decode.br((await get(`/${name}`, { 'Accept-Encoding': 'br' })).body).toString(), third);
  await expectHealthy('a changed file');
});

test('with --csp-reports the policy asks for reports, and each one is printed', async () => {
  // Without the flag there is no report address, and POST is refused like any other.
  assert.doesNotMatch((await get('/index.html')).headers['content-security-policy'], /report-uri/);
  assert.equal(parse(await exchange(`POST /.csp-report HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}`))[0].status, 405);

  const reporting = await startServer('--csp-reports');
  try {
    const post = async (body, type = 'application/csp-report') => parse(await exchange(
      `POST /.csp-report HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      { to: reporting },
    ))[0];
    const page = parse(await exchange(request('GET', '/index.html'), { to: reporting }))[0];
    assert.match(page.headers['content-security-policy'], /^default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; .*; form-action 'none'; report-uri \/\.csp-report$/);
    const violation = { 'document-uri': 'http://localhost/', 'effective-directive': 'style-src-elem', 'blocked-uri': 'inline' };
    const answer = await post(JSON.stringify({ 'csp-report': violation }));
    assert.equal(answer.status, 204);
    expectSiteHeaders(answer, 'a report\'s answer');
    assert.equal((await post(JSON.stringify([{ type: 'csp-violation' }]), 'application/reports+json')).status, 204);
    assert.equal((await post('not json')).status, 400);
    assert.equal((await post(`{"x":"${'a'.repeat(100_000)}"}`)).status, 413);
    const lines = reporting.stdout().split('\n').filter((line) => line.startsWith('csp-report '));
    assert.deepEqual(lines.map((line) => JSON.parse(line.slice('csp-report '.length))), [violation, [{ type: 'csp-violation' }]]);
    // Only POST to that one address is a report.
    assert.equal(parse(await exchange(request('GET', '/.csp-report'), { to: reporting }))[0].status, 404);
    assert.equal(parse(await exchange(request('POST', '/index.html'), { to: reporting }))[0].status, 405);
    assert.equal(reporting.stderr(), '');
  } finally {
    reporting.child.kill();
  }
  await expectHealthy('a reporting server');
});
