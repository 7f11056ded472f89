// Loads the WebAssembly core and the embedded MNIST files. Used by the page and the worker.
import init, { Dataset, Network, randomSeed } from '../pkg/backprop_lab.js';
import { gunzipIdx } from './gunzip.js';

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

/** Examples `start` to `end` of raw IDX images and labels, as IDX again. */
function examples(images, labels, start, end) {
  const header = new DataView(images.buffer, images.byteOffset);
  const pixels = header.getUint32(8) * header.getUint32(12);
  const someImages = new Uint8Array(IMAGE_HEADER + (end - start) * pixels);
  someImages.set(images.subarray(0, IMAGE_HEADER));
  someImages.set(images.subarray(IMAGE_HEADER + start * pixels, IMAGE_HEADER + end * pixels), IMAGE_HEADER);
  const someLabels = new Uint8Array(LABEL_HEADER + end - start);
  someLabels.set(labels.subarray(0, LABEL_HEADER));
  someLabels.set(labels.subarray(LABEL_HEADER + start, LABEL_HEADER + end), LABEL_HEADER);
  new DataView(someImages.buffer).setUint32(4, end - start);
  new DataView(someLabels.buffer).setUint32(4, end - start);
  return [someImages, someLabels];
}

/**
 * Raw IDX images and labels that the core has already accepted, split into the first `count`
 * examples and the rest, each as raw IDX `[images, labels]`.
 */
export function splitIdx(images, labels, count) {
  const total = new DataView(labels.buffer, labels.byteOffset).getUint32(4);
  return {
    first: examples(images, labels, 0, count),
    rest: examples(images, labels, count, total),
  };
}

/** The embedded files of `which` ("train" or "heldout") as raw IDX `[images, labels]`. */
async function embedded(which) {
  const [images, labels] = await Promise.all(FILES[which].map(fetchBytes));
  return gunzipIdx(images, labels);
}

/** `which` is "train" or "heldout"; `seed` orders its mini-batches. */
export async function loadDataset(which, seed) {
  await loadCore();
  return Dataset.fromIdx(...(await embedded(which)), seed);
}

/** The training set, plus its first `sampleSize` digits as a second, small dataset. */
export async function loadTrainingSets(seed, sampleSize) {
  await loadCore();
  const [images, labels] = await embedded('train');
  const full = Dataset.fromIdx(images, labels, seed);
  const sample = Dataset.fromIdx(...splitIdx(images, labels, Math.min(sampleSize, full.length)).first, seed);
  return { full, sample };
}

export { Dataset, Network, gunzipIdx, randomSeed };
