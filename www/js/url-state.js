// The run's whole configuration (architecture, training settings, seed, step) as a URL hash,
// with the page's limits. A value that is unknown or out of range falls back to its default
// and is reported, so that a damaged link still opens a working page.

export const LIMITS = {
  maxHiddenLayers: 4,
  minWidth: 1,
  maxWidth: 128,
  maxBatchSize: 512,
  maxLearningRate: 10,
  maxSeed: 4294967295,
  maxStep: 200000,
};

export const DEFAULTS = Object.freeze({
  hidden: Object.freeze([32, 16]),
  activation: 'relu',
  loss: 'softmax_cross_entropy',
  optimizer: 'sgd',
  learningRate: 0.1,
  batchSize: 32,
  l2: 0,
  seed: 1,
  step: 0,
});

export const ACTIVATIONS = ['relu', 'leaky_relu', 'sigmoid', 'tanh'];
export const LOSSES = ['softmax_cross_entropy', 'sigmoid_squared_error'];
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'];

const KEYS = {
  hidden: 'hidden',
  activation: 'act',
  loss: 'loss',
  optimizer: 'opt',
  learningRate: 'lr',
  batchSize: 'batch',
  l2: 'l2',
  seed: 'seed',
  step: 'step',
};

function integer(text, min, max, what) {
  const value = Number(text);
  if (text === '' || !Number.isInteger(value) || value < min || value > max) {
    return { error: `${what} must be a whole number from ${min} to ${max}` };
  }
  return { value };
}

function oneOf(text, choices, what) {
  return choices.includes(text) ? { value: text } : { error: `${what} must be one of ${choices.join(', ')}` };
}

/** Each check takes the text of one field and returns `{ value }` or `{ error }`. */
export const CHECKS = {
  hidden(text) {
    const parts = text === '' ? [] : String(text).split(',');
    if (parts.length > LIMITS.maxHiddenLayers) {
      return { error: `at most ${LIMITS.maxHiddenLayers} hidden layers fit on the page` };
    }
    const widths = [];
    for (const [i, part] of parts.entries()) {
      const width = integer(part.trim(), LIMITS.minWidth, LIMITS.maxWidth, `hidden layer ${i + 1}`);
      if (width.error) return { error: `${width.error} neurons` };
      widths.push(width.value);
    }
    return { value: widths };
  },
  activation: (text) => oneOf(text, ACTIVATIONS, 'the activation'),
  loss: (text) => oneOf(text, LOSSES, 'the loss'),
  optimizer: (text) => oneOf(text, OPTIMIZERS, 'the optimiser'),
  learningRate(text) {
    const value = Number(text);
    if (text === '' || !Number.isFinite(value) || value <= 0 || value > LIMITS.maxLearningRate) {
      return { error: `the learning rate must be a number above 0 and at most ${LIMITS.maxLearningRate}` };
    }
    return { value };
  },
  batchSize: (text) => integer(text, 1, LIMITS.maxBatchSize, 'the batch size'),
  l2(text) {
    const value = Number(text);
    if (text === '' || !Number.isFinite(value) || value < 0 || value > 1) {
      return { error: 'the L2 penalty must be a number from 0 to 1' };
    }
    return { value };
  },
  seed: (text) => integer(text, 0, LIMITS.maxSeed, 'the seed'),
  step: (text) => integer(text, 0, LIMITS.maxStep, 'the step'),
};

/** Reads a hash such as `#hidden=32,16&lr=0.1`; returns `{ config, problems }`. */
export function parseHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const config = { ...DEFAULTS, hidden: [...DEFAULTS.hidden] };
  const problems = [];
  const known = new Set(Object.values(KEYS));
  for (const key of params.keys()) {
    if (!known.has(key)) problems.push(`the link's "${key}" is not a setting here; it was ignored`);
  }
  for (const [field, key] of Object.entries(KEYS)) {
    if (!params.has(key)) continue;
    const result = CHECKS[field](params.get(key));
    if (result.error) {
      problems.push(`${result.error}; the link said "${params.get(key)}", so the default is used`);
    } else {
      config[field] = result.value;
    }
  }
  return { config, problems };
}

export function toHash(config) {
  const params = new URLSearchParams();
  for (const [field, key] of Object.entries(KEYS)) {
    params.set(key, field === 'hidden' ? config.hidden.join(',') : String(config[field]));
  }
  return `#${params.toString().replaceAll('%2C', ',')}`;
}

/** The options of the core's `Network` constructor for this configuration. */
export function networkOptions(config) {
  return {
    inputs: 784,
    hidden: [...config.hidden],
    outputs: 10,
    activation: config.activation,
    loss: config.loss,
    seed: config.seed,
    training: {
      optimizer: config.optimizer,
      learningRate: config.learningRate,
      batchSize: config.batchSize,
      l2: config.l2,
    },
  };
}

/** The core keeps settings as 32-bit floats: 0.1 comes back as 0.10000000149011612. */
function shortestFloat32(x) {
  for (let digits = 1; digits < 10; digits++) {
    const short = Number(x.toPrecision(digits));
    if (Math.fround(short) === Math.fround(x)) return short;
  }
  return x;
}

/** The configuration of a network the core describes with `options()`, at `step`. */
export function configFromOptions(options, step) {
  return {
    hidden: [...options.hidden],
    activation: options.activation,
    loss: options.loss,
    optimizer: options.training.optimizer,
    learningRate: shortestFloat32(options.training.learningRate),
    batchSize: options.training.batchSize,
    l2: shortestFloat32(options.training.l2),
    seed: options.seed,
    step,
  };
}

/** Why the page cannot show a loaded model with these options, or null if it can. */
export function unsupportedModel(options) {
  if (options.inputs !== 784 || options.outputs !== 10) {
    return `this model has ${options.inputs} inputs and ${options.outputs} outputs; the playground needs 784 (28×28 pixels) and 10 (digits)`;
  }
  const hidden = CHECKS.hidden(options.hidden.join(','));
  if (hidden.error) return `this model does not fit the page: ${hidden.error}`;
  if (options.training.batchSize > LIMITS.maxBatchSize) {
    return `this model's batch size ${options.training.batchSize} is above the page's limit of ${LIMITS.maxBatchSize}`;
  }
  if (options.seed > LIMITS.maxSeed) return `this model's seed ${options.seed} is above ${LIMITS.maxSeed}`;
  return null;
}
