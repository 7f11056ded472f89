// Loads the WebAssembly core and the embedded MNIST files. Used by the page and the worker.
import init, { Dataset, Network, randomSeed } from '../pkg/backprop_lab.js';

const DATA_URL = new URL('../data/', import.meta.url);
const FILES = {
  train: ['mnist-train-images.idx.gz', 'mnist-train-labels.idx.gz'],
  heldout: ['mnist-heldout-images.idx.gz', 'mnist-heldout-labels.idx.gz'],
};
const IMAGE_HEADER = 16;   // IDX: magic, count, rows, cols (big-endian u32 each)
const LABEL_HEADER = 8;    // IDX: magic, count

let ready = null;

/** Loads the wasm module once; later calls share the same promise. */
export function loadCore() {
  ready ??= init({ module_or_path: new URL('../pkg/backprop_lab_bg.wasm', import.meta.url) });
  return ready;
}

async function fetchBytes(name) {
  const response = await fetch(new URL(name, DATA_URL));
  if (!response.ok) throw new Error(`could not load ${name}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The first `count` examples of raw IDX images and labels, as IDX again. */
function firstExamples(images, labels, count) {
  const view = new DataView(images.buffer, images.byteOffset);
  const pixels = view.getUint32(8) * view.getUint32(12);
  const n = Math.min(count, view.getUint32(4));
  const someImages = images.slice(0, IMAGE_HEADER + n * pixels);
  const someLabels = labels.slice(0, LABEL_HEADER + n);
  new DataView(someImages.buffer).setUint32(4, n);
  new DataView(someLabels.buffer).setUint32(4, n);
  return [someImages, someLabels];
}

/** `which` is "train" or "heldout"; `seed` orders its mini-batches. */
export async function loadDataset(which, seed) {
  await loadCore();
  const [images, labels] = await Promise.all(FILES[which].map(fetchBytes));
  return Dataset.fromIdx(images, labels, seed);
}

/** The training set, plus its first `sampleSize` digits as a second, small dataset. */
export async function loadTrainingSets(seed, sampleSize) {
  await loadCore();
  const [images, labels] = await Promise.all(FILES.train.map(async (name) => gunzip(await fetchBytes(name))));
  const full = Dataset.fromIdx(images, labels, seed);
  const sample = Dataset.fromIdx(...firstExamples(images, labels, sampleSize), seed);
  return { full, sample };
}

export { Dataset, Network, randomSeed };
