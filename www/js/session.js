// The lab session: everything a page (or one <backprop-lab>) knows, and the only code that
// changes it. Settings, the page's copy of the network and its step, the digit and the
// desired label, the lesson, training, the evaluation, divergence: one state object, replaced
// by named actions, announced to subscribers with the set of what changed. Views read the
// state and call actions; they never write state. The address (or an element's settings) is
// derived from the state, never stored beside it.
//
// Requests to the training engine (engine.js, in a worker or in this thread) go through one
// queue, so each action starts from the state the previous one left. Every network the engine
// answers with arrives as one snapshot (weights, step, evaluation, history), so every number
// shown belongs to one network. Pure logic: no DOM, importable in Node.
import { applyIndex, followedNeuron, hiddenLayerOf, stepCount } from './lesson.js';
import { argmax } from './format.js';
import { weightIndex } from './parameters.js';
import { Dataset, Network, fusedMultiplyAdd, gunzipIdx } from './wasm.js';
import { withCopy } from './probes.js';
import { idxFile } from './idx.js';
import { unsupportedImages } from './settings.js';

export const DEFAULT_EPOCH_LIMIT = 20;
const LESSON_DELAY = 3000;        // ms between steps when the lesson plays by itself
const LN10 = Math.log(10);
const PIXELS = 784;        // the loss of a network that guesses at random among 10

/** Why a trained network has stopped learning without any NaN, or null. */
export function detectCollapse({ history, evaluation, options }) {
  if (history.length < 4 || !evaluation || history.at(-1).epoch < 1 || options.loss !== 'softmax_cross_entropy') return null;
  // A collapsed network answers the same whatever it is shown, so its loss sits near ln 10
  // (2.33 to 2.37 for lr 5, seed 1: within 0.1, not always within 0.05), and one digit is
  // its answer for most digits, which tells it from a network that learns slowly.
  const recent = history.slice(-3);
  if (!recent.every((p) => Math.abs(p.loss - LN10) < 0.1)) return null;
  const classes = Math.round(Math.sqrt(evaluation.confusion.length));
  const said = Array.from({ length: classes }, (_, p) => {
    let n = 0;
    for (let t = 0; t < classes; t++) n += evaluation.confusion[t * classes + p];
    return n;
  });
  const total = said.reduce((a, b) => a + b, 0);
  const favourite = argmax(said);
  if (said[favourite] < total / 2) return null;
  const hidden = options.hidden.reduce((a, b) => a + b, 0);
  const silent = Array.from(evaluation.silent).reduce((a, b) => a + b, 0);
  return {
    loss: recent.at(-1).loss,
    favourite,
    share: said[favourite] / total,
    silentShare: hidden ? silent / hidden : 0,
  };
}

/** A collapse once seen stays named until a new network, or until the loss clearly falls again. */
function stillCollapsed(collapse, fresh, history) {
  if (!collapse || fresh) return null;
  const loss = history.at(-1)?.loss;
  return loss !== undefined && loss > LN10 - 0.2 ? { ...collapse, loss } : null;
}

/**
 * The settings a link gives for this state: the network's settings, its step (with the model
 * file it came from, if linked), the held-out digit, the desired label and the lesson's step.
 */
export function linkSettings(state) {
  const { settings, network, digit, desired, lesson, ownData } = state;
  const heldout = digit?.source === 'heldout' && !ownData;
  const last = lesson ? applyIndex(lesson.sizes) : 0;
  return {
    ...settings,
    steps: network.source.kind === 'file' ? 0 : network.step,
    model: network.source.kind === 'model' ? network.source.url : null,
    digit: heldout ? digit.index : null,
    label: desired,
    // An applied lesson is in the link only when the link can apply it again: on a held-out digit.
    backpropStep: lesson && lesson.index > 0 && (lesson.index < last || heldout) ? lesson.index : null,
  };
}

/**
 * Why a link to this state would not rebuild exactly this network, or null: 'data' (the
 * learner's own files), 'drawings' (trained on the learner's drawings), 'file' (a model file from the computer), 'changed' (trained on after a
 * lesson or an edit, or at a lowered learning rate), 'edited' (lessons or edits the link
 * cannot apply again).
 */
export function linkGap({ network, ownData, lesson, digit }) {
  if (ownData) return 'data';
  if (network.mixedIn) return 'drawings';
  if (network.source.kind === 'file') return 'file';
  if (network.tainted) return 'changed';
  const inLink = lesson?.applied && digit.source === 'heldout' ? 1 : 0;
  return network.changes > inLink ? 'edited' : null;
}

