// Themes for authors: the light and the dark theme (by attribute, and theme="auto" following
// the reader's system), every text of every view at contrast 4.5:1 or more against what is
// behind it in both, the public custom properties and ::part names reaching inside, and a
// theme changed at run time redrawing the canvases too.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ENGINE, expectNoProblems, setup } from './harness.mjs';
import { allReady, open, siteWithWww } from './embed-harness.mjs';

const HEAD = `<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="themes.css">
<script type="module" src="element/backprop-lab.js"></script>`;

const VIEWS = `view="draw" model="models/digits-small.json" digit="3"|view="backprop" step="2" layers="16,16" seed="7" digit="1"|view="network" model="models/digits-small.json" digit="5" editable|view="train" layers="8" steps="20"|view="landscape" layers="8" steps="20"`.split('|');

const PAGES = {
  'themes.css': `body { margin: 0; background: #fff; }
.panel { background: #0d1117; padding: 1rem; }
.branded { --backprop-lab-accent: #0a7d38; --backprop-lab-font: Georgia, serif; --backprop-lab-pad: #fffbe6; }
.branded::part(button) { border-radius: 0; }
.branded::part(pad) { border-color: #0a7d38; }
`,
  'themes.html': `<!doctype html><html lang="en"><head>${HEAD}<title>Themes</title></head><body>
<div class="panel">${VIEWS.map((v, i) => `<backprop-lab id="dark-${i}" theme="dark" ${v}></backprop-lab>`).join('\n')}</div>
${VIEWS.map((v, i) => `<backprop-lab id="light-${i}" ${v}></backprop-lab>`).join('\n')}
<backprop-lab id="auto" theme="auto" view="draw" digit="3"></backprop-lab>
<backprop-lab id="branded" class="branded" view="draw" digit="3"></backprop-lab>
<backprop-lab id="branded-train" class="branded" view="train" layers="8"></backprop-lab>
</body></html>`,
};

let env;
before(async () => { env = await setup(siteWithWww(PAGES), { cleanup: true }); });
after(async () => { await env?.close(); });

/**
 * In the page: every rendered text of element `id`'s shadow root whose contrast against the
 * colours behind it is below WCAG AA (4.5:1, or 3:1 for large text), and the contrast of the
 * colours its canvases draw text with. Disabled controls are exempt, as in WCAG.
 */
function contrastIn(id) {
  const channels = (colour) => {
    const n = colour.match(/-?[\d.]+(?:e-?\d+)?/g).map(Number);
    const rgb = colour.startsWith('color(') ? n.slice(0, 3).map((v) => v * 255) : n.slice(0, 3);
    return [...rgb, n[3] ?? 1];
  };
  const over = ([r, g, b, a], [R, G, B]) => [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a)];
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const parentOf = (node) => node.parentElement ?? node.getRootNode().host ?? null;
  const behind = (node) => {
    const layers = [];
    for (let n = node; n; n = parentOf(n)) {
      const colour = channels(getComputedStyle(n).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] === 1) break;
    }
    return layers.reduceRight((below, layer) => over(layer, below), [255, 255, 255]);
  };
  const lab = document.getElementById(id);
  const failures = [];
  let checked = 0;
  for (const node of lab.shadowRoot.querySelectorAll('*')) {
    const own = [...node.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent.trim());
    if (!(own || node.matches('select, input')) || node.closest('option, [disabled]') || node.getClientRects().length === 0) continue;
    const style = getComputedStyle(node);
    if (style.visibility === 'hidden') continue;
    const back = behind(node);
    const text = over(channels(style.color), back);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const contrast = ratio(text, back);
    checked++;
    if (contrast < (large ? 3 : 4.5)) failures.push(`${node.localName}.${node.className} "${node.textContent.trim().slice(0, 30)}": ${contrast.toFixed(2)}`);
  }
  // Canvases draw their words in --bl-muted and --bl-ink over --bl-canvas, and the digit in --bl-pad-ink over --bl-pad.
  const probe = document.createElement('span');
  lab.shadowRoot.querySelector('.view').append(probe);
  const colour = (property) => { probe.style.color = `var(${property})`; return channels(getComputedStyle(probe).color); };
  const canvas = {
    muted: ratio(colour('--bl-muted'), colour('--bl-canvas')),
    ink: ratio(colour('--bl-ink'), colour('--bl-canvas')),
    digit: ratio(colour('--bl-pad-ink'), colour('--bl-pad')),
  };
  probe.remove();
  const surface = luminance(behind(lab.shadowRoot.querySelector('.lab')));
  return { failures, checked, canvas, surface };
}

