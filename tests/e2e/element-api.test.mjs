// The element as a script sees it: properties, methods and events (bubbling, across the shadow
// boundary); lazy start (an element below the fold fetches nothing until it is scrolled to);
// and an embedded training view that diverges says so and fires `diverged`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectNoProblems, setup } from './harness.mjs';
import { open, siteWithWww } from './embed-harness.mjs';

const HEAD = `<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="favicon.svg" type="image/svg+xml"><script type="module" src="element/backprop-lab.js"></script>
<script type="module" src="listen.js"></script>`;

const PAGES = {
  // Every event any element fires, as document-level listeners see it.
  'listen.js': `window.heard = [];
for (const type of ['ready', 'change', 'step', 'snapshot', 'diverged', 'error']) {
  document.addEventListener(type, (e) => window.heard.push({ type, id: e.target.id, detail: JSON.parse(JSON.stringify(e.detail)), composed: e.composed }));
}`,
  'api.html': `<!doctype html><html lang="en"><head>${HEAD}<title>API</title></head><body>
<backprop-lab id="lesson" view="backprop" layers="16,16" seed="7" digit="1" loading="eager"></backprop-lab>
<backprop-lab id="trainer" view="train" layers="16" seed="3" optimizer="adam" lr="0.01" pace="full" loading="eager"></backprop-lab>
</body></html>`,
  'persist.html': `<!doctype html><html lang="en"><head>${HEAD}<title>Persisted</title></head><body>
<backprop-lab id="kept" view="train" layers="8" seed="3" pace="full" persist="article-1" loading="eager"></backprop-lab>
<backprop-lab id="plain" view="train" layers="8" seed="3" pace="full" loading="eager"></backprop-lab>
</body></html>`,
  'keep.html': `<!doctype html><html lang="en"><head>${HEAD}<title>Kept state</title></head><body>
<section id="first"><backprop-lab id="lesson" view="backprop" layers="16,16" seed="7" digit="1" label="3" loading="eager"></backprop-lab></section>
<section id="second"><backprop-lab id="trainer" view="train" layers="8" seed="3" pace="full" loading="eager"></backprop-lab></section>
</body></html>`,
  'far.html': `<!doctype html><html lang="en"><head>${HEAD}<link rel="stylesheet" href="lazy.css"><title>Far away</title></head><body>
<backprop-lab id="far-trainer" view="train" layers="8" seed="3" pace="full" loading="eager"></backprop-lab>
<backprop-lab id="far-lesson" view="backprop" layers="16,16" seed="7" digit="1" loading="eager"></backprop-lab>
<div id="spacer"></div><p id="bottom">The end of the article.</p>
</body></html>`,
  'lazy.css': '#spacer { height: 4000px; }\n',
  'lazy.html': `<!doctype html><html lang="en"><head>${HEAD}<link rel="stylesheet" href="lazy.css"><title>Lazy</title></head><body>
<h1>An article</h1><div id="spacer"></div>
<backprop-lab id="below" view="network" model="models/digits-small.json" digit="3"></backprop-lab>
</body></html>`,
  'diverge.html': `<!doctype html><html lang="en"><head>${HEAD}<title>Diverging</title></head><body>
<backprop-lab id="wild" view="train" layers="32,16" activation="leaky_relu" lr="10" loading="eager"></backprop-lab>
</body></html>`,
};

let env;
before(async () => { env = await setup(siteWithWww(PAGES), { cleanup: true }); });
after(async () => { await env?.close(); });

const heard = (page, type, id) => page.evaluate(([t, i]) => window.heard.filter((e) => e.type === t && e.id === i), [type, id]);