export class Session {
  /**
   * `client`: the engine's client (worker-requests.js), already initialised; `heldout`: the
   * held-out digits as a Dataset of this thread; `trainingBytes()`: resolves to the training
   * digits' IDX files when something first trains.
   */
  constructor({ client, heldout, trainingBytes }) {
    this.client = client;
    this.trainingBytes = trainingBytes;
    this.subscribers = new Set();
    this.events = new EventTarget();
    this.queue = Promise.resolve();
    this.pending = 0;
    this.hasTraining = false;
    this.timer = null;
    this.asked = new Set();       // background requests made for a state of the network
    this.state = {
      settings: null,
      network: null,
      digits: heldout,            // the embedded held-out digits, kept while own data is used
      heldout,                    // the examples shown and validated on: `digits`, or the learner's own
      ownData: null,              // { name, train, heldout } while training on the learner's files
      drawings: { images: new Uint8Array(0), labels: new Uint8Array(0), share: 0, before: null },
                                  // the learner's labelled drawings (784 grey bytes each), the
                                  // share of each mini-batch they make, their accuracy when last changed
      digit: null,                // { source: 'heldout' | 'drawing' | 'own', index, label, input }
      desired: null,              // the learner's pick of the desired digit, or null
      trace: null,                // the forward pass of the digit
      lesson: null,
      training: { playing: false, steps: 0, epoch: 0, examplesPerSecond: 0, threads: 1, fma: false, history: [], pace: 'watch', epochLimit: DEFAULT_EPOCH_LIMIT, stopped: null },
      evaluation: null,
      mistakes: null,
      diverged: null,
      collapse: null,
      undo: [],                   // { parameters, lesson } to go back to, newest last
      stale: false,               // weights changed by hand, not yet evaluated by the engine
      picked: null,               // the neuron picked in the picture, { layer, index }
      selected: null,             // the connection picked, { layer, from, to }
      check: null,                // the last gradient check, with the network version it checked
      pictures: null,             // what neurons look for: { key (network id.version), layers: Map }
      landscape: null,            // { kind, size, rows, version, result, error } while computed and after
      busy: false,
      progress: null,             // { done, total } while a replay runs
    };
    client.onEvent = (event) => this.onEngineEvent(event);
  }

  // ——— subscribing ———

  /** Calls `fn(state, changed)` now and after every change; returns the unsubscribe function. */
  subscribe(fn) {
    this.subscribers.add(fn);
    fn(this.state, new Set(Object.keys(this.state)));
    return () => this.subscribers.delete(fn);
  }

  set(patch) {
    this.state = { ...this.state, ...patch };
    const changed = new Set(Object.keys(patch));
    for (const fn of this.subscribers) fn(this.state, changed);
  }

  emit(type, detail) {
    this.events.dispatchEvent(Object.assign(new Event(type), { detail }));
  }

  /**
   * Runs `task` after every earlier request; `busy` is true while any the learner asked for
   * runs (a `background` task, which only reads, leaves the buttons alone).
   */
  enqueue(task, { background = false } = {}) {
    if (!background) {
      this.pending += 1;
      if (this.pending === 1) this.set({ busy: true });
    }
    const run = this.queue.then(task);
    this.queue = run.catch(() => {}).finally(() => {
      if (background) return;
      this.pending -= 1;
      if (this.pending === 0) this.set({ busy: false });
    });
    return run;
  }

  // ——— the network ———

  /** The lesson's wanted digit: the learner's pick, else a held-out digit's true label. */
  wanted(state = this.state) {
    if (state.desired !== null) return state.desired;
    return state.digit && state.digit.source !== 'drawing' ? state.digit.label : null;
  }

  /**
   * Takes in an engine snapshot: the network's weights, step, evaluation and training state.
   * `source` says where a new network came from (a seed, a linked model, a file).
   */
  adopt(snapshot, { source } = {}) {
    const s = this.state;
    let network = s.network;
    let settings = s.settings;
    const fresh = Boolean(snapshot.options);
    if (fresh) {
      network?.net.free();
      const net = new Network(snapshot.options);
      const options = net.options();
      network = { net, id: (network?.id ?? 0) + 1, options, sizes: Array.from(net.sizes()), source: source ?? { kind: 'seed' }, changes: 0, tainted: false };
      settings = { ...settings, network: withoutTraining(options), training: options.training };
    }
    network.net.setParameters(snapshot.parameters);
    const trained = !fresh && snapshot.steps !== network.step;
    network = {
      ...network,
      step: snapshot.steps,
      version: (network.version ?? 0) + 1,
      // Lessons and edits trained over can no longer be undone, nor replayed by a link.
      changes: trained ? 0 : network.changes,
      mixedIn: snapshot.mixedIn,
      tainted: network.tainted || (trained && network.changes > 0),
      // The weights training made, for "back to the trained weights".
      trained: fresh || trained ? snapshot.parameters : network.trained,
    };
    this.hasTraining = snapshot.hasTraining;
    this.asked.clear();
    const { diverged, history, evaluation } = snapshot;
    this.set({
      ...(settings !== s.settings && { settings }),
      network,
      training: {
        ...s.training,
        playing: snapshot.playing,
        steps: snapshot.steps,
        epoch: snapshot.epoch,
        examplesPerSecond: snapshot.examplesPerSecond,
        threads: snapshot.threads,
        fma: snapshot.fma,
        history,
        stopped: snapshot.stopped,
      },
      evaluation,
      diverged,
      collapse: diverged ? null : detectCollapse({ history, evaluation, options: network.options }) ?? stillCollapsed(s.collapse, fresh, history),
      undo: fresh || trained ? [] : this.state.undo,
      mistakes: null,
      stale: false,
      // A new network forgets the neuron and connection picked in the old one.
      ...(fresh && { picked: null, selected: null }),
    });
    if (diverged && !s.diverged) this.emit('diverged', { message: diverged, step: snapshot.steps });
    this.emit('snapshot', { step: snapshot.steps, loss: history.at(-1)?.loss ?? evaluation?.loss ?? null, accuracy: evaluation?.accuracy ?? null });
    this.refresh(fresh ? 'fresh' : trained ? 'trained' : 'weights');
  }

