// A module worker that owns the training network and the training data. It answers
// `{ id, type }` requests with `{ id, status }` or `{ id, error }` and, while training, pushes
// `{ event: "snapshot" }` messages with the weights (as model JSON) and the metrics.
import { argmax } from './format.js';
import { unsupportedModel } from './url-state.js';
import { Network, loadCore, loadDataset, loadTrainingSets } from './wasm.js';

const CHUNK_MS = 25;              // training time between looks at the message queue
const SNAPSHOT_MS = 250;          // how often the page hears about progress
const MAX_RUN = 64;               // mini-batches per call into the core, at most
const TRAIN_SAMPLE = 1000;        // training digits whose accuracy is charted
const POINT_MIN = 20;             // chart points every this many steps at first…
const POINTS_PER_RUN = 40;        // …then spaced so that a run has about this many more
const MAX_HISTORY = 600;          // older chart points are thinned out beyond this
const MAX_MISTAKES = 48;

let net = null;
let train = null;
let trainSample = null;
let heldout = null;
let history = [];
let confusion = null;
let nextPoint = 0;
let playing = false;
let pace = null;                  // mini-batches per second, or null for full speed
let paced = { since: 0, done: 0 };
let lossSum = 0;
let lossCount = 0;
let speed = { examples: 0, since: 0, perSecond: 0 };
let lastSnapshot = 0;
let loopScheduled = false;

/** Chart points fall on the same steps whether a run is trained live or replayed. */
function pointAfter(step) {
  return step + Math.max(POINT_MIN, Math.round(step / POINTS_PER_RUN));
}

function recordPoint() {
  const sampleEval = net.evaluate(trainSample);
  const heldoutEval = net.evaluate(heldout);
  const point = {
    step: net.steps,
    epoch: train.epoch + train.position / train.length,
    loss: lossCount > 0 ? lossSum / lossCount : sampleEval.loss,
    trainAccuracy: sampleEval.accuracy,
    heldoutAccuracy: heldoutEval.accuracy,
  };
  lossSum = 0;
  lossCount = 0;
  confusion = heldoutEval.confusion;
  if (history.at(-1)?.step === point.step) history.pop();
  history.push(point);
  if (history.length > MAX_HISTORY) history = history.filter((_, i) => i % 2 === 0 || i === history.length - 1);
  nextPoint = pointAfter(net.steps);
}

/** Trains `count` mini-batches, recording chart points on their steps. */
function trainSteps(count) {
  const batch = net.options().training.batchSize;
  let left = count;
  while (left > 0) {
    const n = Math.min(left, nextPoint - net.steps);
    lossSum += net.trainBatches(train, n) * n;
    lossCount += n;
    speed.examples += n * batch;
    left -= n;
    if (!net.isFinite()) return false;
    if (net.steps >= nextPoint) recordPoint();
  }
  return true;
}

function snapshot() {
  if (history.at(-1)?.step !== net.steps) recordPoint();
  lastSnapshot = performance.now();
  // A diverged network cannot be written as JSON; the page keeps its last good copy.
  const model = net.isFinite() ? net.toJSON({ steps: net.steps }) : null;
  return {
    steps: net.steps,
    epoch: train.epoch + train.position / train.length,
    examplesPerSecond: speed.perSecond,
    history,
    confusion,
    model,
    playing,
  };
}

function pushSnapshot() {
  self.postMessage({ event: 'snapshot', ...snapshot() });
}

/** How many mini-batches the pace allows now (all of them at full speed). */
function allowance() {
  if (pace === null) return Infinity;
  return Math.floor(((performance.now() - paced.since) * pace) / 1000) - paced.done;
}

function loop() {
  loopScheduled = false;
  if (!playing) return;
  const start = performance.now();
  let run = 1;
  let healthy = true;
  while (healthy && performance.now() - start < CHUNK_MS) {
    const n = Math.min(run, allowance());
    if (n <= 0) break;
    healthy = trainSteps(n);
    paced.done += n;
    run = Math.min(run * 2, MAX_RUN);
  }
  const now = performance.now();
  if (now - speed.since >= 1000) {
    speed = { examples: 0, since: now, perSecond: Math.round((speed.examples * 1000) / (now - speed.since)) };
  }
  if (!healthy) {
    playing = false;
    pushSnapshot();
    self.postMessage({ event: 'diverged' });
    return;
  }
  if (now - lastSnapshot >= SNAPSHOT_MS) pushSnapshot();
  schedule(pace === null ? 0 : 1000 / pace);
}

function schedule(delay) {
  if (loopScheduled) return;
  loopScheduled = true;
  setTimeout(loop, delay);
}

function start(network, seed) {
  net?.free();
  net = network;
  train.reshuffle(seed);
  history = [];
  lossSum = 0;
  lossCount = 0;
  speed = { examples: 0, since: performance.now(), perSecond: 0 };
  recordPoint();
}

function mistakes() {
  const found = [];
  let total = 0;
  for (let i = 0; i < heldout.length; i++) {
    const predicted = argmax(net.predict(heldout.input(i)));
    const label = heldout.label(i);
    if (predicted !== label) {
      total += 1;
      if (found.length < MAX_MISTAKES) found.push({ index: i, label, predicted });
    }
  }
  return { mistakes: found, total };
}

function stop() {
  playing = false;
}

const handlers = {
  async init() {
    await loadCore();
    const [sets, held] = await Promise.all([loadTrainingSets(0, TRAIN_SAMPLE), loadDataset('heldout', 0)]);
    ({ full: train, sample: trainSample } = sets);
    heldout = held;
    return { trainLength: train.length, heldoutLength: heldout.length, trainSample: trainSample.length };
  },
  configure({ options, step }) {
    stop();
    start(new Network(options), options.seed);
    trainSteps(step);
    return snapshot();
  },
  load({ json }) {
    const loaded = Network.fromJSON(json);
    const problem = unsupportedModel(loaded.options());
    if (problem) {
      loaded.free();
      const error = new Error(problem);
      error.name = 'ModelError';
      throw error;
    }
    stop();
    start(loaded, loaded.options().seed);
    return { ...snapshot(), options: loaded.options() };
  },
  play() {
    if (!net.isFinite()) throw new Error('the network diverged (its weights are not finite); reset it or lower the learning rate');
    playing = true;
    paced = { since: performance.now(), done: 0 };
    speed = { examples: 0, since: performance.now(), perSecond: speed.perSecond };
    schedule(0);
    return { playing };
  },
  pause() {
    stop();
    return snapshot();
  },
  pace({ batchesPerSecond }) {
    pace = batchesPerSecond;
    paced = { since: performance.now(), done: 0 };
    return { pace };
  },
  step() {
    stop();
    trainSteps(1);
    return snapshot();
  },
  apply({ input, label, learningRate }) {
    stop();
    net.applyGradient(input, label, learningRate);
    return snapshot();
  },
  save({ metadata }) {
    return { json: net.toJSON({ ...metadata, steps: net.steps }) };
  },
  mistakes,
};

self.onmessage = async ({ data }) => {
  const { id, type, ...args } = data;
  try {
    const result = await handlers[type](args);
    self.postMessage({ id, status: 'ok', ...result });
  } catch (e) {
    self.postMessage({ id, error: { name: e.name ?? 'Error', message: e.message ?? String(e) } });
  }
};
