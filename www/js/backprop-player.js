// The step-by-step backpropagation player. For the current digit and desired label it asks
// the core for the gradient once, then turns it into steps: the guess, the output error, the
// weights into the desired output, one step per hidden layer (last to first), and applying
// the change. Each step is a caption, a table of the numbers and the arrows to draw; every
// number comes from the core's `gradient` (or, for the last step, from `predict` after the
// core's `applyGradient`).
import { argmax, num, percent, signed } from './format.js';

const MAX_PIXEL_ROWS = 12;     // pixels listed for weights from the input (the largest changes)
const NO_SIGNAL = 1e-12;       // an error signal this small is "no change" (e.g. a silent ReLU)

export class BackpropPlayer {
  /** `onChange()` redraws; `onApply()` applies the lesson and resolves to the new output. */
  constructor({ onChange, onApply }) {
    this.onChange = onChange;
    this.onApply = onApply;
    this.index = 0;
    this.lesson = null;
    this.applied = null;
    this.timer = null;
    this.delay = 3000;
    this.chosen = null;     // the hidden neuron whose incoming changes are shown, if picked
    this.applying = false;
  }

  /** A new lesson: network, input and desired label. Keeps the step unless it was "apply". */
  setLesson({ net, input, label, learningRate, sizes }) {
    const gradient = net.gradient(input, label);
    this.lesson = { gradient, label, learningRate, sizes: [...sizes], input };
    if (this.applied && !this.applying) {
      this.applied = null;
      this.index = 0;
    }
    this.index = Math.min(this.index, this.count() - 1);
    if (this.chosen && this.chosen.layer >= sizes.length - 1) this.chosen = null;
    this.onChange();
  }

  count() {
    return this.lesson.sizes.length + 2;
  }

  applyIndex() {
    return this.count() - 1;
  }

  /** Steps through the core's numbers; entering the last step applies the change. */
  async go(index) {
    if (this.applying) return;
    const wrapped = (index + this.count()) % this.count();
    if (this.applied && wrapped !== this.applyIndex()) this.applied = null;
    this.index = wrapped;
    this.chosen = null;
    if (wrapped === this.applyIndex() && !this.applied) {
      this.applying = true;
      this.onChange();
      try {
        const before = this.lesson.gradient.activations.at(-1);
        const after = await this.onApply(this.lesson.input, this.lesson.label, this.lesson.learningRate);
        this.applied = { before, after, label: this.lesson.label, learningRate: this.lesson.learningRate };
      } finally {
        this.applying = false;
      }
    }
    this.onChange();
  }

  next() { return this.go(this.index + 1); }
  previous() { return this.go(this.index === 0 ? this.applyIndex() - 1 : this.index - 1); }

  get playing() {
    return this.timer !== null;
  }

  play() {
    if (this.playing) return;
    if (this.index === this.applyIndex()) this.index = 0;
    const tick = async () => {
      await this.next();
      this.timer = this.index < this.applyIndex() ? setTimeout(tick, this.delay) : null;
      this.onChange();
    };
    this.timer = setTimeout(tick, this.delay / 2);
    this.onChange();
  }

  pause() {
    clearTimeout(this.timer);
    this.timer = null;
    this.onChange();
  }

  /** Picks which neuron of the current hidden-layer step shows its incoming changes. */
  choose(neuron) {
    const step = this.hiddenLayerOfStep();
    if (step === null || !neuron || neuron.layer !== step) return false;
    if (this.chosen && this.chosen.index === neuron.index) return false;
    this.chosen = neuron;
    this.onChange();
    return true;
  }

  /** The neuron layer whose error signals the current step shows, or null. */
  hiddenLayerOfStep() {
    const outputLayer = this.lesson.sizes.length - 1;
    const layer = outputLayer - (this.index - 2);
    return this.index >= 3 && layer >= 1 && layer < outputLayer ? layer : null;
  }

  /** The current step: { title, caption, columns, rows, overlay, image }. */
  step() {
    const { sizes } = this.lesson;
    const outputLayer = sizes.length - 1;
    if (this.index === 0) return this.guessStep();
    if (this.index === 1) return this.outputStep();
    if (this.index === 2) return this.weightsIntoTargetStep();
    if (this.index === this.applyIndex()) return this.applyStep();
    return this.hiddenStep(outputLayer - (this.index - 2));
  }

  /** Step titles for the step list. */
  titles() {
    const outputLayer = this.lesson.sizes.length - 1;
    const titles = ['The guess', 'Output error', 'Weights into the output'];
    for (let n = outputLayer - 1; n >= 1; n--) titles.push(`Hidden layer ${n}`);
    titles.push('Apply');
    return titles;
  }