  /**
   * The forward pass and the lesson for the current network, digit and desired label, after
   * `change`: 'fresh' (a new network starts a new lesson), 'trained', 'digit' or 'desired'
   * (an applied lesson is kept in the weights and a new one starts), or 'weights' (a lesson
   * applied or undone: the step stays).
   */
  refresh(change) {
    const s = this.state;
    if (!s.network || !s.digit) return;
    const { net, sizes, options } = s.network;
    const trace = net.forward(s.digit.input);
    const label = this.wanted();
    const old = s.lesson;
    const last = applyIndex(sizes);
    let index = old && change !== 'fresh' ? old.index : 0;
    let applied = change === 'weights' ? old?.applied ?? null : null;
    if (old?.applied && !applied) index = 0;
    if (!applied) index = Math.min(index, last - 1);
    if (label === null) index = 0;
    const { batchSize, learningRate } = options.training;
    const lesson = {
      index,
      label,
      sizes,
      activation: options.activation,
      probabilities: options.loss === 'softmax_cross_entropy',
      learningRate,
      batchSize,
      rate: learningRate / batchSize,
      prediction: trace.activations.at(-1),
      gradient: label === null ? null : net.gradient(s.digit.input, label),
      applied,
      applying: old?.applying ?? false,
      chosen: change === 'fresh' ? null : old?.chosen ?? null,
      playing: old?.playing ?? false,
    };
    this.set({ trace, lesson: withTerms(lesson, net, s.digit.input) });
  }

  // ——— actions: building the network ———

  /** Rebuilds the network from `settings` (replaying `settings.steps`); keeps training if asked. */
  configure(settings, { keepPlaying = false } = {}) {
    return this.enqueue(() => this.build(settings, { keepPlaying }));
  }

  async build(settings, { keepPlaying = false } = {}) {
    const wasPlaying = this.state.training.playing;
    if (settings.steps > 0) await this.ensureTraining();
    const options = { ...settings.network, training: { ...settings.training } };
    const snapshot = await this.client.request('configure', { options, steps: settings.steps });
    this.set({ settings: { ...settings, model: null }, progress: null });
    this.adopt(snapshot);
    if (snapshot.cancelled) this.emit('notice', { text: `Replay cancelled at step ${snapshot.steps} of ${settings.steps}.`, kind: 'info' });
    if (keepPlaying && wasPlaying) await this.play();
    return snapshot;
  }

  /**
   * One setting changed by the learner: `check(settings, key, text)` validates it against the
   * settings as they are when its turn comes, giving `{ settings }` or `{ error }`. A valid
   * change restarts from the seed and keeps training if it was. Rejects with the error.
   */
  changeSetting(key, text, check) {
    return this.enqueue(async () => {
      const result = check(this.state.settings, key, text);
      if (result.error) throw new Error(result.error);
      await this.build({ ...result.settings, steps: 0 }, { keepPlaying: true });
    });
  }

  reset() {
    return this.enqueue(() => this.build({ ...this.state.settings, steps: 0 }));
  }

  /**
   * A model file's network: `model` is its JSON text or its bytes (a Uint8Array), `source`
   * `{ kind: 'model', url }` for a linked file or `{ kind: 'file', name }` for one the learner
   * picked; `steps` (a link's) trains it on up to that step; `settings` (a link's) are the
   * settings beside it. Rejects, changing nothing, when the core refuses the file.
   */
  loadModel(model, source, { steps = 0, settings = this.state.settings } = {}) {
    return this.enqueue(async () => {
      if (steps > 0) await this.ensureTraining();
      const wasPlaying = this.state.training.playing;
      const snapshot = await this.client.request('load', { json: model, steps });
      this.set({ settings: { ...settings, model: source.kind === 'model' ? source.url : null }, progress: null });
      this.adopt(snapshot, { source: { ...source, trained: snapshot.source.trained, name: snapshot.source.name ?? source.name ?? source.url } });
      if (wasPlaying) this.emit('notice', { text: 'Training stopped: the loaded network replaces the one that was training. Press Train to train it on.', kind: 'info' });
      return snapshot;
    });
  }

