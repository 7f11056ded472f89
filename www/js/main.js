// Wires the page together: the drawing pad, the network picture, the backprop player and the
// training worker. State changes only mark what is stale; the single requestAnimationFrame
// loop recomputes (with the core) and redraws what was marked.
import { BackpropPlayer } from './backprop-player.js';
import { drawChart } from './charts.js';
import { argmax, num, percent } from './format.js';
import { download, readModelFile } from './model-file.js';
import { NetworkView } from './network-view.js';
import { showNeuron } from './neuron-info.js';
import { DrawingPad } from './pad.js';
import { palette, storedChoice, usePalette } from './palette.js';
import { drawConfusion, drawGallery } from './results.js';
import { TrainerClient } from './trainer-client.js';
import {
  LIMITS, changedSettings, networkOptions, pageDefaults, readSettings, settingsHash, shortestFloat32, withOptions,
} from './url-state.js';
import { Dataset, Network, loadCore, loadDataset, randomSeed } from './wasm.js';

const FULL_CONNECTION_LIMIT = 1200;   // layers with more connections draw only the strongest
const TOP_K_INPUT = 6;                // strongest connections drawn per first-hidden neuron
const TOP_K_HIDDEN = 8;               // … per neuron of other wide layers
const MAX_NOTICES = 4;
const NARROW = '(max-width: 759px)';   // phones: the player's buttons and caption sit under the picture
const MAX_DATA_BYTES = 200 * 1024 * 1024;   // the core reads at most this much IDX data
const CARDS = { draw: '.draw-card', network: '.network-card', backprop: '.backprop-card', train: '.train-card' };

const $ = (id) => document.getElementById(id);

const dom = {
  app: $('app'), loading: $('loading'), notices: $('notices'),
  pad: $('pad'), preview: $('input-preview'), clear: $('clear-button'), sample: $('sample-button'),
  source: $('digit-source'), summary: $('prediction-summary'), bars: $('output-bars'),
  untrained: $('untrained-note'), quickTrain: $('quick-train'),
  network: $('network-view'), tooltip: $('network-tooltip'), connectionNote: $('connection-note'),
  neuron: { title: $('neuron-title'), values: $('neuron-values'), figure: $('neuron-figure'), weights: $('neuron-weights'), figureCaption: $('neuron-figure-caption') },
  desired: $('desired-label'), prev: $('step-prev'), play: $('step-play'), next: $('step-next'), speed: $('step-speed'),
  dots: $('step-dots'), stepTitle: $('step-title'), stepCaption: $('step-caption'), stepTable: $('step-table'), legend: $('legend-list'),
  trainPlay: $('train-play'), trainStep: $('train-step'), trainReset: $('train-reset'), pace: $('train-pace'),
  diverged: $('diverged'), divergedMessage: $('diverged-message'), divergedDetail: $('diverged-detail'),
  restoreWeights: $('restore-weights'), lowerRate: $('lower-lr'),
  dataImages: $('data-images'), dataLabels: $('data-labels'), useData: $('use-data'), useDigits: $('use-digits'), dataMessage: $('data-message'),
  trainKey: $('train-key'), heldoutKey: $('heldout-key'), confusionTitle: $('confusion-title'), confusionHint: $('confusion-hint'), galleryTitle: $('gallery-title'),
  stat: { step: $('stat-step'), epoch: $('stat-epoch'), speed: $('stat-speed'), heldout: $('stat-heldout') },
  settings: $('settings'), settingsMessage: $('settings-message'),
  lr: $('set-lr'), batch: $('set-batch'), optimizer: $('set-optimizer'), l2: $('set-l2'),
  activation: $('set-activation'), loss: $('set-loss'), seed: $('set-seed'), newSeed: $('new-seed'),
  layers: $('layer-list'), addLayer: $('add-layer'),
  lossChart: $('loss-chart'), accuracyChart: $('accuracy-chart'),
  confusion: $('confusion'), gallery: $('gallery'), galleryEmpty: $('gallery-empty'),
  save: $('save-model'), load: $('load-model'), copyLink: $('copy-link'), modelMessage: $('model-message'),
  palette: $('palette-toggle'),
  playerBlock: $('player-block'), narrowSlot: $('narrow-player-slot'),
};

const state = {
  settings: null,         // the run in the core's settings shape; the address bar's hash mirrors it
  hash: null,             // the hash last written for `settings`
  net: null,              // the page's copy of the training network, for drawing and lessons
  netStep: 0,             // the training step `net` was copied at
  pendingModel: null,     // model JSON from the latest snapshot, parsed in the next frame
  derived: null,          // sizes, weights and strongest connections of `net`
  digits: null,           // the embedded held-out MNIST digits
  heldout: null,          // the examples the network is validated on: `digits`, or the learner's own
  ownData: null,          // `{ name, train, heldout }` while training on the learner's files
  diverged: null,         // the core's message while the training network is diverged
  digit: { source: 'sample', index: 0, label: 0, input: new Float32Array(784) },
  desired: null,          // the learner's pick, or null for the automatic choice
  trace: null,
  prediction: null,
  focus: null,
  keyboardFocus: false,
  training: { playing: false, steps: 0, epoch: 0, examplesPerSecond: 0, history: [], confusion: null },
  busy: false,
  loadedModel: false,     // true while the network came from a file rather than from the link
  dirty: { input: false, model: true, lesson: true, view: true, charts: true, results: true },
};

