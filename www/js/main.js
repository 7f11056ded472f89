// The playground page (index.html): owns the shared state object and the single
// requestAnimationFrame loop, and creates the panels that wire the page's cards. State changes
// only mark what is stale; the loop recomputes (with the core) and redraws what was marked.
import { BackpropPlayer } from './backprop-player.js';
import { createBackpropPanel } from './backprop-panel.js';
import { createLinkState, scrollToCard } from './link-state.js';
import { createModelPanel } from './model-panel.js';
import { createNetworkPanel } from './network-panel.js';
import { NetworkView } from './network-view.js';
import { createNotices } from './notices.js';
import { createOwnDataPanel } from './own-data-panel.js';
import { DrawingPad } from './pad.js';
import { findPageElements } from './page-elements.js';
import { storedChoice, usePalette } from './palette.js';
import { createPredictionPanel } from './prediction-panel.js';
import { createSettingsPanel } from './settings-panel.js';
import { TrainerClient } from './trainer-client.js';
import { createTrainingPanel } from './training-panel.js';
import { pageDefaults } from './url-state.js';
import { loadCore, loadDataset } from './wasm.js';

const INPUT_SIZE = 784;

function createState() {
  return {
    settings: null,         // the run in the core's settings shape; the address bar's hash mirrors it
    hash: null,             // the hash last written for `settings`
    net: null,              // the page's copy of the training network, for drawing and lessons
    netStep: 0,             // the training step `net` was copied at
    pendingModel: null,     // model JSON from the latest snapshot, parsed in the next frame
    pendingParameters: null, // or only its weights and biases, for the network `net` already is
    derived: null,          // sizes, weights and strongest connections of `net`
    digits: null,           // the embedded held-out MNIST digits
    heldout: null,          // the examples the network is validated on: `digits`, or the learner's own
    ownData: null,          // `{ name, train, heldout }` while training on the learner's files
    diverged: null,         // the core's message while the training network is diverged
    digit: { source: 'sample', index: 0, label: 0, input: new Float32Array(INPUT_SIZE) },
    desired: null,          // the learner's pick, or null for the automatic choice
    trace: null,            // the forward pass of `digit` through `net`
    prediction: null,       // its output layer
    focus: null,            // the neuron picked in the picture, `{ layer, index }`
    keyboardFocus: false,   // true while `focus` was set with the keyboard
    training: { playing: false, steps: 0, epoch: 0, examplesPerSecond: 0, history: [], confusion: null },
    busy: false,            // true while the worker does something the buttons must wait for
    loadedModel: false,     // true while the network came from a file rather than from the link
    dirty: { input: false, model: true, lesson: true, view: true, charts: true, results: true },
  };
}

/** Marks everything but the drawing stale: after a new network copy, or a new palette. */
function markAll(state) {
  Object.keys(state.dirty).forEach((k) => { state.dirty[k] = true; });
  state.dirty.input = false;
}

async function main(dom, notify) {
  const state = createState();
  usePalette(storedChoice());
  dom.palette.checked = storedChoice();

  await loadCore();
  state.settings = pageDefaults();
  let training = null;   // the training panel, created once the worker is ready; it pushes snapshots only after Train
  const trainer = new TrainerClient((event) => {
    if (event.event === 'snapshot') training.applySnapshot(event);
    else if (event.event === 'failed') notify(event.message, 'error');
  });
  const [heldout] = await Promise.all([loadDataset('heldout', 0), trainer.init()]);
  state.digits = heldout;
  state.heldout = heldout;

  const pad = new DrawingPad(dom.pad, () => { state.dirty.input = true; });
  const view = new NetworkView(dom.network);
  const player = new BackpropPlayer({
    onChange: () => { state.dirty.view = true; },
    onApply: async (input, label, learningRate) => {
      if (state.diverged) throw new Error('training diverged: restore the last good weights before applying a lesson');
      const snapshot = await trainer.apply(input, label, learningRate);
      training.applySnapshot(snapshot);
      recompute();
      return state.net.predict(input);
    },
  });
  const prediction = createPredictionPanel({ state, dom, pad, player });
  const backprop = createBackpropPanel({ state, dom, player, notify });
  const network = createNetworkPanel({ state, dom, view, player });
  training = createTrainingPanel({
    state, dom, trainer, notify,
    showSettings: () => settings.show(),
    onPickMistake: (index) => {
      prediction.loadSample(index);
      player.pause();
      player.go(0).catch((e) => notify(e.message, 'error'));
      backprop.scrollIntoView();
    },
  });
  const settings = createSettingsPanel({ state, dom, configure: training.configure });
  createOwnDataPanel({ state, dom, trainer, training, prediction });
  const models = createModelPanel({ state, dom, trainer, training, showSettings: settings.show, notify });
  const link = createLinkState({ state, dom, notify, player, training, models, prediction, recompute });

  /** Brings the network copy, the input, its forward pass and the lesson up to date. */
  function recompute() {
    const dirty = state.dirty;
    if (state.pendingModel) {
      network.useModel(state.pendingModel);
      markAll(state);
      state.pendingModel = null;
    }
    if (state.pendingParameters) {
      network.useParameters(state.pendingParameters);
      markAll(state);
      state.pendingParameters = null;
    }
    if (dirty.input) {
      prediction.readDrawing();
      dirty.input = false;
      dirty.model = true;
    }
    if (dirty.model) {
      state.trace = state.net.forward(state.digit.input);
      state.prediction = state.trace.activations.at(-1);
      prediction.drawPreview();
      dirty.model = false;
      dirty.lesson = true;
    }
    if (dirty.lesson) backprop.refreshLesson();
  }

  /** The one animation loop: redraws what is stale. */
  function frame() {
    try {
      const dirty = state.dirty;
      recompute();
      if (dirty.view) {
        const step = player.step();
        prediction.drawBars();
        backprop.draw();
        network.draw(step);
        dirty.view = false;
      }
      if (dirty.charts) {
        training.drawTraining();
        dirty.charts = false;
      }
      if (dirty.results) {
        dirty.results = false;
        training.drawResults().catch((e) => notify(`Could not list the mistakes: ${e.message}`, 'error'));
      }
    } catch (e) {
      notify(`Something went wrong while drawing: ${e.message}`, 'error');
      console.error(e);
    }
    requestAnimationFrame(frame);
  }

  dom.palette.addEventListener('change', () => {
    usePalette(dom.palette.checked);
    backprop.drawLegend();
    markAll(state);
  });
  window.addEventListener('hashchange', () => link.onHashChange().then(scrollToCard).catch((e) => notify(e.message, 'error')));
  window.addEventListener('resize', () => { state.dirty.view = true; state.dirty.charts = true; });

  const card = await link.openLink(location.hash.replace(/^#/, ''));
  dom.loading.hidden = true;
  dom.app.hidden = false;
  scrollToCard(card);
  requestAnimationFrame(frame);
}

const dom = findPageElements();
main(dom, createNotices(dom.notices)).catch((e) => {
  dom.loading.textContent = `backprop-lab could not start: ${e.message}`;
  dom.loading.classList.add('error');
  console.error(e);
});