  /** Stops a replay where it is; the network shown is the one reached. */
  cancel() {
    return this.client.request('cancel');
  }

  async ensureTraining() {
    if (this.hasTraining) return;
    await this.handTraining(this.client);
    this.hasTraining = true;
  }

  /** Gives `engine` the training digits (raw IDX bytes), which it keeps. */
  async handTraining(engine) {
    const [images, labels] = await this.trainingBytes();
    await engine.request('useTraining', { images, labels });
  }

  // ——— actions: training ———

  train() {
    return this.enqueue(() => this.play());
  }

  /** `untilEpoch`: the epoch to stop at, when training goes on from a pause (else the limit from now). */
  async play({ untilEpoch } = {}) {
    if (this.state.training.playing || this.state.diverged) return;
    await this.ensureTraining();
    await this.client.request('pace', { batchesPerSecond: this.state.training.pace });
    await this.client.request('play', { untilEpochs: this.state.training.epochLimit, untilEpoch });
    this.set({ training: { ...this.state.training, playing: true, stopped: null } });
  }

  pause() {
    return this.enqueue(async () => {
      if (this.state.training.playing) this.adopt(await this.client.request('pause'));
    });
  }

  togglePlay() {
    return this.state.training.playing ? this.pause() : this.train();
  }

  trainStep() {
    return this.enqueue(async () => {
      await this.ensureTraining();
      this.adopt(await this.client.request('step'));
    });
  }

  /** Mini-batches per second, null for full speed, or 'watch' (a slow first epoch). */
  setPace(pace) {
    this.set({ training: { ...this.state.training, pace } });
    return this.enqueue(() => this.client.request('pace', { batchesPerSecond: pace }));
  }

  /** Training stops by itself after this many more epochs (null: never). */
  setEpochLimit(epochs) {
    this.set({ training: { ...this.state.training, epochLimit: epochs } });
  }

  /** Acknowledges a divergence (the network is already the last good one); `lower` divides the learning rate by `divisor`. */
  restore({ lower = false, divisor = 10 } = {}) {
    return this.enqueue(async () => {
      const { settings, network } = this.state;
      const training = lower ? { ...settings.training, learningRate: settings.training.learningRate / divisor } : null;
      const snapshot = await this.client.request('restore', { training });
      if (training) {
        network.net.setTraining(training);
        const options = network.net.options();
        // The steps so far were trained at the old rate: a link replays them all at the new one.
        this.set({ network: { ...network, options, tainted: true }, settings: { ...settings, training: options.training } });
      }
      this.adopt(snapshot);
      return snapshot;
    });
  }

  /** The model as JSON text, with `metadata` (weights changed by hand included). */
  save(metadata) {
    this.commit();
    return this.enqueue(async () => (await this.client.request('save', { metadata })).json);
  }

  /** Lists the held-out examples the network gets wrong (while training is paused), once per state of it. */
  findMistakes() {
    const { version } = this.state.network;
    if (this.asked.has(`mistakes ${version}`)) return Promise.resolve();
    this.asked.add(`mistakes ${version}`);
    return this.enqueue(async () => {
      const s = this.state;
      if (s.training.playing || s.diverged || s.network.version !== version) return;
      const found = await this.client.request('mistakes');
      if (this.state.network.version === version) this.set({ mistakes: found });
    }, { background: true });
  }

  // ——— actions: the digit ———

  showDigit(index) {
    const { heldout } = this.state;
    if (!(Number.isInteger(index) && index >= 0 && index < heldout.length)) {
      throw new RangeError(`digit ${index} is not one of the ${heldout.length} held-out examples (0 to ${heldout.length - 1})`);
    }
    this.set({ digit: { source: 'heldout', index, label: heldout.label(index), input: heldout.input(index) }, desired: null });
    this.refresh('digit');
  }

  randomDigit() {
    const current = this.state.digit?.index;
    let index = current;
    while (index === current) index = Math.floor(Math.random() * this.state.heldout.length);
    this.showDigit(index);
  }

  /** The learner's drawing as network input (784 values 0..1), or null for an empty pad. */
  draw(input) {
    const wasDrawing = this.state.digit?.source === 'drawing';
    this.set({
      digit: { source: 'drawing', index: null, label: null, input: input ?? new Float32Array(784), blank: input === null },
      desired: wasDrawing && input !== null ? this.state.desired : null,
    });
    this.refresh('digit');
  }

  setDesired(label) {
    this.set({ desired: label });
    this.refresh('desired');
  }

  // ——— actions: the lesson ———

