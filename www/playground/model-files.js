// Saving the model as a JSON file, training on from a file the learner picks, and copying a
// link to the run, with an honest word on what the link can and cannot rebuild.
import { linkGap } from '../js/session.js';
import { download, readModelFile } from './model-file.js';
import { showMessage } from './notices.js';

const SAVED_FROM = 'backprop-lab playground';
const $ = (id) => document.getElementById(id);

const GAPS = {
  data: 'Copied a link to these settings. Your data stays on this computer, so the link replays them on the MNIST digits.',
  file: 'Copied a link to these settings. The weights came from your file, which a link cannot carry: it opens an untrained network with the same settings. Save the model to share these weights.',
  changed: 'Copied a link to this run. It replays the same settings and steps, but this network was also changed by lessons, edits or a new learning rate along the way, so the link rebuilds a close relative, not these exact weights. Save the model to keep them.',
  edited: 'Copied a link to this run. It replays the same steps, but not the lessons and edits since (a link repeats at most the one lesson on the digit it shows), so save the model to keep these exact weights.',
};

export function modelFiles(session) {
  const messageLine = $('model-message');
  const message = (text, error = false) => showMessage(messageLine, text, error);

  async function save() {
    try {
      const { evaluation, network } = session.state;
      const json = await session.save({ heldoutAccuracy: evaluation?.accuracy ?? null, savedFrom: SAVED_FROM });
      download(json, `backprop-lab-${network.sizes.join('-')}-step${network.step}.json`);
      message(`Saved the model at step ${network.step}.`);
    } catch (e) {
      message(`Could not save: ${e.message}`, true);
    }
  }

  async function load(file) {
    try {
      await session.loadModel(await readModelFile(file), { kind: 'file', name: file.name });
      message(`Loaded ${file.name}, trained ${session.state.network.step} steps. A link describes its settings; the weights themselves live in the file.`);
    } catch (e) {
      message(`Could not load ${file.name}: ${e.message}. The current model is unchanged.`, true);
    }
  }

  async function copyLink() {
    try {
      await navigator.clipboard.writeText(location.href);
      message(GAPS[linkGap(session.state)] ?? 'Copied a link to this run: it rebuilds the same network and replays the same steps.');
    } catch {
      message('Copy the address in the address bar: it holds the whole run.');
    }
  }

  $('save-model').addEventListener('click', save);
  const picker = $('load-model');
  picker.addEventListener('change', () => {
    const file = picker.files[0];
    picker.value = '';
    if (file) load(file);
  });
  $('copy-link').addEventListener('click', copyLink);
  session.subscribe(({ busy }, changed) => {
    if (changed.has('busy')) $('save-model').disabled = busy;
  });
  return { message };
}
