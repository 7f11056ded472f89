// Card 3: the page's copy of the training network and what is derived from it for drawing
// (sizes, weights, strongest connections), the network picture with its pointer and keyboard
// focus and connection tooltip, the note on which lines are drawn, and the neuron panel.
import { argmax } from './format.js';
import { pictureOf } from './network-view.js';
import { showNeuron } from './neuron-info.js';
import { desiredLabel } from './prediction-panel.js';
import { Network } from './wasm.js';

const SIDE = 28;
const TOOLTIP_OFFSET = 14;            // px from the pointer
const TOOLTIP_MARGIN = 4;             // px from the picture's edges

/** `view`: the NetworkView; `player`: the BackpropPlayer, whose step the picture shows. */
export function createNetworkPanel({ state, dom, view, player }) {
  /** Replaces the page's network copy with the model in `json` and derives what the picture draws. */
  function useModel(json) {
    const net = Network.fromJSON(json);
    state.net?.free();
    state.net = net;
    derive();
  }

  /** Copies new weights and biases into the page's network, which has their architecture. */
  function useParameters(values) {
    state.net.setParameters(values);
    derive();
  }

  function derive() {
    state.derived = pictureOf(state.net);
    const { sizes } = state.derived;
    if (state.focus && (state.focus.layer >= sizes.length || (state.focus.layer > 0 && state.focus.index >= sizes[state.focus.layer]))) {
      state.focus = null;
    }
    describeConnections();
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

  /** Draws the network picture and the neuron panel for the player's `step`. */
  function draw(step) {
    drawNetwork(step);
    drawNeuronInfo(step);
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

  function drawNeuronInfo(step) {
    // With nothing picked, the panel explains the neuron the current step is about, or the answer.
    const output = state.derived.sizes.length - 1;
    const shown = state.focus ?? step.overlay?.highlight
      ?? { layer: output, index: player.index === 0 ? argmax(state.prediction) : desiredLabel(state) };
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

  function setFocus(focus) {
    const same = focus === state.focus || (focus && state.focus && focus.layer === state.focus.layer && focus.index === state.focus.index);
    if (same) return;
    state.focus = focus;
    if (focus) player.choose(focus);
    state.dirty.view = true;
  }

  function showTooltip(e, arrow) {
    const canvas = dom.network;
    dom.tooltip.replaceChildren(...player.describeConnection(arrow.weightLayer, arrow.from, arrow.to).map((line) => {
      const div = document.createElement('div');
      div.textContent = line;
      return div;
    }));
    dom.tooltip.hidden = false;
    const wrap = canvas.parentElement.getBoundingClientRect();
    const left = Math.min(e.clientX - wrap.left + TOOLTIP_OFFSET, wrap.width - dom.tooltip.offsetWidth - TOOLTIP_MARGIN);
    dom.tooltip.style.left = `${Math.max(TOOLTIP_MARGIN, left)}px`;
    dom.tooltip.style.top = `${e.clientY - wrap.top + TOOLTIP_OFFSET}px`;
  }

  /** The focus after `key` moves it from `f`: across the input's pixel grid, along a layer, between layers. */
  function moveFocus(f, key) {
    const sizes = state.derived.sizes;
    const last = sizes.length - 1;
    const clampIndex = (layer, index) => Math.max(0, Math.min(sizes[layer] - 1, index));
    const toLayer = (layer) => (layer === 0 ? (SIDE / 2) * SIDE + SIDE / 2 : clampIndex(layer, Math.round((f.index / Math.max(1, sizes[f.layer] - 1)) * (sizes[layer] - 1))));
    switch (key) {
      case 'ArrowUp': return { layer: f.layer, index: f.layer === 0 ? Math.max(f.index % SIDE, f.index - SIDE) : clampIndex(f.layer, f.index - 1) };
      case 'ArrowDown': return { layer: f.layer, index: f.layer === 0 ? Math.min(SIDE * SIDE - 1 - (SIDE - 1) + (f.index % SIDE), f.index + SIDE) : clampIndex(f.layer, f.index + 1) };
      case 'ArrowLeft':
        if (f.layer === 0) return { layer: 0, index: f.index % SIDE === 0 ? f.index : f.index - 1 };
        return { layer: f.layer - 1, index: toLayer(f.layer - 1) };
      case 'ArrowRight':
        if (f.layer === 0 && f.index % SIDE !== SIDE - 1) return { layer: 0, index: f.index + 1 };
        if (f.layer < last) return { layer: f.layer + 1, index: f.layer === 0 ? 0 : toLayer(f.layer + 1) };
        return f;
      case 'Escape': return null;
      default: return undefined;
    }
  }

  function bindPicture() {
    const canvas = dom.network;
    const local = (e) => {
      const rect = canvas.getBoundingClientRect();
      return { x: e.clientX - rect.left, y: e.clientY - rect.top };
    };
    canvas.addEventListener('pointermove', (e) => {
      const { x, y } = local(e);
      const arrow = view.arrowAt(x, y);
      if (arrow) showTooltip(e, arrow);
      else dom.tooltip.hidden = true;
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
      const f = moveFocus(state.focus ?? { layer: 1, index: 0 }, e.key);
      if (f === undefined) return;
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

  bindPicture();

  return { useModel, useParameters, draw };
}
