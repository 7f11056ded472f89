// Every number on screen belongs to one network, and every link reproduces what it shows: the
// reproductions of the state bugs found by a scripted pass over the playground (a link copied
// while diverged, restore and the data order, a loaded model's step, a lesson while training,
// a player stuck on Apply, the palette and an applied lesson, two quick setting changes, a
// replay without progress), each checked the way a learner would see it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectNoProblems, openPage, setup } from './harness.mjs';

const TRAINING_TIMEOUT = 120_000;

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const save = async (page) => (await page.download(() => page.click('#save-model'))).text;
const hash = (page) => page.evaluate(() => location.hash);
const bars = (page) => page.texts('#output-bars .bar-value');
const heldout = (page) => page.attribute('#stat-heldout', 'data-value');
const diagonal = (page) => page.evalAll('#confusion td.hit', (tds) => tds.map((td) => td.textContent).join());

/** What the page shows of its network: the step, the held-out accuracy, the bars, the matrix. */
async function shown(page) {
  return { step: await page.text('#stat-step'), heldout: await heldout(page), bars: await bars(page), confusion: await diagonal(page) };
}

test('a link copied while diverged opens the network the page shows, not a NaN one', async () => {
  const page = await openPage(env, { hash: '#lr=10&activation=leaky_relu&digit=7' });
  await page.click('#train-play');
  await page.waitFor('#diverged', { timeout: TRAINING_TIMEOUT });
  const original = await shown(page);
  for (const value of original.bars) assert.doesNotMatch(value, /NaN/);
  const link = await hash(page);
  assert.match(link, new RegExp(`steps=${original.step}(&|$)`), 'the link names the step shown');
  const copy = await openPage(env, { hash: link });
  assert.deepEqual(await shown(copy), original, 'the copy shows the same network, its accuracy and its matrix');
  assert.equal(await copy.isDisabled('#train-play'), false);
  expectNoProblems(assert, page);
  expectNoProblems(assert, copy);
  await page.close();
  await copy.close();
});

test('after Restore the link replays the run exactly: same step, epoch and data order', async () => {
  const page = await openPage(env, { hash: '#lr=10&activation=leaky_relu&seed=2' });
  await page.click('#train-play');
  await page.waitFor('#diverged', { timeout: TRAINING_TIMEOUT });
  await page.click('#restore-weights');
  await page.waitFor('#diverged', { state: 'hidden' });
  const copy = await openPage(env, { hash: await hash(page) });
  assert.equal(await copy.text('#stat-epoch'), await page.text('#stat-epoch'), 'the same place in the data');
  // One more mini-batch on each takes the same examples (at this rate it may diverge again:
  // then on both alike).
  for (const p of [page, copy]) {
    const step = Number(await p.text('#stat-step'));
    await p.click('#train-step');
    await p.waitForFunction((s) => Number(document.getElementById('stat-step').textContent) === s + 1
      || !document.getElementById('diverged').hidden, step);
  }
  assert.deepEqual(await shown(copy), await shown(page));
  expectNoProblems(assert, page);
  expectNoProblems(assert, copy);
  await page.close();
  await copy.close();
});

test('a loaded model keeps its step count; a link says honestly what it cannot carry; loading stops training aloud', async () => {
  const page = await openPage(env, { hash: '#seed=6&steps=60' });
  const json = await save(page);
  await page.click('#train-reset');
  await page.waitForFunction(() => document.getElementById('stat-step').textContent === '0');
  await page.select('#train-pace', '20');
  await page.click('#train-play');
  await page.waitForFunction(() => Number(document.getElementById('stat-step').textContent) > 3);
  await page.setFiles('#load-model', { name: 'sixty.json', text: json });
  await page.waitFor('#model-message', { hasText: /^Loaded sixty\.json, trained 60 steps/ });
  assert.equal(await page.text('#stat-step'), '60', 'the file was saved at step 60');
  assert.match(await page.text('#notices'), /Training stopped: the loaded network replaces the one that was training/);
  assert.equal(await page.attribute('#train-play', 'aria-pressed'), 'false');
  await page.click('#copy-link');
  await page.waitFor('#model-message', { hasText: /Copied a link|Copy the address/ });
  const message = await page.text('#model-message');
  if (message.startsWith('Copied')) assert.match(message, /which a link cannot carry/);
  assert.doesNotMatch(await hash(page), /steps=/, 'the address does not claim to replay the file');
  expectNoProblems(assert, page);
  await page.close();
});