  /** Numbers of the connection from neuron `from` (layer `weightLayer`) to `to`, for tooltips. */
  describeConnection(weightLayer, from, to) {
    const g = this.lesson.gradient;
    const inputs = this.lesson.sizes[weightLayer];
    const a = g.activations[weightLayer][from];
    const delta = g.errors[weightLayer][to];
    const grad = g.weightGradients[weightLayer][to * inputs + from];
    const eta = this.lesson.learningRate;
    return [
      `${neuronName(weightLayer, from, this.lesson.sizes)} → ${neuronName(weightLayer + 1, to, this.lesson.sizes)}`,
      `activation a = ${num(a)}`,
      `error signal δ = ${num(delta)}`,
      `a × δ = ${num(grad)} (the slope of the loss for this weight)`,
      `change = −learning rate ${num(eta)} × a × δ = ${signed(-eta * grad)}`,
    ];
  }

  guessStep() {
    const { gradient: g, label } = this.lesson;
    const out = g.activations.at(-1);
    const guess = argmax(out);
    return {
      title: 'The guess: a forward pass',
      caption: `The 784 pixel values flow from left to right. Each neuron multiplies every input by the weight of its connection, adds them up with its bias, and passes that weighted sum through its activation function. The output layer reads as probabilities. The network says ${guess} (${percent(out[guess])}); we want it to say ${label}. The loss, which measures how far off it is, is ${num(g.loss)}.`,
      columns: [['digit', 'Digit'], ['sum', 'Weighted sum z'], ['output', 'Output']],
      rows: Array.from(out, (p, d) => ({ digit: String(d), sum: num(g.preActivations.at(-1)[d]), output: num(p) })),
      overlay: null,
      image: null,
    };
  }

  outputStep() {
    const { gradient: g, label } = this.lesson;
    const errors = g.errors.at(-1);
    const out = g.activations.at(-1);
    const outputLayer = this.lesson.sizes.length - 1;
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
    return {
      title: 'Step 1 · How wrong is each output?',
      caption: `We wanted output ${label} at 1 and every other output at 0. Each output neuron gets an error signal δ: the slope of the loss with respect to its weighted sum. Its sign says which way the neuron must move (a negative δ means rise) and its size says how urgently. The purple arrow: ${label} must rise. The green arrows: outputs that claimed probability they should not have, and must fall.`,
      columns: [['digit', 'Digit'], ['output', 'Output'], ['desired', 'Wanted'], ['delta', 'δ'], ['move', 'Must']],
      rows: Array.from(errors, (delta, d) => ({
        digit: String(d), output: num(out[d]), desired: d === label ? '1' : '0', delta: num(delta), move: moveWord(delta),
      })),
      overlay: { neuronArrows, weightArrows: [], highlight: null },
      image: null,
    };
  }

  /** Weight arrows into neuron `to` of neuron layer `weightLayer + 1`, with table rows. */
  incoming(weightLayer, to) {
    const { gradient: g, sizes, learningRate } = this.lesson;
    const inputs = sizes[weightLayer];
    const grads = g.weightGradients[weightLayer].subarray(to * inputs, (to + 1) * inputs);
    let from = Array.from({ length: inputs }, (_, i) => i);
    if (weightLayer === 0) {
      from.sort((a, b) => Math.abs(grads[b]) - Math.abs(grads[a]) || a - b);
      from = from.slice(0, MAX_PIXEL_ROWS).filter((i) => Math.abs(grads[i]) > 0);
    }
    // Arrows from 784 pixels would pile up on one spot: the 28×28 change image shows those.
    const arrowFrom = weightLayer === 0 ? [] : from;
    const max = Math.max(maxAbs(from.map((i) => grads[i])), NO_SIGNAL);
    const weightArrows = arrowFrom
      .filter((i) => Math.abs(grads[i]) > NO_SIGNAL)
      .map((i) => ({ weightLayer, from: i, to, direction: grads[i] < 0 ? 1 : -1, size: Math.abs(grads[i]) / max }));
    const delta = g.errors[weightLayer][to];
    const rows = from.map((i) => ({
      from: shortName(weightLayer, i, sizes),
      activation: num(g.activations[weightLayer][i]),
      delta: num(delta),
      gradient: num(grads[i]),
      change: signed(-learningRate * grads[i]),
    }));
    const columns = [['from', 'From'], ['activation', 'a'], ['delta', 'δ'], ['gradient', 'a × δ'], ['change', 'Δw']];
    return { weightArrows, rows, columns, grads };
  }

