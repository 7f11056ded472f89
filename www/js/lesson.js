// One lesson of backpropagation, as steps: the guess, the output error, the weights into the
// desired output, one step per hidden layer (last to first), and applying the change. These
// functions turn the session's lesson (the core's gradient for one digit and desired label,
// and for the followed hidden neuron the core's `errorTerms`) into each step's caption, its
// tables and the arrows the network picture draws. They compute nothing of their own.
import { argmax, num, percent, plain, signed } from './format.js';

const MAX_PIXEL_ROWS = 12;     // pixels listed for weights from the input (the largest changes)
const NO_SIGNAL = 1e-12;       // an error signal this small is "no change" (e.g. a silent ReLU)

const ACTIVATION_WORDS = {
  relu: 'ReLU keeps a positive total and turns a negative one into 0',
  leaky_relu: 'leaky ReLU keeps a positive total and shrinks a negative one to a hundredth',
  sigmoid: 'sigmoid squashes any total into a number between 0 and 1',
  tanh: 'tanh squashes any total into a number between −1 and 1',
};
const SLOPE_WORDS = {
  relu: 'for ReLU that is 1 if the neuron was active and 0 if it was silent',
  leaky_relu: 'for leaky ReLU that is 1 if the neuron was active and 0.01 if not',
  sigmoid: 'for sigmoid that is a × (1 − a)',
  tanh: 'for tanh that is 1 − a²',
};

/** Steps: the guess, output error, weights into the output, one per hidden layer, apply. */
export const stepCount = (sizes) => sizes.length + 2;
export const applyIndex = (sizes) => sizes.length + 1;

/** The neuron layer whose error signals step `index` shows, or null. */
export function hiddenLayerOf(index, sizes) {
  const layer = sizes.length - 1 - (index - 2);
  return index >= 3 && layer >= 1 && layer < sizes.length - 1 ? layer : null;
}

export function stepTitles(sizes) {
  const titles = ['The guess', 'Output error', 'Weights into the output'];
  for (let n = sizes.length - 2; n >= 1; n--) titles.push(`Hidden layer ${n}`);
  titles.push('Apply');
  return titles;
}

export function neuronName(layer, index, sizes) {
  if (layer === 0) return `pixel (${Math.floor(index / 28) + 1}, ${(index % 28) + 1})`;
  if (layer === sizes.length - 1) return `output ${index}`;
  return `hidden ${layer} · neuron ${index + 1}`;
}

/** A compact name for table rows: "H2 · 5", "out 3", "pixel 15,14". */
function shortName(layer, index, sizes) {
  if (layer === 0) return `pixel ${Math.floor(index / 28) + 1},${(index % 28) + 1}`;
  return layer === sizes.length - 1 ? `out ${index}` : `H${layer} · ${index + 1}`;
}

function maxAbs(values) {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  return max;
}

function moveWord(delta) {
  if (Math.abs(delta) < NO_SIGNAL) return 'stay';
  return delta < 0 ? 'rise ▲' : 'fall ▼';
}

/** The followed neuron of a hidden step: the learner's pick, else the strongest signal. */
export function followedNeuron(lesson, layer) {
  if (lesson.chosen?.layer === layer) return lesson.chosen.index;
  return argmax(Array.from(lesson.gradient.errors[layer - 1], Math.abs));
}

/**
 * Step `lesson.index` as `{ title, caption, tables: [{ caption, columns, rows }], overlay,
 * image }`. `lesson`: { gradient, label, rate (η, the scaled learning rate), learningRate,
 * batchSize, sizes, activation, loss, applied, applying, terms, incomingWeights }.
 */
export function describeStep(lesson, { pointer = 'point at' } = {}) {
  const { index, sizes } = lesson;
  if (!lesson.gradient) return askStep(lesson);
  if (index === 0) return guessStep(lesson);
  if (index === 1) return outputStep(lesson);
  if (index === 2) return weightsIntoTargetStep(lesson);
  if (index === applyIndex(sizes)) return applyStep(lesson);
  return hiddenStep(lesson, hiddenLayerOf(index, sizes), pointer);
}

