// The <backprop-lab> element: several instances on one page work independently and share one
// wasm module; hidden controls, invalid attributes, attribute changes, style isolation, the
// iframe route and the embedding guide. Every test fails on any console or page error.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, ONE, PHONE, expectNoProblems, setup } from './harness.mjs';
import { allReady, open, siteWithWww } from './embed-harness.mjs';

const HEAD = `<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="hostile.css">
<script type="module" src="element/backprop-lab.js"></script>`;

const PAGES = {
  // Page rules that would restyle the element's insides if styles leaked into its shadow DOM.
  'hostile.css': 'button, select { background: rgb(255, 0, 0) !important; font-size: 40px !important; }\n.summary { font-weight: 100; }\ncanvas { display: none; }\n',
  'three.html': `<!doctype html><html lang="en"><head>${HEAD}<title>Three elements</title></head><body>
<h1>Three elements</h1>
<p class="summary" id="outside">A paragraph of the host page with the class the element uses inside.</p>
<backprop-lab id="draw" view="draw" model="models/digits-small.json" digit="3"></backprop-lab>
<backprop-lab id="backprop" view="backprop" layers="16,16" activation="sigmoid" seed="7" digit="1"></backprop-lab>
<backprop-lab id="train" view="train" layers="16" seed="5" optimizer="adam" lr="0.01"></backprop-lab>
</body></html>`,
  'quiet.html': `<!doctype html><html lang="en"><head><script src="warnings.js"></script>${HEAD}<title>Hidden controls and mistakes</title></head><body>
<backprop-lab id="quiet-backprop" view="backprop" step="3" layers="16,16" digit="1" controls="hidden"></backprop-lab>
<backprop-lab id="quiet-draw" view="draw" model="models/digits-small.json" controls="hidden"></backprop-lab>
<backprop-lab id="quiet-train" view="train" layers="8" steps="20" controls="hidden"></backprop-lab>
<backprop-lab id="wrong" view="network" layers="16,x" digit="5000" activation="softplus" label="&lt;img src=x onerror=alert(1)&gt;" step="99" model="javascript:alert(1)"></backprop-lab>
</body></html>`,
  // Records the console's warnings for the test (a classic script runs before the element's module).
  'warnings.js': 'window.warnings = [];\nconst warn = console.warn;\nconsole.warn = (...args) => { window.warnings.push(args.join(" ")); warn(...args); };\n',
  'defaults.html': `<!doctype html><html lang="en"><head><script src="warnings.js"></script>${HEAD}<title>Defaults</title></head><body>
<backprop-lab id="bare"></backprop-lab>
<backprop-lab id="capital" view="Draw" activation="ReLU"></backprop-lab>
<backprop-lab id="unknown" view="gallery" pace="slow"></backprop-lab>
</body></html>`,
  'full.html': `<!doctype html><html lang="en"><head>${HEAD}<title>Full view</title></head><body>
<backprop-lab id="full" view="full" layers="16,16" seed="7"></backprop-lab>
</body></html>`,
};

let env;
before(async () => { env = await setup(siteWithWww(PAGES), { cleanup: true }); });
after(async () => { await env?.close(); });

const text = (page, selector) => page.text(selector);

