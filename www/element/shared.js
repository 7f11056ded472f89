// What every <backprop-lab> on a page shares: one WebAssembly module, one copy of the held-out
// digits, one parsed stylesheet and one download of each model file. Each element still builds
// its own Network from these, so instances never affect one another.
import { Network, loadCore, loadDataset } from '../js/wasm.js';
import { TrainerClient } from '../js/trainer-client.js';
import { settingsHash } from '../js/url-state.js';
import { parseSettings } from '../pkg/backprop_lab.js';

const STYLESHEET_URL = new URL('./backprop-lab.css', import.meta.url);
const PLAYGROUND_URL = new URL('../index.html', import.meta.url);

/** Element attributes and the settings key each one sets. `layers` stands for `hidden`:
 *  the global HTML attribute `hidden` would hide the element itself. */
export const ATTRIBUTES = {
  view: 'view', step: 'step', layers: 'hidden', activation: 'activation', loss: 'loss',
  init: 'init', seed: 'seed', optimizer: 'optimizer', lr: 'lr', batch: 'batch', l2: 'l2',
  momentum: 'momentum', steps: 'steps', digit: 'digit', label: 'label', model: 'model',
  controls: 'controls',
};
const KEY_TO_ATTRIBUTE = Object.fromEntries(Object.entries(ATTRIBUTES).map(([a, k]) => [k, a]));

let core = null;
let heldout = null;
let sheet = null;
const models = new Map();

export function ready() {
  core ??= loadCore();
  return core;
}

/** The 1,000 held-out digits, loaded once per page. */
export function heldoutDigits() {
  heldout ??= loadDataset('heldout', 0);
  return heldout;
}

/** The element stylesheet, fetched and parsed once, adopted by every shadow root. */
export function stylesheet() {
  sheet ??= fetch(STYLESHEET_URL).then(async (response) => {
    if (!response.ok) throw new Error(`could not load backprop-lab.css: HTTP ${response.status}`);
    const css = new CSSStyleSheet();
    css.replaceSync(await response.text());
    return css;
  });
  return sheet;
}

/** The element's defaults: the core's, with two hidden layers of 16 so every neuron shows. */
export async function elementDefaults() {
  await ready();
  const { settings } = parseSettings('hidden=16,16&seed=1', undefined);
  return settings;
}

/**
 * Settings from an element's attributes through the core's validator. `settings` (raw
 * `key=value&…` text, as in a playground link) is read first; named attributes override it.
 * Returns `{ settings, notices }`; each notice names what the author wrote: a settings key
 * for the `settings` text, an attribute name for an attribute.
 */
export async function settingsFrom(element) {
  const defaults = await elementDefaults();
  const raw = element.getAttribute('settings') ?? '';
  const linked = parseSettings(raw, defaults);
  const parts = [];
  for (const [attribute, key] of Object.entries(ATTRIBUTES)) {
    if (element.hasAttribute(attribute)) {
      parts.push(`${key}=${encodeURIComponent(element.getAttribute(attribute).trim())}`);
    }
  }
  const { settings, notices } = parseSettings(parts.join('&'), linked.settings);
  return {
    settings,
    notices: [
      ...linked.notices,
      ...notices.map(({ key, message }) => ({ key: KEY_TO_ATTRIBUTE[key] ?? key, message })),
    ],
  };
}

/** The playground page for these settings (the full view and the iframe route), in the
 *  page's own link format: only what differs from the playground's defaults. */
export function playgroundUrl(settings) {
  const url = new URL(PLAYGROUND_URL);
  url.hash = settingsHash(settings);
  return url.href;
}

function modelText(url) {
  if (!models.has(url)) {
    models.set(url, fetch(url).then(async (response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.text();
    }));
  }
  return models.get(url);
}

/** Whether a network's layer widths match the settings' hidden layers. */
function sameLayers(net, hidden) {
  const sizes = Array.from(net.sizes());
  return sizes.slice(1, -1).join() === hidden.join();
}

/**
 * The text of the model file `settings.model` names, or null when it names none or cannot be
 * read (`notify(key, message)` then says why). Paths are relative to the page.
 */
export async function modelJson(settings, notify) {
  if (!settings.model) return null;
  const url = new URL(settings.model, document.baseURI).href;
  try {
    return await modelText(url);
  } catch (e) {
    notify('model', `could not load "${settings.model}" (${e.message}); an untrained network is shown instead`);
    return null;
  }
}

/**
 * The element's own network: the pretrained model if `settings.model` names one, otherwise
 * a fresh network from the settings, trained `settings.steps` mini-batches in a worker.
 * `notify(key, message)` reports what could not be honoured. Resolves to `{ net, source }`,
 * `source` naming the model file's network (or null).
 */
export async function buildNetwork(settings, { explicitLayers, notify }) {
  await ready();
  const json = await modelJson(settings, notify);
  if (json !== null) {
    try {
      const net = Network.fromJSON(json);
      if (explicitLayers && !sameLayers(net, settings.network.hidden)) {
        notify('layers', `the model has hidden layers ${Array.from(net.sizes()).slice(1, -1).join(',')}, so those are used`);
      }
      return { net, source: modelName(json, settings.model) };
    } catch (e) {
      notify('model', `"${settings.model}" is not a usable model (${e.message}); an untrained network is shown instead`);
    }
  }
  const options = { ...settings.network, training: settings.training };
  if (settings.steps === 0) return { net: new Network(options), source: null };
  const trainer = new TrainerClient(() => {});
  try {
    await trainer.init();
    const snapshot = await trainer.configure(options, settings.steps);
    if (snapshot.model) return { net: Network.fromJSON(snapshot.model), source: null };
    notify('steps', 'training diverged before that step (lower lr); the untrained network is shown');
    return { net: new Network(options), source: null };
  } finally {
    trainer.terminate();
  }
}

function modelName(json, fallback) {
  try {
    const name = JSON.parse(json).metadata?.name;
    return typeof name === 'string' ? name : fallback;
  } catch {
    return fallback;
  }
}