  /** Goes to step `index`; entering Apply applies the lesson, leaving it for an earlier step undoes it. */
  go(index) {
    const { lesson } = this.state;
    if (!lesson?.gradient || lesson.applying) return Promise.resolve();
    const count = stepCount(lesson.sizes);
    const target = ((index % count) + count) % count;
    if (target === lesson.index) return Promise.resolve();
    if (lesson.applied) return this.undo(target);
    if (target === applyIndex(lesson.sizes)) return this.apply();
    this.setStep(target);
    return Promise.resolve();
  }

  setStep(index) {
    const { lesson, network, digit } = this.state;
    this.set({ lesson: withTerms({ ...lesson, index, chosen: null }, network.net, digit.input) });
    this.emit('step', { step: index });
  }

  next() {
    const { lesson } = this.state;
    if (lesson?.applied) return this.newLesson();
    return this.go((lesson?.index ?? 0) + 1);
  }

  previous() {
    const { lesson } = this.state;
    if (!lesson) return Promise.resolve();
    return this.go(lesson.index === 0 ? applyIndex(lesson.sizes) - 1 : lesson.index - 1);
  }

  /** Keeps an applied lesson in the weights (undo can still take it back) and starts a new one. */
  newLesson() {
    const { lesson, network, digit } = this.state;
    if (!lesson?.applied) return Promise.resolve();
    this.set({ lesson: withTerms({ ...lesson, applied: null, index: 0, chosen: null }, network.net, digit.input) });
    this.emit('step', { step: 0 });
    return Promise.resolve();
  }

  /**
   * Applies the lesson: the core's gradient step on this one example, at the learning rate
   * divided by the batch size (what the example adds to one training step). Training pauses
   * first, so that the lesson shown is the lesson applied; undo brings the weights back.
   */
  apply() {
    const { lesson } = this.state;
    this.set({ lesson: { ...lesson, applying: true } });
    return this.enqueue(async () => {
      try {
        if (this.state.diverged) throw new Error('training diverged: restore the last good weights before applying a lesson');
        if (this.state.training.playing) {
          this.adopt(await this.client.request('pause'));
          this.emit('notice', { text: 'Training paused, so that the lesson is applied to the network you see.', kind: 'info' });
        }
        const { digit, network, lesson: now } = this.state;
        const undo = network.net.parameters();
        const before = now.prediction;
        this.adopt(await this.client.request('apply', { input: digit.input, label: now.label, learningRate: now.rate }));
        const applied = { before, after: this.state.lesson.prediction, label: now.label };
        this.set({
          network: { ...this.state.network, changes: network.changes + 1 },
          undo: [...this.state.undo, { parameters: undo, lesson: true }],
          lesson: { ...this.state.lesson, index: applyIndex(now.sizes), applied },
        });
        this.emit('step', { step: applyIndex(now.sizes) });
      } finally {
        this.set({ lesson: { ...this.state.lesson, applying: false } });
      }
    });
  }

  /** Brings back the weights from before the last lesson or edit, bit for bit; the lesson goes to `step`. */
  undo(step = null) {
    return this.enqueue(async () => {
      const { undo, lesson, network } = this.state;
      if (undo.length === 0) return;
      const { parameters, lesson: wasLesson } = undo.at(-1);
      const target = step ?? (lesson.applied && wasLesson ? applyIndex(lesson.sizes) - 1 : lesson.index);
      this.set({ network: { ...network, changes: network.changes - 1 }, undo: undo.slice(0, -1), lesson: { ...lesson, applied: wasLesson ? null : lesson.applied } });
      this.adopt(await this.client.request('setParameters', { parameters }));
      if (this.state.lesson.index !== target) this.setStep(target);
    });
  }

  // ——— actions: touching the numbers ———

  /** Picks a neuron (`{ layer, index }`, or null): its numbers show, and a lesson step follows it. */
  pick(neuron) {
    this.set({ picked: neuron, selected: null });
    if (neuron) this.choose(neuron);
  }

  /** Picks the connection from neuron `from` of neuron layer `layer` to neuron `to` of the next. */
  selectConnection(connection) {
    this.set({ selected: connection });
  }

  /**
   * Sets parameter `index` (the layout of `parameters()`) to `value` in the network shown, at
   * once; the first change of a gesture can be undone. `commit()` ends the gesture and hands
   * the weights to the engine, which evaluates them again; until then the evaluation is stale.
   */
  setParameter(index, value) {
    const { network, undo, stale, training } = this.state;
    if (training.playing || !Number.isFinite(value)) return;
    const parameters = network.net.parameters();
    const before = stale ? null : parameters.slice();
    parameters[index] = value;
    network.net.setParameters(parameters);
    this.set({
      network: { ...network, version: network.version + 1, changes: network.changes + (stale ? 0 : 1) },
      undo: before ? [...undo, { parameters: before, lesson: false }] : undo,
      stale: true,
    });
    this.refresh('weights');
  }

  commit() {
    if (!this.state.stale) return Promise.resolve();
    return this.enqueue(async () => {
      this.adopt(await this.client.request('setParameters', { parameters: this.state.network.net.parameters() }));
    });
  }