test('three elements in different views load on one page, share one wasm module and work alone', async () => {
  const page = await open(env, 'three.html');
  await allReady(page);
  assert.equal(await page.attribute('#draw', 'data-view'), 'draw');
  assert.equal(await page.attribute('#backprop', 'data-view'), 'backprop');
  assert.equal(await page.attribute('#train', 'data-view'), 'train');

  // One wasm download and one copy of the held-out digits for the page (workers load their own),
  // and on an isolated page with several cores at most one of the threaded build, for training.
  const loads = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  assert.equal(loads.filter((p) => p.endsWith('/pkg/backprop_lab_bg.wasm')).length, 1, `one wasm module: ${loads.join(' ')}`);
  const threaded = await page.evaluate(() => crossOriginIsolated && navigator.hardwareConcurrency > 1);
  assert.ok(loads.filter((p) => p.endsWith('/pkg-threads/backprop_lab_bg.wasm')).length <= (threaded ? 1 : 0), `at most one threaded module: ${loads.join(' ')}`);
  assert.equal(loads.filter((p) => p.endsWith('mnist-heldout-images.idx.gz')).length, 1, 'one copy of the digits');

  // The draw view shows held-out digit 3 (a 1), and the small model reads it.
  assert.match(await text(page, '#draw >>> .source'), /#3: it is a 1\b/);
  assert.equal(await page.attribute('#draw >>> .summary', 'data-prediction'), '1');
  assert.equal(await page.count('#draw >>> .bar'), 10);
  const backpropBefore = await text(page, '#backprop >>> .step-title');
  assert.match(backpropBefore, /The guess/);
  assert.match(await text(page, '#train >>> [data-stat="steps"]'), /^0$/);
  await page.screenshot('embed-three-desktop');

  // Draw a 1 in the first element: only it changes.
  await page.click('#draw >>> button:text("Clear")');
  await page.waitFor('#draw >>> .summary', { hasText: /^Draw a digit/, timeout: 5000 });
  await page.drag('#draw >>> canvas.pad', ONE);
  await page.waitForFunction(() => document.querySelector('#draw').shadowRoot.querySelector('.summary').dataset.prediction === '1');
  assert.match(await text(page, '#draw >>> .source'), /Your drawing/);
  assert.equal(await text(page, '#backprop >>> .step-title'), backpropBefore);

  // Step the second element through backpropagation: only it changes.
  await page.click('#backprop >>> button:text("Next ▶")');
  await page.waitForFunction(() => document.querySelector('#backprop').shadowRoot.querySelector('#step-table').dataset.step === '1');
  assert.match(await text(page, '#backprop >>> .step-title'), /Step 1/);
  await page.click('#backprop >>> button:text("Next ▶")');
  await page.waitForFunction(() => document.querySelector('#backprop').shadowRoot.querySelector('#step-table').dataset.step === '2');
  assert.match(await text(page, '#backprop >>> .step-title'), /Step 2 · Change the weights into output 3/);
  assert.equal(await page.count('#backprop >>> table.numbers tbody tr'), 16, 'one row per neuron of hidden layer 2');
  assert.match(await text(page, '#draw >>> .source'), /Your drawing/);
  assert.match(await text(page, '#train >>> [data-stat="steps"]'), /^0$/);

  // Train the third one mini-batch at a time: only it changes.
  await page.click('#train >>> button:text("One mini-batch")');
  await page.waitForFunction(() => document.querySelector('#train').shadowRoot.querySelector('[data-stat="steps"]').textContent === '1');
  await page.click('#train >>> button:text("One mini-batch")');
  await page.waitForFunction(() => document.querySelector('#train').shadowRoot.querySelector('[data-stat="steps"]').textContent === '2');
  assert.equal(await text(page, '#train >>> [data-stat="examples"]'), '64');
  assert.match(await text(page, '#backprop >>> .step-title'), /Step 2/);
  assert.equal(await page.attribute('#draw >>> .summary', 'data-prediction'), '1');

  // Training runs in the element's worker while the page stays live; pausing stops it.
  await page.click('#train >>> button:text("▶ Train")');
  await page.waitForFunction(() => Number(document.querySelector('#train').shadowRoot.querySelector('[data-stat="steps"]').textContent) > 20);
  await page.click('#train >>> button:text("❚❚ Pause")');
  await page.waitForFunction(() => document.querySelector('#train').shadowRoot.querySelector('button.primary').textContent === '▶ Train');
  const paused = await text(page, '#train >>> [data-stat="steps"]');
  await page.waitForTimeout(500);
  assert.equal(await text(page, '#train >>> [data-stat="steps"]'), paused, 'no training after Pause');
  assert.match(await text(page, '#backprop >>> .step-title'), /Step 2/);

  // The keyboard walks the network picture: focus picks hidden neuron 1, ↓ the next one.
  await page.focus('#backprop >>> canvas.network');
  await page.keyboard.press('ArrowDown');
  await page.waitFor('#backprop >>> #neuron-title', { hasText: /^hidden 1 · neuron 2$/, timeout: 5000 });
  for (const value of ['sum', 'bias', 'activation']) {
    assert.match(await text(page, `#backprop >>> #neuron-values dd[data-value="${value}"]`), /^[−\d]/, `the neuron's ${value} is shown`);
  }
  await page.keyboard.press('ArrowRight');
  await page.waitFor('#backprop >>> #neuron-title', { hasText: /^hidden 2 · neuron \d+$/, timeout: 5000 });

  // Styles do not cross the shadow boundary in either direction.
  const styles = await page.evaluate(() => {
    const inner = document.querySelector('#train').shadowRoot.querySelector('button');
    const canvas = document.querySelector('#backprop').shadowRoot.querySelector('canvas.network');
    return {
      button: getComputedStyle(inner).backgroundColor,
      size: getComputedStyle(inner).fontSize,
      canvas: getComputedStyle(canvas).display,
      outside: getComputedStyle(document.getElementById('outside')).fontWeight,
    };
  });
  assert.notEqual(styles.button, 'rgb(255, 0, 0)', 'the page button rule stays out');
  assert.notEqual(styles.size, '40px');
  assert.equal(styles.canvas, 'block');
  assert.equal(styles.outside, '100', 'the element\'s .summary rule stays in');
  await page.screenshot('embed-three-after');
  expectNoProblems(assert, page);
  await page.close();

  const phone = await open(env, 'three.html', PHONE);
  await allReady(phone);
  await phone.screenshot('embed-three-phone', { fullPage: true });
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `nothing sticks out sideways on a phone (${overflow}px)`);
  expectNoProblems(assert, phone);
  await phone.close();
});

