// The training engine: it owns the training network, the datasets and the training loop, and
// answers a session's requests. It runs in a module worker (training-worker.js) so that the
// page keeps drawing, or in the session's own thread where nothing trains. `emit(event,
// transfer)` pushes news: `snapshot` while training, `progress` during a long replay.
//
// Every answer that changes the network carries one snapshot: its step, its weights and biases
// (`parameters`, one Float32Array; `options` too when the network is a new one), and the
// evaluation and chart history at exactly that step. So everything a page shows of it belongs
// to one state of one network. When training diverges the core leaves the network as it was
// before the failing call (weights, optimiser state and data order); weights can be finite yet
// so large that the outputs overflow, so a held-out loss that is not finite counts as
// divergence too, and the engine then goes back to its checkpoint of the last network whose
// held-out loss was finite. It keeps the message until the session acknowledges it (`restore`).
import { unsupportedImages, unsupportedModel } from './settings.js';
import * as single from './wasm.js';
import { gunzipIdx } from './wasm.js';
import { copyOf, loadProbes, withCopy } from './probes.js';

const CHUNK_MS = 25;              // training time between looks at the message queue
const SNAPSHOT_MS = 250;          // how often the page hears about progress
const MAX_RUN = 64;               // mini-batches per call into the core, at most
const TRAIN_SAMPLE = 1000;        // training digits whose accuracy is charted
const POINT_MIN = 20;             // chart points every this many steps at first…
const POINTS_PER_RUN = 40;        // …then spaced so that a run has about this many more
const MAX_HISTORY = 600;          // older chart points are thinned out beyond this
const MAX_MISTAKES = 48;
const VALIDATION_SHARE = 0.1;     // of a learner's own data, held out for validation
const WATCH_SECONDS = 4;          // pace "watch": the first epoch takes about this long
const MAX_PATH = 64;              // weights kept along the training path, for the landscape
const LINE_POINTS = 61;           // the 1-D slice's points, t from -0.25 to 1.25

/** Chart points fall on the same steps whether a run is trained live or replayed. */
function pointAfter(step) {
  return step + Math.max(POINT_MIN, Math.round(step / POINTS_PER_RUN));
}

// The channel of the turns in flight, held here: a channel referenced only by its own
// handler may be collected with its message on the way (Firefox closes collected ports), and
// the turn would never end. It closes when no turn waits, so that Node can exit.
let turns = null;
const waiting = [];

/** Resolves after the message queue had a turn (a message to ourselves, not a clamped timeout). */
function turn() {
  if (!turns) {
    turns = new MessageChannel();
    turns.port1.onmessage = () => {
      const resolve = waiting.shift();
      if (waiting.length === 0) {
        turns.port1.close();
        turns = null;
      }
      resolve();
    };
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    turns.port2.postMessage(null);
  });
}

function modelError(message) {
  const error = new Error(message);
  error.name = 'ModelError';
  return error;
}

