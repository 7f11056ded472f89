// A module worker that owns the training network and the training data. It answers
// `{ id, type }` requests with `{ id, status }` or `{ id, error }` and, while training, pushes
// `{ event: "snapshot" }` messages with the weights and the metrics. The first snapshot of a
// network carries it as model JSON; later ones only its weights and biases as one transferred
// Float32Array (`parameters`), which the page copies in without parsing. Snapshots are taken
// in order, so the page always has the model before its parameters. When training diverges
// the core puts the network back as it was before the failing call; training stops, and
// snapshots carry the core's message until the page restores (acknowledges) or rebuilds.
import { argmax } from './format.js';
import { unsupportedModel } from './url-state.js';
import { Dataset, Network, gunzipIdx, loadCore, loadDataset, loadTrainingSets, splitIdx } from './wasm.js';
import { answerRequests } from './worker-requests.js';

const CHUNK_MS = 25;              // training time between looks at the message queue
const SNAPSHOT_MS = 250;          // how often the page hears about progress
const MAX_RUN = 64;               // mini-batches per call into the core, at most
const TRAIN_SAMPLE = 1000;        // training digits whose accuracy is charted
const POINT_MIN = 20;             // chart points every this many steps at first…
const POINTS_PER_RUN = 40;        // …then spaced so that a run has about this many more
const MAX_HISTORY = 600;          // older chart points are thinned out beyond this
const MAX_MISTAKES = 48;
const VALIDATION_SHARE = 0.1;     // of a learner's own data, held out for validation

let net = null;
let train = null;
let trainSample = null;
let heldout = null;
let digits = null;                // the embedded MNIST sets, kept while the learner's data is used
let diverged = null;              // the core's message after training diverged, until acknowledged
let sentModel = null;             // the network whose model JSON the page has been sent
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

/**
 * Trains `count` mini-batches, recording chart points on their steps. Returns false when the
 * core stopped a diverging update (training then stops; `diverged` holds its message).
 */
function trainSteps(count) {
  if (diverged) return false;
  const batch = net.options().training.batchSize;
  let left = count;
  while (left > 0) {
    const n = Math.min(left, nextPoint - net.steps);
    try {
      lossSum += net.trainBatches(train, n) * n;
    } catch (e) {
      if (e.name !== 'DivergedError') throw e;
      diverged = e.message;
      playing = false;
      return false;
    }
    lossCount += n;
    speed.examples += n * batch;
    left -= n;
    if (net.steps >= nextPoint) recordPoint();
  }
  return true;
}

function snapshot() {
  if (!diverged && history.at(-1)?.step !== net.steps) recordPoint();
  lastSnapshot = performance.now();
  // While the divergence is unacknowledged nothing new is sent: the page keeps its last copy.
  const good = !diverged;
  const model = good && sentModel !== net ? net.toJSON({ steps: net.steps }) : null;
  const parameters = good && sentModel === net ? net.parameters() : null;
  if (model) sentModel = net;
  return {
    steps: net.steps,
    epoch: train.epoch + train.position / train.length,
    examplesPerSecond: speed.perSecond,
    history,
    confusion,
    model,
    parameters,
    modelSteps: good ? net.steps : null,
    playing,
    diverged,
  };
}

/** A snapshot's parameters are handed over rather than copied. */
const transferOf = (message) => (message.parameters ? [message.parameters.buffer] : []);

function pushSnapshot() {
  const message = { event: 'snapshot', ...snapshot() };
  self.postMessage(message, transferOf(message));
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
    pushSnapshot();
    return;
  }
  if (now - lastSnapshot >= SNAPSHOT_MS) pushSnapshot();
  schedule(pace === null ? 0 : 1000 / pace);
}

/**
 * Runs `loop` after `delay` ms. Without a delay it goes through a message to itself, not
 * `setTimeout(0)`: repeated timeouts are clamped to at least 4 ms each, idle time that would
 * cost about a seventh of the training speed at 25 ms of training per turn.
 */
const wake = new MessageChannel();
wake.port1.onmessage = () => loop();

