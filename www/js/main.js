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
  CHECKS, DEFAULTS, LIMITS, configFromOptions, networkOptions, parseHash, toHash,
} from './url-state.js';
import { Network, loadCore, loadDataset, randomSeed } from './wasm.js';

const FULL_CONNECTION_LIMIT = 1200;   // layers with more connections draw only the strongest
const TOP_K_INPUT = 6;                // strongest connections drawn per first-hidden neuron
const TOP_K_HIDDEN = 8;               // … per neuron of other wide layers
const MAX_NOTICES = 4;
const NARROW = '(max-width: 759px)';   // phones: the player's buttons and caption sit under the picture

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
  config: null,
  net: null,              // the page's copy of the training network, for drawing and lessons
  pendingModel: null,     // model JSON from the latest snapshot, parsed in the next frame
  derived: null,          // sizes, weights and strongest connections of `net`
  heldout: null,
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
  if (snapshot.model) state.pendingModel = snapshot.model;
  state.config.step = snapshot.steps;
  history.replaceState(null, '', toHash(state.config));
  state.dirty.charts = true;
  state.dirty.results = true;
  updateTrainButtons();
}

// ---------- digits ----------

function loadSample(index) {
  const { heldout } = state;
  state.digit = { source: 'sample', index, label: heldout.label(index), input: heldout.input(index) };
  state.desired = null;
  pad.showImage(heldout.image(index));
  dom.source.textContent = `Held-out digit #${index}: it is a ${state.digit.label}. The network never trains on it.`;
  dom.source.dataset.index = String(index);
  dom.source.dataset.label = String(state.digit.label);
  state.dirty.model = true;
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
}

function readDrawing() {
  const input = pad.input();
  if (!input) return;
  if (state.digit.source !== 'drawing') {
    state.desired = null;
    dom.source.textContent = 'Your drawing, fitted into 20×20 pixels and centred by its centre of mass, as MNIST digits were.';
    delete dom.source.dataset.index;
    delete dom.source.dataset.label;
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
      button.addEventListener('click', () => { player.pause(); player.go(i); });
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
  if (t.playing || (t.steps === 0 && !state.loadedModel)) {
    dom.galleryEmpty.textContent = t.playing
      ? 'Pause training to see the held-out digits it still gets wrong.'
      : 'Train the network first; then the held-out digits it still gets wrong appear here.';
    dom.gallery.replaceChildren();
    return;
  }
  const { mistakes, total } = await trainer.mistakes();
  dom.galleryEmpty.textContent = total === 0
    ? 'It gets every held-out digit right.'
    : `It gets ${total} of ${state.heldout.length} held-out digits wrong${total > mistakes.length ? `; here are the first ${mistakes.length}` : ''}.`;
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
    learningRate: state.config.learningRate,
    sizes: state.derived.sizes,
  });
}

// ---------- training and settings ----------

function updateTrainButtons() {
  const playing = state.training.playing;
  dom.trainPlay.textContent = playing ? '❚❚ Pause' : '▶ Train';
  dom.trainPlay.setAttribute('aria-pressed', String(playing));
  for (const button of [dom.trainPlay, dom.trainStep, dom.trainReset, dom.save]) button.disabled = state.busy;
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

/** Builds the network for `config` in the worker (replaying its steps) and shows it. */
async function configure(config, { keepPlaying = false } = {}) {
  const wasPlaying = state.training.playing;
  const snapshot = await busy(() => trainer.configure(networkOptions(config), config.step));
  state.config = { ...config, step: snapshot.steps };
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
  const c = state.config;
  dom.lr.value = String(c.learningRate);
  dom.batch.value = String(c.batchSize);
  dom.optimizer.value = c.optimizer;
  dom.l2.value = String(c.l2);
  dom.activation.value = c.activation;
  dom.loss.value = c.loss;
  dom.seed.value = String(c.seed);
  const items = c.hidden.map((width, i) => {
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
      changeSetting('hidden', c.hidden.filter((_, j) => j !== i).join(','), remove);
    });
    li.append(label, remove);
    return li;
  });
  dom.layers.replaceChildren(...items);
  dom.addLayer.setAttribute('aria-disabled', String(c.hidden.length >= LIMITS.maxHiddenLayers));
}

