// Under the strict Content-Security-Policy the site is served with, the playground, the
// explainer and the embedding guide cause no policy violation and no console error, in the
// page, its frames or its workers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { recordProblems, setup } from './harness.mjs';
import { allReady } from './embed-harness.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

function record() {
  globalThis.cspViolations = [];
  globalThis.addEventListener('securitypolicyviolation', (e) => {
    globalThis.cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} in ${e.sourceFile || location.href}`);
  });
}

/** Opens `path` under the policy the server sends, listening for violations in every document
 *  and worker. */
async function openStrict(path) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(record);
  const page = await context.newPage();
  recordProblems(page);
  page.workerListeners = [];
  page.on('worker', (worker) => {
    page.workerListeners.push(worker.evaluate(record).then(() => worker, () => null));
  });
  const response = await page.goto(env.url + path);
  const policy = response.headers()['content-security-policy'] ?? '';
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'(;|$)/, `${path} is served without the strict policy`);
  assert.match(policy, /style-src 'self'(;|$)/);
  return page;
}

/** Violations seen so far in every frame and in every worker still running. */
async function violations(page) {
  const found = [];
  for (const frame of page.frames()) found.push(...await frame.evaluate(() => globalThis.cspViolations ?? ['no listener in this frame']));
  for (const worker of await Promise.all(page.workerListeners)) {
    if (worker) found.push(...await worker.evaluate(() => globalThis.cspViolations).catch(() => []));
  }
  return found;
}

test('the playground runs without a CSP violation: training, a mistake, the backprop player, the palette', async () => {
  const page = await openStrict('#seed=3');
  await page.waitForSelector('#app:not([hidden])', { timeout: 60_000 });
  await page.click('#train-play');
  await page.waitForFunction(() => Number(document.getElementById('stat-step').textContent) > 200, null, { timeout: 60_000 });
  await page.click('#train-play');
  await page.waitForSelector('#gallery .gallery-item', { timeout: 60_000 });
  await page.click('#gallery .gallery-item');
  for (let i = 0; i < 5; i++) await page.click('#step-next');
  await page.waitForSelector('#step-table[data-step="5"]');
  await page.click('#palette-toggle');
  await page.hover('#network-view');
  assert.ok(page.workerListeners.length >= 1, 'the training worker was watched');
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(page.problems, []);

  // The listener does catch a violation: an inline style is refused by the policy.
  await page.evaluate(() => {
    const style = document.createElement('style');
    style.textContent = 'body { color: red; }';
    document.head.append(style);
  });
  await page.waitForFunction(() => globalThis.cspViolations.length === 1);
  assert.match((await violations(page))[0], /^style-src/);
});

for (const path of ['explainer.html', 'embed.html']) {
  test(`${path} and its elements run without a CSP violation`, async () => {
    const page = await openStrict(path);
    await allReady(page);
    await page.evaluate(() => new Promise((resolve) => { requestAnimationFrame(() => requestAnimationFrame(resolve)); }));
    assert.ok(await page.locator('backprop-lab').count() > 0);
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(page.problems, []);
  });
}
