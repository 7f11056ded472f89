// Under the strict Content-Security-Policy the site is served with, the playground, the
// explainer and the embedding guide cause no policy violation and no console error, in the
// page, its frames or its workers. Two witnesses, in both engines: a listener in every
// document, and the reports browsers send the test server (serve.mjs --csp-reports) for every
// violation, workers' included. Each test ends with one violation on purpose: both must see
// it, and only it.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { DESKTOP, setup } from './harness.mjs';
import { allReady } from './embed-harness.mjs';

const REPORT_TIMEOUT = 10_000;

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

function record() {
  globalThis.cspViolations = [];
  globalThis.addEventListener('securitypolicyviolation', (e) => {
    globalThis.cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} in ${e.sourceFile || location.href}`);
  });
}

/** Opens `path` under the policy the server sends, listening for violations in every document. */
async function openStrict(path) {
  env.cspReports.length = 0;
  const page = await env.browser.newPage({ viewport: DESKTOP });
  await page.addInitScript(record);
  const response = await page.goto(env.url + path);
  const policy = response.headers['content-security-policy'] ?? '';
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'(;|$)/, `${path} is served without the strict policy`);
  assert.match(policy, /style-src 'self'(;|$)/);
  return page;
}

/** Violations seen so far by the listeners of every document. */
async function violations(page) {
  const found = [];
  for (const frame of page.frames()) found.push(...await frame.evaluate(() => globalThis.cspViolations ?? ['no listener in this frame']));
  return found;
}

const described = (report) => `${report['effective-directive'] ?? report['violated-directive']} blocked ${report['blocked-uri']} in ${report['document-uri']}`;

/**
 * Adds an inline style, which the policy refuses: the page's listener and a report must tell
 * of it, and the report must be the only one (it comes after all the page did before).
 */
async function expectOnlyTheDeliberateViolation(page) {
  await page.evaluate(() => {
    const style = document.createElement('style');
    style.textContent = 'body { color: red; }';
    document.head.append(style);
  });
  await page.waitForFunction(() => globalThis.cspViolations.length === 1);
  assert.match((await violations(page))[0], /^style-src/);
  const deadline = AbortSignal.timeout(REPORT_TIMEOUT);
  while (!env.cspReports.some((r) => /^style-src/.test(r['effective-directive'] ?? ''))) {
    await once(env.cspReports.events, 'report', { signal: deadline });
  }
  assert.deepEqual(env.cspReports.map(described), [described(env.cspReports.at(-1))], 'the deliberate violation is the only one reported');
  assert.equal(env.cspReports[0]['blocked-uri'], 'inline');
}

test('the playground runs without a CSP violation: training, a mistake, the backprop player, the palette', async () => {
  const page = await openStrict('#seed=3');
  await page.waitFor('#app:not([hidden])', { timeout: 60_000 });
  await page.click('#train-play');
  await page.waitForFunction(() => Number(document.getElementById('stat-step').textContent) > 200, null, { timeout: 60_000 });
  await page.click('#train-play');
  await page.waitFor('#gallery .gallery-item', { timeout: 60_000 });
  await page.click('#gallery .gallery-item');
  for (let i = 0; i < 5; i++) await page.click('#step-next');
  await page.waitFor('#step-table[data-step="5"]');
  await page.click('#palette-toggle');
  await page.hover('#network-view');
  assert.ok(page.workers.length >= 1, 'the training worker ran');
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(page.problems, []);
  await expectOnlyTheDeliberateViolation(page);
});

for (const path of ['explainer.html', 'embed.html']) {
  test(`${path} and its elements run without a CSP violation`, async () => {
    const page = await openStrict(path);
    await allReady(page);
    await page.evaluate(() => new Promise((resolve) => { requestAnimationFrame(() => requestAnimationFrame(resolve)); }));
    assert.ok(await page.count('backprop-lab') > 0);
    if (path === 'embed.html') assert.ok(page.frames().length > 1, 'its iframe example was watched too');
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(page.problems, []);
    await expectOnlyTheDeliberateViolation(page);
  });
}
