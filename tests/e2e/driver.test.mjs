// The driver itself (browsers.mjs), on a small page of its own, in whichever engine runs: its
// waits wait and time out, its selectors enter shadow roots only when told, its input is the
// browser's own, and every kind of problem reaches `page.problems` as the same text in both
// engines. The other tests trust all of this.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ENGINE, PHONE, expectNoProblems, setup } from './harness.mjs';
import { SCREENSHOTS } from './browsers.mjs';

const FILES = {
  'index.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>driver</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="page.css"><script type="module" src="page.js"></script></head>
<body><h1>Driver</h1>
<button id="late" disabled>Late</button> <button id="aria" aria-disabled="true">Aria</button>
<input id="text"> <select id="pick"><option value="a">A</option><option value="b">B</option></select>
<input type="file" id="file"> <input type="checkbox" id="tick"> <a id="save" href="#">Save</a>
<canvas id="pad" width="100" height="100"></canvas>
<div id="host"></div><div id="cover-box"><button id="covered">Covered</button><div id="cover"></div></div>
<button id="shy">Shy</button><div id="flash" class="hidden"></div>
<p id="tall">below the fold</p><ul><li>one</li><li>two</li><li>three</li></ul>
<p id="log"></p></body></html>`,
  'page.css': '#pad { touch-action: none; width: 100px; height: 100px; border: 1px solid; } #tall { margin-top: 3000px; }\n'
    + '#cover-box { position: relative; } #cover { position: absolute; inset: 0; background: #fff8; } .hidden { display: none; }\n'
    + '#flash { position: fixed; inset: 0; background: #f008; }\n',
  'page.js': `const log = (text) => { document.getElementById('log').textContent += text + ';'; };
setTimeout(() => { document.getElementById('late').disabled = false; }, 400);
for (const id of ['late', 'aria', 'tall']) document.getElementById(id).addEventListener('click', (e) => log(id + ':' + e.isTrusted));
document.getElementById('text').addEventListener('change', (e) => log('change:' + e.target.value));
document.getElementById('pick').addEventListener('change', (e) => log('pick:' + e.target.value));
document.getElementById('file').addEventListener('change', async (e) => log('file:' + e.target.files[0].name + '=' + await e.target.files[0].text()));
document.getElementById('save').addEventListener('click', (e) => {
  e.preventDefault();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob(['{"saved":true}'], { type: 'application/json' }));
  link.download = 'saved.json';
  document.body.append(link);
  link.click();
  link.remove();
});
// The first time the pointer comes over #shy, a layer covers the page for 300 ms: a click
// found #shy uncovered, but its press lands on the layer.
const flash = document.getElementById('flash');
document.getElementById('shy').addEventListener('pointermove', () => {
  if (flash.dataset.shown) return;
  flash.dataset.shown = 'yes';
  flash.classList.remove('hidden');
  setTimeout(() => flash.classList.add('hidden'), 300);
});
for (const id of ['shy', 'flash']) document.getElementById(id).addEventListener('click', () => log(id));
const pad = document.getElementById('pad');
for (const type of ['pointerdown', 'pointerup']) pad.addEventListener(type, (e) => log(type + ':' + e.pointerType + ':' + e.isTrusted));
const host = document.getElementById('host');
host.attachShadow({ mode: 'open' }).innerHTML = '<p class="inner">Inside <b>the</b> shadow</p><button class="inner-button">Shadow button</button>';
host.shadowRoot.querySelector('button').addEventListener('click', () => log('shadow-click'));
const worker = new Worker('worker.js', { type: 'module' });
worker.onmessage = (e) => log('worker:' + e.data);
window.fail = (kind) => {
  if (kind === 'console') console.error('a console error');
  if (kind === 'throw') setTimeout(() => { throw new Error('an uncaught error'); });
  if (kind === 'rejection') Promise.reject(new Error('an unhandled rejection'));
  if (kind === 'http') fetch('/missing.json');
  if (kind === 'worker-console' || kind === 'worker-throw') worker.postMessage(kind);
};
`,
  'worker.js': `postMessage('isolated=' + self.crossOriginIsolated);
