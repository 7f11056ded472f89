// Set-up for the element's end-to-end tests: serves a site root with scripts/serve.mjs (the
// same strict CSP as the playground) and opens pages that fail on any console or page error.
// `siteWithWww(files)` builds a temporary root holding www/'s folders (linked) plus extra
// pages, so a test page can sit beside the real element without being shipped.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { DESKTOP, SCREENSHOTS } from './harness.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WWW = join(ROOT, 'www');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync',
  '--disable-component-update', '--no-first-run'];

/** A temporary site: every entry of www/ linked in, plus `files` ({ name: text }). */
export function siteWithWww(files) {
  const root = mkdtempSync(join(tmpdir(), 'backprop-lab-site-'));
  for (const name of readdirSync(WWW)) symlinkSync(join(WWW, name), join(root, name));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

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

/** Serves `root` on a free port and starts Chromium; `close()` stops both. */
export async function serve(root, { cleanup = false } = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'serve.mjs'), String(port), root], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
    child.stdout.once('data', resolve);
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    url: `http://localhost:${port}/`,
    browser,
    async close() {
      await browser.close();
      child.kill();
      if (cleanup) rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Opens `path`, recording console and page errors (of workers too) in `page.problems`. */
export async function open(env, path, viewport = DESKTOP) {
  const { isMobile, hasTouch, deviceScaleFactor, ...size } = viewport;
  const context = await env.browser.newContext({ viewport: size, isMobile, hasTouch, deviceScaleFactor });
  const page = await context.newPage();
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
  await page.goto(env.url + path);
  return page;
}

/** Waits until every <backprop-lab> on the page has finished starting. */
export async function allReady(page, timeout = 90_000) {
  await page.waitForFunction(() => {
    const all = [...document.querySelectorAll('backprop-lab')];
    return all.length > 0 && all.every((e) => e.hasAttribute('data-ready'));
  }, null, { timeout });
}
