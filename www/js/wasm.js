// The WebAssembly core and the embedded MNIST files, each fetched once per page: the compiled
// module and the files' raw IDX bytes are shared by every session of the page and handed to
// its workers, which never fetch them again.
import init, { Dataset, Network, pathDirections, prepareDrawing, randomSeed } from '../pkg/backprop_lab.js';
import { gunzipIdx } from './gunzip.js';

const WASM_URL = new URL('../pkg/backprop_lab_bg.wasm', import.meta.url);
const DATA_URL = new URL('../data/', import.meta.url);
const FILES = {
  train: ['mnist-train-images.idx.gz', 'mnist-train-labels.idx.gz'],
  heldout: ['mnist-heldout-images.idx.gz', 'mnist-heldout-labels.idx.gz'],
};
const IMAGE_HEADER = 16;   // IDX: magic, count, rows, cols (big-endian u32 each)
const LABEL_HEADER = 8;    // IDX: magic, count

let compiled = null;
let ready = null;
const files = new Map();
const models = new Map();

/** The compiled wasm module, for workers. */
export function coreModule() {
  compiled ??= WebAssembly.compileStreaming(fetch(WASM_URL));
  return compiled;
}

/** Instantiates the core once; `module` (in a worker) is the page's compiled module. */
export function loadCore(module) {
  ready ??= (module ? Promise.resolve(module) : coreModule()).then((m) => init({ module_or_path: m }));
  return ready;
}

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url.pathname.split('/').pop()}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** `which` is "train" or "heldout": its image and label files as raw IDX `[images, labels]`. */
export function dataBytes(which) {
  if (!files.has(which)) files.set(which, Promise.all(FILES[which].map((name) => fetchBytes(new URL(name, DATA_URL)))).then(([images, labels]) => gunzipIdx(images, labels)));
  return files.get(which);
}

/** The held-out digits as a Dataset of this thread. */
export async function loadHeldout() {
  await loadCore();
  return Dataset.fromIdx(...(await dataBytes('heldout')), 0);
}

/** The text of a model file at `url` (absolute), fetched once per page. */
export function modelText(url) {
  if (!models.has(url)) {
    models.set(url, fetch(url).then(async (response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.text();
    }));
    models.get(url).catch(() => models.delete(url));
  }
  return models.get(url);
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

export { Dataset, Network, gunzipIdx, pathDirections, prepareDrawing, randomSeed };
