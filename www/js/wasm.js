// The WebAssembly core and the embedded MNIST files, each fetched once per page: the compiled
// module and the files' raw IDX bytes are shared by every session of the page and handed to
// its workers, which never fetch them again.
import init, { Checkpoint, Dataset, Network, pathDirections, prepareDrawing, randomSeed } from '../pkg/backprop_lab.js';
import { gunzipIdx } from './gunzip.js';

const WASM_URL = new URL('../pkg/backprop_lab_bg.wasm', import.meta.url);
const DATA_URL = new URL('../data/', import.meta.url);
const FILES = {
  train: ['mnist-train-images.idx.gz', 'mnist-train-labels.idx.gz'],
  heldout: ['mnist-heldout-images.idx.gz', 'mnist-heldout-labels.idx.gz'],
};

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

/** The bytes of a model file at `url` (absolute), fetched once per page: the core reads them as they are. */
export function modelBytes(url) {
  if (!models.has(url)) {
    models.set(url, fetch(url).then(async (response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    }));
    models.get(url).catch(() => models.delete(url));
  }
  return models.get(url);
}

export { Checkpoint, Dataset, Network, gunzipIdx, pathDirections, prepareDrawing, randomSeed };
