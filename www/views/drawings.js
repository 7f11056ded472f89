// The learner's own handwriting: the drawing on the pad kept with its label, a gallery to
// look at, relabel and delete, how well the network reads them (now, and when the set last
// changed, beside the held-out accuracy), per digit, the share of each mini-batch they make,
// and the set as MNIST IDX files out and in. Every figure is the engine's evaluation.
import { argmax, percent } from '../js/format.js';
import { drawingInput } from '../js/session.js';
import { button, el } from './dom.js';
import { inkImage, show } from './images.js';
import { themeOf } from './theme.js';
import { touched, watch } from './watch.js';

const SIDE = 28;
const SHOWN = 120;                 // the newest drawings listed; the rest are counted
const SHARES = [
  [0, 'Kept aside: only tested on'],
  [0.1, '10% of every mini-batch'],
  [0.25, '25% of every mini-batch'],
  [0.5, '50% of every mini-batch'],
];
const digits = Array.from({ length: 10 }, (_, d) => d);

/** Per digit drawn: how many, how many read right, and what the others were read as. */
function perDigit(confusion) {
  return digits.map((t) => {
    const row = Array.from(confusion.subarray(t * 10, t * 10 + 10));
    const drawn = row.reduce((a, b) => a + b, 0);
    const wrong = digits.filter((p) => p !== t && row[p] > 0).sort((a, b) => row[b] - row[a]);
    return { drawn, right: row[t], as: wrong.map((p) => `${p}${row[p] > 1 ? ` ×${row[p]}` : ''}`).join(', ') };
  });
}

function table(rows) {
  const cells = (name, f) => el('tr', {}, [el('th', { scope: 'row' }, [name]), ...rows.map((r, d) => el('td', {}, [r.drawn ? f(r, d) : '']))]);
  return [
    el('tr', {}, [el('th', { scope: 'col' }, ['your digit']), ...digits.map((d) => el('th', { scope: 'col' }, [String(d)]))]),
    cells('drawn', (r) => String(r.drawn)),
    cells('read right', (r) => String(r.right)),
    cells('read as', (r) => r.as || '–'),
  ];
}

