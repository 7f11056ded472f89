// Where each weight and bias sits in the flat layout of `Network.parameters()`: for each
// weight layer from the input side, its weights (outputs × inputs, row-major), then its biases.
import { neuronName } from './lesson.js';

/** Per weight layer: the offsets of its weights and biases, and its width in and out. */
export function parameterLayout(sizes) {
  const layers = [];
  let at = 0;
  for (let l = 0; l < sizes.length - 1; l++) {
    const inputs = sizes[l];
    const outputs = sizes[l + 1];
    layers.push({ weights: at, biases: at + inputs * outputs, inputs, outputs });
    at += inputs * outputs + outputs;
  }
  return layers;
}

/** The index of the weight from neuron `from` of neuron layer `layer` to neuron `to` of the next. */
export const weightIndex = (sizes, layer, from, to) => {
  const { weights, inputs } = parameterLayout(sizes)[layer];
  return weights + to * inputs + from;
};

/** The index of the bias of neuron `index` of neuron layer `layer` (≥ 1). */
export const biasIndex = (sizes, layer, index) => parameterLayout(sizes)[layer - 1].biases + index;

/** What parameter `index` is: `{ kind: 'weight', layer, from, to }` or `{ kind: 'bias', layer, index }`, with a name. */
export function describeParameter(sizes, index) {
  const layers = parameterLayout(sizes);
  const l = layers.findLastIndex((layer) => layer.weights <= index);
  const { weights, biases, inputs } = layers[l];
  if (index >= biases) {
    const neuron = index - biases;
    return { kind: 'bias', layer: l + 1, index: neuron, name: `bias of ${neuronName(l + 1, neuron, sizes)}` };
  }
  const from = (index - weights) % inputs;
  const to = Math.floor((index - weights) / inputs);
  return { kind: 'weight', layer: l, from, to, name: `${neuronName(l, from, sizes)} → ${neuronName(l + 1, to, sizes)}` };
}
