// Keyboard use, labels and the colour-blind-safe palette.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { expectNoProblems, openPage, setup } from './harness.mjs';

let env;

/** The neuron panel's title, once the next frame has drawn it. */
async function expectTitle(page, pattern) {
  await page.waitForFunction((source) => new RegExp(source).test(document.getElementById('neuron-title').textContent), pattern.source, { timeout: 5000 })
    .catch(async () => assert.match(await page.text('#neuron-title'), pattern));
}
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

test('every control has a label and the network picture works from the keyboard', async () => {
  const page = await openPage(env, { hash: '#seed=2&steps=200' });
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('button, input, select, canvas[tabindex]')]
    .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.textContent.trim() || el.getAttribute('aria-labelledby') || el.getAttribute('aria-describedby')))
    .map((el) => el.outerHTML.slice(0, 80)));
  assert.deepEqual(unlabelled, [], 'controls without a label');

  await page.focus('#network-view');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expectTitle(page, /^hidden 1 · neuron 3$/);
  assert.equal(await page.isVisible('#neuron-figure'), true, 'a first-hidden neuron shows its 784 weights');
  const sum = await page.text('#neuron-values dd[data-value="sum"]');
  assert.match(sum, /^[−\d]/);
  await page.keyboard.press('ArrowRight');
  await expectTitle(page, /^hidden 2 · neuron 2$/);
  await page.screenshot('desktop-neuron-focus');
  await page.keyboard.press('ArrowRight');
  await expectTitle(page, /^output \d$/);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expectTitle(page, /^pixel \(15, 15\)$/);

  // The player and the training are reachable with Tab and Enter.
  await page.focus('#step-next');
  await page.keyboard.press('Enter');
  await page.waitFor('#step-table[data-step="1"]');
  await page.focus('#train-step');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('stat-step').textContent === '201');
  expectNoProblems(assert, page);
});

test('the colour-blind-safe palette changes the colours and is remembered', async () => {
  const page = await openPage(env, { hash: '#seed=2&steps=200' });
  const colour = () => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--c-negative').trim());
  const standard = await colour();
  await page.check('#palette-toggle');
  const safe = await colour();
  assert.notEqual(safe, standard);
  await page.click('#step-next');
  await page.waitFor('#step-table[data-step="1"]');
  await page.screenshot('desktop-colour-blind-palette');
  await page.reload();
  await page.waitFor('#app:not([hidden])');
  assert.equal(await page.isChecked('#palette-toggle'), true);
  assert.equal(await colour(), safe);
  expectNoProblems(assert, page);
});
