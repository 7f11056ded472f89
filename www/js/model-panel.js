// Saving the trained model as a JSON file, training on from a loaded file or from the model
// file a link names, and copying a link to the run; their outcome goes in the model message.
import { download, readModelFile } from './model-file.js';
import { showMessage } from './notices.js';
import { withOptions } from './url-state.js';

const SAVED_FROM = 'backprop-lab playground';

/** `training`: the training panel (busy, applySnapshot); `showSettings` refills the settings controls. */
export function createModelPanel({ state, dom, trainer, training, showSettings, notify }) {
  const message = (text, error = false) => showMessage(dom.modelMessage, text, error);

  async function saveModel() {
    try {
      const last = state.training.history.at(-1);
      const { json } = await trainer.save({ heldoutAccuracy: last ? last.heldoutAccuracy : null, savedFrom: SAVED_FROM });
      download(json, `backprop-lab-${state.derived.sizes.join('-')}-step${state.training.steps}.json`);
      message(`Saved the model at step ${state.training.steps}.`);
    } catch (e) {
      message(`Could not save: ${e.message}`, true);
    }
  }

  /** Trains on from the model in `text`; `model` is its path when a link named it. Throws if refused. */
  async function useModelText(text, model) {
    const result = await training.busy(() => trainer.load(text));
    state.settings = { ...withOptions(state.settings, result.options, result.steps), model };
    state.loadedModel = true;
    training.applySnapshot(result);
    showSettings();
  }

  async function loadModel(file) {
    try {
      await useModelText(await readModelFile(file), null);
      message(`Loaded ${file.name}. A link describes its settings; the weights themselves live in the file.`);
    } catch (e) {
      message(`Could not load ${file.name}: ${e.message}. The current model is unchanged.`, true);
    }
  }

  /** The model file a link names, fetched relative to the page; on failure the current network stays. */
  async function loadLinkedModel(model) {
    try {
      const response = await fetch(new URL(model, location.href));
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      await useModelText(await response.text(), model);
      message(`Loaded the link's model ${model}.`);
    } catch (e) {
      notify(`The link's model "${model}" could not be loaded (${e.message}); the network from the link's other settings is shown.`, 'warning');
    }
  }

  async function copyLink() {
    try {
      await navigator.clipboard.writeText(location.href);
      message(state.ownData
        ? 'Copied a link to these settings. Your data stays on this computer, so the link replays them on the MNIST digits.'
        : 'Copied a link to this run: it rebuilds the same network and replays the same steps.');
    } catch {
      message('Copy the address in the address bar: it holds the whole run.');
    }
  }

  dom.save.addEventListener('click', saveModel);
  dom.load.addEventListener('change', () => {
    const file = dom.load.files[0];
    dom.load.value = '';
    if (file) loadModel(file);
  });
  dom.copyLink.addEventListener('click', copyLink);

  return { loadLinkedModel };
}