let trainer;
let pad;
let view;
let player;

// ---------- notices and messages ----------

function notify(text, kind = 'info', details = []) {
  const item = document.createElement('div');
  item.className = `notice notice-${kind}`;
  const message = document.createElement('div');
  message.textContent = text;
  if (details.length) {
    const list = document.createElement('ul');
    list.append(...details.map((detail) => {
      const li = document.createElement('li');
      li.textContent = detail;
      return li;
    }));
    message.append(list);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'notice-close';
  close.textContent = '×';
  close.setAttribute('aria-label', 'Dismiss this notice');
  close.addEventListener('click', () => item.remove());
  item.append(message, close);
  dom.notices.append(item);
  while (dom.notices.children.length > MAX_NOTICES) dom.notices.firstElementChild.remove();
}

function modelMessage(text, error = false) {
  dom.modelMessage.textContent = text;
  dom.modelMessage.classList.toggle('error', error);
}

function dataMessage(text, error = false) {
  dom.dataMessage.textContent = text;
  dom.dataMessage.classList.toggle('error', error);
}

/** Mirrors `state.settings` in the address bar (without history entries). */
function writeHash() {
  const hash = settingsHash(state.settings);
  if (hash === state.hash) return;
  state.hash = hash;
  history.replaceState(null, '', hash === '#' ? location.pathname + location.search : hash);
}

// ---------- the network copy ----------

function useModel(json) {
  const net = Network.fromJSON(json);
  state.net?.free();
  state.net = net;
  const sizes = Array.from(net.sizes());
  const weights = [];
  const strongest = [];
  const topK = [];
  for (let l = 0; l < sizes.length - 1; l++) {
    weights.push(net.weights(l));
    const wide = sizes[l] * sizes[l + 1] > FULL_CONNECTION_LIMIT;
    const k = wide ? Math.min(sizes[l], l === 0 ? TOP_K_INPUT : TOP_K_HIDDEN) : null;
    topK.push(k);
    strongest.push(k ? net.strongestInputs(l, k) : null);
  }
  const options = net.options();
  state.derived = { sizes, weights, strongest, topK, options, probabilities: options.loss === 'softmax_cross_entropy' };
  if (state.focus && (state.focus.layer >= sizes.length || (state.focus.layer > 0 && state.focus.index >= sizes[state.focus.layer]))) {
    state.focus = null;
  }
  describeConnections();
  markAll();
}

function describeConnections() {
  const { sizes, topK } = state.derived;
  const parts = [];
  topK.forEach((k, l) => {
    if (!k) return;
    const to = l + 1 === sizes.length - 1 ? 'output' : `hidden layer ${l + 1}`;
    parts.push(`into ${to}, each neuron's ${k} strongest of ${sizes[l]} incoming connections`);
  });
  dom.connectionNote.textContent = parts.length
    ? `Lines: blue positive, red negative, thicker for larger weights. To stay readable the picture draws, ${parts.join('; ')}. All other connections are drawn.`
    : 'Lines: blue positive, red negative, thicker for larger weights. Every connection is drawn.';
}

function markAll() {
  Object.keys(state.dirty).forEach((k) => { state.dirty[k] = true; });
  state.dirty.input = false;
}

function applySnapshot(snapshot) {
  const t = state.training;
  t.steps = snapshot.steps;
  t.epoch = snapshot.epoch;
  t.examplesPerSecond = snapshot.examplesPerSecond;
  t.history = snapshot.history;
  t.confusion = snapshot.confusion;
  if (typeof snapshot.playing === 'boolean') t.playing = snapshot.playing;
  if (snapshot.model) {
    state.pendingModel = snapshot.model;
    state.netStep = snapshot.modelSteps;
  }
  state.settings.steps = snapshot.steps;
  writeHash();
  showDiverged(snapshot.diverged ?? null);
  state.dirty.charts = true;
  state.dirty.results = true;
  updateTrainButtons();
}

// ---------- divergence ----------

function showDiverged(message) {
  state.diverged = message;
  dom.diverged.hidden = !message;
  if (!message) return;
  const lr = shortestFloat32(state.settings.training.learningRate);
  dom.divergedMessage.textContent = `${message[0].toUpperCase()}${message.slice(1)}${message.endsWith('.') ? '' : '.'}`;
  dom.divergedDetail.textContent = `Training is paused. The pictures show the last good copy of the network, from step ${state.netStep}; the diverged one cannot be trained further or saved. Restore the weights from before the failing update, or lower the learning rate from ${lr} to ${shortestFloat32(lr / 10)} and restore them.`;
  dom.lowerRate.textContent = `Lower the learning rate to ${shortestFloat32(lr / 10)}`;
}

/** Brings back the weights from before the diverging update; `lower` also divides the learning rate by 10. */
async function restoreWeights(lower) {
  try {
    const training = lower ? { ...state.settings.training, learningRate: state.settings.training.learningRate / 10 } : null;
    const snapshot = await busy(() => trainer.restore(training));
    if (training) state.settings = { ...state.settings, training };
    applySnapshot(snapshot);
    showSettings();
    notify(lower
      ? `Restored the weights from step ${snapshot.steps} and lowered the learning rate to ${shortestFloat32(training.learningRate)}. Training continues from here when you press Train; a link replays the whole run at the new rate, so it will not repeat these weights exactly.`
      : `Restored the weights from step ${snapshot.steps}. Training at the same learning rate will probably diverge again.`);
  } catch (e) {
    notify(`Could not restore the weights: ${e.message}`, 'error');
  }
}

// ---------- digits ----------

function loadSample(index) {
  const { heldout } = state;
  state.digit = { source: 'sample', index, label: heldout.label(index), input: heldout.input(index) };
  state.desired = null;
  pad.showImage(heldout.image(index));
  dom.source.textContent = state.ownData
    ? `Held-out example #${index} of your data: its label is ${state.digit.label}. The network never trains on it.`
    : `Held-out digit #${index}: it is a ${state.digit.label}. The network never trains on it.`;
  dom.source.dataset.index = String(index);
  dom.source.dataset.label = String(state.digit.label);
  state.dirty.model = true;
  // A link names held-out MNIST digits only: the learner's files are not part of it.
  showInLink({ digit: state.ownData ? null : index, label: null });
}

/** Records what the learner looks at (digit, desired label, lesson step) in the link. */
function showInLink(values) {
  state.settings = { ...state.settings, ...values };
  writeHash();
}

function randomSample() {
  loadSample(Math.floor(Math.random() * state.heldout.length));
}

function drawingChanged() {
  state.dirty.input = true;
}

function clearPad() {
  pad.clear();
  state.digit = { source: 'drawing', index: null, label: null, input: new Float32Array(784) };
  state.desired = null;
  dom.source.textContent = 'Draw a digit in the square.';
  delete dom.source.dataset.index;
  delete dom.source.dataset.label;
  state.dirty.model = true;
  showInLink({ digit: null, label: null });
}

function readDrawing() {
  const input = pad.input();
  if (!input) return;
  if (state.digit.source !== 'drawing') {
    state.desired = null;
    dom.source.textContent = 'Your drawing, fitted into 20×20 pixels and centred by its centre of mass, as MNIST digits were.';
    delete dom.source.dataset.index;
    delete dom.source.dataset.label;
    showInLink({ digit: null, label: null });
  }
  state.digit = { source: 'drawing', index: null, label: null, input };
}

function desiredLabel() {
  if (state.desired !== null) return state.desired;
  if (state.digit.label !== null) return state.digit.label;
  return state.prediction ? argmax(state.prediction) : 0;
}

// ---------- drawing the page ----------

function drawPreview() {
  const ctx = dom.preview.getContext('2d');
  const image = new ImageData(28, 28);
  state.digit.input.forEach((v, i) => {
    const g = 255 - Math.round(v * 255);
    image.data.set([g, g, g, 255], i * 4);
  });
  ctx.putImageData(image, 0, 0);
}

function buildBars() {
  const items = [];
  for (let d = 0; d < 10; d++) {
    const li = document.createElement('li');
    li.className = 'bar';
    li.dataset.digit = String(d);
    const label = document.createElement('span');
    label.className = 'bar-label';
    label.textContent = String(d);
    const track = document.createElement('span');
    track.className = 'bar-track';
    const before = document.createElement('span');
    before.className = 'bar-before';
    const fill = document.createElement('span');
    fill.className = 'bar-fill';
    track.append(before, fill);
    const value = document.createElement('span');
    value.className = 'bar-value';
    li.append(label, track, value);
    items.push(li);
  }
  dom.bars.replaceChildren(...items);
}

function drawBars() {
  const p = state.prediction;
  const best = argmax(p);
  const desired = desiredLabel();
  const applied = player.applied;
  [...dom.bars.children].forEach((li, d) => {
    li.classList.toggle('best', d === best);
    li.classList.toggle('desired', d === desired);
    li.querySelector('.bar-fill').style.width = `${Math.max(0, Math.min(1, p[d])) * 100}%`;
    const before = li.querySelector('.bar-before');
    before.hidden = !applied;
    if (applied) before.style.left = `${Math.max(0, Math.min(1, applied.before[d])) * 100}%`;
    li.querySelector('.bar-value').textContent = state.derived.probabilities ? percent(p[d]) : num(p[d]);
  });
  const blank = state.digit.source === 'drawing' && !pad.hasInk;
  dom.summary.textContent = blank
    ? 'Draw a digit and the network will guess as you draw.'
    : `The network says ${best}, ${state.derived.probabilities ? `${percent(p[best])} sure` : `output ${num(p[best])}`}.${applied ? ' The dark ticks mark the outputs before the lesson.' : ''}`;
  dom.summary.dataset.prediction = String(best);
}

function buildDesiredOptions() {
  const options = [];
  for (let d = 0; d < 10; d++) {
    const option = document.createElement('option');
    option.value = String(d);
    option.textContent = String(d);
    options.push(option);
  }
  dom.desired.replaceChildren(...options);
}

function drawPlayer() {
  const step = player.step();
  dom.desired.value = String(desiredLabel());
  dom.stepTitle.textContent = step.title;
  dom.stepCaption.textContent = step.caption;
  dom.play.textContent = player.playing ? '❚❚ Pause' : '▶ Play';
  dom.play.setAttribute('aria-pressed', String(player.playing));
  dom.prev.disabled = player.applying;
  dom.next.disabled = player.applying;
  const titles = player.titles();
  if (dom.dots.children.length !== titles.length) {
    dom.dots.replaceChildren(...titles.map((title, i) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = `${i}. ${title}`;
      button.addEventListener('click', () => { player.pause(); player.go(i).catch((e) => notify(e.message, 'error')); });
      li.append(button);
      return li;
    }));
  } else {
    titles.forEach((title, i) => { dom.dots.children[i].firstElementChild.textContent = `${i}. ${title}`; });
  }
  [...dom.dots.children].forEach((li, i) => {
    li.firstElementChild.setAttribute('aria-current', i === player.index ? 'step' : 'false');
  });
  const head = document.createElement('tr');
  for (const [, label] of step.columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = label;
    head.append(th);
  }
  const rows = step.rows.map((row) => {
    const tr = document.createElement('tr');
    for (const [key] of step.columns) {
      const td = document.createElement('td');
      td.dataset.col = key;
      td.textContent = row[key];
      tr.append(td);
    }
    return tr;
  });
  const thead = document.createElement('thead');
  thead.append(head);
  const tbody = document.createElement('tbody');
  tbody.append(...rows);
  dom.stepTable.replaceChildren(thead, tbody);
  dom.stepTable.dataset.step = String(player.index);
}

