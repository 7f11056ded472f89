// The network picture: every layer of the session's network on the current digit, neurons
// shaded by activation, weights blue or red, and the lesson's arrows on top. Pointing at a
// neuron (mouse) shows its numbers; tapping it (finger, pen, click) or the arrow keys pick it,
// and a lesson step follows a picked neuron of its layer. The panel below gives the neuron's
// weighted sum term by term, its activation, and a 28×28 picture of what it looks for: a
// first-hidden-layer neuron's incoming weights (during the lesson, their changes), a deeper
// one's most exciting input. With `editable`, a picked connection's weight and a picked
// neuron's bias can be dragged or typed, and every number follows at once.
import { argmax, num } from '../js/format.js';
import { describeConnection, describeStep, neuronName } from '../js/lesson.js';
import { biasIndex, weightIndex } from '../js/parameters.js';
import { button, el } from './dom.js';
import { SIDE, inkImage, show, signedImage } from './images.js';
import { themeOf } from './theme.js';
import { NetworkView, pictureOf } from './network-canvas.js';
import { touched, watch } from './watch.js';

const TOOLTIP_OFFSET = 14;            // px from the pointer
const TOOLTIP_MARGIN = 4;             // px from the picture's edges
const TERMS = 4;                      // terms of the weighted sum written out
const BIG = 200_000;                  // weights from which training redraws the picture…
const TRAINING_REDRAW_MS = 500;       // …at most this often (it has thousands of lines)
const ACTIVATION_NAMES = { relu: 'ReLU', leaky_relu: 'leaky ReLU', sigmoid: 'sigmoid', tanh: 'tanh' };

// Read once and then on change: asking `matches` while rendering can force a style update.
const hover = matchMedia('(hover: hover)');
let hovering = hover.matches;
hover.addEventListener('change', (e) => { hovering = e.matches; });

/** "Point at" with a mouse, "tap" on a touch screen. */
export const pointing = () => (hovering ? 'point at' : 'tap');

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

/** A range and a number field for one weight or bias, kept together; `commit` when let go. */
function valueEditor(label, onInput, onCommit) {
  const range = el('input', { type: 'range', step: 'any', 'aria-label': label });
  const number = el('input', { type: 'number', step: 'any', inputmode: 'decimal', 'aria-label': `${label}, typed` });
  range.addEventListener('input', () => onInput(Number(range.value)));
  number.addEventListener('input', () => { if (number.value !== '' && Number.isFinite(Number(number.value))) onInput(Number(number.value)); });
  for (const input of [range, number]) input.addEventListener('change', onCommit);
  const name = el('span', { class: 'edit-name' });
  return {
    element: el('div', { class: 'edit-row' }, [name, range, number]),
    show(text, value, span, disabled) {
      name.textContent = text;
      range.min = String(-span);
      range.max = String(span);
      range.value = String(value);
      if (number.getRootNode().activeElement !== number) number.value = String(Number(value.toPrecision(4)));
      range.disabled = disabled;
      number.disabled = disabled;
    },
  };
}

/**
 * `label`: the canvas's accessible name; `editable`: weights and biases can be changed by hand.
 * Returns `{ element, canvasArea, destroy }`: `canvasArea` holds the canvas, for pages that
 * put something right under it.
 */