  /** All the weights and biases back as training left them (an undoable change). */
  backToTrained() {
    return this.enqueue(async () => {
      const { network, undo } = this.state;
      this.set({ network: { ...network, changes: network.changes + 1 }, undo: [...undo, { parameters: network.net.parameters(), lesson: false }] });
      this.adopt(await this.client.request('setParameters', { parameters: network.trained.slice() }));
    });
  }

  /**
   * The backpropagation gradient of the lesson's loss for `count` parameters spread over every
   * layer (and the selected connection), beside central differences: the core's check. The first
   * layer's weights are drawn from the digit's inked pixels: a blank pixel's weights have a
   * gradient of exactly 0, which would show nothing.
   */
  checkGradient(count = 20) {
    return this.enqueue(async () => {
      const { network, digit, lesson, selected, settings } = this.state;
      const label = lesson.label ?? argmax(lesson.prediction);
      const check = await withCopy(network.net, fusedMultiplyAdd(), (probe) => {
        const sample = Array.from(probe.sampleParameters(count, settings.network.seed, digit.input));
        if (selected) sample.unshift(weightIndex(network.sizes, selected.layer, selected.from, selected.to));
        return probe.gradientCheck(digit.input, label, Uint32Array.from(new Set(sample)));
      });
      this.set({ check: { version: network.version, label, ...check } });
    });
  }

  /** Asks the engine for what each neuron of neuron layer `layer` (≥ 2) looks for, once per network state. */
  requestPictures(layer) {
    const { network } = this.state;
    const key = `${network.id}.${network.version}`;
    if (this.asked.has(`pictures ${key} ${layer}`)) return Promise.resolve();
    this.asked.add(`pictures ${key} ${layer}`);
    return this.enqueue(async () => {
      if (`${this.state.network.id}.${this.state.network.version}` !== key) return;
      let images;
      try {
        ({ images } = await this.client.request('preferredInputs', { layer }));
      } catch (e) {
        this.asked.delete(`pictures ${key} ${layer}`);   // asked again, tried again
        this.emit('notice', { text: `What the neurons look for could not be worked out: ${e.message}`, kind: 'error' });
        return;
      }
      const now = this.state.pictures?.key === key ? this.state.pictures.layers : new Map();
      if (`${this.state.network.id}.${this.state.network.version}` === key) this.set({ pictures: { key, layers: new Map(now).set(layer, images) } });
    }, { background: true });
  }

  /** Follows another neuron in a hidden-layer step. */
  choose(neuron) {
    const { lesson, network, digit } = this.state;
    if (!lesson?.gradient || !neuron || neuron.layer !== hiddenLayerOf(lesson.index, lesson.sizes)) return;
    if (lesson.chosen?.layer === neuron.layer && lesson.chosen.index === neuron.index) return;
    this.set({ lesson: withTerms({ ...lesson, chosen: neuron }, network.net, digit.input) });
  }

  /** Plays the lesson's steps one after another (Apply last); again to pause. */
  toggleLesson(delay = LESSON_DELAY) {
    const { lesson } = this.state;
    if (lesson.playing) {
      clearTimeout(this.timer);
      this.set({ lesson: { ...this.state.lesson, playing: false } });
      return;
    }
    const tick = async () => {
      await this.next();
      const now = this.state.lesson;
      const more = now.playing && now.index < applyIndex(now.sizes);
      this.timer = more ? setTimeout(tick, delay) : null;
      if (!more) this.set({ lesson: { ...now, playing: false } });
    };
    if (lesson.applied) this.newLesson();
    this.set({ lesson: { ...this.state.lesson, playing: true } });
    this.timer = setTimeout(tick, delay / 2);
  }

  // ——— actions: the learner's own data ———

  /** Trains on the learner's IDX files (ArrayBuffers), validated on their last tenth. */
  useOwnData(images, labels, name) {
    return this.enqueue(async () => {
      const data = await this.client.request('useData', { images, labels });
      const heldout = Dataset.fromImages(data.validationImages, data.validationLabels, 0);
      this.dropOwnData();
      this.set({ heldout, ownData: { name, train: data.trainLength, heldout: data.heldoutLength } });
      await this.build({ ...this.state.settings, steps: 0 });
      this.randomDigit();
      return data;
    });
  }

  useDigits() {
    return this.enqueue(async () => {
      await this.client.request('useDigits');
      this.dropOwnData();
      this.set({ heldout: this.state.digits, ownData: null });
      await this.build({ ...this.state.settings, steps: 0 });
      this.randomDigit();
    });
  }

  dropOwnData() {
    if (this.state.heldout !== this.state.digits) this.state.heldout.free();
  }

  // ——— actions: the learner's drawings ———

  /** Shows drawing `index` of the learner's set as the digit. */
  showDrawing(index) {
    const { drawings } = this.state;
    this.set({ digit: { source: 'own', index, label: drawings.labels[index], input: drawingInput(drawings, index) }, desired: null });
    this.refresh('digit');
  }

