// The digit the network reads: the drawing pad (mouse, pen or finger), what the network sees
// (28×28), where the digit came from, and buttons to clear the pad or load a held-out digit.
// Strokes become the session's input once per animation frame.
import { aDigit } from '../js/format.js';
import { button, el } from './dom.js';
import { inkImage, show } from './images.js';
import { DrawingPad } from './pad.js';
import { themeOf } from './theme.js';
import { touched, watch } from './watch.js';

/** `controls`: show the Clear and real-digit buttons. Returns `{ element, destroy }`. */
export function digitView(session, { controls = true } = {}) {
  const canvas = el('canvas', { id: 'pad', class: 'pad', width: '280', height: '280', tabindex: '0', 'aria-label': 'Drawing pad: draw one digit from 0 to 9 with the mouse, a finger or a pen' });
  const preview = el('canvas', { id: 'input-preview', class: 'preview', width: '28', height: '28', role: 'img', 'aria-label': 'What the network sees: the digit as a 28 by 28 grey image' });
  const source = el('p', { id: 'digit-source', class: 'source', 'aria-live': 'polite' });
  let strokes = 0;
  const pad = new DrawingPad(canvas, () => {
    strokes ||= requestAnimationFrame(() => {
      strokes = 0;
      session.draw(pad.input());
    });
  });
  const buttons = controls ? [el('div', { class: 'buttons' }, [
    button('Clear', () => { pad.clear(); session.draw(null); }, { id: 'clear-button' }),
    button('Load a real digit', () => session.randomDigit(), { id: 'sample-button' }),
  ])] : [];
  const element = el('div', { class: 'digit-view' }, [
    el('div', { class: 'pad-row' }, [
      canvas,
      el('figure', { class: 'seen' }, [preview, el('figcaption', {}, ['What the network sees: 28×28 pixels'])]),
    ]),
    ...buttons,
    source,
  ]);

  let shown = null;
  const view = watch(session, (state, changed) => {
    const { digit, ownData } = state;
    if (!digit || !touched(changed, 'digit', 'colours')) return;
    if (digit.source !== 'drawing' && (shown !== digit || changed.has('colours'))) pad.showImage(digit.input);
    shown = digit;
    show(preview, inkImage(digit.input, themeOf(preview).rgb, { opaque: true }));
    if (digit.source === 'heldout') {
      source.textContent = ownData
        ? `Held-out example #${digit.index} of your data: its label is ${digit.label}. The network never trains on it.`
        : `Held-out digit #${digit.index}: it is ${aDigit(digit.label)}. The network never trains on it; draw over it to try your own.`;
      source.dataset.index = String(digit.index);
      source.dataset.label = String(digit.label);
    } else if (digit.source === 'own') {
      source.textContent = `Your drawing #${digit.index + 1}, labelled ${digit.label}.`;
      delete source.dataset.index;
      source.dataset.label = String(digit.label);
    } else {
      source.textContent = digit.blank
        ? 'The pad is empty: draw one digit from 0 to 9, large.'
        : 'Your drawing, fitted into 20×20 pixels and centred by its centre of mass, as MNIST digits were.';
      delete source.dataset.index;
      delete source.dataset.label;
    }
  });
  return { element, destroy: () => { view.destroy(); cancelAnimationFrame(strokes); } };
}