function drawLegend() {
  const c = palette();
  const entries = [
    ['line', c.positive, 'Positive weight (thicker = larger)'],
    ['line', c.negative, 'Negative weight'],
    ['dot', '#3a4150', 'Neuron: darker = more active'],
    ['up', c.target, 'The desired digit must rise'],
    ['up', c.rise, 'Neuron must rise (δ < 0)'],
    ['down', c.fall, 'Neuron must fall (δ > 0)'],
    ['up', c.change, 'Weight change: up = more positive, size = amount'],
  ];
  dom.legend.replaceChildren(...entries.map(([shape, colour, text]) => {
    const li = document.createElement('li');
    const mark = document.createElement('span');
    mark.className = `legend-mark legend-${shape}`;
    mark.style.setProperty('--mark', colour);
    mark.setAttribute('aria-hidden', 'true');
    const label = document.createElement('span');
    label.textContent = text;
    li.append(mark, label);
    return li;
  }));
}

function drawNeuronInfo(step) {
  // With nothing picked, the panel explains the neuron the current step is about, or the answer.
  const output = state.derived.sizes.length - 1;
  const shown = state.focus ?? step.overlay?.highlight
    ?? { layer: output, index: player.index === 0 ? argmax(state.prediction) : desiredLabel() };
  const lessonStep = player.index > 0 && player.index < player.applyIndex();
  const imageNeuron = step.image && shown.layer === 1 && shown.index === step.image.neuron;
  showNeuron(dom.neuron, {
    focus: shown,
    sizes: state.derived.sizes,
    trace: state.trace,
    biases: (l) => state.net.biases(l),
    weights: (l) => state.derived.weights[l],
    activation: state.derived.options.activation,
    probabilities: state.derived.probabilities,
    delta: lessonStep && shown.layer > 0 ? player.lesson.gradient.errors[shown.layer - 1][shown.index] : null,
    changeImage: imageNeuron ? step.image.values : null,
  });
}

