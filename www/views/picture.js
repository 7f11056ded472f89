// The network picture: every layer of the session's network on the current digit, neurons
// shaded by activation, weights blue or red, and the lesson's arrows on top. A neuron is picked
// by pointing (mouse), tapping (finger, pen) or the arrow keys; the panel below gives its
// numbers, and a first-hidden-layer neuron its 784 incoming weights (or, during the lesson,
// their changes) as a 28×28 image. Picking a neuron of the lesson's layer follows it there.
import { argmax, num } from '../js/format.js';
import { describeConnection, describeStep, neuronName } from '../js/lesson.js';
import { el } from './dom.js';
import { SIDE, show, signedImage } from './images.js';
import { NetworkView, pictureOf } from './network-canvas.js';
import { touched, watch } from './watch.js';

const TOOLTIP_OFFSET = 14;            // px from the pointer
const TOOLTIP_MARGIN = 4;             // px from the picture's edges
const ACTIVATION_NAMES = { relu: 'ReLU', leaky_relu: 'leaky ReLU', sigmoid: 'sigmoid', tanh: 'tanh' };

const hover = matchMedia('(hover: hover)');

/** "Point at" with a mouse, "tap" on a touch screen. */
export const pointing = () => (hover.matches ? 'point at' : 'tap');

/** The neuron the arrow keys move to from `f` in a network of `sizes`; null for Escape. */
export function moveFocus(f, key, sizes) {
  const last = sizes.length - 1;
  const clampIndex = (layer, index) => Math.max(0, Math.min(sizes[layer] - 1, index));
  const toLayer = (layer) => (layer === 0
    ? (SIDE / 2) * SIDE + SIDE / 2
    : clampIndex(layer, Math.round((f.layer === 0 ? 0.5 : f.index / Math.max(1, sizes[f.layer] - 1)) * (sizes[layer] - 1))));
  const column = f.index % SIDE;
  switch (key) {
    case 'ArrowUp': return { layer: f.layer, index: f.layer === 0 ? (f.index >= SIDE ? f.index - SIDE : f.index) : clampIndex(f.layer, f.index - 1) };
    case 'ArrowDown': return { layer: f.layer, index: f.layer === 0 ? (f.index + SIDE < SIDE * SIDE ? f.index + SIDE : f.index) : clampIndex(f.layer, f.index + 1) };
    case 'ArrowLeft':
      if (f.layer === 0) return { layer: 0, index: column === 0 ? f.index : f.index - 1 };
      return { layer: f.layer - 1, index: toLayer(f.layer - 1) };
    case 'ArrowRight':
      if (f.layer === 0 && column !== SIDE - 1) return { layer: 0, index: f.index + 1 };
      return f.layer < last ? { layer: f.layer + 1, index: toLayer(f.layer + 1) } : f;
    case 'Escape': return null;
    default: return undefined;
  }
}

/**
 * `label`: the canvas's accessible name. Returns `{ element, canvasArea, destroy }`:
 * `canvasArea` holds the canvas, for pages that put something right under it.
 */
