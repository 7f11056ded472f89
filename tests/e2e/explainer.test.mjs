// The interactive explainer: every section renders its text and its live element, each
// element locked to its idea, on desktop and phone, with no console or page error.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, expectNoProblems, setup } from './harness.mjs';
import { WWW, allReady, open } from './embed-harness.mjs';

// Each section, the view of its element(s), and for backprop elements the step they show.
const SECTIONS = [
  { id: 'try', views: ['draw'] },
  { id: 'neuron', views: ['network'] },
  { id: 'architecture', views: ['network'] },
  { id: 'loss', views: ['backprop'], steps: ['0'], titles: [/The guess/] },
  { id: 'training', views: ['train'] },
  {
    id: 'backprop',
    views: ['backprop', 'backprop', 'backprop', 'backprop'],
    steps: ['1', '2', '3', '4'],
    titles: [/Step 1 · How wrong/, /Step 2 · Change the weights into output 3/, /Step 3 · Hidden layer 2/, /Step 4 · Hidden layer 1/],
  },
  { id: 'apply', views: ['backprop'], steps: ['0'] },
  { id: 'minimum', views: ['landscape'] },
];

let env;
before(async () => { env = await setup(WWW); });
after(async () => { await env?.close(); });

for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`the explainer renders every section with its live element (${name})`, async () => {
    const page = await open(env, 'explainer.html', viewport);
    await allReady(page);
    await page.waitFor('#minimum backprop-lab >>> #landscape-status', { hasText: /^At the centre/, state: 'attached', timeout: 90_000 });
    const found = await page.evaluate(() => [...document.querySelectorAll('main section')].map((section) => ({
      id: section.id,
      heading: section.querySelector('h2')?.textContent ?? '',
      words: section.textContent.split(/\s+/).filter(Boolean).length,
      elements: [...section.querySelectorAll('backprop-lab')].map((e) => {
        const root = e.shadowRoot;
        const canvas = root.querySelector('canvas.network, canvas.pad, canvas.landscape-map');
        let inked = 0;
        if (canvas) {
          const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked += 1;
        }
        return {
          view: e.dataset.view,
          notices: root.querySelectorAll('.notices li').length,
          step: root.querySelector('#step-table')?.dataset.step ?? null,
          title: root.querySelector('.step-title')?.textContent ?? '',
          width: canvas?.getBoundingClientRect().width ?? 0,
          inked,
        };
      }),
    })));
    assert.deepEqual(found.map((s) => s.id), SECTIONS.map((s) => s.id), 'the sections, in order');
    for (const [i, expected] of SECTIONS.entries()) {
      const section = found[i];
      assert.ok(section.heading.length > 5, `#${section.id} has a heading`);
      assert.ok(section.words > 60, `#${section.id} reads on its own (${section.words} words)`);
      assert.deepEqual(section.elements.map((e) => e.view), expected.views, `#${section.id}'s elements`);
      section.elements.forEach((e, j) => {
        assert.equal(e.notices, 0, `#${section.id} element ${j} has no messages`);
        assert.ok(e.width > 0 && e.inked > 100, `#${section.id} element ${j} has drawn its picture`);
        if (expected.steps) assert.equal(e.step, expected.steps[j], `#${section.id} element ${j} shows its step`);
        if (expected.titles) assert.match(e.title, expected.titles[j]);
      });
    }
    // The table of contents points at every section.
    const links = await page.evalAll('.toc a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, SECTIONS.map((s) => `#${s.id}`));
    // Locked elements offer no way to leave their step; the free one at the end does.
    assert.equal(await page.count('#step-2 ~ backprop-lab:nth(0) >>> button:text("Next ▶")'), 0);
    assert.equal(await page.count('#apply backprop-lab >>> button:text("Next ▶")'), 1);
    if (name === 'phone') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `nothing sticks out sideways on a phone (${overflow}px)`);
    }
    await page.screenshot(`explainer-${name}`, { fullPage: true });
    expectNoProblems(assert, page);
    await page.close();
  });
}

test('the explainer\'s last lesson applies the change and the desired output rises', async () => {
  const page = await open(env, 'explainer.html#apply');
  await allReady(page);
  await page.click('#apply backprop-lab >>> button:text("5. Apply")');
  await page.waitForFunction(() => /Apply: every weight/.test(document.querySelector('#apply backprop-lab').shadowRoot.querySelector('.step-title').textContent));
  const rows = await page.evalAll('#apply backprop-lab >>> table.numbers tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  const [, before, after] = rows[3];
  assert.ok(Number(after) > Number(before), `the output for 3 rose: ${before} → ${after}`);
  await page.screenshot('explainer-apply');
  expectNoProblems(assert, page);
  await page.close();
});