function drawNetwork(step) {
  view.resize();
  const d = state.derived;
  view.draw({
    sizes: d.sizes,
    weights: d.weights,
    strongest: d.strongest,
    topK: d.topK,
    activations: state.trace.activations,
    probabilities: d.probabilities,
    focus: state.focus,
    overlay: step.overlay,
  });
}

function drawTraining() {
  const t = state.training;
  dom.stat.step.textContent = String(t.steps);
  dom.stat.epoch.textContent = t.epoch.toFixed(2);
  dom.stat.speed.textContent = t.playing && t.examplesPerSecond ? t.examplesPerSecond.toLocaleString('en') : '–';
  dom.untrained.hidden = t.steps > 0 || t.playing || state.loadedModel;
  const last = t.history.at(-1);
  dom.stat.heldout.textContent = last ? percent(last.heldoutAccuracy) : '–';
  dom.stat.heldout.dataset.value = last ? String(last.heldoutAccuracy) : '';
  const c = palette();
  const epochs = [];
  t.history.forEach((p, i) => {
    if (i > 0 && Math.floor(p.epoch) > Math.floor(t.history[i - 1].epoch)) epochs.push(p.step);
  });
  drawChart(dom.lossChart, {
    series: [{ points: t.history.map((p) => [p.step, p.loss]), colour: c.negative }],
    marks: epochs, yMin: 0, yMax: null, format: (y) => y.toFixed(1), empty: 'Press Train to start',
  });
  drawChart(dom.accuracyChart, {
    marks: epochs,
    series: [
      { points: t.history.map((p) => [p.step, p.trainAccuracy]), colour: c.rise },
      { points: t.history.map((p) => [p.step, p.heldoutAccuracy]), colour: c.positive },
    ],
    yMin: 0, yMax: 1, format: (y) => `${Math.round(y * 100)}%`, empty: 'Press Train to start',
  });
}

