// Opening settings in a session, for a playground link and an element's attributes alike: the
// network (a model file, or a seed and its replayed training steps), the digit, the desired
// label and the lesson's step. What cannot be honoured comes back as problems for the caller
// to word; the session then shows the nearest thing it can.
import { applyIndex } from './lesson.js';
import { modelBytes } from './wasm.js';

/** Whether going from settings `a` to `b` needs another network. */
function networkChanged(a, b) {
  return JSON.stringify([a.network, a.training, a.steps, a.model]) !== JSON.stringify([b.network, b.training, b.steps, b.model]);
}

/**
 * Opens `settings` in `session`. `modelBase`: the URL model paths are relative to;
 * `fallback`: settings to use when the core refuses these; `randomDigit`: show a random
 * held-out digit when none is named (else digit 0); `previous`: the settings opened before,
 * to change only what differs. Resolves to a list of problems: `{ key: 'settings' | 'model'
 * | 'digit' | 'step', … }`.
 */
export async function openRun(session, settings, { modelBase, fallback, randomDigit = false, previous = null }) {
  const problems = [];
  const fresh = !previous || networkChanged(previous, settings);
  if (fresh) {
    let opened = false;
    if (settings.model) {
      try {
        const bytes = await modelBytes(new URL(settings.model, modelBase).href);
        await session.loadModel(bytes, { kind: 'model', url: settings.model }, { steps: settings.steps, settings });
        opened = true;
      } catch (e) {
        problems.push({ key: 'model', model: settings.model, message: e.message });
      }
    }
    if (!opened) {
      const own = { ...settings, model: null, steps: settings.model ? 0 : settings.steps };
      try {
        await session.configure(own);
      } catch (e) {
        if (e.name !== 'ConfigError') throw e;
        problems.push({ key: 'settings', message: e.message });
        await session.configure(fallback);
      }
    }
  }
  // With `previous`, only what the settings change is set again, so that the reader's own
  // choices (another digit, another desired label, another step) outlast other changes. A new
  // digit clears the desired label and a new network restarts the lesson: those are set again.
  const changed = (key) => !previous || settings[key] !== previous[key];
  const { heldout } = session.state;
  const { digit, label, backpropStep } = settings;
  let shown = false;
  if (digit !== null && digit >= heldout.length) problems.push({ key: 'digit', digit, count: heldout.length });
  if (digit !== null && digit < heldout.length) {
    shown = changed('digit') || !session.state.digit;
    if (shown) session.showDigit(digit);
  } else if (!previous || !session.state.digit) {
    shown = true;
    if (randomDigit) session.randomDigit();
    else session.showDigit(0);
  }
  if (label !== null ? shown || changed('label') : changed('label')) session.setDesired(label);
  if (backpropStep !== null ? fresh || shown || changed('label') || changed('backpropStep') : changed('backpropStep')) {
    const step = backpropStep ?? 0;
    const last = applyIndex(session.state.lesson.sizes);
    if (step > last) problems.push({ key: 'step', step, last });
    const target = step > last ? last - 1 : step;
    if (target !== session.state.lesson.index) await session.go(target);
  }
  return problems;
}