const empty = { tables: [], overlay: null, image: null };

function askStep({ prediction }) {
  return {
    ...empty,
    title: 'Which digit did you draw?',
    caption: `The network says ${argmax(prediction)}, but only you know what you meant. Pick the digit you drew, and the lesson will teach the network to say it.`,
  };
}

function outputWords(probabilities) {
  return probabilities
    ? 'Softmax turns the ten totals of the output layer into probabilities that add up to 100%.'
    : 'Each output passes its total through a sigmoid, so it lies between 0 and 1.';
}

function guessStep({ gradient: g, label, activation, probabilities }) {
  const out = g.activations.at(-1);
  const guess = argmax(out);
  return {
    ...empty,
    title: 'The guess: a forward pass',
    caption: `The 784 pixel values flow from left to right. Each neuron adds up its inputs, each times a weight, plus its bias, and passes that total z on through its activation function: ${ACTIVATION_WORDS[activation]}. ${outputWords(probabilities)} The network says ${guess} (${probabilities ? percent(out[guess]) : num(out[guess])}); we want ${label}. The loss, one number for how far off it is, is ${num(g.loss)}.`,
    tables: [{
      columns: [['digit', 'Digit'], ['sum', 'Total z'], ['output', 'Output']],
      rows: Array.from(out, (p, d) => ({ digit: String(d), sum: plain(g.preActivations.at(-1)[d]), output: plain(p) })),
    }],
  };
}

function outputStep({ gradient: g, label, sizes, probabilities }) {
  const errors = g.errors.at(-1);
  const out = g.activations.at(-1);
  const outputLayer = sizes.length - 1;
  const max = maxAbs(errors);
  const neuronArrows = [];
  errors.forEach((delta, d) => {
    if (Math.abs(delta) < NO_SIGNAL) return;
    const rise = delta < 0;
    neuronArrows.push({
      layer: outputLayer, index: d, direction: rise ? 1 : -1, size: Math.abs(delta) / max,
      colour: rise && d === label ? 'target' : rise ? 'rise' : 'fall',
    });
  });
  const rule = probabilities
    ? 'its error δ = output − wanted (exactly so, for softmax with cross-entropy)'
    : 'its error δ = (output − wanted) × output × (1 − output), the slope of the sigmoid included';
  return {
    title: 'Step 1 · How wrong is each output?',
    caption: `We want output ${label} at 1 and the other nine at 0. For each output, ${rule}. A negative δ means too low: the output must rise (purple for ${label}). A positive δ means too high: it must fall (green). The bigger δ, the more urgent.`,
    tables: [{
      columns: [['digit', 'Digit'], ['output', 'Output'], ['desired', 'Wanted'], ['delta', 'δ'], ['move', 'Must']],
      rows: Array.from(errors, (delta, d) => ({
        digit: String(d), output: plain(out[d]), desired: d === label ? '1' : '0', delta: plain(delta), move: moveWord(delta),
      })),
    }],
    overlay: { neuronArrows, weightArrows: [], highlight: null },
    image: null,
  };
}

