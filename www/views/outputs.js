// The network's answer: one bar per digit (a tick marks the value before an applied lesson),
// the summary line, and for an untrained network a note saying so, with a button to train it.
import { argmax, num, percent } from '../js/format.js';
import { button, el } from './dom.js';
import { touched, watch } from './watch.js';

const DIGITS = 10;

/** Whether the network has learned anything yet: trained, loaded, or changed by a lesson. */
export function untrained({ network, training }) {
  return network.step === 0 && !training.playing && network.source.kind === 'seed' && network.changes === 0 && !network.tainted;
}

/** `offerTraining`: an untrained network gets a "Train it" button. Returns `{ element, destroy }`. */
export function outputsView(session, { offerTraining = false } = {}) {
  const summary = el('p', { id: 'prediction-summary', class: 'summary', 'aria-live': 'polite' });
  const rows = Array.from({ length: DIGITS }, (_, d) => {
    const fill = el('span', { class: 'bar-fill' });
    const before = el('span', { class: 'bar-before', hidden: '' });
    const value = el('span', { class: 'bar-value' });
    const li = el('li', { class: 'bar', 'data-digit': String(d) }, [
      el('span', { class: 'bar-label' }, [String(d)]), el('span', { class: 'bar-track' }, [before, fill]), value,
    ]);
    return { li, fill, before, value };
  });
  const note = el('div', { id: 'untrained-note', class: 'untrained-note', hidden: '' }, [
    el('p', {}, ['Untrained: its weights are random, and so is its guess.']),
    ...(offerTraining ? [button('▶ Train it', () => session.train(), { id: 'quick-train', class: 'primary' })] : []),
  ]);
  const element = el('div', { class: 'outputs-view' }, [
    summary,
    note,
    el('ol', { id: 'output-bars', class: 'bars', 'aria-label': 'The network’s output for each digit' }, rows.map((r) => r.li)),
  ]);

  const view = watch(session, (state, changed) => {
    const { trace, digit, lesson, network } = state;
    if (!trace || !touched(changed, 'trace', 'lesson', 'network', 'training')) return;
    const p = trace.activations.at(-1);
    const best = argmax(p);
    const probabilities = network.options.loss === 'softmax_cross_entropy';
    const applied = lesson?.applied;
    rows.forEach(({ li, fill, before, value }, d) => {
      li.classList.toggle('best', d === best && !digit.blank);
      li.classList.toggle('desired', d === lesson?.label);
      fill.style.width = `${Math.max(0, Math.min(1, p[d])) * 100}%`;
      before.hidden = !applied;
      if (applied) before.style.left = `${Math.max(0, Math.min(1, applied.before[d])) * 100}%`;
      value.textContent = probabilities ? percent(p[d]) : num(p[d]);
    });
    note.hidden = !untrained(state);
    summary.textContent = digit.blank
      ? 'Draw a digit and the network will guess as you draw.'
      : `The network says ${best}, ${probabilities ? `${percent(p[best])} sure` : `output ${num(p[best])}`}.${applied ? ' The dark ticks mark the outputs before the lesson.' : ''}`;
    summary.dataset.prediction = digit.blank ? '' : String(best);
  });
  return { element, destroy: view.destroy };
}
