// `make package` (scripts/package.mjs): the folder it writes is an npm package whose element
// works when copied into another static site, served with the strict CSP, with no console or
// page error.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { expectNoProblems, setup, startServer } from './harness.mjs';
import { ROOT, allReady, open } from './embed-harness.mjs';

const SITE_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Another site</title>
  <link rel="icon" href="data:,">
  <script type="module" src="vendor/backprop-lab/element/backprop-lab.js"></script>
</head>
<body>
  <h1>An article on another site</h1>
  <backprop-lab id="draw" view="draw" model="vendor/backprop-lab/models/digits-small.json" digit="3"></backprop-lab>
  <backprop-lab id="lesson" view="backprop" step="2" layers="16,16" seed="7" digit="1"></backprop-lab>
  <backprop-lab id="train" view="train" layers="8" steps="5" controls="hidden"></backprop-lab>
  <iframe src="vendor/backprop-lab/frame.html#view=network&amp;model=vendor/backprop-lab/models/digits-accurate.json" width="100%" height="500" title="backprop-lab in a frame"></iframe>
</body>
</html>
`;

/** A page of one site loading the element from another origin, as from jsDelivr or unpkg. */
const CDN_PAGE = (cdn) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>An article loading backprop-lab from a CDN</title>
  <link rel="icon" href="data:,">
  <script type="module" src="${cdn}element/backprop-lab.js"></script>
</head>
<body>
  <h1>An article</h1>
  <backprop-lab id="draw" view="draw" model="${cdn}models/digits-small.json" digit="3"></backprop-lab>
  <backprop-lab id="lesson" view="backprop" step="2" layers="16,16" seed="7" digit="1"></backprop-lab>
  <backprop-lab id="train" view="train" layers="256" steps="5" controls="hidden"></backprop-lab>
</body>
</html>
`;

let env;
let site;
let cdn;
let article;
before(async () => {
  site = mkdtempSync(join(tmpdir(), 'backprop-lab-package-'));
  mkdirSync(join(site, 'vendor'));
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs'), join(site, 'vendor', 'backprop-lab')], { stdio: 'inherit' });
  writeFileSync(join(site, 'index.html'), SITE_PAGE);
  env = await setup(site, { cleanup: true });
  // The same package on a second origin, served as a CDN serves it, and a site that loads it
  // from there with the policy the README gives.
  cdn = await startServer(join(site, 'vendor', 'backprop-lab'), ['--cdn']);
  const articleRoot = mkdtempSync(join(tmpdir(), 'backprop-lab-article-'));
  writeFileSync(join(articleRoot, 'index.html'), CDN_PAGE(cdn.url));
  article = { root: articleRoot, server: await startServer(articleRoot, [`--trust=${cdn.url}`]) };
});
after(async () => {
  await env?.close();
  cdn?.child.kill();
  article?.server.child.kill();
  if (article) rmSync(article.root, { recursive: true, force: true });
});

test('the package is npm-ready: package.json, README, types, and every file it names', () => {
  const dir = join(site, 'vendor', 'backprop-lab');
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'backprop-lab');
  assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
  assert.equal(pkg.type, 'module');
  for (const path of [pkg.main, pkg.types, pkg.exports['.'].default, pkg.exports['.'].types, pkg.exports['./core'].default, pkg.exports['./core'].types]) {
    assert.ok(existsSync(join(dir, path)), `${path} exists`);
  }
  const types = readFileSync(join(dir, pkg.types), 'utf8');
  assert.match(types, /'backprop-lab': BackpropLabElement/);
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  assert.match(readme, /<backprop-lab view="draw"/);
  assert.match(readme, /models\/digits-small\.json` \| 784–16–16–10/);
  for (const path of ['pkg/backprop_lab_bg.wasm', 'pkg-fma/backprop_lab_bg.wasm', 'pkg-threads-fma/backprop_lab_bg.wasm', 'data/mnist-heldout-images.idx.gz', 'data/mnist-train-images.idx.gz', 'js/training-worker.js', 'element/backprop-lab.css', 'frame.html']) {
    assert.ok(existsSync(join(dir, path)), `${path} is in the package`);
  }
  assert.ok(!existsSync(join(dir, 'pkg', '.gitignore')), 'no wasm-pack .gitignore (npm would drop the files it names)');
});

test('copied into another static site, the element works under a strict CSP', async () => {
  const page = await open(env, 'index.html');
  await allReady(page);
  assert.equal(await page.attribute('#draw >>> .summary', 'data-prediction'), '1');
  assert.match(await page.text('#lesson >>> .step-title'), /Step 2/);
  assert.equal(await page.text('#train >>> [data-stat="steps"]'), '5');
  // The frame's element starts when the frame comes near the reader's viewport: allReady
  // scrolled back to the top, so whether it had started depended on how fast the frame loaded.
  await page.evaluate(() => document.querySelector('iframe').scrollIntoView({ block: 'center', behavior: 'instant' }));
  const frame = page.frame('iframe');
  await frame.waitFor('backprop-lab[data-ready]', { timeout: 60_000 });
  assert.match(await frame.text('backprop-lab >>> .note'), /784–128–64–10 network \(digits-accurate\)/);
  assert.equal(await frame.count('backprop-lab >>> .notices li'), 0, 'the frame resolves the model against the page that holds it, as the element does');
  for (const id of ['draw', 'lesson', 'train']) assert.equal(await page.attribute(`#${id}`, 'data-notices'), null);
  await page.screenshot('package-site');
  expectNoProblems(assert, page);
  await page.close();
});

test('loaded from another origin, as from a CDN, every view works, the training worker included', async () => {
  assert.notEqual(new URL(cdn.url).origin, new URL(article.server.url).origin);
  const page = await env.browser.newPage();
  await page.goto(article.server.url);
  await allReady(page);
  assert.equal(await page.attribute('#draw >>> .summary', 'data-prediction'), '1');
  assert.match(await page.text('#lesson >>> .step-title'), /Step 2/);
  assert.equal(await page.text('#train >>> [data-stat="steps"]'), '5', 'the worker started from the other origin and trained');
  // The article is cross-origin isolated and its training network wide enough for threads to
  // pay, so the training worker started its pool workers from the other origin as well.
  const [isolated, cores] = await page.evaluate(() => [crossOriginIsolated, Math.min(8, navigator.hardwareConcurrency)]);
  assert.ok(isolated, 'the article is cross-origin isolated');
  assert.equal(await page.text('#train >>> [data-stat="threads"]'), String(cores), 'it trained on every core');
  for (const id of ['draw', 'lesson', 'train']) assert.equal(await page.attribute(`#${id}`, 'data-notices'), null);
  assert.deepEqual([...article.server.reports, ...cdn.reports], [], 'no CSP violation');
  expectNoProblems(assert, page);
  await page.close();
});
