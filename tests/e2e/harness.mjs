// Shared set-up for the end-to-end tests: serves www/ with scripts/serve.mjs on a free port,
// launches Debian's Chromium through playwright-core and records every console error and page
// error, so that each test can fail on any of them.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOTS = join(ROOT, 'tests', 'screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync',
  '--disable-component-update', '--no-first-run'];

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startServer(root) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'serve.mjs'), String(port), root], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
    child.stdout.once('data', resolve);
  });
  return { child, url: `http://localhost:${port}/` };
}

/**
 * Serves `root` (www/ unless given) with scripts/serve.mjs, which sends the site's strict
 * Content-Security-Policy, and starts Chromium; `close()` stops both and, with `cleanup`,
 * removes `root`.
 */
export async function setup(root = join(ROOT, 'www'), { cleanup = false } = {}) {
  const server = await startServer(root);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    url: server.url,
    browser,
    async close() {
      await browser.close();
      server.child.kill();
      if (cleanup) rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the playground (with an optional hash) in a fresh context and waits until it has
 * drawn. `page.problems` collects console errors and page errors; `expectNoProblems` checks it.
 */
export async function openPage(env, { hash = '', viewport = DESKTOP } = {}) {
  const { isMobile, hasTouch, deviceScaleFactor, ...size } = viewport;
  const context = await env.browser.newContext({ viewport: size, isMobile, hasTouch, deviceScaleFactor, acceptDownloads: true });
  const page = await context.newPage();
  recordProblems(page);
  await page.goto(env.url + hash);
  await page.waitForSelector('#app:not([hidden])', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('#output-bars .bar-value')?.textContent !== '', null, { timeout: 60_000 });
  return page;
}

/** Collects console errors and page errors, of the page and its workers, in `page.problems`. */
export function recordProblems(page) {
  page.problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  page.on('worker', (worker) => {
    worker.on('console', (message) => {
      if (message.type() === 'error') page.problems.push(`worker console error: ${message.text()}`);
    });
  });
}

export function expectNoProblems(assert, page) {
  assert.deepEqual(page.problems, [], 'the page logged errors');
}

export function screenshot(page, name) {
  return page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** Numbers as the page writes them ("−0.1234", "+5e−3") back to numbers. */
export function parseShown(text) {
  return Number(text.trim().replaceAll('\u2212', '-').replace(/^\+/, ''));
}

/** Draws strokes on the pad with the mouse; points are fractions (0..1) of the pad's size. */
export async function drawWithMouse(page, strokes) {
  const box = await page.locator('#pad').boundingBox();
  for (const stroke of strokes) {
    const [first, ...rest] = stroke;
    await page.mouse.move(box.x + first[0] * box.width, box.y + first[1] * box.height);
    await page.mouse.down();
    for (const [x, y] of rest) {
      await page.mouse.move(box.x + x * box.width, box.y + y * box.height, { steps: 4 });
    }
    await page.mouse.up();
  }
}

/** Draws strokes on the pad with touch events (as a finger would), through Chromium's CDP. */
export async function drawWithTouch(page, strokes) {
  const box = await page.locator('#pad').boundingBox();
  const cdp = await page.context().newCDPSession(page);
  const at = ([x, y]) => ({ x: box.x + x * box.width, y: box.y + y * box.height });
  for (const stroke of strokes) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(stroke[0])] });
    for (const point of stroke.slice(1)) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at(point)] });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  }
  await cdp.detach();
}

/** A digit "1": one slightly slanted vertical stroke. */
export const ONE = [[[0.52, 0.15], [0.5, 0.4], [0.48, 0.65], [0.47, 0.85]]];

/** A digit "0": an oval traced as one closed stroke. */
export const ZERO = [Array.from({ length: 33 }, (_, i) => {
  const t = (i / 32) * 2 * Math.PI;
  return [0.5 + 0.22 * Math.sin(t), 0.5 - 0.33 * Math.cos(t)];
})];