test('a lesson applied while training pauses first, and its before and after are of one network', async () => {
  const page = await openPage(env, { hash: '#seed=3&digit=11' });
  await page.select('#train-pace', '20');
  await page.click('#train-play');
  await page.waitForFunction(() => Number(document.getElementById('stat-step').textContent) > 10);
  for (let step = 1; step <= 5; step++) {
    await page.click('#step-next');
    await page.waitFor(`#step-table[data-step="${step}"]`, { state: 'attached' });
  }
  assert.equal(await page.attribute('#train-play', 'aria-pressed'), 'false', 'training paused');
  assert.match(await page.text('#notices'), /Training paused, so that the lesson is applied to the network you see/);
  const step = await page.text('#stat-step');
  const rows = await page.evalAll('#step-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.dataset.exact ?? td.textContent)));
  await page.click('#lesson-undo');
  await page.waitFor('#step-table[data-step="4"]', { state: 'attached' });
  await page.click('#step-prev');
  await page.click('#step-prev');
  await page.click('#step-prev');
  await page.click('#step-prev');
  await page.waitFor('#step-table[data-step="0"]', { state: 'attached' });
  const outputs = await page.evalAll('#step-table tbody tr', (trs) => trs.map((tr) => tr.children[2].dataset.exact ?? tr.children[2].textContent));
  assert.deepEqual(rows.map((r) => r[1]), outputs, '"before" is the output of the network the page shows');
  assert.equal(await page.text('#stat-step'), step);
  expectNoProblems(assert, page);
  await page.close();
});

test('the player never sticks on Apply: a new architecture mid-lesson, or Apply while diverged', async () => {
  const page = await openPage(env, { hash: '#hidden=32,16&seed=1&digit=2' });
  for (let step = 1; step <= 4; step++) {
    await page.click('#step-next');
    await page.waitFor(`#step-table[data-step="${step}"]`, { state: 'attached' });
  }
  await page.click('#layer-list li:nth-child(2) .remove-layer');
  await page.waitForFunction(() => document.querySelectorAll('#layer-list li').length === 1);
  await page.waitFor('#step-table[data-step="0"]', { state: 'attached' });
  assert.doesNotMatch(await page.text('#step-title'), /Applying/);
  assert.doesNotMatch(await hash(page), /step=/, 'a new network starts a new lesson');

  const diverging = await openPage(env, { hash: '#lr=10&activation=leaky_relu&digit=2' });
  await diverging.click('#train-play');
  await diverging.waitFor('#diverged', { timeout: TRAINING_TIMEOUT });
  assert.equal(await diverging.isDisabled('#step-dots li:last-child button'), true, 'Apply waits for the weights to be restored');
  await diverging.click('#restore-weights');
  await diverging.waitFor('#diverged', { state: 'hidden' });
  await diverging.click('#step-dots li:last-child button');
  await diverging.waitFor('#step-title', { hasText: /Apply: every weight/ });
  expectNoProblems(assert, page);
  expectNoProblems(assert, diverging);
  await page.close();
  await diverging.close();
});

test('the palette changes colours only: an applied lesson stays applied, and in the link', async () => {
  const page = await openPage(env, { hash: '#steps=300&digit=5' });
  for (let step = 1; step <= 5; step++) {
    await page.click('#step-next');
    await page.waitFor(`#step-table[data-step="${step}"]`, { state: 'attached' });
  }
  const weights = await save(page);
  await page.check('#palette-toggle');
  await page.waitForTimeout(300);
  assert.equal(await page.attribute('#step-table', 'data-step'), '5');
  assert.match(await page.text('#step-title'), /Apply: every weight/);
  assert.equal(await page.isVisible('#output-bars .bar-before'), true, 'the ticks of the outputs before the lesson stay');
  assert.match(await hash(page), /(^#|&)step=5(&|$)/);
  assert.equal(await save(page), weights);
  expectNoProblems(assert, page);
  await page.close();
});

test('two setting changes in quick succession while training both take effect', async () => {
  const page = await openPage(env, { hash: '#seed=8' });
  await page.click('#train-play');
  await page.evaluate(() => {
    for (const [id, value] of [['set-lr', '0.05'], ['set-batch', '64']]) {
      const input = document.getElementById(id);
      input.value = value;
      input.dispatchEvent(new Event('change'));
    }
  });
  await page.waitForFunction(() => /(^#|&)lr=0\.05(&|$)/.test(location.hash) && /(^#|&)batch=64(&|$)/.test(location.hash));
  assert.equal(await page.value('#set-lr'), '0.05');
  assert.equal(await page.value('#set-batch'), '64');
  assert.equal(await page.attribute('#train-play', 'aria-pressed'), 'true', 'training went on');
  expectNoProblems(assert, page);
  await page.close();
});

test('a long replay shows its progress and can be cancelled where it is', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}#steps=3000&hidden=128,128,128,128&batch=512`);
  await page.waitFor('#loading button:text("Cancel")', { timeout: 60_000 });
  assert.match(await page.text('#loading'), /Replaying the link's 3,000 training steps: \d+%/);
  await page.click('#loading button:text("Cancel")');
  await page.waitFor('#app:not([hidden])', { timeout: 60_000 });
  const step = Number(await page.text('#stat-step'));
  assert.ok(step > 0 && step < 3000, `stopped at step ${step}`);
  assert.match(await hash(page), new RegExp(`steps=${step}(&|$)`), 'the link says where it stopped');
  assert.match(await page.text('#notices'), new RegExp(`Replay cancelled at step ${step} of 3000`));
  expectNoProblems(assert, page);
  await page.close();
});