test('properties, methods and events', async () => {
  const page = await open(env, 'api.html');
  await page.waitForFunction(() => window.heard.filter((e) => e.type === 'ready').length === 2, null, { timeout: 90_000 });
  const ready = await heard(page, 'ready', 'lesson');
  assert.equal(ready.length, 1);
  assert.equal(ready[0].composed, true, 'events cross the shadow boundary');

  // Properties mirror the attributes, and say what the element shows.
  const lesson = await page.evaluate(() => {
    const lab = document.getElementById('lesson');
    return { view: lab.view, layers: lab.layers, seed: lab.seed, step: lab.step, digit: lab.digit, sizes: lab.network.sizes, trained: lab.network.step };
  });
  assert.deepEqual(lesson, { view: 'backprop', layers: '16,16', seed: '7', step: 0, digit: 1, sizes: [784, 16, 16, 10], trained: 0 });

  // network.predict is the core's forward pass on the element's network.
  const same = await page.evaluate(async () => {
    const lab = document.getElementById('lesson');
    const core = await import('/pkg/backprop_lab.js');
    const pixels = new Float32Array(784).fill(0.25);
    const copy = new core.Network({ hidden: [16, 16], seed: 7 });
    copy.setParameters(lab.network.parameters());
    return Array.from(lab.network.predict(pixels)).join() === Array.from(copy.predict(pixels)).join();
  });
  assert.equal(same, true);

  // Setting `step` moves the lesson; a `step` event and a `change` event say so.
  await page.evaluate(() => { document.getElementById('lesson').step = 2; });
  await page.waitFor('#lesson >>> #step-table[data-step="2"]', { state: 'attached' });
  assert.deepEqual((await heard(page, 'step', 'lesson')).at(-1).detail, { step: 2 });
  assert.equal(await page.evaluate(() => document.getElementById('lesson').step), 2);
  await page.waitForFunction(() => window.heard.some((e) => e.type === 'change' && e.id === 'lesson' && e.detail.changed.includes('step')));

  // showDigit changes the digit in place: the network stays the same.
  const before = await page.evaluate(() => Array.from(document.getElementById('lesson').network.parameters()).join());
  await page.evaluate(() => document.getElementById('lesson').showDigit(5));
  await page.waitFor('#lesson >>> .summary', { hasText: /digit #5:/ });
  assert.equal(await page.evaluate(() => document.getElementById('lesson').digit), 5);
  assert.equal(await page.evaluate(() => Array.from(document.getElementById('lesson').network.parameters()).join()), before);

  // loadModel takes a URL (relative to the page) and refuses a bad file, changing nothing.
  await page.evaluate(() => document.getElementById('lesson').loadModel('models/digits-small.json'));
  await page.waitFor('#lesson >>> .note', { hasText: /digits-small/ });
  const refused = await page.evaluate(() => document.getElementById('lesson').loadModel('{"format": "nonsense"}').then(() => 'loaded', (e) => e.message));
  assert.match(refused, /model/i);
  assert.match(await page.text('#lesson >>> .note'), /digits-small/, 'the loaded model stays');

  // train() and pause(): snapshot events carry the step, loss and accuracy.
  await page.evaluate(() => document.getElementById('trainer').train());
  await page.waitForFunction(() => window.heard.filter((e) => e.type === 'snapshot' && e.id === 'trainer' && e.detail.step > 30).length > 0, null, { timeout: 60_000 });
  await page.evaluate(() => document.getElementById('trainer').pause());
  const snapshot = (await heard(page, 'snapshot', 'trainer')).at(-1).detail;
  assert.ok(snapshot.step > 30 && snapshot.accuracy > 0.3 && snapshot.loss > 0, JSON.stringify(snapshot));
  // Views render in the next animation frame, so the page shows the last snapshot one frame later.
  await page.waitFor('#trainer >>> [data-stat="steps"]', { hasText: new RegExp(`^${snapshot.step}$`) });
  assert.equal(await page.evaluate(() => document.getElementById('trainer').network.step), snapshot.step);
  await page.evaluate(() => document.getElementById('trainer').reset());
  await page.waitFor('#trainer >>> [data-stat="steps"]', { hasText: /^0$/ });
  expectNoProblems(assert, page);
  await page.close();
});

test('attributes that change in place keep the network and the reader\'s choices; a moved element keeps training', async () => {
  const page = await open(env, 'keep.html');
  await page.waitForFunction(() => [...document.querySelectorAll('backprop-lab')].every((e) => e.hasAttribute('data-ready')), null, { timeout: 60_000 });
  // The reader picks desired digit 7; then the page changes the step, the controls and the pace.
  await page.select('#lesson >>> #desired-label', '7');
  await page.waitFor('#lesson >>> .step-title', { hasText: /^The guess/ });
  await page.evaluate(() => {
    const lesson = document.getElementById('lesson');
    lesson.setAttribute('step', '3');
  });
  await page.waitFor('#lesson >>> .step-title', { hasText: /^Step 3 · Hidden layer 2/ });
  assert.equal(await page.evaluate(() => document.getElementById('lesson').shadowRoot.getElementById('desired-label').value), '7', 'the reader\'s desired digit survives a new step');
  await page.evaluate(() => document.getElementById('lesson').setAttribute('step', '5'));
  await page.waitFor('#lesson >>> .step-title', { hasText: /^Step 5 · Apply/ });
  await page.evaluate(() => document.getElementById('lesson').setAttribute('controls', 'hidden'));
  await page.waitForFunction(() => document.getElementById('lesson').shadowRoot.querySelectorAll('select, button').length === 0);
  assert.match(await page.text('#lesson >>> .step-title'), /^Step 5 · Apply/, 'hiding the controls keeps the step');

  // Training, then moved one section earlier: it keeps its mini-batches and goes on.
  await page.click('#trainer >>> button:text("Train")');
  await page.waitForFunction(() => Number(document.getElementById('trainer').shadowRoot.querySelector('[data-stat="steps"]').textContent) > 50, null, { timeout: 60_000 });
  const before = await page.evaluate(() => {
    const trainer = document.getElementById('trainer');
    const steps = trainer.network.step;
    document.getElementById('first').before(trainer);
    return steps;
  });
  await page.waitForFunction((n) => document.getElementById('trainer').network.step > n + 20, before, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.body.firstElementChild.id), 'trainer');
  await page.evaluate(() => document.getElementById('trainer').setAttribute('pace', 'watch'));
  await page.waitForFunction(() => document.getElementById('trainer').shadowRoot.getElementById('train-pace').value === 'watch');
  assert.ok(await page.evaluate(() => document.getElementById('trainer').network.step) > before, 'a new pace keeps the training');
  expectNoProblems(assert, page);
  await page.close();
});

test('training and the lesson player pause while the element is scrolled far away, and go on when it is seen again', async () => {
  const page = await open(env, 'far.html');
  await page.waitForFunction(() => [...document.querySelectorAll('backprop-lab')].every((e) => e.hasAttribute('data-ready')), null, { timeout: 60_000 });
  const steps = () => page.evaluate(() => document.getElementById('far-trainer').network.step);
  await page.click('#far-trainer >>> #train-play');
  await page.click('#far-lesson >>> #step-play');
  await page.waitForFunction(() => document.getElementById('far-trainer').network.step > 20, null, { timeout: 60_000 });
  await page.evaluate(() => document.getElementById('bottom').scrollIntoView({ behavior: 'instant' }));
  await page.waitFor('#far-trainer >>> #train-play[aria-pressed="false"]', { state: 'attached' });
  await page.waitFor('#far-lesson >>> #step-play[aria-pressed="false"]', { state: 'attached' });
  const away = await steps();
  await new Promise((resolve) => { setTimeout(resolve, 1500); });
  assert.equal(await steps(), away, 'no training while far away');
  await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
  await page.waitFor('#far-trainer >>> #train-play[aria-pressed="true"]', { state: 'attached' });
  await page.waitFor('#far-lesson >>> #step-play[aria-pressed="true"]', { state: 'attached' });
  await page.waitForFunction((n) => document.getElementById('far-trainer').network.step > n, away, { timeout: 60_000 });
  expectNoProblems(assert, page);
  await page.close();
});

test('an element below the fold fetches nothing until it is scrolled to', async () => {
  const page = await open(env, 'lazy.html');
  await page.waitForTimeout(1500);
  const fetched = () => page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  const early = await fetched();
  for (const file of ['backprop_lab_bg.wasm', 'mnist-heldout-images.idx.gz', 'digits-small.json', 'mnist-train-images.idx.gz']) {
    assert.ok(!early.some((p) => p.endsWith(file)), `${file} is not fetched before the reader scrolls: ${early.join(' ')}`);
  }
  const reserved = await page.box('#below');
  await page.evaluate(() => document.getElementById('below').scrollIntoView());
  await page.waitFor('#below[data-ready]', { state: 'attached', timeout: 60_000 });
  const late = await fetched();
  for (const file of ['backprop_lab_bg.wasm', 'mnist-heldout-images.idx.gz', 'digits-small.json']) {
    assert.equal(late.filter((p) => p.endsWith(file)).length, 1, `${file} is fetched once`);
  }
  assert.ok(!late.some((p) => p.endsWith('mnist-train-images.idx.gz')), 'the training digits only load when something trains');
  assert.ok(reserved.height > 300, `the element held room for itself before it started (${reserved.height}px)`);
  expectNoProblems(assert, page);
  await page.close();
});

test('an embedded training view that diverges shows the core\'s message and fires diverged', async () => {
  const page = await open(env, 'diverge.html');
  await page.waitFor('#wild[data-ready]', { state: 'attached', timeout: 60_000 });
  await page.click('#wild >>> #train-play');
  await page.waitForFunction(() => window.heard.some((e) => e.type === 'diverged'), null, { timeout: 60_000 });
  const [event] = await heard(page, 'diverged', 'wild');
  assert.match(event.detail.message, /^training diverged at step \d+: the loss became NaN; try a lower learning rate$/);
  await page.waitFor('#wild >>> #diverged');
  assert.equal(await page.text('#wild >>> #diverged-message'), `${event.detail.message[0].toUpperCase()}${event.detail.message.slice(1)}.`);
  assert.equal(await page.text('#wild >>> [data-stat="steps"]'), String(event.detail.step), 'the element shows the last good network, from the step the event names');
  await page.screenshot('embed-diverged');
  expectNoProblems(assert, page);
  await page.close();
});

test('persist="key" keeps the reader\'s trained network across a reload; an element without it starts afresh', async () => {
  const page = await open(env, '/persist.html');
  await page.waitForFunction(() => ['kept', 'plain'].every((id) => document.getElementById(id).hasAttribute('data-ready')), null, { timeout: 60_000 });
  await page.evaluate(() => document.getElementById('kept').train());
  await page.waitForFunction(() => document.getElementById('kept').network.step >= 40, null, { timeout: 30_000 });
  await page.evaluate(() => document.getElementById('kept').pause());
  const weights = () => page.evaluate(() => ['kept', 'plain'].map((id) => {
    const { network } = document.getElementById(id);
    return { step: network.step, parameters: Array.from(network.parameters()).join() };
  }));
  const [kept] = await weights();
  assert.ok(kept.step >= 40);
  // Saved after the pause: the saved time is later than the network's last change.
  const paused = Date.now();
  await page.waitForFunction((t) => Date.parse(document.getElementById('kept').dataset.saved ?? 0) > t - 1000, paused, { timeout: 20_000 });
  await page.waitForTimeout(1000);
  await page.reload();
  await page.waitForFunction(() => ['kept', 'plain'].every((id) => document.getElementById(id).hasAttribute('data-ready')), null, { timeout: 60_000 });
  const [again, plain] = await weights();
  assert.deepEqual(again, kept, 'the persisted element is back at the same step with the same weights');
  assert.equal(plain.step, 0, 'the other element starts from its attributes');
  expectNoProblems(assert, page);
});
