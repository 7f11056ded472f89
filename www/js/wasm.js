// The WebAssembly core and the embedded MNIST files, each fetched once per page: the compiled
// module and the files' raw IDX bytes are shared by every session of the page and handed to
// its workers, which never fetch them again.
import init, { Checkpoint, Dataset, Network, fusedMultiplyAdd, prepareDrawing, randomSeed } from '../pkg/backprop_lab.js';
import { gunzipIdx } from './gunzip.js';

// The four builds of the core: on one thread or on several (shared memory), each with or
// without fused multiply-adds (relaxed SIMD). The fused ones run with their plain build's JS.
const buildUrl = ({ threads = false, fma = false }) => new URL(`../pkg${threads ? '-threads' : ''}${fma ? '-fma' : ''}/backprop_lab_bg.wasm`, import.meta.url);
const MAX_THREADS = 8;     // beyond this a mini-batch of the page's networks shares out poorly
const DATA_URL = new URL('../data/', import.meta.url);
const FILES = {
  train: ['mnist-train-images.idx.gz', 'mnist-train-labels.idx.gz'],
  heldout: ['mnist-heldout-images.idx.gz', 'mnist-heldout-labels.idx.gz'],
};

const compiled = new Map();
let ready = null;
let threadsRun = null;   // what the browser validates, asked once per thread
let fmaRuns = null;
const files = new Map();
const models = new Map();

/** A build's compiled wasm module (the ordinary one by default), fetched once per page. */
export function coreModule(build = {}) {
  const url = buildUrl(build).href;
  if (!compiled.has(url)) {
    compiled.set(url, WebAssembly.compileStreaming(fetch(url)));
    compiled.get(url).catch(() => compiled.delete(url));   // asked again, fetched again
  }
  return compiled.get(url);
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
  threadsRun ??= validates(THREADS_TEST);
  return threadsRun ? cores : 1;
}

/**
 * Whether training hidden layers this wide on several threads pays: measured on 2 cores, a
 * 784-512-512-10 step (batch 128) ran 1.51× to 1.94× faster on two threads of a quiet machine,
 * 784-128-64-10 at batch 32 1.37× to 1.62×, but under load the latter fell to 0.73× (README,
 * Performance), and its page then shares its cores; narrower networks stay on one.
 */
export function threadsPay(hidden) {
  return Math.max(0, ...hidden) >= WIDE_ENOUGH;
}

/** Whether this browser compiles the WebAssembly module `bytes` (feature tests). */
function validates(bytes) {
  try {
    return WebAssembly.validate(new Uint8Array(bytes));
  } catch {
    return false;
  }
}

/** A module with a shared memory and an atomic instruction: WebAssembly threads. */
const THREADS_TEST = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1,
  10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0, 26, 11,
];

const V128_ZERO = [0xfd, 0x0c, ...new Array(16).fill(0)];   // v128.const 0
/** A module with one f32x4.relaxed_madd: relaxed SIMD. */
const FMA_TEST = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0,
  10, 62, 1, 60, 0, ...V128_ZERO, ...V128_ZERO, ...V128_ZERO, 0xfd, 0x85, 0x02, 0x1a, 0x0b,
];

/**
 * Whether the browser runs relaxed SIMD, and so the fused-multiply-add builds (Chromium and
 * Firefox do; Node 20 and some browsers do not).
 */
export function fmaAvailable() {
  fmaRuns ??= validates(FMA_TEST);
  return fmaRuns;
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

export { Checkpoint, Dataset, Network, fusedMultiplyAdd, gunzipIdx, prepareDrawing, randomSeed };
