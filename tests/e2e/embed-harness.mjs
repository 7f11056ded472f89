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

/** Waits until every <backprop-lab> on the page has finished starting. */
export async function allReady(page, timeout = 90_000) {
  await page.waitForFunction(() => {
    const all = [...document.querySelectorAll('backprop-lab')];
    return all.length > 0 && all.every((e) => e.hasAttribute('data-ready'));
  }, null, { timeout });
}
