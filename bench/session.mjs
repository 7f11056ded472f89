// What keeping a learner's session costs, in headless Chromium on the playground itself: a
// 784-128-64-10 network trained with Adam and 1,000 of the learner's digits (imported as IDX:
// the first 1,000 held-out digits). Prints the record's size, the save (whole, in the worker
// and IndexedDB, and the page's own part of it) and the restore after a reload, up to the
// first frame drawn after it, from the page's User Timing measures. Needs `make build data`.
//
//   node bench/session.mjs [--runs N]
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 5;
const PORT = 8400 + Math.floor(Math.random() * 500);
const DIGITS = 1000;
const HASH = '#hidden=128,64&optimizer=adam&lr=0.001&seed=1';

const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

/** The first `n` held-out digits as IDX files. */
async function idxFiles(dir, n) {
  const images = gunzipSync(await readFile(join(ROOT, 'www/data/mnist-heldout-images.idx.gz')));
  const labels = gunzipSync(await readFile(join(ROOT, 'www/data/mnist-heldout-labels.idx.gz')));
  const imagePart = Buffer.concat([images.subarray(0, 16), images.subarray(16, 16 + n * 784)]);
  imagePart.writeUInt32BE(n, 4);
  const labelPart = Buffer.concat([labels.subarray(0, 8), labels.subarray(8, 8 + n)]);
  labelPart.writeUInt32BE(n, 4);
  const paths = [join(dir, 'images.idx'), join(dir, 'labels.idx')];
  await writeFile(paths[0], imagePart);
  await writeFile(paths[1], labelPart);
  return paths;
}

const measures = (page, name) => page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);

const temp = await mkdtemp(join(tmpdir(), 'backprop-session-bench-'));
const server = spawn('node', [join(ROOT, 'scripts/serve.mjs'), String(PORT)], { stdio: 'ignore' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  await new Promise((r) => { setTimeout(r, 500); });
  const [images, labels] = await idxFiles(temp, DIGITS);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`http://localhost:${PORT}/index.html${HASH}`);
  await page.waitForSelector('#app:not([hidden])', { timeout: 60_000 });
  await page.click('.drawings-files summary');
  await page.setInputFiles('#drawings-images', images);
  await page.setInputFiles('#drawings-labels', labels);
  await page.click('#drawings-import');
  await page.waitForFunction((n) => document.getElementById('drawings-status').textContent.startsWith(`${n} drawings`), DIGITS, { timeout: 30_000 });
  await page.click('#train-step');
  const saves = [];
  const mainThread = [];
  for (let run = 0; run < RUNS; run++) {
    const before = (await measures(page, 'backprop-lab save')).length;
    await page.click('#train-step');
    await page.waitForFunction((b) => performance.getEntriesByName('backprop-lab save').length > b, before, { timeout: 20_000 });
    saves.push((await measures(page, 'backprop-lab save')).at(-1));
    mainThread.push((await measures(page, 'backprop-lab save: main thread')).at(-1));
  }
  // The session as the page shows it is saved (the address then names it, and a reload restores it).
  await page.waitForFunction(() => document.getElementById('session-status').textContent.endsWith(`(step ${document.getElementById('stat-step').textContent}).`), null, { timeout: 20_000 });
  const size = await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('backprop-lab');
    open.onsuccess = () => {
      const get = open.result.transaction('sessions').objectStore('sessions').get('playground');
      get.onsuccess = () => {
        const { checkpoint, drawings, ...rest } = get.result;
        const bytes = checkpoint.length + drawings.images.length + drawings.labels.length + drawings.order.length;
        resolve({ checkpoint: checkpoint.length, drawings: drawings.images.length + drawings.labels.length + drawings.order.length, total: bytes + JSON.stringify(rest).length });
      };
      get.onerror = () => reject(get.error);
    };
  }));
  const restores = [];
  for (let run = 0; run < RUNS; run++) {
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName('backprop-lab restore').length > 0, null, { timeout: 60_000 });
    restores.push((await measures(page, 'backprop-lab restore'))[0]);
  }
  const ms = (xs) => `${median(xs).toFixed(1)} ms (median of ${xs.length}; ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
  console.log(`784-128-64-10, Adam, ${DIGITS} of the learner's digits, headless Chromium`);
  console.log(`  stored: ${(size.total / 1048576).toFixed(2)} MB (checkpoint ${(size.checkpoint / 1048576).toFixed(2)} MB, digits ${(size.drawings / 1048576).toFixed(2)} MB)`);
  console.log(`  save, whole (worker checkpoint + IndexedDB): ${ms(saves)}`);
  console.log(`  save, the page's own part (handing the record to IndexedDB): ${ms(mainThread)}`);
  console.log(`  restore after a reload, to the first frame drawn: ${ms(restores)}`);
} finally {
  await browser.close();
  server.kill();
  await rm(temp, { recursive: true, force: true });
}