/** The engine's request handlers. */
export function createEngine(emit) {
  let core = single;                // the core's classes: the threaded build's in a pool's worker
  let net = null;
  let stepOffset = 0;               // steps a loaded model had been trained before it was loaded
  const embedded = { train: null, sample: null, heldout: null };
  let own = null;                   // the learner's own sets, while used
  let drawings = null;              // { set, share }: the learner's own labelled drawings
  let mixedIn = false;              // whether this network trained on them (no link replays that)
  let diverged = null;
  let sentNet = null;               // the network whose options the page has
  let history = [];
  let evaluation = null;
  let nextPoint = 0;
  let playing = false;
  let pace = 'watch';               // mini-batches per second, null (full speed) or 'watch'
  let paced = { since: 0, done: 0 };
  let untilEpoch = null;
  let stopped = null;               // why training stopped by itself: 'epochs'
  let lossSum = 0;
  let lossCount = 0;
  let speed = { examples: 0, since: 0, perSecond: 0 };
  let lastSnapshot = 0;
  let looping = false;
  let replay = null;                // { cancelled } while a replay runs
  let shared = null;                // the page's held-out Dataset, not ours to free
  let evaluating = true;            // whether snapshots carry the held-out evaluation
  let version = 0;                  // counts changes of the weights: an evaluation is of one
  let healthy = null;               // the checkpoint of the last network with a finite held-out loss
  let path = [];                    // { step, parameters } at chart points: the way training came
  let initial = null;               // the weights the network started from
  let landscape = null;             // { cancelled } while a landscape is computed

  const sets = () => own ?? embedded;
  const steps = () => stepOffset + net.steps;
  const epoch = () => {
    const { train } = sets();
    return train ? train.epoch + train.position / train.length : 0;
  };

  function evaluate() {
    const e = net.evaluate(sets().heldout);
    const mine = drawings ? net.evaluate(drawings.set) : null;
    evaluation = {
      version, step: steps(), loss: e.loss, accuracy: e.accuracy, confusion: e.confusion, silent: e.silent,
      drawings: mine && { count: mine.count, accuracy: mine.accuracy, confusion: mine.confusion },
    };
    if (!Number.isFinite(e.loss) && !diverged) blowUp(`training diverged at step ${steps()}: the loss became ${e.loss}; try a lower learning rate`);
  }

  /** Keeps a checkpoint of the network now, whose held-out loss is finite. */
  function keepHealthy() {
    healthy?.free();
    healthy = net.checkpoint(sets().train);
  }

  /**
   * Training diverged: it stops, and the network goes back to the last step whose held-out
   * loss is finite, found by training again, one step at a time, from the healthy checkpoint.
   */
  function blowUp(message) {
    diverged = message;
    playing = false;
    evaluate();
    if (Number.isFinite(evaluation.loss) || !healthy) return;
    const { train } = sets();
    const failed = steps();
    net.restore(healthy, train);
    let good = net.checkpoint(train);
    while (steps() < failed) {
      try {
        trainOn(1);
      } catch {
        break;   // the step that diverged changed nothing
      }
      if (!Number.isFinite(net.evaluate(sets().heldout).loss)) {
        net.restore(good, train);
        break;
      }
      good.free();
      good = net.checkpoint(train);
    }
    good.free();
    version += 1;
    lossSum = 0;
    lossCount = 0;
    history = history.filter((point) => point.step <= steps());
    path = path.filter((point) => point.step <= steps());
    nextPoint = pointAfter(steps());
    evaluate();
  }

  function recordPoint() {
    const { sample } = sets();
    const sampleEval = net.evaluate(sample);
    evaluate();
    if (diverged) return;
    keepHealthy();
    const point = {
      step: steps(),
      epoch: epoch(),
      loss: lossCount > 0 ? lossSum / lossCount : sampleEval.loss,
      trainAccuracy: sampleEval.accuracy,
      heldoutAccuracy: evaluation.accuracy,
    };
    lossSum = 0;
    lossCount = 0;
    if (history.at(-1)?.step === point.step) history.pop();
    history.push(point);
    if (history.length > MAX_HISTORY) history = history.filter((_, i) => i % 2 === 0 || i === history.length - 1);
    if (path.at(-1)?.step !== point.step) path.push({ step: point.step, parameters: net.parameters() });
    if (path.length > MAX_PATH) path = path.filter((_, i) => i % 2 === 0 || i === path.length - 1);
    nextPoint = pointAfter(steps());
  }

  /** `count` mini-batches, with the learner's drawings mixed in at their share; their mean loss. */
  function trainOn(count) {
    const { train } = sets();
    if (drawings?.share > 0) {
      mixedIn = true;
      return net.trainBatchesMixed(train, drawings.set, drawings.share, count);
    }
    return net.trainBatches(train, count);
  }

  /**
   * Trains `count` mini-batches, recording chart points on their steps. Returns false when the
   * core refused a diverging call (training then stops; `diverged` holds its message).
   */
  function trainSteps(count) {
    if (diverged) return false;
    const batch = net.options().training.batchSize;
    let left = count;
    while (left > 0) {
      const n = Math.min(left, nextPoint - steps());
      try {
        lossSum += trainOn(n) * n;
      } catch (e) {
        if (e.name !== 'DivergedError') throw e;
        blowUp(e.message);
        return false;
      }
      version += 1;
      lossCount += n;
      speed.examples += n * batch;
      left -= n;
      if (steps() >= nextPoint) recordPoint();
      if (diverged) return false;
    }
    return true;
  }

  function snapshot() {
    if (sets().train && history.at(-1)?.step !== steps()) recordPoint();
    if (evaluating && evaluation?.version !== version) evaluate();
    lastSnapshot = performance.now();
    const options = sentNet === net ? null : net.options();
    sentNet = net;
    return {
      steps: steps(),
      epoch: epoch(),
      examplesPerSecond: speed.perSecond,
      threads: net.threads,
      fma: core.fusedMultiplyAdd(),
      history,
      evaluation,
      options,
      parameters: net.parameters(),
      playing,
      stopped,
      diverged,
      mixedIn,
      hasTraining: Boolean(sets().train),
    };
  }

  function push() {
    const message = { event: 'snapshot', ...snapshot() };
    emit(message, [message.parameters.buffer]);
  }

  /** How many mini-batches the pace allows now (all of them at full speed). */
  function allowance() {
    const rate = pace === 'watch'
      ? (epoch() < 1 ? Math.ceil(sets().train.length / net.options().training.batchSize / WATCH_SECONDS) : null)
      : pace;
    if (rate === null) return Infinity;
    return Math.floor(((performance.now() - paced.since) * rate) / 1000) - paced.done;
  }

  /** Mini-batches left before the epoch limit (at least one), so that training stops right there. */
  function toEpochLimit() {
    if (untilEpoch === null) return Infinity;
    const examples = (untilEpoch - epoch()) * sets().train.length;
    return Math.max(1, Math.ceil(examples / net.options().training.batchSize));
  }

  async function loop() {
    looping = true;
    while (playing) {
      const start = performance.now();
      let run = 1;
      let ok = true;
      while (playing && ok && performance.now() - start < CHUNK_MS) {
        const n = Math.min(run, allowance(), toEpochLimit());
        if (n <= 0) break;
        ok = trainSteps(n);
        paced.done += n;
        run = Math.min(run * 2, MAX_RUN);
        if (untilEpoch !== null && epoch() >= untilEpoch) {
          playing = false;
          stopped = 'epochs';
        }
      }
      const now = performance.now();
      if (now - speed.since >= 1000) {
        speed = { examples: 0, since: now, perSecond: Math.round((speed.examples * 1000) / (now - speed.since)) };
      }
      if (!playing) {
        push();
        break;
      }
      if (now - lastSnapshot >= SNAPSHOT_MS) push();
      if (allowance() <= 0) await new Promise((resolve) => { setTimeout(resolve, 10); });
      else await turn();
    }
    looping = false;
  }

  /**
   * Replays `count` mini-batches, yielding to messages (a `cancel`) and reporting progress.
   * Resolves to true when it was cancelled.
   */
  async function replaySteps(count) {
    if (count <= 0) return false;
    replay = { cancelled: false };
    const target = steps() + count;
    const started = performance.now();
    while (steps() < target && !replay.cancelled) {
      const start = performance.now();
      while (steps() < target && performance.now() - start < CHUNK_MS) {
        if (!trainSteps(Math.min(MAX_RUN, target - steps()))) break;
      }
      if (diverged) break;
      if (performance.now() - started > CHUNK_MS) emit({ event: 'progress', done: count - (target - steps()), total: count }, []);
      await turn();
    }
    const { cancelled } = replay;
    replay = null;
    return cancelled;
  }

  function start(network) {
    playing = false;
    net?.free();
    net = network;
    version += 1;
    healthy?.free();
    healthy = null;
    path = [];
    initial = net.parameters();
    diverged = null;
    stopped = null;
    mixedIn = false;
    sets().train?.reshuffle(net.options().seed);
    history = [];
    evaluation = null;
    lossSum = 0;
    lossCount = 0;
    speed = { examples: 0, since: performance.now(), perSecond: 0 };
    nextPoint = 0;
  }

  function refuseWhileDiverged() {
    if (diverged) throw new Error(`${diverged}. Restore the last good weights, lower the learning rate or reset first`);
  }

  function needsTraining() {
    if (!sets().train) throw new Error('the training digits are not loaded yet');
  }

  /** The training set (a Dataset, kept) and its first TRAIN_SAMPLE examples. */
  function trainingSets(train) {
    return { train, sample: train.slice(0, Math.min(TRAIN_SAMPLE, train.length), 0) };
  }

  /**
   * Validates a learner's IDX files (raw or gzip) with the core and splits off the last tenth
   * for validation.
   */
  async function ownSets(files, labelFile) {
    const whole = core.Dataset.fromIdx(...await gunzipIdx(files, labelFile), 0);
    try {
      const problem = unsupportedImages(whole);
      if (problem) throw new Error(problem);
      const { length } = whole;
      const validation = Math.max(1, Math.round(length * VALIDATION_SHARE));
      if (length - validation < 1) throw new Error(`these files hold ${length} example; at least 2 are needed`);
      return { ...trainingSets(whole.slice(0, length - validation, 0)), heldout: whole.slice(length - validation, length, 0) };
    } finally {
      whole.free();
    }
  }

  function freeOwn() {
    if (!own) return;
    for (const set of Object.values(own)) set.free();
    own = null;
  }

  return {
    /**
     * In a worker, `module` is the page's compiled wasm and `heldout` the held-out digits' raw
     * IDX bytes; with `threads` above 1, `module` is the threaded build's, and the engine trains
     * on that many threads (threads.js). In the page's own thread, `dataset` is the page's
     * Dataset of them, shared. `evaluate: false` leaves the held-out evaluation out of
     * snapshots until training starts (for views that show no accuracy).
     */
    async init({ module, heldout, dataset, evaluate: wanted = true, threads = 1 }) {
      evaluating = wanted;
      if (threads > 1) {
        core = await import('./threads.js');
        await core.loadCore(module, threads);
      } else if (module) {
        await single.loadCore(module);
      }
      embedded.heldout = dataset ?? core.Dataset.fromIdx(...heldout, 0);
      shared = dataset ?? null;
      return { heldoutLength: embedded.heldout.length };
    },
    /** The embedded training digits (raw IDX bytes), loaded only when something trains. */
    async useTraining({ images, labels }) {
      if (embedded.train) return {};
      Object.assign(embedded, trainingSets(core.Dataset.fromIdx(images, labels, 0)));
      if (net && !own) embedded.train.reshuffle(net.options().seed);
      return { trainLength: embedded.train.length };
    },
    async configure({ options, steps: count }) {
      start(new core.Network(options));
      stepOffset = 0;
      if (count > 0) needsTraining();
      const cancelled = await replaySteps(count);
      return { ...snapshot(), cancelled };
    },
    /**
     * A model file's network, from its JSON text or bytes. Its metadata's `steps` (how long it
     * had been trained) counts as the network's step; `steps` trains it on up to that step, as
     * a link replays it.
     */
    async load({ json, steps: until = 0 }) {
      const loaded = core.Network.fromJSON(json);
      const problem = unsupportedModel(loaded.options());
      if (problem) {
        loaded.free();
        throw modelError(problem);
      }
      const { steps: trained, name } = loaded.metadata() ?? {};
      start(loaded);
      stepOffset = Number.isInteger(trained) && trained >= 0 ? trained : 0;
      const more = Math.max(0, until - stepOffset);
      if (more > 0) needsTraining();
      const cancelled = await replaySteps(more);
      return { ...snapshot(), cancelled, source: { trained: stepOffset, name: typeof name === 'string' ? name : null } };
    },
    cancel() {
      if (replay) replay.cancelled = true;
      if (landscape) landscape.cancelled = true;
      return {};
    },
    /** Trains until `untilEpoch` when given (null: no limit), else for `untilEpochs` more epochs. */
    play({ untilEpochs = null, untilEpoch: until }) {
      refuseWhileDiverged();
      needsTraining();
      playing = true;
      stopped = null;
      untilEpoch = until !== undefined ? until : untilEpochs === null ? null : Math.floor(epoch()) + untilEpochs;
      paced = { since: performance.now(), done: 0 };
      speed = { examples: 0, since: performance.now(), perSecond: speed.perSecond };
      if (!looping) loop();
      return { playing };
    },
    /** Stops training; says the epoch it was to stop at, for going on where it was. */
    pause() {
      playing = false;
      return { ...snapshot(), untilEpoch };
    },
    pace({ batchesPerSecond }) {
      pace = batchesPerSecond;
      paced = { since: performance.now(), done: 0 };
      return { pace };
    },
    step() {
      playing = false;
      refuseWhileDiverged();
      needsTraining();
      trainSteps(1);
      return snapshot();
    },
    /** One example's gradient step (the lesson), with `learningRate` already scaled. */
    apply({ input, label, learningRate }) {
      playing = false;
      refuseWhileDiverged();
      net.applyGradient(input, label, learningRate);
      version += 1;
      return snapshot();
    },
    /** Every weight and bias from `parameters` (undoing a lesson, bit for bit). */
    setParameters({ parameters }) {
      playing = false;
      net.setParameters(parameters);
      version += 1;
      return snapshot();
    },
    /** Acknowledges a divergence (the network is the last good one), with new `training` if given. */
    restore({ training }) {
      if (!diverged) throw new Error('training has not diverged');
      if (training) net.setTraining(training);
      diverged = null;
      return snapshot();
    },
    save({ metadata }) {
      refuseWhileDiverged();
      return { json: net.toJSON({ ...metadata, steps: steps() }) };
    },
    /** The held-out examples the network gets wrong: all counted, the first MAX_MISTAKES shown. */
    mistakes() {
      refuseWhileDiverged();
      const { total, mistakes } = net.mistakes(sets().heldout, MAX_MISTAKES);
      return { mistakes, total, step: steps() };
    },
    /**
     * Trains on the learner's IDX files from now on; the session then rebuilds the network.
     * The held-out part comes back as grey bytes and labels, for the page's own Dataset.
     */
    async useData({ images, labels }) {
      const found = await ownSets(new Uint8Array(images), new Uint8Array(labels));
      playing = false;
      freeOwn();
      own = found;
      return { trainLength: own.train.length, heldoutLength: own.heldout.length, validationImages: own.heldout.images(), validationLabels: own.heldout.labels() };
    },
    useDigits() {
      playing = false;
      freeOwn();
      return { heldoutLength: embedded.heldout.length };
    },
    /**
     * The loss landscape around the weights, on the held-out examples: over a `size` × `size`
     * grid of θ + α·d₁ + β·d₂ for filter-normalised random directions (`kind` 'random') or the
     * plane of the training path ('path'), a row at a time (each row is a `landscape` event,
     * for progress), and the 1-D slice from the initial weights through θ. A change of the
     * network or a `cancel` stops it between rows.
     */
    async landscape({ kind, size }) {
      const data = sets().heldout;
      const count = data.length;
      const start = version;
      const centre = net.parameters();
      const probes = await loadProbes(core.fusedMultiplyAdd());
      if (version !== start) return { cancelled: true };
      const { Examples, pathDirections } = probes;
      const probe = copyOf(probes, net, centre);
      const examples = new Examples(data.rows, data.cols, data.images(), data.labels());
      let grid = null;
      landscape = { cancelled: false };
      try {
        let plane;
        let spread = 1;
        if (kind === 'path') {
          if (path.length < 3) throw new Error('train for a while first: the training path needs at least three recorded points');
          const points = new Float32Array(path.length * centre.length);
          path.forEach((point, i) => points.set(point.parameters, i * centre.length));
          plane = pathDirections(points, centre);
          spread = Math.max(...Array.from(plane.coordinates, Math.abs)) * 1.25 || 1;
        } else {
          plane = { directions: probe.filterDirections(net.options().seed) };
        }
        const axis = Float32Array.from({ length: size }, (_, i) => spread * ((2 * i) / (size - 1) - 1));
        grid = probe.lossPlane(examples, count, plane.directions);
        const loss = new Float32Array(size * size);
        const accuracy = new Float32Array(size * size);
        for (let row = 0; row < size; row++) {
          if (landscape.cancelled || version !== start) return { cancelled: true };
          const cells = grid.grid(axis.subarray(row, row + 1), axis);
          loss.set(cells.loss, row * size);
          accuracy.set(cells.accuracy, row * size);
          emit({ event: 'landscape', rows: row + 1, size }, []);
          await turn();
        }
        const ts = Float32Array.from({ length: LINE_POINTS }, (_, i) => -0.25 + (1.5 * i) / (LINE_POINTS - 1));
        const line = probe.lossLine(examples, count, initial, ts);
        return {
          kind, size, axis, loss, accuracy, directions: plane.directions, explained: plane.explained ?? null,
          path: plane.coordinates ?? null, offPlane: plane.offPlane ?? null, line: { ts, ...line }, step: steps(),
        };
      } finally {
        grid?.free();
        examples.free();
        probe.free();
        landscape = null;
      }
    },
    /**
     * The learner's labelled drawings (`images`: 784 grey bytes each, `labels`), evaluated in
     * every snapshot and mixed into each mini-batch at `share` (0 keeps them aside, for testing).
     */
    drawings({ images, labels, share }) {
      drawings?.set.free();
      drawings = labels.length > 0 ? { set: core.Dataset.fromImages(images, labels, net.options().seed), share } : null;
      evaluate();
      return snapshot();
    },
    /**
     * What a saved session keeps of the engine: a checkpoint of the network in training (its
     * weights, optimiser state and the training digits' batch order) as bytes, the steps a
     * loaded model had had before, the chart history and whether the drawings were trained on.
     * With `path`, also what the landscape keeps of the way training came: the weights it
     * started from (`initial`) and those recorded along the path (up to 64 copies of the
     * weights: for a move to another engine, too large to save).
     */
    sessionParts({ path: withPath = false } = {}) {
      refuseWhileDiverged();
      needsTraining();
      const saved = net.checkpoint(sets().train);
      try {
        const order = drawings ? new Uint8Array(drawings.set.orderState().buffer) : null;
        return { checkpoint: saved.toBytes(), step: steps(), stepOffset, history, mixedIn, drawingOrder: order, ...(withPath ? { path, initial } : {}) };
      } finally {
        saved.free();
      }
    },
    /**
     * Puts a saved session's network back exactly as `sessionParts` gave it, with the
     * learner's `drawings` (`{ images, labels, share, order }`) in their batch order, and the
     * training path and `initial` weights if they came along (weights of another size, or
     * points from later steps, are left out). Refused, changing nothing, when anything is
     * damaged.
     */
    restoreSession({ checkpoint, stepOffset: offset, history: saved, mixedIn: mixed, drawings: kept, path: came = [], initial: from = null }) {
      needsTraining();
      const { train } = sets();
      const record = core.Checkpoint.fromBytes(checkpoint);
      let mine = null;
      try {
        if (kept.labels.length > 0) {
          mine = { set: core.Dataset.fromImages(kept.images, kept.labels, 0), share: kept.share };
          if (kept.order) mine.set.setOrderState(new Uint32Array(kept.order.slice().buffer));
        }
        const order = train.orderState();
        const restored = core.Network.fromCheckpoint(record, train);
        const problem = unsupportedModel(restored.options());
        if (problem) {
          restored.free();
          train.setOrderState(order);
          throw modelError(problem);
        }
        start(restored);
        net.restore(record, train);
      } catch (e) {
        mine?.set.free();
        throw e;
      } finally {
        record.free();
      }
      drawings?.set.free();
      drawings = mine;
      stepOffset = offset;
      mixedIn = mixed;
      history = saved;
      const size = initial.length;
      path = came.filter((point) => point.step <= steps() && point.parameters?.length === size);
      if (from?.length === size) initial = from;
      nextPoint = pointAfter(steps());
      keepHealthy();
      evaluate();
      return snapshot();
    },
    /** What each neuron of neuron layer `layer` (≥ 2) looks for: one 784-pixel image per neuron. */
    preferredInputs({ layer }) {
      return withCopy(net, core.fusedMultiplyAdd(), (probe) => ({ images: probe.preferredInputs(layer) }));
    },
    /** Frees everything (in the page's own thread; a worker is simply terminated). */
    close() {
      playing = false;
      healthy?.free();
      freeOwn();
      drawings?.set.free();
      net?.free();
      net = null;
      for (const set of [embedded.train, embedded.sample, embedded.heldout]) if (set && set !== shared) set.free();
      return {};
    },
  };
}

/** What an answer hands over rather than copies: a snapshot's parameters. */
export const transferOf = (answer) => [answer.parameters?.buffer, answer.images?.buffer, answer.directions?.buffer, answer.checkpoint?.buffer].filter(Boolean);