function schedule(delay) {
  if (loopScheduled) return;
  loopScheduled = true;
  if (delay > 0) setTimeout(loop, delay);
  else wake.port2.postMessage(null);
}

function start(network, seed) {
  net?.free();
  net = network;
  diverged = null;
  train.reshuffle(seed);
  history = [];
  lossSum = 0;
  lossCount = 0;
  speed = { examples: 0, since: performance.now(), perSecond: 0 };
  recordPoint();
}

function findMistakes() {
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

function refuseWhileDiverged() {
  if (diverged) throw new Error(`${diverged}. Restore the last good weights, lower the learning rate or reset first`);
}

/** Validates a learner's IDX files with the core and splits off the last tenth for validation. */
async function ownData(imageFile, labelFile) {
  const [images, labels] = await gunzipIdx(imageFile, labelFile);
  const whole = Dataset.fromIdx(images, labels, 0);
  const { length, rows, cols, classCount } = whole;
  whole.free();
  if (rows !== 28 || cols !== 28) {
    throw new Error(`these images are ${rows}×${cols} pixels; the playground's network reads 28×28`);
  }
  if (classCount > 10) throw new Error(`these labels go up to ${classCount - 1}; the network has 10 outputs (0 to 9)`);
  const validation = Math.max(1, Math.round(length * VALIDATION_SHARE));
  if (length - validation < 1) throw new Error(`these files hold ${length} example; at least 2 are needed`);
  const parts = splitIdx(images, labels, length - validation);
  const sets = {
    train: Dataset.fromIdx(...parts.first, 0),
    sample: Dataset.fromIdx(...splitIdx(...parts.first, Math.min(TRAIN_SAMPLE, length - validation)).first, 0),
    heldout: Dataset.fromIdx(...parts.rest, 0),
  };
  return { sets, validation: parts.rest };
}

function useSets(sets) {
  if (train && train !== digits.train) {
    train.free();
    trainSample.free();
    heldout.free();
  }
  ({ train, sample: trainSample, heldout } = sets);
}

const handlers = {
  async init() {
    await loadCore();
    const [sets, held] = await Promise.all([loadTrainingSets(0, TRAIN_SAMPLE), loadDataset('heldout', 0)]);
    digits = { train: sets.full, sample: sets.sample, heldout: held };
    useSets(digits);
    return { trainLength: train.length, heldoutLength: heldout.length, trainSample: trainSample.length };
  },
  configure({ options, step }) {
    stop();
    start(new Network(options), options.seed);
    const untrained = net.toJSON({ steps: 0 });
    trainSteps(step);
    const result = snapshot();
    // A replay that diverged has no later good copy for the page to show than the untrained one.
    return result.model ? result : { ...result, model: untrained, modelSteps: 0 };
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
    refuseWhileDiverged();
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
    refuseWhileDiverged();
    trainSteps(1);
    return snapshot();
  },
  apply({ input, label, learningRate }) {
    stop();
    refuseWhileDiverged();
    net.applyGradient(input, label, learningRate);
    return snapshot();
  },
  /**
   * Goes on from the weights of before the diverging call, which the core already put back,
   * with new `training` if given.
   */
  restore({ training }) {
    if (!diverged) throw new Error('there are no earlier weights to restore');
    if (training) net.setTraining(training);
    diverged = null;
    return snapshot();
  },
  save({ metadata }) {
    refuseWhileDiverged();
    return { json: net.toJSON({ ...metadata, steps: net.steps }) };
  },
  mistakes() {
    refuseWhileDiverged();
    return findMistakes();
  },
  /** Trains on the learner's IDX files from now on; the page then rebuilds the network. */
  async useData({ images, labels }) {
    const { sets, validation } = await ownData(new Uint8Array(images), new Uint8Array(labels));
    stop();
    useSets(sets);
    const [validationImages, validationLabels] = validation;
    return { trainLength: train.length, heldoutLength: heldout.length, validationImages, validationLabels };
  },
  useDigits() {
    stop();
    useSets(digits);
    return { trainLength: train.length, heldoutLength: heldout.length };
  },
};

answerRequests(handlers, transferOf);
