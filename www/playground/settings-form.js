// The playground's settings form: learning rate, batch size, optimiser, L2, activation, loss,
// seed and the hidden-layer list. Each change is checked by the core (as a link's key would
// be) and against the page's limits, in its turn after any change before it; a refusal says
// why in the settings message.
import { LIMITS, changedSettings, shortestFloat32 } from '../js/settings.js';
import { randomSeed } from '../js/wasm.js';
import { button, el } from '../views/dom.js';

const FIRST_LAYER_WIDTH = 32;   // the width of a hidden layer added to a network without one
const CLASSIC = '512,512';      // the classic MNIST MLP's hidden layers (784-512-512-10)
const $ = (id) => document.getElementById(id);

export function settingsForm(session) {
  const form = $('settings');
  const message = $('settings-message');
  const layers = $('layer-list');
  const addLayer = $('add-layer');
  const fields = [['set-lr', 'lr'], ['set-batch', 'batch'], ['set-optimizer', 'optimizer'], ['set-l2', 'l2'], ['set-activation', 'activation'], ['set-loss', 'loss'], ['set-seed', 'seed']];

  /** Fills the controls and the layer list from the session's settings. */
  function show({ network, training }) {
    $('set-lr').value = String(shortestFloat32(training.learningRate));
    $('set-batch').value = String(training.batchSize);
    $('set-optimizer').value = training.optimizer;
    $('set-l2').value = String(shortestFloat32(training.l2));
    $('set-activation').value = network.activation;
    $('set-loss').value = network.loss;
    $('set-seed').value = String(network.seed);
    layers.replaceChildren(...network.hidden.map((width, i) => layerItem(network.hidden, width, i)));
    addLayer.setAttribute('aria-disabled', String(network.hidden.length >= LIMITS.maxHiddenLayers));
  }

  function layerItem(hidden, width, i) {
    const input = el('input', { type: 'number', min: String(LIMITS.minWidth), max: String(LIMITS.maxWidth), step: '1', 'data-layer': String(i), inputmode: 'numeric' });
    input.value = String(width);
    input.addEventListener('change', () => {
      change('hidden', [...layers.querySelectorAll('input')].map((e) => e.value.trim()).join(','), input);
    });
    const remove = button('Remove', () => change('hidden', hidden.filter((_, j) => j !== i).join(','), remove), {
      class: 'remove-layer', 'aria-label': `Remove hidden layer ${i + 1}`,
    });
    return el('li', {}, [el('label', {}, [`Layer ${i + 1}`, input]), remove]);
  }

  /** One setting through the session's queue: it restarts the run from the seed, or says why not. */
  async function change(key, text, control) {
    const input = control.tagName !== 'BUTTON';
    message.textContent = '';
    try {
      await session.changeSetting(key, text, changedSettings);
      if (input) control.setAttribute('aria-invalid', 'false');
    } catch (e) {
      message.textContent = `Not changed: ${e.message}.`;
      if (input) control.setAttribute('aria-invalid', 'true');
      show(session.state.settings);
    }
  }

  for (const [id, key] of fields) {
    const control = $(id);
    control.addEventListener('change', () => change(key, control.value.trim(), control));
  }
  form.addEventListener('submit', (e) => e.preventDefault());
  $('new-seed').addEventListener('click', () => change('seed', String(randomSeed()), $('set-seed')));
  addLayer.addEventListener('click', () => {
    const { hidden } = session.state.settings.network;
    if (hidden.length >= LIMITS.maxHiddenLayers) {
      message.textContent = `Not changed: at most ${LIMITS.maxHiddenLayers} hidden layers fit on the page.`;
      return;
    }
    const width = hidden.length ? Math.max(LIMITS.minWidth, Math.ceil(hidden.at(-1) / 2)) : FIRST_LAYER_WIDTH;
    change('hidden', [...hidden, width].join(','), addLayer);
  });
  $('classic-layers').addEventListener('click', () => change('hidden', CLASSIC, $('classic-layers')));
  session.subscribe((state, changed) => {
    if (changed.has('settings') && state.settings?.network) show(state.settings);
  });
}
