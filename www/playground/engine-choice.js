// Which engine trains the playground's network: on every core when its widest hidden layer
// makes threads pay (and the page may share memory), and with fused multiply-adds when the
// learner turns them on (relaxed SIMD: faster, not bit-identical across computers). That
// choice belongs to this browser, kept in its storage and never in a link, since only runs
// without it reproduce bit for bit. When either changes, training moves to the right engine
// with the network as it is.
import { moveEngine } from '../js/lab.js';
import { fmaAvailable, threadsPay, trainingThreads } from '../js/wasm.js';

const STORAGE_KEY = 'backprop-lab.fma';
const $ = (id) => document.getElementById(id);

let fmaChosen = null;   // the stored choice, read once

function storedFma() {
  if (fmaChosen === null) {
    try {
      fmaChosen = localStorage.getItem(STORAGE_KEY) === 'on';
    } catch {
      fmaChosen = false;
    }
  }
  return fmaChosen;
}

function storeFma(on) {
  fmaChosen = on;
  try {
    localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this visit only.
  }
}

/** The engine for a network with these hidden layers: `{ threads, fma }` for `createSession`. */
export function wantedEngine(hidden) {
  return { threads: threadsPay(hidden), fma: fmaAvailable() && storedFma() };
}

/** The fused-multiply-add switch, and training kept on the wanted engine as the network changes. */
export function engineChoice(session, { notify }) {
  const box = $('set-fma');
  const note = $('fma-note');
  const available = fmaAvailable();
  box.checked = available && storedFma();
  box.disabled = !available;
  let moving = false;
  let refused = null;    // the engine last refused, not asked for again until something changes

  function wanted({ settings }) {
    const { threads, fma } = wantedEngine(settings.network.hidden);
    return { threads: threads ? trainingThreads() : 1, fma };
  }

  function describe({ training, diverged, ownData }) {
    let text;
    if (!available) text = 'Not available: this browser does not run relaxed SIMD.';
    else if (box.checked === training.fma) text = training.fma ? 'On: a multiply-add may round once instead of twice.' : 'Off: the same bits on every computer.';
    else if (diverged) text = 'Waiting until the network is restored.';
    else if (ownData) text = 'Waiting: the network is training on your own files.';
    else if (!session.hasTraining) text = `${box.checked ? 'On' : 'Off'} from the first training step.`;
    else text = box.checked ? 'Turning on…' : 'Turning off…';
    if (note.textContent !== text) note.textContent = text;
  }

  async function follow(state) {
    describe(state);
    // Until something trains, the engine's training digits are not even loaded: moving waits.
    if (moving || state.busy || !state.settings?.network || !session.hasTraining) return;
    const want = wanted(state);
    const running = { threads: state.training.threads, fma: state.training.fma };
    const key = `${want.threads}/${want.fma}`;
    if (want.threads === running.threads && want.fma === running.fma) return;
    if (refused === key || state.diverged || state.ownData) return;
    moving = true;
    try {
      await moveEngine(session, { threads: want.threads > 1, fma: want.fma });
      const now = session.state.training;
      // An engine that runs otherwise than asked is not asked again (no endless moves).
      refused = now.threads === want.threads && now.fma === want.fma ? null : key;
    } catch (e) {
      refused = key;
      notify(`Training stays on ${running.threads === 1 ? 'one thread' : `${running.threads} threads`}${running.fma ? ' with fused multiply-adds' : ''}: ${e.message}.`, 'error');
    } finally {
      moving = false;
      follow(session.state);
    }
  }

  box.addEventListener('change', () => {
    storeFma(box.checked);
    refused = null;
    follow(session.state);
  });
  session.subscribe((state, changed) => {
    if (['settings', 'training', 'busy', 'diverged', 'ownData'].some((key) => changed.has(key))) follow(state);
  });
}
