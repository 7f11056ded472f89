// The run's whole configuration as settings text (a link's hash, an element's attributes),
// read and written by the core's one settings validator (`parseSettings` / `formatSettings`),
// relative to the defaults so that links stay short. The page adds stricter limits of its
// own: what fits on the screen. A value that is unknown or out of range falls back to its
// default and is reported, so that a damaged link still opens a working page.
import { formatSettings, parseSettings } from '../pkg/backprop_lab.js';

export const LIMITS = {
  maxHiddenLayers: 4,
  minWidth: 1,
  maxWidth: 512,
  maxBatchSize: 512,
};

/** The playground: 784-32-16-10 ReLU, SGD at 0.1, batches of 32, seed 1. */
const PAGE_DEFAULTS = 'hidden=32,16&activation=relu&loss=softmax_cross_entropy&optimizer=sgd&lr=0.1&batch=32&seed=1';
/** An element: the core's defaults with two hidden layers of 16, so that every neuron shows,
 *  in the small draw view (the whole playground only when asked for, with view=full). */
const ELEMENT_DEFAULTS = 'view=draw&hidden=16,16&seed=1';
const FALLBACK = /; the default is used$/;

const parsed = new Map();

function defaultsOf(text) {
  if (!parsed.has(text)) parsed.set(text, parseSettings(text, undefined).settings);
  return structuredClone(parsed.get(text));
}

/** The page's defaults in the core's settings shape. The core must be loaded. */
export const pageDefaults = () => defaultsOf(PAGE_DEFAULTS);

/** An element's defaults in the core's settings shape. The core must be loaded. */
export const elementDefaults = () => defaultsOf(ELEMENT_DEFAULTS);

/** What the page cannot show in these network and training options, as `{ key, message }`s. */
export function pageProblems({ hidden }, { batchSize }) {
  const problems = [];
  if (hidden.length > LIMITS.maxHiddenLayers) {
    problems.push({ key: 'hidden', message: `has ${hidden.length} layers; at most ${LIMITS.maxHiddenLayers} hidden layers fit on the page` });
  } else {
    const wide = hidden.findIndex((width) => width > LIMITS.maxWidth);
    if (wide >= 0) {
      problems.push({ key: 'hidden', message: `has ${hidden[wide]} neurons in hidden layer ${wide + 1}; at most ${LIMITS.maxWidth} fit on the page` });
    }
  }
  if (batchSize > LIMITS.maxBatchSize) {
    problems.push({ key: 'batch', message: `${batchSize} is above the page's batch size limit of ${LIMITS.maxBatchSize}` });
  }
  return problems;
}

/**
 * Reads `key=value&…` text (a hash without its "#") on top of `base` (the page's defaults
 * unless given). Returns `{ settings, notices }`; a value beyond the page's limits falls back to
 * `base`'s, with a notice, as the core does for values beyond its own.
 */
export function readSettings(text, base = pageDefaults()) {
  const { settings, notices } = parseSettings(text, base);
  for (const problem of pageProblems(settings.network, settings.training)) {
    if (problem.key === 'hidden') settings.network.hidden = [...base.network.hidden];
    else settings.training.batchSize = base.training.batchSize;
    notices.push({ key: problem.key, message: `${problem.message}; the default is used` });
  }
  return { settings, notices };
}

/**
 * One control's new value checked by the same validator: `{ settings }` with the change
 * applied to `current`, or `{ error }` saying why it was refused.
 */
export function changedSettings(current, key, text) {
  const { settings, notices } = readSettings(`${key}=${encodeURIComponent(text)}`, current);
  if (notices.length) {
    return { error: notices.map(({ message }) => `${key} ${message.replace(FALLBACK, '')}`).join('; ') };
  }
  return { settings };
}

/** Settings text for these settings, naming only what differs from `base` (the page's defaults). */
export function settingsText(settings, base = pageDefaults()) {
  return formatSettings(settings, base);
}

/** The options of the core's `Network` constructor for these settings. */
export function networkOptions(settings) {
  return { ...settings.network, training: { ...settings.training } };
}

/** `settings` with the architecture and training options of a loaded network. */
export function withOptions(settings, { training, ...network }) {
  return { ...settings, network, training };
}

/** The core keeps settings as 32-bit floats: 0.1 comes back as 0.10000000149011612. */
export function shortestFloat32(x) {
  for (let digits = 1; digits < 10; digits++) {
    const short = Number(x.toPrecision(digits));
    if (Math.fround(short) === Math.fround(x)) return short;
  }
  return x;
}

/** Why the page cannot show a loaded model with these options, or null if it can. */
export function unsupportedModel(options) {
  if (options.inputs !== 784 || options.outputs !== 10) {
    return `this model has ${options.inputs} inputs and ${options.outputs} outputs; the playground needs 784 (28×28 pixels) and 10 (digits)`;
  }
  const [problem] = pageProblems(options, options.training);
  return problem ? `this model does not fit the page: its ${problem.key === 'hidden' ? 'architecture' : 'batch size'} ${problem.message}` : null;
}

/** Why the network cannot learn from a Dataset of own images (28×28, labels 0–9), or null if it can. */
export function unsupportedImages({ rows, cols, classCount }) {
  if (rows !== 28 || cols !== 28) return `these images are ${rows}×${cols} pixels; the network reads 28×28`;
  if (classCount > 10) return `these labels go up to ${classCount - 1}; the network has 10 outputs (0 to 9)`;
  return null;
}