export function pictureView(session, { label = 'The network: the input digit on the left, each hidden layer, and the ten outputs on the right' } = {}) {
  const canvas = el('canvas', { id: 'network-view', class: 'network', tabindex: '0', role: 'img', 'aria-label': label, 'aria-describedby': 'neuron-info' });
  const tooltip = el('div', { id: 'network-tooltip', class: 'tooltip', hidden: '' });
  const note = el('p', { id: 'connection-note', class: 'note' });
  const title = el('h3', { id: 'neuron-title', class: 'neuron-title' });
  const values = el('dl', { id: 'neuron-values', class: 'neuron-values' });
  const hint = el('p', { class: 'hint neuron-hint' });
  const weights = el('canvas', { id: 'neuron-weights', class: 'neuron-weights', width: String(SIDE), height: String(SIDE), role: 'img' });
  const caption = el('figcaption', { id: 'neuron-figure-caption' });
  const figure = el('figure', { id: 'neuron-figure', class: 'neuron-figure', hidden: '' }, [weights, caption]);
  const canvasArea = el('div', { class: 'network-wrap' }, [canvas, tooltip]);
  const element = el('div', { class: 'picture-view' }, [
    canvasArea,
    note,
    el('div', { id: 'neuron-info', class: 'neuron-info', 'aria-live': 'polite' }, [el('div', { class: 'neuron-text' }, [title, values, hint]), figure]),
  ]);
  const picture = new NetworkView(canvas);
  let focus = null;          // { layer, index } picked in the picture
  let pinned = false;        // picked by a tap or the keyboard: it stays until another pick
  let derived = null;        // what the picture draws of the network, per network version

  function setFocus(next, pin) {
    pinned = pin;
    if (next === focus || (next && focus && next.layer === focus.layer && next.index === focus.index)) return;
    focus = next;
    if (next) session.choose(next);
    view.mark(['focus']);
  }

  const local = (e) => {
    const rect = canvas.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  canvas.addEventListener('pointermove', (e) => {
    const { x, y } = local(e);
    const lesson = session.state.lesson;
    const arrow = picture.arrowAt(x, y);
    if (arrow && lesson?.gradient) {
      tooltip.replaceChildren(...describeConnection(lesson, arrow.weightLayer, arrow.from, arrow.to).map((line) => el('div', {}, [line])));
      tooltip.hidden = false;
      const wrap = canvas.parentElement.getBoundingClientRect();
      tooltip.style.left = `${Math.max(TOOLTIP_MARGIN, Math.min(e.clientX - wrap.left + TOOLTIP_OFFSET, wrap.width - tooltip.offsetWidth - TOOLTIP_MARGIN))}px`;
      tooltip.style.top = `${e.clientY - wrap.top + TOOLTIP_OFFSET}px`;
    } else {
      tooltip.hidden = true;
    }
    if (e.pointerType !== 'mouse') return;
    const neuron = picture.hitTest(x, y);
    if (neuron) setFocus(neuron, false);
  });
  // A finger or pen taps a neuron (a click pins it too): it stays picked.
  canvas.addEventListener('pointerdown', (e) => {
    const { x, y } = local(e);
    const neuron = picture.hitTest(x, y);
    if (neuron) setFocus(neuron, true);
  });
  canvas.addEventListener('pointerleave', () => {
    tooltip.hidden = true;
    if (!pinned) setFocus(null, false);
  });
  canvas.addEventListener('keydown', (e) => {
    if (!derived) return;
    const next = moveFocus(focus ?? { layer: 1, index: 0 }, e.key, derived.sizes);
    if (next === undefined) return;
    e.preventDefault();
    setFocus(next, true);
  });
  canvas.addEventListener('focus', () => {
    if (!focus) setFocus({ layer: 1, index: 0 }, true);
  });
  canvas.addEventListener('blur', () => {
    if (pinned) setFocus(null, false);
  });

  const view = watch(session, (state, changed) => {
    const { network, trace, lesson } = state;
    const size = view.size(canvas);
    if (!network || !trace || size.width === 0 || !touched(changed, 'network', 'trace', 'lesson', 'focus', 'size', 'palette')) return;
    if (derived?.version !== network.version || derived.id !== network.id) {
      derived = { ...pictureOf(network.net), version: network.version, id: network.id };
      const { sizes } = derived;
      if (focus && (focus.layer >= sizes.length || (focus.layer > 0 && focus.index >= sizes[focus.layer]))) focus = null;
      describeNetwork(network);
    }
    const step = lesson?.gradient ? describeStep(lesson, { pointer: pointing() }) : null;
    picture.resize(size);
    picture.draw({ ...derived, activations: trace.activations, focus, overlay: step?.overlay ?? null });
    describeNeuron(state, step);
  });
  view.observe(canvas);

  function describeNetwork(network) {
    const { sizes, topK } = derived;
    const parts = [];
    topK.forEach((k, l) => {
      if (!k) return;
      const to = l + 1 === sizes.length - 1 ? 'output' : `hidden layer ${l + 1}`;
      parts.push(`into ${to}, each neuron's ${k} strongest of ${sizes[l]} incoming connections`);
    });
    const name = network.source.name ? ` (${network.source.name})` : '';
    note.textContent = `A ${sizes.join('–')} network${name}. Lines: blue positive weights, red negative, thicker for larger ones; ${parts.length ? `to stay readable the picture draws, ${parts.join('; ')}` : 'every connection is drawn'}. Darker neurons are more active.`;
  }

  /** The panel: the picked neuron, else the one the lesson's step is about, else the answer. */
  function describeNeuron({ network, trace, lesson }, step) {
    const { sizes } = derived;
    const output = sizes.length - 1;
    const shown = focus ?? step?.overlay?.highlight ?? { layer: output, index: lesson?.label ?? argmax(trace.activations.at(-1)) };
    const { layer, index } = shown;
    title.textContent = neuronName(layer, index, sizes);
    hint.textContent = `${pointing() === 'tap' ? 'Tap' : 'Point at'} a neuron, or focus the picture and use the arrow keys, to read its numbers.`;
    values.replaceChildren();
    figure.hidden = true;
    if (layer === 0) {
      row('Brightness (its activation)', num(trace.activations[0][index]), 'activation');
      row('Role', 'An input neuron: it passes its pixel on to every neuron of the next layer.');
      return;
    }
    const probabilities = network.options.loss === 'softmax_cross_entropy';
    const fn = layer === output ? (probabilities ? 'softmax' : 'sigmoid') : ACTIVATION_NAMES[network.options.activation];
    row(`Weighted sum z (${sizes[layer - 1]} inputs × weights + bias)`, num(trace.preActivations[layer - 1][index]), 'sum');
    row('Bias', num(network.net.biases(layer - 1)[index]), 'bias');
    row(`Activation ${fn}(z)`, num(trace.activations[layer][index]), 'activation');
    const lessonStep = lesson?.gradient && lesson.index > 0 && !lesson.applied;
    if (lessonStep) row('Error signal δ', num(lesson.gradient.errors[layer - 1][index]), 'delta');
    if (layer !== 1) return;
    figure.hidden = false;
    const changes = step?.image && step.image.neuron === index ? step.image.values : null;
    if (changes) {
      show(weights, signedImage(Array.from(changes, (g) => -g)));
      caption.textContent = 'How its 784 incoming weights change: blue up, red down.';
    } else {
      show(weights, signedImage(derived.weights[0].subarray(index * SIDE * SIDE, (index + 1) * SIDE * SIDE)));
      caption.textContent = 'Its 784 incoming weights, one per pixel: blue positive, red negative.';
    }
    weights.setAttribute('aria-label', caption.textContent);
  }

  function row(term, value, key) {
    const dd = el('dd', key ? { 'data-value': key } : {}, [value]);
    values.append(el('dt', {}, [term]), dd);
  }

  return { element, canvasArea, destroy: view.destroy };
}
