// Set-up for the element's end-to-end tests (served by harness.mjs's `setup(root)`): opens
// pages that fail on any console, page or HTTP error.
// `siteWithWww(files)` builds a temporary root holding www/'s folders (linked) plus extra
// pages, so a test page can sit beside the real element without being shipped.
import { mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DESKTOP } from './browsers.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WWW = join(ROOT, 'www');

/** A temporary site: every entry of www/ linked in, plus `files` ({ name: text }). */
export function siteWithWww(files) {
  const root = mkdtempSync(join(tmpdir(), 'backprop-lab-site-'));
  for (const name of readdirSync(WWW)) symlinkSync(join(WWW, name), join(root, name));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

/** Opens `path` in a fresh context, recording problems in `page.problems`. */
export async function open(env, path, viewport = DESKTOP) {
  const page = await env.browser.newPage({ viewport });
  await page.goto(env.url + path);
  return page;
}

/**
 * Brings every <backprop-lab> of the page into view in turn (each starts when it comes near
 * the viewport) and waits until each has finished starting; then scrolls back to the top.
 */
export async function allReady(page, timeout = 90_000) {
  await page.waitFor('backprop-lab', { state: 'attached' });
  const count = await page.count('backprop-lab');
  for (let i = 0; i < count; i++) {
    await page.evaluate((n) => document.querySelectorAll('backprop-lab')[n].scrollIntoView({ block: 'center', behavior: 'instant' }), i);
    await page.waitForFunction((n) => document.querySelectorAll('backprop-lab')[n].hasAttribute('data-ready'), i, { timeout });
  }
  await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
}