  /** Adds the drawing on the pad, as the grey bytes the network reads, to the set with `label`. */
  keepDrawing(label) {
    const { digit, drawings } = this.state;
    if (digit?.source !== 'drawing' || digit.blank) return Promise.reject(new Error('draw a digit first'));
    const image = Uint8Array.from(digit.input, (v) => Math.round(v * 255));
    return this.changeDrawings(concat(drawings.images, image), concat(drawings.labels, [label]));
  }

  relabelDrawing(index, label) {
    const labels = this.state.drawings.labels.slice();
    labels[index] = label;
    return this.changeDrawings(this.state.drawings.images, labels);
  }

  deleteDrawing(index) {
    const { images, labels } = this.state.drawings;
    return this.changeDrawings(
      concat(images.subarray(0, index * PIXELS), images.subarray((index + 1) * PIXELS)),
      concat(labels.subarray(0, index), labels.subarray(index + 1)),
    );
  }

  /** The share of every mini-batch taken from the drawings (0: kept aside, only tested on). */
  setDrawingShare(share) {
    const { images, labels } = this.state.drawings;
    return this.changeDrawings(images, labels, share);
  }

  /**
   * Adds the drawings of IDX files (ArrayBuffers or Uint8Arrays, raw or gzip: 28×28 images,
   * labels 0 to 9) to the set. Rejects, changing nothing, when the core refuses them.
   */
  async importDrawings(images, labels) {
    const [imageBytes, labelBytes] = await gunzipIdx(new Uint8Array(images), new Uint8Array(labels));
    const set = Dataset.fromIdx(imageBytes, labelBytes, 0);
    let added;
    try {
      const problem = unsupportedImages(set);
      if (problem) throw new Error(problem);
      added = { images: set.images(), labels: set.labels() };
    } finally {
      set.free();
    }
    const { drawings } = this.state;
    await this.changeDrawings(concat(drawings.images, added.images), concat(drawings.labels, added.labels));
    return added.labels.length;
  }

  /** The set as MNIST's IDX files: `{ images, labels }` (Uint8Arrays). */
  exportDrawings() {
    const { images, labels } = this.state.drawings;
    return { images: idxFile([labels.length, 28, 28], images), labels: idxFile([labels.length], labels) };
  }

  /** Hands the engine a new set (and share); their accuracy now becomes the "before". */
  changeDrawings(images, labels, share = this.state.drawings.share) {
    return this.enqueue(async () => {
      this.set({ drawings: { images, labels, share, before: null } });
      this.adopt(await this.client.request('drawings', { images, labels, share }));
      const mine = this.state.evaluation?.drawings;
      this.set({ drawings: { ...this.state.drawings, before: mine ? { accuracy: mine.accuracy, step: this.state.network.step } : null } });
    });
  }

  // ——— actions: keeping the session ———

  /**
   * Everything needed to bring this session back (`restoreSession`): the engine's checkpoint of
   * the network in training, its history, the drawings and where the network came from.
   */
  async sessionParts() {
    return this.enqueue(async () => {
      await this.ensureTraining();
      const { drawingOrder, ...engine } = await this.client.request('sessionParts');
      const { drawings, network } = this.state;
      return { ...engine, drawings: { images: drawings.images, labels: drawings.labels, share: drawings.share, order: drawingOrder }, source: network.source };
    }, { background: true });
  }

  /**
   * Brings back a session that `sessionParts` gave, with `settings` (the page's settings for
   * it): the same weights, optimiser state, batch order, history and drawings. Rejects,
   * changing nothing, when the engine refuses the checkpoint.
   */
  restoreSession(parts, settings) {
    return this.enqueue(async () => {
      await this.ensureTraining();
      const { images, labels, share } = parts.drawings;
      const snapshot = await this.client.request('restoreSession', parts);
      this.set({ settings, drawings: { images, labels, share, before: null } });
      this.adopt(snapshot, { source: parts.source });
    });
  }

  // ——— actions: the engine ———