async function drawResults() {
  const t = state.training;
  if (t.confusion) drawConfusion(dom.confusion, t.confusion);
  if (t.playing || state.diverged || (t.steps === 0 && !state.loadedModel)) {
    const examples = state.ownData ? 'examples' : 'digits';
    if (state.diverged) dom.galleryEmpty.textContent = `Training diverged: restore the last good weights to see the held-out ${examples} it gets wrong.`;
    else if (t.playing) dom.galleryEmpty.textContent = `Pause training to see the held-out ${examples} it still gets wrong.`;
    else dom.galleryEmpty.textContent = `Train the network first; then the held-out ${examples} it still gets wrong appear here.`;
    dom.gallery.replaceChildren();
    return;
  }
  const { mistakes, total } = await trainer.mistakes();
  const examples = state.ownData ? 'examples' : 'digits';
  dom.galleryEmpty.textContent = total === 0
    ? `It gets every held-out ${examples.slice(0, -1)} right.`
    : `It gets ${total} of ${state.heldout.length} held-out ${examples} wrong${total > mistakes.length ? `; here are the first ${mistakes.length}` : ''}.`;
  drawGallery(dom.gallery, mistakes, state.heldout, pickMistake);
}

function pickMistake(index) {
  loadSample(index);
  player.pause();
  player.go(0);
  dom.desired.closest('section').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

// ---------- the one animation loop ----------

/** Brings the network copy, the input, its forward pass and the lesson up to date. */
function recompute() {
  const dirty = state.dirty;
  if (state.pendingModel) {
    useModel(state.pendingModel);
    state.pendingModel = null;
  }
  if (dirty.input) {
    readDrawing();
    dirty.input = false;
    dirty.model = true;
  }
  if (dirty.model) {
    state.trace = state.net.forward(state.digit.input);
    state.prediction = state.trace.activations.at(-1);
    drawPreview();
    dirty.model = false;
    dirty.lesson = true;
  }
  if (dirty.lesson) refreshLesson();
}

function frame() {
  try {
    const dirty = state.dirty;
    recompute();
    if (dirty.view) {
      const step = player.step();
      drawBars();
      drawPlayer();
      const shownStep = player.index > 0 ? player.index : null;
      if (shownStep !== state.settings.backpropStep) showInLink({ backpropStep: shownStep });
      drawNetwork(step);
      drawNeuronInfo(step);
      dirty.view = false;
    }
    if (dirty.charts) {
      drawTraining();
      dirty.charts = false;
    }
    if (dirty.results) {
      dirty.results = false;
      drawResults().catch((e) => notify(`Could not list the mistakes: ${e.message}`, 'error'));
    }
  } catch (e) {
    notify(`Something went wrong while drawing: ${e.message}`, 'error');
    console.error(e);
  }
  requestAnimationFrame(frame);
}

function refreshLesson() {
  state.dirty.lesson = false;
  player.setLesson({
    net: state.net,
    input: state.digit.input,
    label: desiredLabel(),
    learningRate: state.settings.training.learningRate,
    sizes: state.derived.sizes,
  });
}

// ---------- training and settings ----------

function updateTrainButtons() {
  const playing = state.training.playing;
  dom.trainPlay.textContent = playing ? '❚❚ Pause' : '▶ Train';
  dom.trainPlay.setAttribute('aria-pressed', String(playing));
  for (const button of [dom.trainReset, dom.save, dom.restoreWeights, dom.lowerRate, dom.useData]) button.disabled = state.busy;
  dom.useDigits.disabled = state.busy || !state.ownData;
  for (const button of [dom.trainPlay, dom.trainStep]) button.disabled = state.busy || Boolean(state.diverged);
}

async function busy(task) {
  state.busy = true;
  updateTrainButtons();
  try {
    return await task();
  } finally {
    state.busy = false;
    updateTrainButtons();
  }
}

/** Builds the network for `settings` in the worker (replaying its steps) and shows it. */
async function configure(settings, { keepPlaying = false } = {}) {
  const wasPlaying = state.training.playing;
  const snapshot = await busy(() => trainer.configure(networkOptions(settings), settings.steps));
  state.settings = { ...settings, steps: snapshot.steps, model: null };
  state.loadedModel = false;
  applySnapshot(snapshot);
  showSettings();
  if (keepPlaying && wasPlaying) await togglePlay();
}

async function togglePlay() {
  if (state.training.playing) {
    applySnapshot(await trainer.pause());
  } else {
    await trainer.play();
    state.training.playing = true;
    state.dirty.results = true;
    state.dirty.charts = true;
    updateTrainButtons();
  }
}

function showSettings() {
  const { network, training } = state.settings;
  dom.lr.value = String(shortestFloat32(training.learningRate));
  dom.batch.value = String(training.batchSize);
  dom.optimizer.value = training.optimizer;
  dom.l2.value = String(shortestFloat32(training.l2));
  dom.activation.value = network.activation;
  dom.loss.value = network.loss;
  dom.seed.value = String(network.seed);
  const items = network.hidden.map((width, i) => {
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
      changeSetting('hidden', network.hidden.filter((_, j) => j !== i).join(','), remove);
    });
    li.append(label, remove);
    return li;
  });
  dom.layers.replaceChildren(...items);
  dom.addLayer.setAttribute('aria-disabled', String(network.hidden.length >= LIMITS.maxHiddenLayers));
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
    showSettings();
  }
}