test('the light and the dark theme: every text of every view has contrast 4.5:1 or more', async () => {
  const page = await open(env, 'themes.html');
  await allReady(page);
  for (const theme of ['dark', 'light']) {
    for (let i = 0; i < VIEWS.length; i++) {
      const { failures, checked, canvas, surface } = await page.evaluate(contrastIn, `${theme}-${i}`);
      const where = `${theme} theme, ${VIEWS[i].split(' ')[0]}`;
      assert.ok(checked > 5, `${where}: ${checked} texts checked`);
      assert.deepEqual(failures, [], `${where}: text below 4.5:1`);
      for (const [what, contrast] of Object.entries(canvas)) assert.ok(contrast >= 4.5, `${where}: canvas ${what} at ${contrast.toFixed(2)}:1`);
      assert.ok(theme === 'dark' ? surface < 0.05 : surface > 0.9, `${where}: its surface is ${theme} (luminance ${surface.toFixed(3)})`);
    }
  }
  await page.screenshot('themes', { fullPage: true });
  expectNoProblems(assert, page);
  await page.close();
});

test('authors\' custom properties and ::part names reach inside; a theme changed at run time redraws the canvases', async () => {
  const page = await open(env, 'themes.html');
  await allReady(page);
  const branded = await page.evaluate(() => {
    const root = document.getElementById('branded').shadowRoot;
    const style = (selector, from = root) => getComputedStyle(from.querySelector(selector));
    const train = document.getElementById('branded-train').shadowRoot;
    return {
      font: style('.lab').fontFamily,
      primary: style('button.primary', train).backgroundColor,
      corner: style('button', train).borderTopLeftRadius,
      pad: style('canvas.pad').borderTopColor,
      paper: Array.from(root.querySelector('.preview').getContext('2d').getImageData(0, 0, 1, 1).data),
    };
  });
  assert.match(branded.font, /^Georgia/);
  assert.equal(branded.primary, 'rgb(10, 125, 56)');
  assert.equal(branded.corner, '0px');
  assert.equal(branded.pad, 'rgb(10, 125, 56)');
  assert.deepEqual(branded.paper, [255, 251, 230, 255], 'the digit\'s picture is drawn on the author\'s pad colour');

  // Switching a light element to dark redraws what its canvases drew in the light colours.
  const corner = () => page.evaluate(() => Array.from(document.getElementById('light-1').shadowRoot.querySelector('.preview').getContext('2d').getImageData(0, 0, 1, 1).data));
  assert.deepEqual(await corner(), [255, 255, 255, 255]);
  await page.evaluate(() => document.getElementById('light-1').setAttribute('theme', 'DARK'));
  await page.waitForFunction(() => document.getElementById('light-1').shadowRoot.querySelector('.preview').getContext('2d').getImageData(0, 0, 1, 1).data[0] < 40);
  assert.deepEqual(await corner(), [12, 15, 21, 255]);
  assert.equal(await page.attribute('#light-1', 'data-notices'), null, 'DARK is read whatever its case');
  await page.evaluate(() => document.getElementById('light-1').setAttribute('theme', 'purple'));
  await page.waitFor('#light-1 >>> .notices li', { hasText: /^theme: "purple" is not light, dark, auto; light is used$/ });
  expectNoProblems(assert, page);
  await page.close();
});

test('theme="auto" follows the reader\'s system setting', async () => {
  const page = await open(env, 'themes.html');
  await allReady(page);
  const surfaces = () => page.evaluate(() => ['auto', 'dark-0', 'light-0'].map((id) => getComputedStyle(document.getElementById(id).shadowRoot.querySelector('.lab')).backgroundColor));
  const prefersDark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
  let [auto, dark, light] = await surfaces();
  assert.equal(auto, prefersDark ? dark : light);
  if (ENGINE === 'chromium') {
    // Only Chromium's driver can change the preference (Firefox's BiDi has no media emulation).
    await page.emulateColorScheme(prefersDark ? 'light' : 'dark');
    [auto, dark, light] = await surfaces();
    assert.equal(auto, prefersDark ? light : dark);
    assert.notEqual(dark, light);
  }
  expectNoProblems(assert, page);
  await page.close();
});