/** Validates one setting; a valid change restarts the run from the seed with it. */
async function changeSetting(field, text, control) {
  const result = CHECKS[field](text);
  const input = control.tagName !== 'BUTTON';
  if (input) control.setAttribute('aria-invalid', String(Boolean(result.error)));
  if (result.error) {
    dom.settingsMessage.textContent = `Not changed: ${result.error}.`;
    return;
  }
  dom.settingsMessage.textContent = '';
  const next = { ...state.config, [field]: result.value, step: 0 };
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
    [dom.lr, 'learningRate'], [dom.batch, 'batchSize'], [dom.optimizer, 'optimizer'], [dom.l2, 'l2'],
    [dom.activation, 'activation'], [dom.loss, 'loss'], [dom.seed, 'seed'],
  ];
  for (const [control, field] of fields) {
    control.addEventListener('change', () => changeSetting(field, control.value.trim(), control));
  }
  dom.settings.addEventListener('submit', (e) => e.preventDefault());
  dom.newSeed.addEventListener('click', () => changeSetting('seed', String(randomSeed()), dom.seed));
  dom.addLayer.addEventListener('click', () => {
    const { hidden } = state.config;
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

async function loadModel(file) {
  try {
    const text = await readModelFile(file);
    const result = await busy(() => trainer.load(text));
    state.config = configFromOptions(result.options, result.steps);
    state.loadedModel = true;
    applySnapshot(result);
    showSettings();
    modelMessage(`Loaded ${file.name}. A link describes its settings; the weights themselves live in the file.`);
  } catch (e) {
    modelMessage(`Could not load ${file.name}: ${e.message}. The current model is unchanged.`, true);
  }
}

function onWorkerEvent(event) {
  if (event.event === 'snapshot') {
    applySnapshot(event);
  } else if (event.event === 'diverged') {
    notify('Training diverged: the weights grew into infinity. Lower the learning rate and press Reset.', 'error');
  } else if (event.event === 'failed') {
    notify(event.message, 'error');
  }
}

async function onHashChange() {
  const { config, problems } = parseHash(location.hash);
  if (toHash(config) === toHash(state.config)) return;
  reportLinkProblems(problems);
  await configureOrDefault(config);
}

function reportLinkProblems(problems) {
  if (problems.length) notify('Parts of this link could not be used; the page fell back to its defaults for them:', 'warning', problems);
}

async function configureOrDefault(config) {
  try {
    await configure(config);
  } catch (e) {
    notify(`The link's settings were refused (${e.message}); the defaults are used instead.`, 'warning');
    await configure({ ...DEFAULTS, hidden: [...DEFAULTS.hidden] });
  }
}

// ---------- start ----------

async function main() {
  usePalette(storedChoice());
  dom.palette.checked = storedChoice();
  const { config, problems } = parseHash(location.hash);
  reportLinkProblems(problems);
  state.config = config;

  await loadCore();
  trainer = new TrainerClient(onWorkerEvent);
  const [heldout] = await Promise.all([loadDataset('heldout', 0), trainer.init()]);
  state.heldout = heldout;

  pad = new DrawingPad(dom.pad, drawingChanged);
  view = new NetworkView(dom.network);
  player = new BackpropPlayer({
    onChange: () => { state.dirty.view = true; },
    onApply: async (input, label, learningRate) => {
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
  });
  dom.prev.addEventListener('click', () => { player.pause(); player.previous(); });
  dom.next.addEventListener('click', () => { player.pause(); player.next(); });
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
  dom.trainReset.addEventListener('click', () => configure({ ...state.config, step: 0 }).catch((e) => notify(e.message, 'error')));
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
      modelMessage('Copied a link to this run: it rebuilds the same network and replays the same steps.');
    } catch {
      modelMessage('Copy the address in the address bar: it holds the whole run.');
    }
  });
  dom.palette.addEventListener('change', () => {
    usePalette(dom.palette.checked);
    drawLegend();
    markAll();
  });
  window.addEventListener('hashchange', () => onHashChange().catch((e) => notify(e.message, 'error')));
  window.addEventListener('resize', () => { state.dirty.view = true; state.dirty.charts = true; });

  if (state.config.step > 0) dom.loading.textContent = `Replaying the link's ${state.config.step} training steps…`;
  await configureOrDefault(state.config);
  randomSample();
  dom.loading.hidden = true;
  dom.app.hidden = false;
  requestAnimationFrame(frame);
}

main().catch((e) => {
  dom.loading.textContent = `backprop-lab could not start: ${e.message}`;
  dom.loading.classList.add('error');
  console.error(e);
});
