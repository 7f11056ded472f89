// Shared set-up for the end-to-end tests: serves a folder (www/ unless told otherwise) with
// scripts/serve.mjs on a free port and starts the engine E2E_BROWSER names (browsers.mjs).
// Every page records console errors, page errors and HTTP errors, so that each test can fail
// on any of them.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './browsers.mjs';

export { DESKTOP, ENGINE, PHONE } from './browsers.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * serve.mjs on a free port, with CSP violation reports: `reports` gets each one as it comes.
 * `flags`: more of serve.mjs's flags (--cdn, --trust=ORIGIN).
 */
export async function startServer(root, flags = []) {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'serve.mjs'), '0', root, '--csp-reports', ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  const reports = Object.assign([], { events: new EventEmitter() });
  const port = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const started = /^backprop-lab: serving .* on http:\/\/localhost:(\d+)$/.exec(line);
      if (started) resolve(started[1]);
      if (line.startsWith('csp-report ')) {
        reports.push(JSON.parse(line.slice('csp-report '.length)));
        reports.events.emit('report');
      }
    });
  });
  return { child, reports, url: `http://localhost:${port}/` };
}

/**
 * Serves `root` (www/ unless given) with scripts/serve.mjs, which sends the site's strict
 * Content-Security-Policy, and starts the browser; `close()` stops both and, with `cleanup`,
 * removes `root`. `flags` go to serve.mjs. `cspReports` lists the violations browsers reported to the server so far,
 * and `cspReports.events` emits 'report' for each.
 */
export async function setup(root = join(ROOT, 'www'), { cleanup = false, flags = [] } = {}) {
  const server = await startServer(root, flags);
  const browser = await launch();
  return {
    url: server.url,
    browser,
    cspReports: server.reports,
    async close() {
      await browser.close();
      server.child.kill();
      if (cleanup) rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the playground (with an optional hash) in a fresh context and waits until it has
 * drawn. `page.problems` collects console, page and HTTP errors; `expectNoProblems` checks it.
 */
export async function openPage(env, { hash = '', viewport } = {}) {
  const page = await env.browser.newPage({ viewport });
  await page.goto(env.url + hash);
  await page.waitFor('#app:not([hidden])', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('#output-bars .bar-value')?.textContent !== '', null, { timeout: 60_000 });
  return page;
}

export function expectNoProblems(assert, page) {
  assert.deepEqual(page.problems, [], 'the page logged errors');
}

/** Numbers as the page writes them ("−0.1234", "+5e−3") back to numbers. */
export function parseShown(text) {
  return Number(text.trim().replaceAll('\u2212', '-').replace(/^\+/, ''));
}

/** Draws strokes on the pad with the mouse; points are fractions (0..1) of the pad's size. */
export function drawWithMouse(page, strokes) {
  return page.drag('#pad', strokes);
}

/** Draws strokes on the pad with one finger (touch input). */
export function drawWithTouch(page, strokes) {
  return page.touch('#pad', strokes);
}

/** A digit "1": one slightly slanted vertical stroke. */
export const ONE = [[[0.52, 0.15], [0.5, 0.4], [0.48, 0.65], [0.47, 0.85]]];

/** A digit "0": an oval traced as one closed stroke. */
export const ZERO = [Array.from({ length: 33 }, (_, i) => {
  const t = (i / 32) * 2 * Math.PI;
  return [0.5 + 0.22 * Math.sin(t), 0.5 - 0.33 * Math.cos(t)];
})];