onmessage = (e) => {
  if (e.data === 'worker-console') console.error('a worker console error');
  if (e.data === 'worker-throw') throw new Error('a worker uncaught error');
};
`,
};

let env;
before(async () => {
  const root = mkdtempSync(join(tmpdir(), 'backprop-e2e-driver-'));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(root, name), text);
  env = await setup(root, { cleanup: true });
});
after(async () => { await env?.close(); });

async function open(viewport) {
  const page = await env.browser.newPage({ viewport });
  const response = await page.goto(env.url);
  assert.equal(response.status, 200);
  await page.waitFor('#log', { hasText: /worker:isolated=true;/, state: 'attached' });
  return page;
}

const log = (page) => page.text('#log');

test(`waits wait, and time out when nothing comes (${ENGINE})`, async () => {
  const page = await open();
  assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true, 'COOP and COEP isolate the page');
  await assert.rejects(page.waitFor('#nothing', { timeout: 300 }), /#nothing did not become visible within 300 ms/);
  await assert.rejects(page.waitForFunction(() => false, null, { timeout: 300 }));
  await assert.rejects(page.click('#nothing', { timeout: 300 }), /cannot act on #nothing within 300 ms: nothing matches #nothing/);
  await assert.rejects(page.click('#aria', { timeout: 300 }), /#aria is disabled/);
  await assert.rejects(page.click('#covered', { timeout: 300 }), /#covered is covered by <div#cover>/);
  await page.waitFor('#tall');   // visible, though scrolled out of view
  await page.waitFor('#late', { state: 'attached' });
  // #late is disabled for its first 400 ms: the click waits, then lands as a real click.
  await page.click('#late');
  assert.match(await log(page), /late:true;/);
  await page.click('#aria', { force: true });
  assert.match(await log(page), /aria:true;/);
  // Far below the fold: scrolled into view, then clicked.
  await page.click('#tall');
  assert.match(await log(page), /tall:true;/);
  assert.equal(await page.isDisabled('#aria'), true);
  assert.equal(await page.isDisabled('#late'), false);
  expectNoProblems(assert, page);
});

test(`selectors: shadow roots only through >>>, :text() and :nth() (${ENGINE})`, async () => {
  const page = await open();
  assert.equal(await page.count('#host .inner'), 0, 'plain CSS stays out of shadow roots');
  assert.equal(await page.count('#host >>> .inner'), 1);
  assert.equal(await page.text('#host >>> .inner'), 'Inside the shadow');
  assert.equal(await page.count('#host >>> p:text("inside THE   shadow")'), 1, ':text() ignores case and runs of space');
  assert.equal(await page.count('#host >>> p:text("outside")'), 0);
  assert.deepEqual(await page.texts('li'), ['one', 'two', 'three']);
  assert.equal(await page.text('li:nth(1)'), 'two');
  assert.equal(await page.count('li:nth(5)'), 0);
  await page.waitFor('#host >>> .inner', { hasText: /^Inside/ });
  await assert.rejects(page.waitFor('#host >>> .inner', { hasText: /^Outside/, timeout: 300 }));
  await page.click('#host >>> button:text("Shadow button")');
  assert.match(await log(page), /shadow-click;/);
  assert.equal(await page.attribute('#pick', 'id'), 'pick');
  assert.equal(await page.attribute('#pick', 'data-none'), null);
  expectNoProblems(assert, page);
});

test(`fill, select, check, files and downloads (${ENGINE})`, async () => {
  const page = await open();
  await page.fill('#text', 'first');
  await page.press('#text', 'Enter');
  await page.fill('#text', 'second');
  await page.press('#text', 'Enter');
  await page.select('#pick', 'b');
  await assert.rejects(page.select('#pick', 'z'), /#pick has no option "z"/);
  assert.equal(await page.value('#pick'), 'b');
  await page.check('#tick');
  await page.check('#tick');
  assert.equal(await page.isChecked('#tick'), true);
  await page.setFiles('#file', { name: 'given.json', text: '{"given":1}' });
  await page.waitFor('#log', { hasText: /file:/ });
  assert.match(await log(page), /change:first;change:second;pick:b;file:given\.json=\{"given":1\};/);
  const saved = await page.download(() => page.click('#save'));
  assert.deepEqual(saved, { name: 'saved.json', text: '{"saved":true}' });
  await page.screenshot('driver-desktop');
  assert.ok(existsSync(join(SCREENSHOTS, `${ENGINE}-driver-desktop.png`)));
  expectNoProblems(assert, page);
});

test(`mouse and touch are the browser's own pointer input (${ENGINE})`, async () => {
  const page = await open(PHONE);
  assert.equal(await page.evaluate(() => devicePixelRatio), 2);
  assert.equal(await page.evaluate(() => innerWidth), 390);
  await page.drag('#pad', [[[0.2, 0.2], [0.8, 0.8]]]);
  await page.touch('#pad', [[[0.2, 0.8], [0.5, 0.5], [0.8, 0.2]]]);
  await page.waitFor('#log', { hasText: /pointerup:touch/ });
  assert.match(await log(page), /pointerdown:mouse:true;pointerup:mouse:true;pointerdown:touch:true;pointerup:touch:true;/);
  expectNoProblems(assert, page);
});

test(`a click whose press lands elsewhere is kept from the page and made again (${ENGINE})`, async () => {
  const page = await open();
  await page.click('#shy');
  assert.equal(await page.attribute('#flash', 'data-shown'), 'yes', 'the layer came between finding #shy and pressing it');
  assert.equal(await log(page), 'worker:isolated=true;shy;', 'only the second click reached the page, and it reached #shy');
  expectNoProblems(assert, page);
});

test(`every kind of problem reaches page.problems, as the same text in both engines (${ENGINE})`, async () => {
  const page = await open();
  assert.deepEqual(page.problems, []);
  const expected = {
    console: 'console error: a console error',
    throw: 'page error: an uncaught error',
    rejection: 'page error: an unhandled rejection',
    http: 'HTTP 404 /missing.json',
    'worker-console': 'console error: a worker console error',
    'worker-throw': 'page error: a worker uncaught error',
  };
  for (const [kind, problem] of Object.entries(expected)) {
    const before = page.problems.length;
    await page.evaluate((k) => window.fail(k), kind);
    // Problems arrive as protocol events: look again each frame until one has come.
    const deadline = Date.now() + 10_000;
    while (page.problems.length === before && Date.now() < deadline) await page.evaluate(() => new Promise((r) => { requestAnimationFrame(r); }));
    assert.deepEqual(page.problems.slice(before), [problem], kind);
  }
  assert.equal(page.workers.length, 1);
  assert.match(page.workers[0].url, /\/worker\.js$/);
});
