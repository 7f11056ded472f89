// The panel beside the network picture: what the focused neuron received, summed and output,
// and for a first-hidden-layer neuron its 784 incoming weights (or their changes during the
// backprop player) as a 28×28 blue/red image.
import { num } from './format.js';
import { neuronName } from './backprop-player.js';
import { palette } from './palette.js';

const SIDE = 28;
const ACTIVATION_NAMES = { relu: 'ReLU', leaky_relu: 'leaky ReLU', sigmoid: 'sigmoid', tanh: 'tanh' };

function row(list, term, value, key) {
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value;
  if (key) dd.dataset.value = key;
  list.append(dt, dd);
}

/** Paints 784 signed values as a blue (positive) / red (negative) 28×28 image. */
function paintSigned(canvas, values) {
  const colours = palette();
  const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const pos = rgb(colours.positive);
  const neg = rgb(colours.negative);
  let max = 1e-12;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const image = new ImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const m = Math.min(1, Math.abs(values[i]) / max);
    const c = values[i] >= 0 ? pos : neg;
    image.data.set([255 + (c[0] - 255) * m, 255 + (c[1] - 255) * m, 255 + (c[2] - 255) * m, 255], i * 4);
  }
  canvas.getContext('2d').putImageData(image, 0, 0);
}

/**
 * info: { focus (the neuron to explain), sizes, trace ({ preActivations, activations }), biases(layer), weights(layer),
 * activation, probabilities, delta (the error signal during the player, or null),
 * changeImage (the player's 784 slopes for this neuron, or null) }.
 */
export function showNeuron(dom, info) {
  const { focus, sizes, trace } = info;
  dom.values.replaceChildren();
  dom.figure.hidden = true;
  const { layer, index } = focus;
  dom.title.textContent = neuronName(layer, index, sizes);
  if (layer === 0) {
    row(dom.values, 'Brightness (its activation)', num(trace.activations[0][index]), 'activation');
    row(dom.values, 'Role', 'An input neuron: it passes its pixel on to every neuron of the next layer.');
    return;
  }
  const output = layer === sizes.length - 1;
  const z = trace.preActivations[layer - 1][index];
  const a = trace.activations[layer][index];
  row(dom.values, `Weighted sum z (${sizes[layer - 1]} inputs × weights + bias)`, num(z), 'sum');
  row(dom.values, 'Bias', num(info.biases(layer - 1)[index]), 'bias');
  const fn = output ? (info.probabilities ? 'softmax' : 'sigmoid') : ACTIVATION_NAMES[info.activation];
  row(dom.values, `Activation ${fn}(z)`, num(a), 'activation');
  if (info.delta !== null) row(dom.values, 'Error signal δ (slope of the loss for z)', num(info.delta), 'delta');
  if (layer === 1) {
    dom.figure.hidden = false;
    if (info.changeImage) {
      paintSigned(dom.weights, Array.from(info.changeImage, (g) => -g));
      dom.figureCaption.textContent = 'How its 784 incoming weights change: blue up, red down.';
    } else {
      const weights = info.weights(0);
      paintSigned(dom.weights, weights.subarray(index * 784, (index + 1) * 784));
      dom.figureCaption.textContent = 'Its 784 incoming weights, one per pixel: blue positive, red negative.';
    }
  }
}