  /**
   * Moves training to the engine that `start()` starts (another build of the core, or another
   * number of threads): the network in training goes over as a saved session does (weights,
   * optimiser state, batch order, history, drawings) and trains on if it was training, to the
   * same epoch limit; what the page shows stays. The new engine takes over only once it holds
   * the network. Refused while the network has diverged or trains on the learner's own files
   * (the old engine holds them); a move that fails leaves the old engine training as it was.
   * The landscape's record of the training path goes along (a saved session does not keep it).
   */
  moveEngine(start) {
    return this.enqueue(async () => {
      if (this.state.diverged) throw new Error('the network has diverged; restore its weights first');
      if (this.state.ownData) throw new Error('the network is training on your own files');
      const wasPlaying = this.state.training.playing;
      let untilEpoch = null;
      if (wasPlaying) {
        const paused = await this.client.request('pause');
        untilEpoch = paused.untilEpoch;
        this.adopt(paused);
      }
      try {
        await this.ensureTraining();
        const { drawingOrder, ...parts } = await this.client.request('sessionParts', { path: true });
        const { images, labels, share } = this.state.drawings;
        const engine = await start();
        let snapshot;
        try {
          await this.handTraining(engine);
          // These copies of the weights are the page's own: handed over, not copied again.
          const handed = [parts.initial, ...parts.path.map((point) => point.parameters)].map((weights) => weights.buffer);
          snapshot = await engine.request('restoreSession', { ...parts, drawings: { images, labels, share, order: drawingOrder } }, handed);
        } catch (e) {
          engine.terminate();
          throw e;
        }
        this.client.terminate('training moved to another engine; ask again');
        this.client = engine;
        engine.onEvent = (event) => this.onEngineEvent(event);
        // The same network: the page's copy, its lesson and picks stay as they are.
        const { options, ...same } = snapshot;
        this.adopt(same);
      } finally {
        if (wasPlaying) await this.play({ untilEpoch });
      }
    });
  }

  // ——— actions: the loss landscape ———

  /**
   * Computes the loss landscape around the network shown (`kind` 'random' or 'path'; see the
   * engine's `landscape`), outside the queue: training may go on, and any change of the
   * network stops it.
   */
  async computeLandscape(kind, size = 41) {
    const { version } = this.state.network;
    this.set({ landscape: { kind, size, rows: 0, version, result: null, error: null } });
    try {
      const result = await this.client.request('landscape', { kind, size });
      if (this.state.landscape?.version === version) this.set({ landscape: { ...this.state.landscape, result: result.cancelled ? null : result, cancelled: Boolean(result.cancelled) } });
    } catch (e) {
      this.set({ landscape: { ...this.state.landscape, error: e.message } });
    }
  }

  /** The network's outputs on the digit at θ + α·d₁ + β·d₂ of the landscape shown. */
  previewAt(alpha, beta) {
    const { network, landscape, digit } = this.state;
    this.scratch ??= new Network(network.options);
    if (this.scratch.sizes().join() !== network.sizes.join()) {
      this.scratch.free();
      this.scratch = new Network(network.options);
    }
    this.scratch.setParameters(pointOf(network.net.parameters(), landscape.result.directions, alpha, beta));
    return this.scratch.predict(digit.input);
  }

  /** Moves the weights to θ + α·d₁ + β·d₂ of the landscape shown (an undoable change). */
  moveTo(alpha, beta) {
    return this.enqueue(async () => {
      const { network, undo, landscape } = this.state;
      const before = network.net.parameters();
      this.set({ network: { ...network, changes: network.changes + 1 }, undo: [...undo, { parameters: before.slice(), lesson: false }] });
      this.adopt(await this.client.request('setParameters', { parameters: pointOf(before, landscape.result.directions, alpha, beta) }));
    });
  }

  // ——— the engine's news ———

  onEngineEvent(event) {
    if (event.event === 'snapshot') this.adopt(event);
    else if (event.event === 'progress') this.set({ progress: { done: event.done, total: event.total } });
    else if (event.event === 'landscape') this.set({ landscape: { ...this.state.landscape, rows: event.rows } });
    else if (event.event === 'failed') this.emit('error', { message: event.message });
  }

  /** Stops everything and frees the page's copies; the session is unusable afterwards. */
  dispose() {
    clearTimeout(this.timer);
    this.subscribers.clear();
    this.client.terminate();
    this.state.network?.net.free();
    this.scratch?.free();
    this.dropOwnData();
  }
}

/** The lesson with the core's breakdown of the followed hidden neuron's error, if its step shows one. */
function withTerms(lesson, net, input) {
  const layer = lesson.gradient ? hiddenLayerOf(lesson.index, lesson.sizes) : null;
  if (layer === null) return { ...lesson, terms: null, outgoing: null };
  const j = followedNeuron(lesson, layer);
  const weights = net.weights(layer);
  const inputs = lesson.sizes[layer];
  return {
    ...lesson,
    terms: net.errorTerms(input, lesson.label, layer, j),
    outgoing: Float32Array.from({ length: lesson.sizes[layer + 1] }, (_, k) => weights[k * inputs + j]),
  };
}

/** θ + α·d₁ + β·d₂, with `directions` holding d₁ then d₂. */
function pointOf(theta, directions, alpha, beta) {
  const n = theta.length;
  return theta.map((w, i) => w + alpha * directions[i] + beta * directions[n + i]);
}

/** The network part of a model's options (the settings keep training apart). */
function withoutTraining({ training, ...network }) {
  return network;
}

/** Drawing `index` of the learner's set as network input (0..1). */
export function drawingInput({ images }, index) {
  return Float32Array.from(images.subarray(index * PIXELS, (index + 1) * PIXELS), (v) => v / 255);
}

/** The bytes of `a` then `b`, in a new Uint8Array. */
function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