export function pictureView(session, { label = 'The network: the input digit on the left, each hidden layer, and the ten outputs on the right', editable = false } = {}) {
  const canvas = el('canvas', { id: 'network-view', class: 'network', tabindex: '0', role: 'img', 'aria-label': label, 'aria-describedby': 'neuron-info' });
  const tooltip = el('div', { id: 'network-tooltip', class: 'tooltip', hidden: '' });
  const note = el('p', { id: 'connection-note', class: 'note' });
  const title = el('h3', { id: 'neuron-title', class: 'neuron-title' });
  const values = el('dl', { id: 'neuron-values', class: 'neuron-values' });
  const formula = el('p', { id: 'neuron-formula', class: 'formula' });
  const hint = el('p', { class: 'hint neuron-hint' });
  const image = el('canvas', { id: 'neuron-weights', class: 'neuron-weights', width: String(SIDE), height: String(SIDE), role: 'img' });
  const caption = el('figcaption', { id: 'neuron-figure-caption' });
  const figure = el('figure', { id: 'neuron-figure', class: 'neuron-figure', hidden: '' }, [image, caption]);
  const weight = valueEditor('Weight', (v) => edit('weight', v), () => session.commit());
  const bias = valueEditor('Bias', (v) => edit('bias', v), () => session.commit());
  const undo = button('↶ Undo', () => session.undo(), { id: 'edit-undo' });
  const back = button('Back to the trained weights', () => session.backToTrained(), { id: 'edit-back' });
  const editorNote = el('p', { class: 'hint edit-note' });
  const editor = el('div', { id: 'editor', class: 'editor', role: 'group', 'aria-label': 'Change weights by hand' }, [
    weight.element, bias.element, el('div', { class: 'buttons' }, [undo, back]), editorNote,
  ]);
  const canvasArea = el('div', { class: 'network-wrap' }, [canvas, tooltip]);
  const element = el('div', { class: 'picture-view' }, [
    canvasArea,
    note,
    el('div', { id: 'neuron-info', class: 'neuron-info', 'aria-live': 'polite' }, [
      el('div', { class: 'neuron-text' }, [title, values, formula, ...(editable ? [editor] : []), hint]), figure,
    ]),
  ]);
  const picture = new NetworkView(canvas);
  let hovered = null;        // the neuron under the mouse, while it is there
  let derived = null;        // what the picture draws of the network, per network version
  let drawnAt = -Infinity;   // when training last redrew it, and the redraw it waits for
  let later = 0;

  function edit(kind, value) {
    const { picked, selected, network } = session.state;
    if (kind === 'weight' && selected) session.setParameter(weightIndex(network.sizes, selected.layer, selected.from, selected.to), value);
    if (kind === 'bias' && picked?.layer > 0) session.setParameter(biasIndex(network.sizes, picked.layer, picked.index), value);
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
    if (neuron && (neuron.layer !== hovered?.layer || neuron.index !== hovered?.index)) {
      hovered = neuron;
      session.choose(neuron);
      view.mark(['focus']);
    }
  });
  // A tap or a click picks a neuron, or (editable) the connection under it; it stays picked.
  canvas.addEventListener('pointerdown', (e) => {
    const { x, y } = local(e);
    const neuron = picture.hitTest(x, y);
    const connection = editable && !neuron ? picture.connectionAt(x, y) : null;
    if (connection) session.selectConnection(connection);
    else if (neuron) session.pick(neuron);
  });
  canvas.addEventListener('pointerleave', () => {
    tooltip.hidden = true;
    hovered = null;
    view.mark(['focus']);
  });
  canvas.addEventListener('keydown', (e) => {
    if (!derived) return;
    const next = moveFocus(session.state.picked ?? { layer: 1, index: 0 }, e.key, derived.sizes);
    if (next === undefined) return;
    e.preventDefault();
    hovered = null;
    session.pick(next);
  });
  // Focus from the keyboard picks a first neuron to start from (a click picks its own).
  canvas.addEventListener('focus', () => {
    if (!session.state.picked && canvas.matches(':focus-visible')) session.pick({ layer: 1, index: 0 });
  });

  const view = watch(session, (state, changed) => {
    const { network, trace, lesson, picked, selected } = state;
    const size = view.size(canvas);
    if (!network || !trace || size.width === 0 || !touched(changed, 'network', 'trace', 'lesson', 'focus', 'picked', 'selected', 'pictures', 'training', 'undo', 'size', 'colours')) return;
    // Snapshots of a big network in training come faster than its picture is worth drawing.
    const wait = drawnAt + TRAINING_REDRAW_MS - performance.now();
    if (state.training.playing && derived?.big && wait > 0 && !touched(changed, 'focus', 'picked', 'selected', 'pictures', 'size', 'colours')) {
      later ||= setTimeout(() => {
        later = 0;
        view.mark(['network']);
      }, wait);
      return;
    }
    drawnAt = performance.now();
    if (derived?.version !== network.version || derived.id !== network.id) {
      derived = { ...pictureOf(network.net), version: network.version, id: network.id };
      derived.big = derived.weights.reduce((n, w) => n + w.length, 0) > BIG;
      describeNetwork(network);
    }
    const step = lesson?.gradient ? describeStep(lesson, { pointer: pointing() }) : null;
    const focus = hovered ?? picked;
    picture.resize(size);
    picture.draw({ ...derived, activations: trace.activations, focus, selected, overlay: step?.overlay ?? null });
    describeNeuron(state, step, focus ?? step?.overlay?.highlight ?? { layer: derived.sizes.length - 1, index: lesson?.label ?? argmax(trace.activations.at(-1)) }, Boolean(focus));
    if (editable) describeEditor(state);
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
    note.textContent = `A ${sizes.join('–')} network${name}. Lines: blue positive weights, red negative, thicker for larger ones; ${parts.length ? `to stay readable the picture draws, ${parts.join('; ')}` : 'every connection is drawn'}. The stronger a neuron's shade, the more active it is.`;
  }

  /**
   * The panel: the neuron pointed at or picked (`focused`), else the one the lesson's step is
   * about, else the answer. What a deeper neuron looks for is asked of the engine only for a
   * neuron the reader chose: finding it is work a page full of elements should not do at load.
   */
  function describeNeuron({ network, trace, lesson, digit, pictures }, step, { layer, index }, focused) {
    const { sizes } = derived;
    const output = sizes.length - 1;
    title.textContent = neuronName(layer, index, sizes);
    hint.textContent = `${pointing() === 'tap' ? 'Tap' : 'Point at'} a neuron${editable ? ' or a connection' : ''}, or focus the picture and use the arrow keys, to read its numbers.`;
    values.replaceChildren();
    formula.textContent = '';
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
    if (lesson?.gradient && lesson.index > 0 && !lesson.applied) row('Error signal δ', num(lesson.gradient.errors[layer - 1][index]), 'delta');
    // The weighted sum with its largest terms written out: with `editable`, a term picks its weight.
    const t = network.net.neuronTerms(digit.input, layer, index, TERMS);
    const terms = Array.from(t.terms, (term, k) => {
      const text = `${num(t.weights[k])} × ${num(t.inputs[k])}`;
      if (!editable) return text;
      const from = t.indices[k];
      return button(text, () => session.selectConnection({ layer: layer - 1, from, to: index }), {
        class: 'term', 'aria-label': `Change the weight from ${neuronName(layer - 1, from, sizes)}: ${text}`,
      });
    });
    formula.replaceChildren('z = ', ...terms.flatMap((term, k) => (k ? [' + ', term] : [term])),
      `${t.restCount ? ` + (the other ${t.restCount}: ${num(t.rest)})` : ''} + ${num(t.bias)} = ${num(t.z)}; a = ${fn}(z)${layer === output && probabilities ? ' over all ten' : ''} = ${num(t.a)}`);
    figure.hidden = false;
    if (layer === 1) {
      const changes = step?.image && step.image.neuron === index ? step.image.values : null;
      show(image, signedImage(changes ? Array.from(changes, (g) => -g) : derived.weights[0].subarray(index * SIDE * SIDE, (index + 1) * SIDE * SIDE), themeOf(image).rgb));
      caption.textContent = changes ? 'How its 784 incoming weights change: blue up, red down.' : 'Its 784 incoming weights, one per pixel: blue positive, red negative.';
    } else {
      const images = pictures?.key === `${network.id}.${network.version}` ? pictures.layers.get(layer) : null;
      if (images) show(image, inkImage(images.subarray(index * SIDE * SIDE, (index + 1) * SIDE * SIDE), themeOf(image).rgb, { opaque: true }));
      else {
        image.getContext('2d').clearRect(0, 0, SIDE, SIDE);
        if (focused) session.requestPictures(layer);
      }
      caption.textContent = images ? 'What excites it most: the input found by 40 small steps of gradient ascent from grey.'
        : focused ? 'Finding what excites it most…' : 'Point at this neuron or pick it to see what excites it most.';
    }
    image.setAttribute('aria-label', caption.textContent);
  }

  // Rows not in use keep their room (hidden, not removed), so that nothing below moves.
  function describeEditor({ network, picked, selected, training, undo: changes }) {
    const playing = training.playing;
    weight.element.classList.toggle('unused', !selected);
    if (selected) {
      const w = derived.weights[selected.layer];
      const value = w[selected.to * derived.sizes[selected.layer] + selected.from];
      weight.show(`Weight ${neuronName(selected.layer, selected.from, derived.sizes)} → ${neuronName(selected.layer + 1, selected.to, derived.sizes)}`, value, span(w, value), playing);
    }
    bias.element.classList.toggle('unused', !(picked?.layer > 0));
    if (picked?.layer > 0) {
      const b = network.net.biases(picked.layer - 1);
      bias.show(`Bias of ${neuronName(picked.layer, picked.index, derived.sizes)}`, b[picked.index], span(b, b[picked.index]), playing);
    }
    for (const b of [undo, back]) b.classList.toggle('unused', changes.length === 0);
    editorNote.textContent = playing ? 'Pause training to change weights by hand.' : selected || picked ? '' : `${pointing() === 'tap' ? 'Tap' : 'Click'} a connection to change its weight, or a neuron to change its bias.`;
  }

  function row(term, value, key) {
    values.append(el('dt', {}, [term]), el('dd', key ? { 'data-value': key } : {}, [value]));
  }

  return { element, canvasArea, destroy: () => { clearTimeout(later); view.destroy(); } };
}

/** The range a slider offers for `value` among `values`: twice the largest magnitude, at least 1. */
function span(values, value) {
  let max = Math.abs(value);
  for (const v of values) max = Math.max(max, Math.abs(v));
  return Number(Math.max(1, 2 * max).toPrecision(2));
}