function bindSettings() {
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
    const width = hidden.length ? Math.max(LIMITS.minWidth, Math.ceil(hidden.at(-1) / 2)) : 32;
    changeSetting('hidden', [...hidden, width].join(','), dom.addLayer);
  });
}

// ---------- the network picture's pointer and keyboard ----------

function setFocus(focus) {
  const same = focus === state.focus || (focus && state.focus && focus.layer === state.focus.layer && focus.index === state.focus.index);
  if (same) return;
  state.focus = focus;
  if (focus) player.choose(focus);
  state.dirty.view = true;
}

function bindNetworkView() {
  const canvas = dom.network;
  const local = (e) => {
    const rect = canvas.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  canvas.addEventListener('pointermove', (e) => {
    const { x, y } = local(e);
    const arrow = view.arrowAt(x, y);
    if (arrow) {
      dom.tooltip.replaceChildren(...player.describeConnection(arrow.weightLayer, arrow.from, arrow.to).map((line) => {
        const div = document.createElement('div');
        div.textContent = line;
        return div;
      }));
      dom.tooltip.hidden = false;
      const wrap = canvas.parentElement.getBoundingClientRect();
      const left = Math.min(e.clientX - wrap.left + 14, wrap.width - dom.tooltip.offsetWidth - 4);
      dom.tooltip.style.left = `${Math.max(4, left)}px`;
      dom.tooltip.style.top = `${e.clientY - wrap.top + 14}px`;
    } else {
      dom.tooltip.hidden = true;
    }
    const neuron = view.hitTest(x, y);
    if (neuron) {
      state.keyboardFocus = false;
      setFocus(neuron);
    }
  });
  canvas.addEventListener('pointerleave', () => {
    dom.tooltip.hidden = true;
    if (!state.keyboardFocus) setFocus(null);
  });
  canvas.addEventListener('keydown', (e) => {
    const sizes = state.derived.sizes;
    let f = state.focus ?? { layer: 1, index: 0 };
    const last = sizes.length - 1;
    const clampIndex = (layer, index) => Math.max(0, Math.min(sizes[layer] - 1, index));
    const toLayer = (layer) => (layer === 0 ? 14 * 28 + 14 : clampIndex(layer, Math.round((f.index / Math.max(1, sizes[f.layer] - 1)) * (sizes[layer] - 1))));
    switch (e.key) {
      case 'ArrowUp': f = { layer: f.layer, index: f.layer === 0 ? Math.max(f.index % 28, f.index - 28) : clampIndex(f.layer, f.index - 1) }; break;
      case 'ArrowDown': f = { layer: f.layer, index: f.layer === 0 ? Math.min(783 - 27 + (f.index % 28), f.index + 28) : clampIndex(f.layer, f.index + 1) }; break;
      case 'ArrowLeft':
        if (f.layer === 0) f = { layer: 0, index: f.index % 28 === 0 ? f.index : f.index - 1 };
        else f = { layer: f.layer - 1, index: toLayer(f.layer - 1) };
        break;
      case 'ArrowRight':
        if (f.layer === 0 && f.index % 28 !== 27) f = { layer: 0, index: f.index + 1 };
        else if (f.layer < last) f = { layer: f.layer + 1, index: f.layer === 0 ? 0 : toLayer(f.layer + 1) };
        break;
      case 'Escape': f = null; break;
      default: return;
    }
    e.preventDefault();
    state.keyboardFocus = true;
    setFocus(f);
  });
  canvas.addEventListener('focus', () => {
    if (!state.focus) {
      state.keyboardFocus = true;
      setFocus({ layer: 1, index: 0 });
    }
  });
  canvas.addEventListener('blur', () => {
    if (state.keyboardFocus) setFocus(null);
    state.keyboardFocus = false;
  });
}

/** On a phone the picture and the step player's buttons and caption must be seen together. */
function placePlayer(narrow) {
  const target = narrow ? dom.narrowSlot : dom.stepTable.closest('section');
  if (dom.playerBlock.parentElement === target) return;
  if (narrow) target.append(dom.playerBlock);
  else target.querySelector('h2').after(dom.playerBlock);
}

// ---------- model files and links ----------

async function saveModel() {
  try {
    const last = state.training.history.at(-1);
    const { json } = await trainer.save({ heldoutAccuracy: last ? last.heldoutAccuracy : null, savedFrom: 'backprop-lab playground' });
    download(json, `backprop-lab-${state.derived.sizes.join('-')}-step${state.training.steps}.json`);
    modelMessage(`Saved the model at step ${state.training.steps}.`);
  } catch (e) {
    modelMessage(`Could not save: ${e.message}`, true);
  }
}

/** Trains on from the model in `text`; `model` is its path when a link named it. Throws if refused. */
async function useModelText(text, model) {
  const result = await busy(() => trainer.load(text));
  state.settings = { ...withOptions(state.settings, result.options, result.steps), model };
  state.loadedModel = true;
  applySnapshot(result);
  showSettings();
}

async function loadModel(file) {
  try {
    await useModelText(await readModelFile(file), null);
    modelMessage(`Loaded ${file.name}. A link describes its settings; the weights themselves live in the file.`);
  } catch (e) {
    modelMessage(`Could not load ${file.name}: ${e.message}. The current model is unchanged.`, true);
  }
}

/** The model file a link names, fetched relative to the page; on failure the current network stays. */
async function loadLinkedModel(model) {
  try {
    const response = await fetch(new URL(model, location.href));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    await useModelText(await response.text(), model);
    modelMessage(`Loaded the link's model ${model}.`);
  } catch (e) {
    notify(`The link's model "${model}" could not be loaded (${e.message}); the network from the link's other settings is shown.`, 'warning');
  }
}

function onWorkerEvent(event) {
  if (event.event === 'snapshot') {
    applySnapshot(event);
  } else if (event.event === 'failed') {
    notify(event.message, 'error');
  }
}

async function onHashChange() {
  if (location.hash === state.hash || (location.hash === '' && state.hash === '#')) return;
  await openLink(location.hash.replace(/^#/, ''));
}

function reportLinkProblems(notices) {
  if (notices.length) {
    notify('Parts of this link could not be used; the page fell back to its defaults for them:', 'warning',
      notices.map(({ key, message }) => `the link's ${key} ${message}`));
  }
}

async function configureOrDefault(settings) {
  try {
    await configure(settings);
  } catch (e) {
    notify(`The link's settings were refused (${e.message}); the defaults are used instead.`, 'warning');
    await configure(pageDefaults());
  }
}

/**
 * Opens the page as a link's settings text says: the network (replaying its training steps,
 * or its model file), then the held-out digit, desired label, backprop step and card.
 */
async function openLink(text) {
  const { settings, notices } = readSettings(text);
  reportLinkProblems(notices);
  if (settings.steps > 0 && !settings.model) dom.loading.textContent = `Replaying the link's ${settings.steps} training steps…`;
  await configureOrDefault({ ...settings, steps: settings.model ? 0 : settings.steps });
  if (settings.model) await loadLinkedModel(settings.model);
  const { digit, label, backpropStep, view: card } = settings;
  if (digit !== null && digit >= state.heldout.length) {
    notify(`The link's digit ${digit} is not one of the ${state.heldout.length} held-out examples (0 to ${state.heldout.length - 1}); a random one is shown.`, 'warning');
  }
  if (digit !== null && digit < state.heldout.length) loadSample(digit);
  else randomSample();
  if (label !== null) {
    state.desired = label;
    showInLink({ label });
  }
  recompute();
  if (backpropStep !== null) {
    const apply = player.applyIndex();
    if (backpropStep > apply) notify(`This network's lesson has steps 1 to ${apply}; the link's step ${backpropStep} is past them, so step ${apply - 1} is shown.`, 'warning');
    player.pause();
    await player.go(backpropStep > apply ? apply - 1 : backpropStep);
  }
  return CARDS[card] ?? null;
}

// ---------- the learner's own data ----------

function describeData() {
  const own = state.ownData;
  dom.trainKey.textContent = own ? `Training accuracy (first ${Math.min(1000, own.train).toLocaleString('en')} training examples)` : 'Training accuracy (first 1,000 training digits)';
  dom.heldoutKey.textContent = own ? `Held-out accuracy (last 10% of your data: ${own.heldout.toLocaleString('en')} examples)` : 'Held-out accuracy (1,000 unseen digits)';
  dom.confusionTitle.textContent = own ? 'Confusion matrix (held-out examples of your data)' : 'Confusion matrix (held-out digits)';
  dom.galleryTitle.textContent = own ? 'Held-out examples it gets wrong' : 'Held-out digits it gets wrong';
  dom.confusionHint.textContent = `Rows: the true ${own ? 'label' : 'digit'}. Columns: what the network said. The diagonal is right.`;
  updateTrainButtons();
}

/** Replaces the validation examples the page shows; the embedded digits are kept for later. */
function useHeldout(heldout, ownData) {
  if (state.heldout !== state.digits) state.heldout.free();
  state.heldout = heldout;
  state.ownData = ownData;
  describeData();
}

async function useOwnData() {
  const images = dom.dataImages.files[0];
  const labels = dom.dataLabels.files[0];
  if (!images || !labels) {
    dataMessage('Pick an image file and a label file first.', true);
    return;
  }
  try {
    for (const file of [images, labels]) {
      if (file.size > MAX_DATA_BYTES) throw new Error(`${file.name} is ${Math.round(file.size / 1048576)} MB; at most 200 MB can be read`);
    }
    const [imageBytes, labelBytes] = await Promise.all([images.arrayBuffer(), labels.arrayBuffer()]);
    const data = await busy(() => trainer.useData(imageBytes, labelBytes));
    useHeldout(Dataset.fromIdx(data.validationImages, data.validationLabels, 0), { name: images.name, train: data.trainLength, heldout: data.heldoutLength });
    await configure({ ...state.settings, steps: 0 });
    randomSample();
    dataMessage(`Training on ${images.name} and ${labels.name}: ${data.trainLength.toLocaleString('en')} examples, and the last ${data.heldoutLength.toLocaleString('en')} held out. The network restarted from its seed; press Train.`);
  } catch (e) {
    dataMessage(`Could not use these files: ${e.message}. The current data and model are unchanged.`, true);
  }
}

async function useDigits() {
  try {
    await busy(() => trainer.useDigits());
    useHeldout(state.digits, null);
    await configure({ ...state.settings, steps: 0 });
    randomSample();
    dataMessage('Back to the embedded MNIST digits. The network restarted from its seed.');
  } catch (e) {
    dataMessage(`Could not go back to the digits: ${e.message}`, true);
  }
}

// ---------- start ----------

async function main() {
  usePalette(storedChoice());
  dom.palette.checked = storedChoice();

  await loadCore();
  state.settings = pageDefaults();
  trainer = new TrainerClient(onWorkerEvent);
  const [heldout] = await Promise.all([loadDataset('heldout', 0), trainer.init()]);
  state.digits = heldout;
  state.heldout = heldout;

  pad = new DrawingPad(dom.pad, drawingChanged);
  view = new NetworkView(dom.network);
  player = new BackpropPlayer({
    onChange: () => { state.dirty.view = true; },
    onApply: async (input, label, learningRate) => {
      if (state.diverged) throw new Error('training diverged: restore the last good weights before applying a lesson');
      const snapshot = await trainer.apply(input, label, learningRate);
      applySnapshot(snapshot);
      recompute();
      return state.net.predict(input);
    },
  });
  buildBars();
  buildDesiredOptions();
  drawLegend();
  bindSettings();
  bindNetworkView();
  const narrow = matchMedia(NARROW);
  placePlayer(narrow.matches);
  narrow.addEventListener('change', (e) => placePlayer(e.matches));

  dom.clear.addEventListener('click', clearPad);
  dom.sample.addEventListener('click', randomSample);
  dom.desired.addEventListener('change', () => {
    state.desired = Number(dom.desired.value);
    state.dirty.lesson = true;
    showInLink({ label: state.desired });
  });
  const failed = (e) => notify(e.message, 'error');
  dom.prev.addEventListener('click', () => { player.pause(); player.previous().catch(failed); });
  dom.next.addEventListener('click', () => { player.pause(); player.next().catch(failed); });
  dom.play.addEventListener('click', () => (player.playing ? player.pause() : player.play()));
  dom.speed.addEventListener('change', () => { player.delay = Number(dom.speed.value); });
  dom.trainPlay.addEventListener('click', () => togglePlay().catch((e) => notify(e.message, 'error')));
  dom.quickTrain.addEventListener('click', () => {
    if (!state.training.playing) togglePlay().catch((e) => notify(e.message, 'error'));
  });
  dom.trainStep.addEventListener('click', async () => {
    try {
      applySnapshot(await busy(() => trainer.step()));
    } catch (e) {
      notify(e.message, 'error');
    }
  });
  dom.trainReset.addEventListener('click', () => configure({ ...state.settings, steps: 0 }).catch((e) => notify(e.message, 'error')));
  dom.restoreWeights.addEventListener('click', () => restoreWeights(false));
  dom.lowerRate.addEventListener('click', () => restoreWeights(true));
  dom.useData.addEventListener('click', useOwnData);
  dom.useDigits.addEventListener('click', useDigits);
  dom.pace.addEventListener('change', () => {
    trainer.pace(dom.pace.value ? Number(dom.pace.value) : null).catch((e) => notify(e.message, 'error'));
  });
  dom.save.addEventListener('click', saveModel);
  dom.load.addEventListener('change', () => {
    const file = dom.load.files[0];
    dom.load.value = '';
    if (file) loadModel(file);
  });
  dom.copyLink.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      modelMessage(state.ownData
        ? 'Copied a link to these settings. Your data stays on this computer, so the link replays them on the MNIST digits.'
        : 'Copied a link to this run: it rebuilds the same network and replays the same steps.');
    } catch {
      modelMessage('Copy the address in the address bar: it holds the whole run.');
    }
  });
  dom.palette.addEventListener('change', () => {
    usePalette(dom.palette.checked);
    drawLegend();
    markAll();
  });
  window.addEventListener('hashchange', () => onHashChange().then(scrollToCard).catch((e) => notify(e.message, 'error')));
  window.addEventListener('resize', () => { state.dirty.view = true; state.dirty.charts = true; });

  const card = await openLink(location.hash.replace(/^#/, ''));
  dom.loading.hidden = true;
  dom.app.hidden = false;
  scrollToCard(card);
  requestAnimationFrame(frame);
}

/** `selector`: the card a link's `view` names, or null for the whole page. */
function scrollToCard(selector) {
  if (selector) document.querySelector(selector).scrollIntoView({ block: 'start' });
}

main().catch((e) => {
  dom.loading.textContent = `backprop-lab could not start: ${e.message}`;
  dom.loading.classList.add('error');
  console.error(e);
});
