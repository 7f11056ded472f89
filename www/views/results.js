// What the trained network gets wrong on the held-out examples: the confusion matrix (from
// the evaluation that came with the network's snapshot) and a gallery of its mistakes (asked
// of the engine while training is paused). Picking a mistake calls `onPick(index)`.
import { aDigit } from '../js/format.js';
import { el } from './dom.js';
import { inkImage, show } from './images.js';
import { themeOf } from './theme.js';
import { untrained } from './outputs.js';
import { touched, watch } from './watch.js';

const SIDE = 28;

/** A 10×10 confusion matrix (row = true digit, column = prediction) as table rows. */
function confusionRows(confusion) {
  const classes = Math.round(Math.sqrt(confusion.length));
  let max = 1;
  for (let t = 0; t < classes; t++) {
    for (let p = 0; p < classes; p++) if (t !== p) max = Math.max(max, confusion[t * classes + p]);
  }
  const head = el('tr', {}, [
    el('th', { scope: 'col' }, ['true ↓ / said →']),
    ...Array.from({ length: classes }, (_, p) => el('th', { scope: 'col' }, [String(p)])),
  ]);
  const rows = Array.from({ length: classes }, (_, t) => {
    let total = 0;
    for (let p = 0; p < classes; p++) total += confusion[t * classes + p];
    return el('tr', {}, [el('th', { scope: 'row' }, [String(t)]), ...Array.from({ length: classes }, (_, p) => {
      const count = confusion[t * classes + p];
      const td = el('td', { class: t === p ? 'hit' : 'miss' }, [count ? String(count) : '']);
      td.style.setProperty('--strength', t === p ? (total ? (count / total).toFixed(3) : '0') : (count / max).toFixed(3));
      return td;
    })]);
  });
  return [head, ...rows];
}

/** Returns `{ element, destroy }`. */
export function resultsView(session, { onPick }) {
  const confusionTitle = el('h3', { id: 'confusion-title' });
  const confusionHint = el('p', { id: 'confusion-hint', class: 'hint' });
  const confusion = el('table', { id: 'confusion', class: 'confusion' });
  const galleryTitle = el('h3', { id: 'gallery-title' });
  const galleryEmpty = el('p', { id: 'gallery-empty', class: 'hint' });
  const gallery = el('ul', { id: 'gallery', class: 'gallery' });
  const element = el('div', { id: 'results', class: 'results' }, [
    el('div', { class: 'confusion-wrap' }, [confusionTitle, confusionHint, el('div', { class: 'table-scroll' }, [confusion])]),
    el('div', { class: 'gallery-wrap' }, [galleryTitle, el('p', { class: 'hint' }, ['Pick one to load it and step through its lesson.']), galleryEmpty, gallery]),
  ]);

  let listed = null;
  const view = watch(session, (state, changed) => {
    const { evaluation, training, diverged, ownData, heldout, mistakes, network } = state;
    if (!network || !touched(changed, 'evaluation', 'training', 'diverged', 'ownData', 'mistakes', 'network')) return;
    const examples = ownData ? 'examples' : 'digits';
    confusionTitle.textContent = `Confusion matrix (held-out ${ownData ? 'examples of your data' : 'digits'})`;
    confusionHint.textContent = `Rows: the true ${ownData ? 'label' : 'digit'}. Columns: what the network said. The diagonal is right.`;
    galleryTitle.textContent = `Held-out ${examples} it gets wrong`;
    if (changed.has('evaluation') && evaluation) confusion.replaceChildren(...confusionRows(evaluation.confusion));
    const waiting = training.playing ? `Pause training to see the held-out ${examples} it still gets wrong.`
      : diverged ? `Training diverged: restore the last good weights to see the held-out ${examples} it gets wrong.`
        : untrained(state) ? `Train the network first; then the held-out ${examples} it still gets wrong appear here.` : null;
    if (waiting) {
      galleryEmpty.textContent = waiting;
      gallery.replaceChildren();
      listed = null;
      return;
    }
    // While the mistakes of a changed network are found, the last list stays (dimmed), so
    // that nothing below it jumps.
    gallery.classList.toggle('stale', !mistakes);
    if (!mistakes) {
      if (!listed) galleryEmpty.textContent = `Looking for the held-out ${examples} it gets wrong…`;
      session.findMistakes();
      return;
    }
    if (listed === mistakes) return;
    listed = mistakes;
    const { total, mistakes: found } = mistakes;
    galleryEmpty.textContent = total === 0
      ? `It gets every held-out ${examples.slice(0, -1)} right.`
      : `It gets ${total} of ${heldout.length} held-out ${examples} wrong${total > found.length ? `; here are the first ${found.length}` : ''}.`;
    const { rgb } = themeOf(gallery);
    gallery.replaceChildren(...found.map(({ index, label, predicted }) => {
      const canvas = el('canvas', { width: String(SIDE), height: String(SIDE) });
      show(canvas, inkImage(heldout.input(index), rgb, { opaque: true }));
      const item = el('button', {
        type: 'button', class: 'gallery-item', 'data-index': String(index),
        'aria-label': `Held-out ${examples.slice(0, -1)} ${index}: it is ${aDigit(label)}, the network said ${predicted}`,
      }, [canvas, el('span', {}, [`${label} → ${predicted}`])]);
      item.addEventListener('click', () => onPick(index));
      return el('li', {}, [item]);
    }));
  });
  return { element, destroy: view.destroy };
}
