// Checking backpropagation: for 20 weights and biases spread over every layer (and the picked
// connection), the gradient backpropagation gives beside a central difference the core works
// out by nudging the weight both ways, their relative difference, and the cases where a ReLU
// changing its mind between the nudges makes the comparison meaningless.
import { num } from '../js/format.js';
import { describeParameter } from '../js/parameters.js';
import { button, el } from './dom.js';
import { touched, watch } from './watch.js';

const AGREE = 1e-3;   // relative difference below which the two agree

/** Returns `{ element, destroy }`. */
export function checkView(session) {
  const failed = (e) => session.emit('notice', { text: `The check could not run: ${e.message}`, kind: 'error' });
  const run = button('Check 20 weights', () => session.checkGradient().catch(failed), { id: 'check-run' });
  const summary = el('p', { id: 'check-summary', class: 'check-summary', 'aria-live': 'polite' });
  const table = el('table', { id: 'check-table', class: 'numbers' });
  const element = el('div', { class: 'check-view' }, [
    el('p', { class: 'hint' }, ['Backpropagation gives the slope of the loss for every weight at once, by the chain rule. The core can also measure it the slow way, one weight at a time: nudge the weight up by h, then down by h, and divide the change of the loss by 2h. If backpropagation is right, the two agree.']),
    el('div', { class: 'buttons' }, [run]),
    summary,
    el('div', { class: 'table-scroll' }, [table]),
  ]);

  const view = watch(session, ({ check, network, lesson }, changed) => {
    if (!network || !touched(changed, 'check', 'network')) return;
    run.textContent = session.state.selected ? 'Check the picked weight and 20 more' : 'Check 20 weights';
    if (!check) {
      summary.textContent = `On the lesson's digit and desired output${lesson?.label !== null ? ` (${lesson.label})` : ''}.`;
      table.replaceChildren();
      return;
    }
    const rows = Array.from(check.indices, (index, i) => ({
      name: describeParameter(network.sizes, index).name,
      analytic: check.analytic[i], numeric: check.numeric[i], relative: check.relative[i], kink: check.kink[i] === 1,
    }));
    const judged = rows.filter((r) => !r.kink);
    const agree = judged.filter((r) => r.relative < AGREE).length;
    const kinks = rows.length - judged.length;
    const still = judged.filter((r) => r.analytic === 0 && r.numeric === 0).length;
    const old = check.version !== network.version ? ' The network has changed since: check again.' : '';
    summary.textContent = `With h = ${num(check.h)}: ${agree} of ${judged.length} agree to better than 1 part in 1,000.${kinks ? ` ${kinks} cannot be compared: a ReLU switches on or off between w − h and w + h, so the loss has a kink there and the difference measures neither side.` : ''}${still ? ` Where both are 0, nudging the weight changes nothing for this digit: its input is 0 (a blank pixel, or a ReLU that is off), or it feeds a ReLU that is off.` : ''} They agree because backpropagation is no approximation: it is the exact slope, worked out backwards one layer at a time.${old}`;
    table.replaceChildren(
      el('thead', {}, [el('tr', {}, ['Weight', 'Backpropagation', 'Central difference', 'Relative difference', ''].map((h) => el('th', { scope: 'col' }, [h])))]),
      el('tbody', {}, rows.map((r) => el('tr', r.kink ? { class: 'kink' } : {}, [
        el('td', {}, [r.name]), el('td', {}, [num(r.analytic)]), el('td', {}, [num(r.numeric)]), el('td', {}, [num(r.relative)]),
        el('td', {}, [r.kink ? 'kink' : r.relative < AGREE ? 'agree' : 'differ']),
      ]))),
    );
  });
  return { element, destroy: view.destroy };
}
