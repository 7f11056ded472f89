// The learner's handwriting and the session kept in the browser: 20 digits drawn with
// pointer events and labelled, trained on, their accuracy reported; a reload brings back the
// same weights, optimiser state and batch order (the session files before and after are the
// same, byte for byte), the same drawings and history; storage refused gives a message and a
// working page; a bad IDX import is refused and the set stays as it was.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ONE, PHONE, ZERO, drawWithMouse, drawWithTouch, expectNoProblems, openPage, setup } from './harness.mjs';

const HASH = '#hidden=16&seed=3';
let env;
let temp;
before(async () => {
  env = await setup();
  temp = await mkdtemp(join(tmpdir(), 'backprop-saved-'));
});
after(async () => {
  await env?.close();
  if (temp) await rm(temp, { recursive: true, force: true });
});

async function keep(page, strokes, label, draw = drawWithMouse) {
  const count = await page.count('#drawings li');
  await page.click('#clear-button');
  await draw(page, strokes);
  await page.waitForFunction(() => !document.querySelector('.keep-digit').disabled);
  await page.click(`.keep-digit[aria-label="Keep the drawing as a ${label}"]`);
  await page.waitForFunction((n) => document.querySelectorAll('#drawings li').length === n, count + 1);
}

const sessionFile = async (page) => JSON.parse((await page.download(() => page.click('#save-session'))).text);

test('20 drawn digits: kept, trained on, read, and all back after a reload, bit for bit', async () => {
  const page = await openPage(env, { hash: HASH });
  for (let i = 0; i < 20; i++) await keep(page, i % 2 ? ONE : ZERO, i % 2);
  assert.match(await page.text('#drawings-status'), /^20 drawings: the network reads \d+(\.\d)?% of them right at step 0; MNIST held-out digits: /);
  await page.select('#drawing-share', '0.25');
  await page.waitForFunction(() => /mixes your drawings/.test(document.getElementById('drawings-message').textContent));
  await page.click('#train-play');
  await page.waitForFunction(() => Number(document.getElementById('stat-step').textContent) >= 200, null, { timeout: 60_000 });
  await page.click('#train-play');
  await page.waitForFunction(() => /at step [1-9]\d* \(/.test(document.getElementById('drawings-status').textContent), null, { timeout: 20_000 });
  const read = /reads (\d+(?:\.\d)?)%/.exec(await page.text('#drawings-status'))[1];
  assert.ok(Number(read) >= 90, `a network trained on them reads the learner's 0s and 1s (${read}%)`);
  assert.equal(await page.text('#drawings-table tr:nth-child(2) td:nth-child(2)'), '10', 'ten 0s drawn');
  const step = await page.text('#stat-step');
  await page.waitForFunction((s) => document.getElementById('session-status').textContent.endsWith(`(step ${s}).`), step, { timeout: 20_000 })
    .catch(async (e) => assert.fail(`${e.message}: the status says "${await page.text('#session-status')}"`));
  const before = await sessionFile(page);

  await page.reload();
  await page.waitFor('#app:not([hidden])', { timeout: 60_000 });
  await page.waitForFunction(() => /Restored your session from/.test(document.getElementById('notices').textContent), null, { timeout: 20_000 });
  assert.equal(await page.text('#stat-step'), step);
  assert.equal(await page.count('#drawings li'), 20);
  const restored = await sessionFile(page);
  assert.equal(restored.checkpoint.base64, before.checkpoint.base64, 'the same weights, optimiser state and batch order');
  assert.deepEqual(restored.drawings, before.drawings);
  assert.deepEqual(restored.history, before.history);
  assert.match(await page.text('#drawings-status'), new RegExp(`^20 drawings: the network reads ${read}% of them right at step ${step}`));

  await page.click('#start-fresh');
  await page.waitFor('#app:not([hidden])', { timeout: 60_000 });
  await page.waitForFunction(() => document.getElementById('stat-step')?.textContent === '0', null, { timeout: 20_000 });
  assert.equal(await page.count('#drawings li'), 0, 'start fresh forgets the saved session');
  expectNoProblems(assert, page);
});

test('storage refused: the page says so and works on', async () => {
  const page = await env.browser.newPage({ viewport: PHONE });
  await page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
  });
  await page.goto(env.url + HASH);
  await page.waitFor('#app:not([hidden])', { timeout: 60_000 });
  await page.waitForFunction(() => /refused storage/.test(document.getElementById('session-status').textContent), null, { timeout: 20_000 });
  await keep(page, ONE, 1, drawWithTouch);
  await page.click('#train-step');
  await page.waitForFunction(() => document.getElementById('stat-step').textContent === '1');
  assert.match(await page.text('#drawings-status'), /^1 drawing: the network reads/);
  await page.screenshot('phone-drawings', { fullPage: false });
  expectNoProblems(assert, page);
});

test('a bad IDX import is refused with the core\'s message and the set is unchanged', async () => {
  const page = await openPage(env, { hash: HASH });
  await keep(page, ONE, 1);
  const images = join(temp, 'images.idx');
  const labels = join(temp, 'labels.idx');
  await writeFile(images, Buffer.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]));
  await writeFile(labels, Buffer.from([0, 0, 8, 1, 0, 0, 0, 2, 1, 7]));
  await page.click('.drawings-files summary');
  await page.setFiles('#drawings-images', images);
  await page.setFiles('#drawings-labels', labels);
  await page.click('#drawings-import');
  await page.waitForFunction(() => /Could not import/.test(document.getElementById('drawings-message').textContent));
  assert.match(await page.text('#drawings-message'), /Could not import images\.idx and labels\.idx: .+\. Your set is unchanged\./);
  assert.equal(await page.count('#drawings li'), 1);
  expectNoProblems(assert, page);
});

test('two tabs on one session: the first saves, the second says it does not', async () => {
  const first = await openPage(env, { hash: HASH });
  await first.click('#train-step');
  await first.waitForFunction(() => document.getElementById('session-status').textContent.endsWith('(step 1).'), null, { timeout: 20_000 });
  const second = await first.openTab();
  await second.goto(env.url + HASH);
  await second.waitFor('#app:not([hidden])', { timeout: 60_000 });
  assert.match(await second.text('#session-status'), /open in another tab too, which saves it; what you do here is not saved/);
  await second.click('#train-step');
  await second.click('#train-step');
  await first.click('#train-step');
  await first.waitForFunction(() => document.getElementById('session-status').textContent.endsWith('(step 2).'), null, { timeout: 20_000 });
  expectNoProblems(assert, first);
  expectNoProblems(assert, second);
});
