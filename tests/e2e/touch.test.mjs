// Touching the numbers: a weight changed by hand gives exactly the outputs the core's forward
// pass gives with it, undo and "back to the trained weights" restore every weight; the
// gradient check agrees with backpropagation for every activation; every hidden and output
// neuron has a picture of what it looks for.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectNoProblems, openPage, parseShown, setup } from './harness.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

const save = async (page) => (await page.download(() => page.click('#save-model'))).text;

/** The outputs the guess step's table shows (exact values behind "≈ 0"). */
const shownOutputs = (page) => page.evalAll('#step-table tbody tr', (trs) => trs.map((tr) => {
  const td = tr.querySelector('[data-col="output"]');
  return td.dataset.exact ?? td.textContent;
}));

/** The core's outputs for a saved model on held-out digit `index`, computed in the page. */
function coreOutputs(page, json, index) {
  return page.evaluate(async ({ json, index }) => {
    const core = await import('/pkg/backprop_lab.js');
    await core.default();
    const { loadHeldout } = await import('/js/wasm.js');
    const data = await loadHeldout();
    return Array.from(core.Network.fromJSON(json).predict(data.input(index)));
  }, { json, index });
}

test('a weight typed by hand: the outputs are the core\'s, and undo restores every weight', async () => {
  const page = await openPage(env, { hash: '#seed=3&steps=300&digit=4' });
  const trained = await save(page);
  // Keyboard: focus the picture, go to the output layer, pick the first written-out term.
  await page.focus('#network-view');
  for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowRight');
  await page.waitFor('#neuron-title', { hasText: /^output \d$/ });
  await page.click('#neuron-formula .term');
  await page.waitFor('#editor .edit-row input[type="number"]');
  await page.fill('#editor .edit-row:nth-child(1) input[type="number"]', '4.5');
  await page.press('#editor .edit-row:nth-child(1) input[type="number"]', 'Tab');
  const edited = await save(page);
  assert.notEqual(edited, trained, 'the weight changed');
  const expected = await coreOutputs(page, edited, 4);
  const shown = await shownOutputs(page);
  shown.forEach((text, d) => {
    const value = parseShown(text);
    assert.ok(Math.abs(value - expected[d]) <= 1e-3 * Math.abs(expected[d]) + 1e-7, `output ${d}: page ${text}, core ${expected[d]}`);
  });
  await page.screenshot('desktop-weight-edited');
  await page.click('#edit-undo');
  await page.waitForFunction(() => document.getElementById('edit-undo').classList.contains('unused'));
  assert.equal(await save(page), trained, 'undo brings back every weight, bit for bit');

  // A bias, then "back to the trained weights".
  await page.focus('#network-view');
  await page.keyboard.press('ArrowLeft');
  await page.fill('#editor .edit-row:nth-child(2) input[type="number"]', '-3');
  await page.press('#editor .edit-row:nth-child(2) input[type="number"]', 'Tab');
  assert.notEqual(await save(page), trained);
  await page.click('#edit-back');
  await page.waitForFunction(() => !document.getElementById('edit-undo').classList.contains('unused'));
  assert.equal(await save(page), trained, 'back to the trained weights, bit for bit');
  expectNoProblems(assert, page);
  await page.close();
});

for (const activation of ['relu', 'leaky_relu', 'sigmoid', 'tanh']) {
  test(`the gradient check agrees with backpropagation (${activation})`, async () => {
    const page = await openPage(env, { hash: `#activation=${activation}&seed=5&steps=100&digit=9` });
    // The probes' module, its JavaScript included, is fetched when a probe is first used.
    const probeFiles = () => page.evaluate(() => performance.getEntriesByType('resource')
      .map((r) => new URL(r.name).pathname).filter((path) => path.startsWith('/pkg-probe')));
    assert.deepEqual(await probeFiles(), [], 'nothing of the probes with the page');
    await page.click('#check-run');
    await page.waitFor('#check-table tbody tr');
    const [glue, wasm, ...more] = await probeFiles();
    assert.equal(glue, '/pkg-probe/backprop_probe.js');
    assert.match(wasm, /^\/pkg-probe(-fma)?\/backprop_probe_bg\.wasm$/, 'the build beside the page\'s core');
    assert.deepEqual(more, []);
    const summary = await page.text('#check-summary');
    const [, agree, judged] = /(\d+) of (\d+) agree/.exec(summary);
    assert.equal(agree, judged, summary);
    assert.ok(Number(judged) >= 15, `most of the 20 are away from kinks: ${summary}`);
    assert.equal(await page.count('#check-table tbody tr'), 20);
    // First-layer weights come from the digit's inked pixels, so each has a gradient to check
    // (only a ReLU that is off for this digit gives its weights 0).
    const pixels = (await page.evalAll('#check-table tbody tr', (rows) => rows.map((r) => [r.cells[0].textContent, r.cells[1].textContent])))
      .filter(([name]) => name.startsWith('pixel'));
    assert.ok(pixels.length >= 3, `first-layer weights are checked: ${pixels}`);
    const zero = pixels.filter(([, gradient]) => gradient === '0');
    if (activation === 'relu') {
      assert.ok(zero.length < pixels.length, `${pixels}`);
      assert.equal(/nudging the weight changes nothing for this digit/.test(summary), zero.length > 0, summary);
    }
    else assert.deepEqual(zero, [], 'no weight from a blank pixel');
    expectNoProblems(assert, page);
    await page.close();
  });
}

test('every hidden and output neuron has a picture of what it looks for', async () => {
  const page = await openPage(env, { hash: '#seed=3&steps=300' });
  await page.scrollIntoView('#features-slot');
  await page.waitForFunction(() => document.querySelectorAll('.feature-layer.pending').length === 0 && document.querySelectorAll('.feature-layer').length === 3, null, { timeout: 30_000 });
  const pictures = await page.evalAll('.feature canvas', (canvases) => canvases.map((c) => {
    const data = c.getContext('2d').getImageData(0, 0, 28, 28).data;
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 250 || data[i + 1] < 250) ink += 1;
    return ink;
  }));
  assert.equal(pictures.length, 32 + 16 + 10, 'one per neuron of hidden layers 1 and 2 and the outputs');
  pictures.forEach((ink, i) => assert.ok(ink > 20, `picture ${i} shows something (${ink} pixels)`));
  await page.click('.feature-layer[data-layer="2"] .feature');
  await page.waitFor('#neuron-title', { hasText: /^hidden 2 · neuron 1$/ });
  assert.match(await page.text('#neuron-figure-caption'), /What excites it most/);
  await page.screenshot('desktop-features', { fullPage: true });
  expectNoProblems(assert, page);
  await page.close();
});