/** Weight arrows into neuron `to` of neuron layer `weightLayer + 1`, and their table. */
function incoming(lesson, weightLayer, to) {
  const { gradient: g, sizes, rate } = lesson;
  const inputs = sizes[weightLayer];
  const grads = g.weightGradients[weightLayer].subarray(to * inputs, (to + 1) * inputs);
  let from = Array.from({ length: inputs }, (_, i) => i);
  if (weightLayer === 0) {
    from.sort((a, b) => Math.abs(grads[b]) - Math.abs(grads[a]) || a - b);
    from = from.slice(0, MAX_PIXEL_ROWS).filter((i) => Math.abs(grads[i]) > 0);
  }
  // Arrows from 784 pixels would pile up on one spot: the 28×28 change image shows those.
  const max = Math.max(maxAbs(from.map((i) => grads[i])), NO_SIGNAL);
  const weightArrows = (weightLayer === 0 ? [] : from)
    .filter((i) => Math.abs(grads[i]) > NO_SIGNAL)
    .map((i) => ({ weightLayer, from: i, to, direction: grads[i] < 0 ? 1 : -1, size: Math.abs(grads[i]) / max }));
  const delta = g.errors[weightLayer][to];
  const table = {
    caption: `Δw of the weights into ${neuronName(weightLayer + 1, to, sizes)}: −η × a × δ, with η = ${num(rate)}${weightLayer === 0 ? ` (the ${MAX_PIXEL_ROWS} pixels whose weights change most)` : ''}`,
    columns: [['from', 'From'], ['activation', 'a'], ['delta', 'δ'], ['gradient', 'a × δ'], ['change', 'Δw']],
    rows: from.map((i) => ({
      from: shortName(weightLayer, i, sizes),
      activation: plain(g.activations[weightLayer][i]),
      delta: plain(delta),
      gradient: plain(grads[i]),
      change: plain(-rate * grads[i], { sign: true }),
    })),
  };
  return { weightArrows, table, grads };
}

function rateWords({ rate, learningRate, batchSize }) {
  return `η = ${num(rate)} is the step size: the learning rate ${num(learningRate)} divided by the batch size ${batchSize}, one example's share of a training step`;
}

function weightsIntoTargetStep(lesson) {
  const { label, sizes } = lesson;
  const outputLayer = sizes.length - 1;
  const delta = lesson.gradient.errors.at(-1)[label];
  const { weightArrows, table } = incoming(lesson, outputLayer - 1, label);
  const source = outputLayer === 1 ? 'pixel' : 'neuron of the last hidden layer';
  return {
    title: `Step 2 · Change the weights into output ${label}`,
    caption: `To ${delta < 0 ? 'raise' : 'lower'} output ${label}, each weight into it from a ${source} changes by Δw = −η × a × δ: a is the activation at the other end, δ the output's error, and ${rateWords(lesson)}. A very active neuron had a big say in the answer, so its weight moves most; a silent one (a = 0) does not move. ${outputLayer === 1 ? '' : 'The small arrows on the lines point up where a weight grows. '}The other outputs' weights change too; only ${label}'s are shown.`,
    tables: [table],
    overlay: {
      neuronArrows: [{ layer: outputLayer, index: label, direction: delta < 0 ? 1 : -1, size: 1, colour: delta < 0 ? 'target' : 'fall' }],
      weightArrows,
      highlight: { layer: outputLayer, index: label },
    },
    image: null,
  };
}

/** Neuron `j`'s error signal term by term, from the core's `errorTerms`. */
function termsTable(lesson, layer, j) {
  const { sizes, terms, outgoing } = lesson;
  const next = layer + 1;
  const rows = Array.from(terms.terms, (term, k) => ({
    to: shortName(next, k, sizes),
    weight: plain(outgoing[k]),
    delta: plain(lesson.gradient.errors[layer][k]),
    term: plain(term),
  }));
  rows.push(
    { to: 'sum Σ', weight: '', delta: '', term: plain(terms.sum) },
    { to: 'slope f′(z)', weight: '', delta: '', term: plain(terms.slope) },
    { to: 'δ = Σ × slope', weight: '', delta: '', term: plain(terms.delta) },
  );
  return {
    caption: `δ of ${neuronName(layer, j, sizes)}: each δ it sends to, times the weight that joins them, summed, times the slope`,
    columns: [['to', 'To'], ['weight', 'Weight w'], ['delta', 'Its δ'], ['term', 'w × δ']],
    rows,
  };
}