test('hidden controls show no controls; invalid attributes show inline messages and fall back', async () => {
  const page = await open(env, 'quiet.html');
  await allReady(page);
  for (const id of ['quiet-backprop', 'quiet-draw', 'quiet-train']) {
    const controls = await page.evaluate((i) => document.getElementById(i).shadowRoot.querySelectorAll('button, select, input, textarea').length, id);
    assert.equal(controls, 0, `#${id} has no controls`);
  }
  // Locked to step 3 without controls: the second hidden layer's step.
  assert.match(await text(page, '#quiet-backprop >>> .step-title'), /Step 3 · Hidden layer 2/);
  // A hidden-controls training view still replays its steps from the seed.
  assert.equal(await text(page, '#quiet-train >>> [data-stat="steps"]'), '20');

  const notices = await page.texts('#wrong >>> .notices li');
  for (const key of ['layers', 'digit', 'activation', 'label', 'step', 'model']) {
    assert.ok(notices.some((n) => n.startsWith(`${key}:`)), `a message about ${key}: ${JSON.stringify(notices)}`);
  }
  assert.ok(notices.some((n) => n.includes('<img')), 'the rejected value is shown as text');
  assert.equal(await page.evaluate(() => document.getElementById('wrong').shadowRoot.querySelector('img')), null, 'never parsed as markup');
  assert.equal(await page.attribute('#wrong', 'data-notices'), String(notices.length));
  const warnings = await page.evaluate(() => window.warnings);
  for (const notice of notices) {
    const [key, ...message] = notice.split(': ');
    assert.ok(warnings.includes(`<backprop-lab ${key}>: ${message.join(': ')}`), `the console names ${key} too: ${JSON.stringify(warnings)}`);
  }
  // It still works with the defaults: a 784–16–16–10 network on held-out digit 0.
  assert.match(await text(page, '#wrong >>> .note'), /784–16–16–10/);
  assert.match(await text(page, '#wrong >>> .summary'), /digit #0/);
  for (const id of ['quiet-backprop', 'quiet-draw', 'quiet-train']) {
    assert.equal(await page.attribute(`#${id}`, 'data-notices'), null, `#${id} has no messages`);
  }

  // Changing an attribute rebuilds the element with the new settings.
  await page.evaluate(() => {
    const wrong = document.getElementById('wrong');
    wrong.setAttribute('layers', '8');
    wrong.setAttribute('digit', '2');
    for (const name of ['activation', 'label', 'step', 'model']) wrong.removeAttribute(name);
  });
  await page.waitForFunction(() => {
    const wrong = document.getElementById('wrong');
    return wrong.hasAttribute('data-ready') && /784–8–10/.test(wrong.shadowRoot.querySelector('.note')?.textContent ?? '');
  });
  assert.match(await text(page, '#wrong >>> .summary'), /digit #2: it is a 4/);
  assert.equal(await page.count('#wrong >>> .notices li'), 0);
  await page.screenshot('embed-quiet');
  expectNoProblems(assert, page);
  await page.close();
});

test('a bare element, a capitalised view and an unknown one all show the small draw view; each rejected value is warned about', async () => {
  const page = await open(env, 'defaults.html');
  await allReady(page);
  for (const id of ['bare', 'capital', 'unknown']) {
    assert.equal(await page.attribute(`#${id}`, 'data-view'), 'draw', `#${id} shows the draw view`);
    assert.equal(await page.count(`#${id} >>> iframe`), 0, `#${id} is not the whole playground`);
    assert.equal(await page.count(`#${id} >>> canvas.pad`), 1, `#${id} has the pad`);
  }
  assert.equal(await page.attribute('#capital', 'data-notices'), null, 'enumerations are read whatever their case');
  const warnings = await page.evaluate(() => window.warnings);
  assert.deepEqual(warnings, [
    '<backprop-lab view>: "gallery" is not one of full, draw, network, backprop, train, landscape; the default is used',
    '<backprop-lab pace>: "slow" is not watch, full or a whole number of mini-batches per second from 1 to 1000; watch is used',
  ]);
  expectNoProblems(assert, page);
  await page.close();
});

test('the iframe route takes the same settings in its address', async () => {
  const page = await open(env, 'frame.html#view=backprop&step=3&hidden=16,16&activation=sigmoid&seed=7&digit=1');
  await allReady(page);
  assert.match(await text(page, 'backprop-lab >>> .step-title'), /Step 3 · Hidden layer 2/);
  assert.match(await text(page, 'backprop-lab >>> .summary'), /digit #1: it is a 3/);
  assert.equal(await page.count('backprop-lab >>> .notices li'), 0);

  // A changed hash shows the new settings; the query string works too, and mistakes show.
  await page.evaluate(() => { location.hash = 'view=draw&model=models/digits-small.json&digit=3&controls=hidden'; });
  await page.waitForFunction(() => document.querySelector('backprop-lab').dataset.view === 'draw' && document.querySelector('backprop-lab').hasAttribute('data-ready'));
  assert.equal(await page.count('backprop-lab >>> button'), 0);
  await page.goto(`${env.url}frame.html?view=network&hidden=99999`);
  await allReady(page);
  assert.match((await page.texts('backprop-lab >>> .notices li')).join(), /^hidden: /);
  expectNoProblems(assert, page);
  await page.close();
});

test('view="full" and the iframe route\'s view=full open the playground with the settings', async () => {
  const page = await open(env, 'full.html');
  await allReady(page);
  const src = await page.attribute('#full >>> iframe', 'src');
  assert.match(src, /\/index\.html#hidden=16,16&seed=7$/);
  const frame = page.frame('#full >>> iframe');
  await frame.waitFor('#app:not([hidden])', { timeout: 60_000 });
  await page.goto(`${env.url}frame.html#view=full&hidden=16,16&seed=7`);
  await page.waitForURL(/\/index\.html#hidden=16,16&seed=7$/);
  expectNoProblems(assert, page);
  await page.close();
});

test('the embedding guide: every example is live, and its code is its markup', async () => {
  for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await open(env, 'embed.html', viewport);
    await allReady(page);
    const examples = await page.evaluate(() => [...document.querySelectorAll('figure.example')].map((figure) => ({
      id: figure.id,
      code: figure.querySelector('pre code')?.textContent ?? '',
      tag: figure.querySelector('backprop-lab, iframe').localName,
    })));
    assert.ok(examples.length >= 6, `${examples.length} examples`);
    for (const example of examples) {
      assert.match(example.code, new RegExp(`^<${example.tag} [^>]+></${example.tag}>$`), `#${example.id} shows its code`);
      assert.doesNotMatch(example.code, /data-/, `#${example.id}: only the author's attributes`);
    }
    assert.ok(await page.count('#example-invalid backprop-lab >>> .notices li') >= 2, 'the mistakes example shows messages');
    // The frame's element starts when the frame comes near the reader's viewport.
    await page.evaluate(() => document.querySelector('#example-frame iframe').scrollIntoView({ block: 'center', behavior: 'instant' }));
    const frame = page.frame('#example-frame iframe');
    await frame.waitFor('backprop-lab[data-ready]', { timeout: 60_000 });
    assert.match(await frame.text('backprop-lab >>> .step-title'), /Step 3/);
    // element/fit-frames.js sizes the iframe to its content: no scroll bar inside, no gap below.
    await page.waitForFunction(() => {
      const iframe = document.querySelector('#example-frame iframe');
      const content = iframe.contentDocument.getElementById('frame').getBoundingClientRect().height;
      return content > 0 && iframe.style.height === `${Math.ceil(content)}px`;
    });
    const fit = await page.evaluate(() => {
      const iframe = document.querySelector('#example-frame iframe');
      return { height: iframe.clientHeight, content: iframe.contentDocument.documentElement.scrollHeight };
    });
    assert.ok(fit.content <= fit.height, `no scroll bar inside the frame (${fit.content} px in ${fit.height} px)`);
    await page.screenshot(`embed-${name}`, { fullPage: true });
    if (name === 'phone') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `nothing sticks out sideways on a phone (${overflow}px)`);
    }
    expectNoProblems(assert, page);
    await page.close();
  }
});
