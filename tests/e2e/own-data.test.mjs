// A learner's own dataset: MNIST-format IDX files picked from disk (here Fashion-MNIST's test
// files from Debian's dataset-fashion-mnist) train the network, validated on their last 10%;
// a bad file shows the core's message and changes nothing; a button brings the digits back.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PHONE, expectNoProblems, openPage, setup } from './harness.mjs';

const FASHION = '/usr/share/datasets/fashion-mnist';
const IMAGES = join(FASHION, 't10k-images-idx3-ubyte.gz');
const LABELS = join(FASHION, 't10k-labels-idx1-ubyte.gz');
const TRAINING_TIMEOUT = 120_000;

let env;
let temp;
before(async () => {
  env = await setup();
  temp = await mkdtemp(join(tmpdir(), 'backprop-own-data-'));
});
after(async () => {
  await env?.close();
  if (temp) await rm(temp, { recursive: true, force: true });
});

const accuracy = (page) => page.evaluate(() => Number(document.getElementById('stat-heldout').dataset.value || 0));

async function useFiles(page, images, labels) {
  await page.setFiles('#data-images', images);
  await page.setFiles('#data-labels', labels);
  const before = await page.text('#data-message');
  await page.click('#use-data');
  await page.waitForFunction((b) => {
    const text = document.getElementById('data-message').textContent;
    return text !== '' && text !== b;
  }, before, { timeout: 60_000 });
  return page.text('#data-message');
}

test('Fashion-MNIST from disk trains past 70% held-out accuracy; a bad file changes nothing', async (t) => {
  if (!existsSync(IMAGES)) {
    t.skip('SKIPPED: Debian\'s dataset-fashion-mnist is not installed');
    return;
  }
  const page = await openPage(env);
  await page.click('#own-data summary');
  assert.match(await useFiles(page, IMAGES, LABELS), /^Training on t10k-images-idx3-ubyte\.gz and t10k-labels-idx1-ubyte\.gz: 9,000 examples, and the last 1,000 held out/);
  assert.equal(await page.attribute('#data-message', 'class'), 'data-message');
  assert.match(await page.text('#heldout-key'), /last 10% of your data: 1,000 examples/);
  assert.match(await page.text('#digit-source'), /Held-out example #\d+ of your data/);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /digit=/, 'the link names no example of the learner\'s data');
  assert.equal(await page.text('#stat-step'), '0', 'the network restarted from its seed');
  await page.scrollIntoView('#own-data');
  await page.screenshot('desktop-own-data');

  // At full speed: the watchable first epoch would pause on a noisy early rise past 70%.
  await page.select('#train-pace', '');
  await page.click('#train-play');
  await page.waitForFunction(() => Number(document.getElementById('stat-heldout').dataset.value) > 0.7, null, { timeout: TRAINING_TIMEOUT });
  await page.click('#train-play');
  await page.waitForFunction(() => document.getElementById('train-play').getAttribute('aria-pressed') === 'false');
  const steps = await page.text('#stat-step');
  const trained = await accuracy(page);
  assert.ok(trained > 0.7, `held-out accuracy on the last 1,000 Fashion-MNIST images: ${trained}`);
  await page.waitFor('#gallery .gallery-item');
  assert.match(await page.text('#gallery-empty'), /held-out examples wrong/);

  // A truncated image file: the message of the browser's gzip reader, and the data and model
  // stay as they were.
  const truncated = join(temp, 't10k-images-idx3-ubyte.gz');
  const bytes = await readFile(IMAGES);
  await writeFile(truncated, bytes.subarray(0, bytes.length >> 1));
  const message = await useFiles(page, truncated, LABELS);
  assert.match(message, /^Could not use these files: image file: the gzip data is corrupt: [^.]+\. The current data and model are unchanged\.$/);
  assert.equal(await page.attribute('#data-message', 'class'), 'data-message error');
  // Labels picked as images: a different, specific message.
  assert.match(await useFiles(page, LABELS, LABELS), /image file: it must have 3 dimensions \(count, rows, columns\), it has 1/);
  await page.screenshot('desktop-own-data-error');
  assert.equal(await page.text('#stat-step'), steps);
  assert.equal(await accuracy(page), trained);
  assert.match(await page.text('#heldout-key'), /your data/);
  await page.click('#train-step');
  await page.waitForFunction((s) => document.getElementById('stat-step').textContent === String(Number(s) + 1), steps);
  assert.ok(await accuracy(page) > 0.6, 'it still trains on Fashion-MNIST');

  // Back to the embedded digits.
  await page.click('#use-digits');
  await page.waitForFunction(() => document.getElementById('data-message').textContent.startsWith('Back to the embedded MNIST digits'));
  assert.equal(await page.text('#heldout-key'), 'Held-out accuracy (1,000 unseen digits)');
  assert.match(await page.text('#digit-source'), /^Held-out digit #\d+: it is an? \d\./);
  assert.equal(await page.text('#stat-step'), '0');
  assert.match(await page.evaluate(() => location.hash), /digit=\d+/);
  expectNoProblems(assert, page);
});

test('on a phone the own-data control fits', async () => {
  const page = await openPage(env, { viewport: PHONE });
  await page.click('#own-data summary');
  await page.scrollIntoView('#own-data');
  await page.screenshot('phone-own-data');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
  expectNoProblems(assert, page);
});
