// Card 5's settings form: learning rate, batch size, optimiser, L2, activation, loss, seed and
// the hidden-layer list. Every change is validated by the core (as a link's key would be) and
// checked against the page's limits; the reason for a refusal goes in the settings message.
import { LIMITS, changedSettings, shortestFloat32 } from './url-state.js';
import { randomSeed } from './wasm.js';

const FIRST_LAYER_WIDTH = 32;   // the width of a hidden layer added to a network without one

/** `configure(settings, { keepPlaying })` rebuilds the network with valid new settings. */
export function createSettingsPanel({ state, dom, configure }) {
  /** Fills the controls and the layer list from `state.settings`. */
  function show() {
    const { network, training } = state.settings;
    dom.lr.value = String(shortestFloat32(training.learningRate));
    dom.batch.value = String(training.batchSize);
    dom.optimizer.value = training.optimizer;
    dom.l2.value = String(shortestFloat32(training.l2));
    dom.activation.value = network.activation;
    dom.loss.value = network.loss;
    dom.seed.value = String(network.seed);
    dom.layers.replaceChildren(...network.hidden.map((width, i) => layerItem(network.hidden, width, i)));
    dom.addLayer.setAttribute('aria-disabled', String(network.hidden.length >= LIMITS.maxHiddenLayers));
  }

  function layerItem(hidden, width, i) {
    const li = document.createElement('li');
    const label = document.createElement('label');
    label.textContent = `Layer ${i + 1}`;
    const input = document.createElement('input');
    input.type = 'number';
    input.min = String(LIMITS.minWidth);
    input.max = String(LIMITS.maxWidth);
    input.step = '1';
    input.value = String(width);
    input.dataset.layer = String(i);
    input.setAttribute('inputmode', 'numeric');
    input.addEventListener('change', () => {
      const widths = [...dom.layers.querySelectorAll('input')].map((el) => el.value.trim());
      changeSetting('hidden', widths.join(','), input);
    });
    label.append(input);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'remove-layer';
    remove.textContent = 'Remove';
    remove.setAttribute('aria-label', `Remove hidden layer ${i + 1}`);
    remove.addEventListener('click', () => {
      changeSetting('hidden', hidden.filter((_, j) => j !== i).join(','), remove);
    });
    li.append(label, remove);
    return li;
  }

  /** Validates one setting with the core (the link's `key`); a valid change restarts the run from the seed with it. */
  async function changeSetting(key, text, control) {
    const result = changedSettings(state.settings, key, text);
    const input = control.tagName !== 'BUTTON';
    if (input) control.setAttribute('aria-invalid', String(Boolean(result.error)));
    if (result.error) {
      dom.settingsMessage.textContent = `Not changed: ${result.error}.`;
      return;
    }
    dom.settingsMessage.textContent = '';
    const next = { ...result.settings, steps: 0 };
    try {
      await configure(next, { keepPlaying: true });
    } catch (e) {
      dom.settingsMessage.textContent = `Not changed: ${e.message}.`;
      if (input) control.setAttribute('aria-invalid', 'true');
      show();
    }
  }

  const fields = [
    [dom.lr, 'lr'], [dom.batch, 'batch'], [dom.optimizer, 'optimizer'], [dom.l2, 'l2'],
    [dom.activation, 'activation'], [dom.loss, 'loss'], [dom.seed, 'seed'],
  ];
  for (const [control, key] of fields) {
    control.addEventListener('change', () => changeSetting(key, control.value.trim(), control));
  }
  dom.settings.addEventListener('submit', (e) => e.preventDefault());
  dom.newSeed.addEventListener('click', () => changeSetting('seed', String(randomSeed()), dom.seed));
  dom.addLayer.addEventListener('click', () => {
    const { hidden } = state.settings.network;
    if (hidden.length >= LIMITS.maxHiddenLayers) {
      dom.settingsMessage.textContent = `Not changed: at most ${LIMITS.maxHiddenLayers} hidden layers fit on the page.`;
      return;
    }
    const width = hidden.length ? Math.max(LIMITS.minWidth, Math.ceil(hidden.at(-1) / 2)) : FIRST_LAYER_WIDTH;
    changeSetting('hidden', [...hidden, width].join(','), dom.addLayer);
  });

  return { show };
}
