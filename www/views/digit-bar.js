// A compact line about the digit for the element's network, backprop and training views: a
// small picture of it, what it is, what the network says, and a button for another one.
import { aDigit, argmax, percent } from '../js/format.js';
import { button, el } from './dom.js';
import { inkImage, show } from './images.js';
import { themeOf } from './theme.js';
import { touched, watch } from './watch.js';

/** `controls`: offer "Another digit". Returns `{ element, destroy }`. */
export function digitBar(session, { controls = true } = {}) {
  const preview = el('canvas', { class: 'preview', width: '28', height: '28', role: 'img', 'aria-label': 'The input digit' });
  const summary = el('p', { class: 'summary', 'aria-live': 'polite' });
  const element = el('div', { class: 'bar-row' }, [
    preview, summary, ...(controls ? [button('Another digit', () => session.randomDigit())] : []),
  ]);
  const view = watch(session, ({ digit, trace, network }, changed) => {
    if (!trace || !touched(changed, 'trace', 'digit', 'colours')) return;
    if (touched(changed, 'digit', 'colours')) show(preview, inkImage(digit.input, themeOf(element).rgb, { opaque: true }));
    const out = trace.activations.at(-1);
    const best = argmax(out);
    const sure = network.options.loss === 'softmax_cross_entropy' ? ` (${percent(out[best])})` : '';
    summary.textContent = `${digit.source === 'heldout' ? `Held-out digit #${digit.index}: it is ${aDigit(digit.label)}.` : digit.source === 'own' ? `Your drawing #${digit.index + 1}, labelled ${digit.label}.` : 'Your drawing.'} The network says ${best}${sure}.`;
    summary.dataset.prediction = String(best);
  });
  return { element, destroy: view.destroy };
}