  weightsIntoTargetStep() {
    const { label, sizes } = this.lesson;
    const outputLayer = sizes.length - 1;
    const delta = this.lesson.gradient.errors.at(-1)[label];
    const { weightArrows, rows, columns } = this.incoming(outputLayer - 1, label);
    const source = outputLayer === 1 ? 'pixel' : `neuron in hidden layer ${outputLayer - 1}`;
    const arrows = outputLayer === 1
      ? `The table lists the ${MAX_PIXEL_ROWS} pixels whose weights change most, with Δw = −${num(this.lesson.learningRate)} × a × δ.`
      : `Black arrows point up where a weight becomes more positive. Hover an arrow for its numbers; the table lists them all, with Δw = −${num(this.lesson.learningRate)} × a × δ.`;
    return {
      title: `Step 2 · Change the weights into output ${label}`,
      caption: `To ${delta < 0 ? 'raise' : 'lower'} output ${label}, each connection into it from a ${source} changes by −learning rate × activation × δ. The change is proportional to the activation at the other end: a neuron that was very active had a large say in the answer, so its weight moves most; a silent one (activation 0) does not move at all. ${arrows} The weights into every other output change too, the other way; only ${label}'s are shown.`,
      columns,
      rows,
      overlay: {
        neuronArrows: [{ layer: outputLayer, index: label, direction: delta < 0 ? 1 : -1, size: 1, colour: delta < 0 ? 'target' : 'fall' }],
        weightArrows,
        highlight: { layer: outputLayer, index: label },
      },
      image: null,
    };
  }

  hiddenStep(layer) {
    const { gradient: g, sizes } = this.lesson;
    const errors = g.errors[layer - 1];
    const max = Math.max(maxAbs(errors), NO_SIGNAL);
    const neuronArrows = [];
    errors.forEach((delta, j) => {
      if (Math.abs(delta) < NO_SIGNAL) return;
      const rise = delta < 0;
      neuronArrows.push({ layer, index: j, direction: rise ? 1 : -1, size: Math.abs(delta) / max, colour: rise ? 'rise' : 'fall' });
    });
    const strongest = argmax(Array.from(errors, Math.abs));
    const chosen = this.chosen && this.chosen.layer === layer ? this.chosen.index : strongest;
    const { weightArrows, grads } = this.incoming(layer - 1, chosen);
    const silent = errors.filter((d) => Math.abs(d) < NO_SIGNAL).length;
    const first = layer === 1;
    const number = this.index;
    const caption = [
      `Nobody tells a hidden neuron what it should be. Its error signal is collected from the layer after it: every error there is sent back along the same connections, multiplied by the connection's weight, added up, and scaled by the slope of this neuron's activation function. Orange arrows: neurons that must rise; green: neurons that must fall.`,
      silent ? `${silent} of ${errors.length} neurons have no arrow: they were silent for this digit, so they get no blame and their incoming weights do not change.` : '',
      first
        ? `Follow neuron ${chosen + 1} (${this.chosen ? 'the one you picked' : 'it has the strongest signal'}; hover or focus another neuron of this layer to follow it instead). Its weights come straight from the pixels, so each change is proportional to a pixel's brightness: only inked pixels move their weights. The image under the picture shows all 784 changes: blue up, red down.`
        : `The black arrows show how the weights into neuron ${chosen + 1} change (${this.chosen ? 'the one you picked' : 'it has the strongest signal'}); hover or focus another neuron of this layer to follow it instead.`,
    ].filter(Boolean).join(' ');
    return {
      title: `Step ${number} · Hidden layer ${layer}: who must rise, who must fall`,
      caption,
      columns: [['neuron', 'Neuron'], ['activation', 'Activation a'], ['sum', 'Sum z'], ['delta', 'δ'], ['move', 'Must']],
      rows: Array.from(errors, (delta, j) => ({
        neuron: String(j + 1), activation: num(g.activations[layer][j]), sum: num(g.preActivations[layer - 1][j]), delta: num(delta), move: moveWord(delta),
      })),
      overlay: { neuronArrows, weightArrows, highlight: { layer, index: chosen } },
      image: first ? { values: grads, neuron: chosen, layerSizes: sizes } : null,
    };
  }

  applyStep() {
    const number = this.index;
    if (!this.applied) {
      return { title: `Step ${number} · Apply`, caption: 'Applying the change…', columns: [], rows: [], overlay: null, image: null };
    }
    const { before, after, label, learningRate } = this.applied;
    return {
      title: `Step ${number} · Apply: every weight takes its step`,
      caption: `All the weights and biases now move at once, each by −${num(learningRate)} × its slope. Same digit, one lesson later: output ${label} went from ${percent(before[label])} to ${percent(after[label])}. Training repeats this over thousands of examples, averaging the changes of a mini-batch, until the loss stops falling. Press Next for a new lesson on the changed network.`,
      columns: [['digit', 'Digit'], ['before', 'Before'], ['after', 'After']],
      rows: Array.from(before, (p, d) => ({ digit: String(d), before: num(p), after: num(after[d]) })),
      overlay: null,
      image: null,
    };
  }
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

/** A compact name for table rows: "H2 · 5", "pixel 15,14". */
function shortName(layer, index, sizes) {
  if (layer === 0) return `pixel ${Math.floor(index / 28) + 1},${(index % 28) + 1}`;
  return layer === sizes.length - 1 ? `out ${index}` : `H${layer} · ${index + 1}`;
}

export function neuronName(layer, index, sizes) {
  if (layer === 0) return `pixel (${Math.floor(index / 28) + 1}, ${(index % 28) + 1})`;
  if (layer === sizes.length - 1) return `output ${index}`;
  return `hidden ${layer} · neuron ${index + 1}`;
}