function hiddenStep(lesson, layer, pointer) {
  const { gradient: g, sizes, activation } = lesson;
  const errors = g.errors[layer - 1];
  const max = Math.max(maxAbs(errors), NO_SIGNAL);
  const neuronArrows = [];
  errors.forEach((delta, j) => {
    if (Math.abs(delta) < NO_SIGNAL) return;
    const rise = delta < 0;
    neuronArrows.push({ layer, index: j, direction: rise ? 1 : -1, size: Math.abs(delta) / max, colour: rise ? 'rise' : 'fall' });
  });
  const chosen = followedNeuron(lesson, layer);
  const { weightArrows, table, grads } = incoming(lesson, layer - 1, chosen);
  const silent = errors.filter((d) => Math.abs(d) < NO_SIGNAL).length;
  const firstHiddenStep = layer === sizes.length - 2;
  const pick = lesson.chosen?.layer === layer ? 'the one you picked' : 'it has the strongest signal';
  const caption = [
    firstHiddenStep
      ? `Nobody tells a hidden neuron what it should have been. Its δ comes from the layer after it: each δ there, times the weight that joins them, all summed up, then times the slope of this neuron's activation (${SLOPE_WORDS[activation]}). Orange arrows: must rise; green: must fall.`
      : `The same again, one layer further back: these δs come from layer ${layer + 1}'s.`,
    silent ? `${silent} of ${errors.length} neurons get no blame (δ = 0): they were silent for this digit, so their incoming weights do not change.` : '',
    `The tables follow neuron ${chosen + 1} (${pick}; ${pointer} another neuron of this layer to follow it): its δ term by term, then the changes of its incoming weights.`,
    layer === 1 ? 'These weights come straight from the pixels, so only inked pixels move theirs: the image shows all 784 changes, blue up, red down.' : '',
  ].filter(Boolean).join(' ');
  return {
    title: `Step ${lesson.index} · Hidden layer ${layer}: who must rise, who must fall`,
    caption,
    tables: [
      {
        columns: [['neuron', 'Neuron'], ['activation', 'Activation a'], ['sum', 'Total z'], ['delta', 'δ'], ['move', 'Must']],
        rows: Array.from(errors, (delta, j) => ({
          neuron: String(j + 1), activation: plain(g.activations[layer][j]), sum: plain(g.preActivations[layer - 1][j]), delta: plain(delta), move: moveWord(delta),
        })),
      },
      termsTable(lesson, layer, chosen),
      table,
    ],
    overlay: { neuronArrows, weightArrows, highlight: { layer, index: chosen } },
    image: layer === 1 ? { values: grads, neuron: chosen } : null,
  };
}

function applyStep(lesson) {
  const { applied, index, batchSize } = lesson;
  if (!applied) return { ...empty, title: `Step ${index} · Apply`, caption: 'Applying the change…' };
  const { before, after, label } = applied;
  return {
    title: `Step ${index} · Apply: every weight takes its step`,
    caption: `All the weights and biases moved at once, each by −η × its slope; ${rateWords(lesson)}. Same digit, one lesson later: output ${label} went from ${percent(before[label])} to ${percent(after[label])}. A training step adds up ${batchSize} such changes, one per example of its mini-batch. Previous undoes this change; New lesson keeps it and starts again on the changed network.`,
    tables: [{
      columns: [['digit', 'Digit'], ['before', 'Before'], ['after', 'After']],
      rows: Array.from(before, (p, d) => ({ digit: String(d), before: plain(p), after: plain(after[d]) })),
    }],
    overlay: null,
    image: null,
  };
}

/** Lines for the tooltip of the weight arrow from neuron `from` (layer `weightLayer`) to `to`. */
export function describeConnection(lesson, weightLayer, from, to) {
  const g = lesson.gradient;
  const inputs = lesson.sizes[weightLayer];
  const a = g.activations[weightLayer][from];
  const delta = g.errors[weightLayer][to];
  const grad = g.weightGradients[weightLayer][to * inputs + from];
  return [
    `${neuronName(weightLayer, from, lesson.sizes)} → ${neuronName(weightLayer + 1, to, lesson.sizes)}`,
    `activation a = ${num(a)}`,
    `error δ = ${num(delta)}`,
    `a × δ = ${num(grad)}`,
    `change Δw = −${num(lesson.rate)} × a × δ = ${signed(-lesson.rate * grad)}`,
  ];
}
