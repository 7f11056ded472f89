// The WebAssembly core and the embedded MNIST files, each fetched once per page: the compiled
// module and the files' raw IDX bytes are shared by every session of the page and handed to
// its workers, which never fetch them again.
import init, { Checkpoint, Dataset, Network, pathDirections, prepareDrawing, randomSeed } from '../pkg/backprop_lab.js';
import { gunzipIdx } from './gunzip.js';

const WASM_URL = new URL('../pkg/backprop_lab_bg.wasm', import.meta.url);
const THREADS_URL = new URL('../pkg-threads/backprop_lab_bg.wasm', import.meta.url);
const MAX_THREADS = 8;     // beyond this a mini-batch of the page's networks shares out poorly
const DATA_URL = new URL('../data/', import.meta.url);
const FILES = {
  train: ['mnist-train-images.idx.gz', 'mnist-train-labels.idx.gz'],
  heldout: ['mnist-heldout-images.idx.gz', 'mnist-heldout-labels.idx.gz'],
};

let compiled = null;
let compiledThreads = null;
let ready = null;
const files = new Map();
const models = new Map();

/** The compiled wasm module, for workers. */
export function coreModule() {
  compiled ??= WebAssembly.compileStreaming(fetch(WASM_URL));
  return compiled;
}

/**
 * How many threads a training worker of this page trains on: every core (at most 8) when the
 * page is cross-origin isolated (SharedArrayBuffer) and the browser runs WebAssembly threads,
 * else 1 (the ordinary build, on the worker's own thread).
 */
const WIDE_ENOUGH = 256;   // neurons in the widest hidden layer, for threads to pay

export function trainingThreads() {
  const cores = Math.min(MAX_THREADS, navigator.hardwareConcurrency || 1);
  if (cores < 2 || !globalThis.crossOriginIsolated || typeof SharedArrayBuffer !== 'function') return 1;
  return threadsValidate() ? cores : 1;
}

/**
 * Whether training hidden layers this wide on several threads pays: measured on 2 cores, a
 * 784-512-512-10 step (batch 128) ran up to 1.96× faster on two threads, 784-128-64-10 at
 * batch 32 between 0.73× and 1.16× (README, Performance); narrower networks stay on one.
 */
export function threadsPay(hidden) {
  return Math.max(0, ...hidden) >= WIDE_ENOUGH;
}

/** A module with a shared memory and an atomic instruction validates: WebAssembly threads. */
function threadsValidate() {
  try {
    return WebAssembly.validate(new Uint8Array([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1,
      10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0, 26, 11,
    ]));
  } catch {
    return false;
  }
}

/** The threaded build's compiled module, for training workers (see `trainingThreads`). */
export function threadsModule() {
  compiledThreads ??= WebAssembly.compileStreaming(fetch(THREADS_URL));
  return compiledThreads;
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