/** `onExport(part, bytes)` hands an exported IDX file ('images' or 'labels') to the learner. Returns `{ element, keep, destroy }`: `keep` is the row of buttons that keep the drawing, for beside the pad. */
export function drawingsView(session, { onExport }) {
  const kept = el('span', { id: 'kept', class: 'kept', role: 'status' });
  const keep = digits.map((d) => button(String(d), () => session.keepDrawing(d).then(
    () => { kept.textContent = `Kept as ${d}: ${session.state.drawings.labels.length} in your set.`; kept.classList.remove('error'); },
    (e) => { kept.textContent = `${e.message}.`; kept.classList.add('error'); },
  ), { class: 'keep-digit', 'aria-label': `Keep the drawing as a ${d}` }));
  const share = el('select', { id: 'drawing-share' }, SHARES.map(([value, text]) => el('option', { value: String(value) }, [text])));
  share.addEventListener('change', () => act(session.setDrawingShare(Number(share.value)), Number(share.value) > 0
    ? 'Training now mixes your drawings into every mini-batch.' : 'Your drawings are kept aside: the network is only tested on them.'));
  const status = el('p', { id: 'drawings-status', class: 'drawings-status', 'aria-live': 'polite' });
  const message = el('p', { id: 'drawings-message', class: 'drawings-message', role: 'status' });
  const breakdown = el('table', { id: 'drawings-table', class: 'drawings-table' });
  const gallery = el('ul', { id: 'drawings', class: 'gallery drawings' });
  const more = el('p', { class: 'hint' });
  const legend = el('p', { class: 'hint' }, ['A red frame: the network reads that drawing as another digit. Pick one to look at it in the network.']);
  const images = el('input', { type: 'file', id: 'drawings-images', 'aria-label': 'IDX image file to import' });
  const labels = el('input', { type: 'file', id: 'drawings-labels', 'aria-label': 'IDX label file to import' });
  // Two buttons, one file each: browsers hold back a second download started by the same click.
  const exporters = ['images', 'labels'].map((part) => button(`Download the ${part} (IDX)`, () => onExport(part, session.exportDrawings()[part]), { id: `drawings-export-${part}` }));
  const importer = button('Import', importFiles, { id: 'drawings-import' });
  const keepRow = el('div', { class: 'keep-row', role: 'group', 'aria-label': 'Keep the drawing on the pad as' }, [el('span', {}, ['Keep the drawing as']), ...keep, kept]);
  const element = el('div', { class: 'drawings-view' }, [
    el('p', { class: 'hint' }, ['Draw a digit on the pad, then keep it with its label (the buttons under the pad). The network is tested on your drawings after every change, and can train on them too.']),
    el('label', { class: 'share-row' }, ['In training ', share]),
    status,
    el('div', { class: 'table-scroll' }, [breakdown]),
    legend,
    gallery,
    more,
    el('details', { class: 'drawings-files' }, [
      el('summary', {}, ['Export or import the set (MNIST IDX files)']),
      el('div', { class: 'button-row' }, exporters),
      el('div', { class: 'data-files' }, [el('label', {}, ['Images ', images]), el('label', {}, ['Labels ', labels])]),
      el('div', { class: 'button-row' }, [importer]),
    ]),
    message,
  ]);

  function say(text, error = false) {
    message.textContent = text;
    message.classList.toggle('error', error);
  }

  function act(promise, done) {
    promise.then(() => say(done), (e) => say(`${e.message}. Your set is unchanged.`, true));
  }

  async function importFiles() {
    const [i, l] = [images.files[0], labels.files[0]];
    if (!i || !l) {
      say('Pick an image file and a label file first.', true);
      return;
    }
    try {
      const count = await session.importDrawings(await i.arrayBuffer(), await l.arrayBuffer());
      say(`Added ${count} drawings from ${i.name}.`);
    } catch (e) {
      say(`Could not import ${i.name} and ${l.name}: ${e.message}. Your set is unchanged.`, true);
    }
  }

  function item(index, drawings) {
    const label = drawings.labels[index];
    const canvas = el('canvas', { width: String(SIDE), height: String(SIDE) });
    show(canvas, inkImage(drawingInput(drawings, index), themeOf(gallery).rgb, { opaque: true }));
    const look = el('button', { type: 'button', class: 'gallery-item', 'aria-label': `Show drawing ${index + 1}, labelled ${label}` }, [canvas]);
    look.addEventListener('click', () => session.showDrawing(index));
    const relabel = el('select', { class: 'relabel', 'aria-label': `Label of drawing ${index + 1}` }, digits.map((d) => el('option', { value: String(d) }, [String(d)])));
    relabel.value = String(label);
    relabel.addEventListener('change', () => act(session.relabelDrawing(index, Number(relabel.value)), `Drawing ${index + 1} is now labelled ${relabel.value}.`));
    const remove = button('×', () => act(session.deleteDrawing(index), `Deleted drawing ${index + 1}.`), { class: 'delete', 'aria-label': `Delete drawing ${index + 1}` });
    return el('li', { 'data-index': String(index) }, [look, el('div', { class: 'item-row' }, [relabel, remove])]);
  }

  let listed = null;
  const view = watch(session, (state, changed) => {
    const { drawings, digit, evaluation, network, busy } = state;
    if (!network || !touched(changed, 'drawings', 'digit', 'evaluation', 'network', 'busy', 'colours')) return;
    const drawing = digit?.source === 'drawing' && !digit.blank;
    for (const b of keep) b.disabled = busy || !drawing;
    share.value = String(drawings.share);
    for (const b of exporters) b.disabled = drawings.labels.length === 0;
    legend.hidden = drawings.labels.length === 0;
    importer.disabled = busy;
    const count = drawings.labels.length;
    const mine = evaluation?.drawings;
    if (!count || !mine) {
      status.textContent = 'No drawings kept yet.';
      breakdown.replaceChildren();
    } else {
      const before = drawings.before && drawings.before.step !== network.step
        ? ` (${percent(drawings.before.accuracy)} at step ${drawings.before.step}, when the set last changed)` : '';
      status.textContent = `${count} drawing${count > 1 ? 's' : ''}: the network reads ${percent(mine.accuracy)} of them right at step ${evaluation.step}${before}; MNIST held-out digits: ${percent(evaluation.accuracy)}.`;
      breakdown.replaceChildren(...table(perDigit(mine.confusion)));
    }
    if (listed !== drawings || changed.has('colours')) {
      listed = drawings;
      const first = Math.max(0, count - SHOWN);
      gallery.replaceChildren(...Array.from({ length: count - first }, (_, k) => item(count - 1 - k, drawings)));
      more.textContent = first > 0 ? `The newest ${SHOWN} of ${count} are shown.` : '';
    }
    // Right or wrong, by the page's copy of the network (the engine's weights at this step).
    for (const li of gallery.children) {
      const i = Number(li.dataset.index);
      const right = argmax(network.net.predict(drawingInput(drawings, i))) === drawings.labels[i];
      li.classList.toggle('wrong', !right);
    }
  });
  return { element, keep: keepRow, destroy: view.destroy };
}
