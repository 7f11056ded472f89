// The in-page half of the benchmark: one task per page load, called by bench/run.mjs as
// `(await import('/bench/bench.js')).run(task, options)`. Every system trains on the same
// examples in the same order with plain SGD, softmax + cross-entropy and batch 32 (128 for the
// wide W4).

import { median, simdPeak } from './simd-peak.js';

const PIXELS = 784;
const CLASSES = 10;
const TF = '/node_modules/@tensorflow';
const JAX = '/node_modules/@jax-js/jax/dist/index.js';

/** The benchmark's workloads: W1 and W2 at batch 32, and W4, the classic wide MLP, at 128. */
export const WORKLOADS = {
  w1: { hidden: [128, 64], activation: 'relu', batch: 32 },
  w2: { hidden: [16, 16], activation: 'sigmoid', batch: 32 },
  w4: { hidden: [512, 512], activation: 'relu', batch: 128 },
};

// ---------------------------------------------------------------------------------------
// Data: the 10,000 embedded digits for training, the real MNIST test set for accuracy.

async function fetchIdx(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const gz = new Uint8Array(await response.arrayBuffer());
  const raw = new Uint8Array(
    await new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer(),
  );
  const view = new DataView(raw.buffer);
  const dims = raw[3];
  const shape = Array.from({ length: dims }, (_, d) => view.getUint32(4 + 4 * d));
  return { shape, values: raw.subarray(4 + 4 * dims) };
}

async function labelledSet(images, labels) {
  const [im, lb] = await Promise.all([fetchIdx(images), fetchIdx(labels)]);
  return { count: im.shape[0], pixels: im.values, labels: lb.values };
}

function concat(a, b) {
  const out = new a.constructor(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Pixel bytes as network inputs in 0..1. */
function toInputs(pixels) {
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) x[i] = pixels[i] / 255;
  return x;
}

/** The same IDX image and label files, uncompressed, for our `Dataset.fromIdx`. */
function idxFiles({ count, pixels, labels }) {
  const images = new Uint8Array(16 + pixels.length);
  const iv = new DataView(images.buffer);
  [0x803, count, 28, 28].forEach((v, k) => iv.setUint32(4 * k, v));
  images.set(pixels, 16);
  const labelFile = new Uint8Array(8 + labels.length);
  const lv = new DataView(labelFile.buffer);
  [0x801, count].forEach((v, k) => lv.setUint32(4 * k, v));
  labelFile.set(labels, 8);
  return [images, labelFile];
}

async function loadData() {
  const [train, heldout, test] = await Promise.all([
    labelledSet('/data/mnist-train-images.idx.gz', '/data/mnist-train-labels.idx.gz'),
    labelledSet('/data/mnist-heldout-images.idx.gz', '/data/mnist-heldout-labels.idx.gz'),
    labelledSet('/mnist/t10k-images-idx3-ubyte.gz', '/mnist/t10k-labels-idx1-ubyte.gz'),
  ]);
  const all = {
    count: train.count + heldout.count,
    pixels: concat(train.pixels, heldout.pixels),
    labels: concat(train.labels, heldout.labels),
  };
  return {
    train: { ...all, x: toInputs(all.pixels), idx: idxFiles(all) },
    test: { ...test, x: toInputs(test.pixels) },
  };
}

/** mulberry32: the seeded generator behind the shared example order (and ConvNetJS's init). */
function generator(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Epoch `e`'s examples, shuffled by `seed` and laid out contiguously so that a batch is a
 * zero-copy view: whole batches only (312 × 32 = 9,984 of the 10,000 examples at batch 32).
 */
function epochOrder(train, seed, e, batch) {
  const random = generator(seed * 1000 + e);
  const order = Uint32Array.from({ length: train.count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const n = Math.floor(train.count / batch) * batch;
  const x = new Float32Array(n * PIXELS);
  const labels = new Uint8Array(n);
  const oneHot = new Float32Array(n * CLASSES);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    x.set(train.x.subarray(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
    labels[k] = train.labels[i];
    oneHot[k * CLASSES + labels[k]] = 1;
  }
  return { n, order: order.subarray(0, n), x, labels, oneHot };
}

// ---------------------------------------------------------------------------------------
// The systems, each behind the same small interface.

const scripts = new Map();

function loadScript(src) {
  if (!scripts.has(src)) scripts.set(src, addScript(src));
  return scripts.get(src);
}

function addScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

/** Our core on one thread; `wasm`: another build of it (the fused-multiply-add one) for the same JS. */
async function ours(spec, data, wasm = null) {
  const { default: init, Network, Dataset } = await import('/pkg/backprop_lab.js');
  await init(wasm ? { module_or_path: wasm } : undefined);
  const test = Dataset.fromIdx(...idxFiles(data.test), 0);
  const net = new Network({
    hidden: spec.hidden,
    activation: spec.activation,
    loss: 'softmax_cross_entropy',
    seed: spec.seed,
    training: { optimizer: 'sgd', learningRate: spec.learningRate, batchSize: spec.batch },
  });
  return {
    info: {},
    trainBatch: (epoch, from, to) =>
      net.trainStep(epoch.x.subarray(from * PIXELS, to * PIXELS), epoch.labels.subarray(from, to)),
    accuracy: () => net.evaluate(test).accuracy,
    predictOne: (x) => net.predict(x),
    trainOne: (x, label) => net.trainStep(x, label),
  };
}

/**
 * jax-js 0.1.25 on its wasm device: the network as a function of its parameters, one jitted
 * step (valueAndGrad, then SGD), starting from our initial weights. On a page without
 * SharedArrayBuffer it runs on the main thread and each step ends in `dataSync`; on a cross-
 * origin isolated page jax-js dispatches its kernels to a pool of navigator.hardwareConcurrency
 * workers, and each step ends in an awaited `data()`.
 */
async function jax(spec, data) {
  const { numpy: np, nn, jit, valueAndGrad, tree, init, defaultDevice } = await import(JAX);
  await init('wasm');
  defaultDevice('wasm');
  const pool = globalThis.crossOriginIsolated;
  const core = await import('/pkg/backprop_lab.js');
  await core.default();
  const start = new core.Network({ hidden: spec.hidden, activation: spec.activation, seed: spec.seed });
  const sizes = Array.from(start.sizes());
  const flat = start.parameters();
  start.free();
  // Our weights are outputs × inputs; jax-js multiplies x (batch × inputs) by inputs × outputs.
  let params = [];
  let at = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [inputs, outputs] = [sizes[l], sizes[l + 1]];
    const w = new Float32Array(inputs * outputs);
    for (let o = 0; o < outputs; o++) for (let i = 0; i < inputs; i++) w[i * outputs + o] = flat[at + o * inputs + i];
    at += inputs * outputs;
    const b = flat.slice(at, at + outputs);
    at += outputs;
    params.push({ w: np.array(w).reshape([inputs, outputs]), b: np.array(b) });
  }
  const hidden = spec.activation === 'relu' ? nn.relu : nn.sigmoid;
  const logits = (p, x) => {
    let h = x;
    p.forEach(({ w, b }, l) => {
      h = np.dot(h, w).add(b);
      if (l + 1 < p.length) h = hidden(h);
    });
    return h;
  };
  const lossOf = (p, x, y, n) => nn.logSoftmax(logits(p, x), -1).mul(y).sum().mul(-1 / n);
  const steps = new Map();
  const stepFor = (n) => {
    if (!steps.has(n)) {
      steps.set(n, jit((p, x, y) => {
        const [loss, grads] = valueAndGrad((q, a, b) => lossOf(q, a, b, n))(tree.ref(p), x, y);
        return [loss, p.map(({ w, b }, l) => ({ w: w.sub(grads[l].w.mul(spec.learningRate)), b: b.sub(grads[l].b.mul(spec.learningRate)) }))];
      }));
    }
    return steps.get(n);
  };
  const predict = jit((p, x) => logits(p, x));
  const step = (x, oneHot, n) => {
    const [loss, next] = stepFor(n)(params, np.array(x).reshape([n, PIXELS]), np.array(oneHot).reshape([n, CLASSES]));
    params = next;
    return pool ? loss.data() : loss.dataSync();
  };
  const scores = (x, n) => {
    const out = predict(tree.ref(params), np.array(x).reshape([n, PIXELS]));
    return pool ? out.data() : out.dataSync();
  };
  const oneHot = (label) => {
    const y = new Float32Array(CLASSES);
    y[label[0]] = 1;
    return y;
  };
  return {
    info: { version: '0.1.25', pool },
    async: pool,
    trainBatch: (epoch, from, to) =>
      step(epoch.x.subarray(from * PIXELS, to * PIXELS), epoch.oneHot.subarray(from * CLASSES, to * CLASSES), to - from),
    accuracy: async () => {
      let right = 0;
      for (let from = 0; from < data.test.count; from += 1000) {
        const n = Math.min(1000, data.test.count - from);
        const out = await scores(data.test.x.subarray(from * PIXELS, (from + n) * PIXELS), n);
        for (let i = 0; i < n; i++) {
          let best = 0;
          for (let c = 1; c < CLASSES; c++) if (out[i * CLASSES + c] > out[i * CLASSES + best]) best = c;
          right += best === data.test.labels[from + i];
        }
      }
      return right / data.test.count;
    },
    predictOne: (x) => scores(x, 1),
    trainOne: (x, label) => step(x, oneHot(label), 1),
  };
}

async function tfjs(backend, spec, data) {
  await loadScript(`${TF}/tfjs/dist/tf.min.js`);
  const tf = globalThis.tf;
  const info = { version: tf.version.tfjs };
  if (backend === 'wasm') {
    await loadScript(`${TF}/tfjs-backend-wasm/dist/tf-backend-wasm.min.js`);
    tf.wasm.setWasmPaths(`${TF}/tfjs-backend-wasm/dist/`);
    // Threads need a cross-origin isolated page (SharedArrayBuffer); then use every core.
    if (globalThis.crossOriginIsolated) tf.wasm.setThreadsCount(navigator.hardwareConcurrency);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tf.js backend ${backend} failed`);
  await tf.ready();
  if (backend === 'wasm') {
    info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    info.threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))
      ? tf.wasm.getThreadsCount()
      : 0;
  }
  const init = (k) =>
    spec.activation === 'relu'
      ? tf.initializers.heUniform({ seed: spec.seed + k })
      : tf.initializers.glorotUniform({ seed: spec.seed + k });
  const model = tf.sequential();
  spec.hidden.forEach((units, k) =>
    model.add(
      tf.layers.dense({
        units,
        activation: spec.activation,
        kernelInitializer: init(k),
        ...(k === 0 ? { inputShape: [PIXELS] } : {}),
      }),
    ),
  );
  model.add(tf.layers.dense({ units: CLASSES, kernelInitializer: init(spec.hidden.length) }));
  const optimizer = tf.train.sgd(spec.learningRate);
  const step = (x, oneHot, n) =>
    tf.tidy(() => {
      const xs = tf.tensor2d(x, [n, PIXELS]);
      const ys = tf.tensor2d(oneHot, [n, CLASSES]);
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs)), false);
    });
  const testX = tf.tensor2d(data.test.x, [data.test.count, PIXELS]);
  return {
    info,
    trainBatch: (epoch, from, to) =>
      step(
        epoch.x.subarray(from * PIXELS, to * PIXELS),
        epoch.oneHot.subarray(from * CLASSES, to * CLASSES),
        to - from,
      ),
    accuracy: () => {
      const predicted = tf.tidy(() => model.predict(testX).argMax(1).dataSync());
      let right = 0;
      for (let i = 0; i < predicted.length; i++) right += predicted[i] === data.test.labels[i];
      return right / predicted.length;
    },
    predictOne: (x) => tf.tidy(() => model.predict(tf.tensor2d(x, [1, PIXELS])).dataSync()),
    trainOne: (x, label) => {
      const oneHot = new Float32Array(CLASSES);
      oneHot[label[0]] = 1;
      step(x, oneHot, 1);
    },
  };
}

async function convnet(spec, data) {
  Math.random = generator(spec.seed); // ConvNetJS draws its initial weights from Math.random
  await loadScript('/node_modules/convnetjs/build/convnet-min.js');
  const cn = globalThis.convnetjs;
  const net = new cn.Net();
  net.makeLayers([
    { type: 'input', out_sx: 1, out_sy: 1, out_depth: PIXELS },
    ...spec.hidden.map((n) => ({ type: 'fc', num_neurons: n, activation: spec.activation })),
    { type: 'softmax', num_classes: CLASSES },
  ]);
  const trainer = new cn.Trainer(net, {
    method: 'sgd',
    learning_rate: spec.learningRate,
    momentum: 0,
    batch_size: spec.batch,
    l2_decay: 0,
  });
  const vol = (x) => {
    const v = new cn.Vol(1, 1, PIXELS, 0);
    v.w.set(x);
    return v;
  };
  const vols = (set) =>
    Array.from({ length: set.count }, (_, i) => vol(set.x.subarray(i * PIXELS, (i + 1) * PIXELS)));
  const train = vols(data.train);
  const test = vols(data.test);
  // Single examples for W3 with a trainer that updates on every example.
  const single = new cn.Trainer(net, { method: 'sgd', learning_rate: spec.learningRate, momentum: 0, batch_size: 1 });
  return {
    info: { version: '0.3.0' },
    trainBatch: (epoch, from, to) => {
      for (let k = from; k < to; k++) trainer.train(train[epoch.order[k]], epoch.labels[k]);
    },
    accuracy: () => {
      let right = 0;
      test.forEach((v, i) => {
        net.forward(v);
        right += net.getPrediction() === data.test.labels[i];
      });
      return right / test.length;
    },
    predictOne: (x) => net.forward(vol(x)).w,
    trainOne: (x, label) => single.train(vol(x), label[0]),
  };
}

const SYSTEMS = {
  ours,
  'ours-fma': (spec, data) => ours(spec, data, '/pkg-fma/backprop_lab_bg.wasm'),
  jax,
  'tfjs-wasm': (spec, data) => tfjs('wasm', spec, data),
  'tfjs-cpu': (spec, data) => tfjs('cpu', spec, data),
  convnetjs: convnet,
};

// ---------------------------------------------------------------------------------------
// Measurements.

/** Examples per second: the median over the epochs after the first; accuracy after the last. */
async function throughput(system, data, epochs, seed, batch) {
  const rates = [];
  for (let e = 0; e < epochs; e++) {
    const epoch = epochOrder(data.train, seed, e, batch);
    const start = performance.now();
    if (system.async) {
      for (let from = 0; from < epoch.n; from += batch) await system.trainBatch(epoch, from, from + batch);
    } else {
      for (let from = 0; from < epoch.n; from += batch) system.trainBatch(epoch, from, from + batch);
    }
    rates.push(epoch.n / ((performance.now() - start) / 1000));
  }
  return { rates, examplesPerSecond: median(rates.slice(1)) };
}

/**
 * Milliseconds per call: the median of blocks of `per` calls (the page's clock is coarse, so
 * single calls are never timed alone), after `warm` calls.
 */
async function latency(fn, { warm = 200, blocks = 15, per = 50 } = {}) {
  for (let i = 0; i < warm; i++) await fn(i);
  const times = [];
  for (let b = 0; b < blocks; b++) {
    const start = performance.now();
    for (let i = 0; i < per; i++) await fn(i);
    times.push((performance.now() - start) / per);
  }
  return median(times);
}

/** Systems too slow for W4 at 3.2 MFLOP per example (minutes per epoch). */
const NO_W4 = new Set(['tfjs-cpu', 'convnetjs']);

async function systemTask(name, options) {
  const data = await loadData();
  const result = { system: name };
  const workloads = [['w1', options.epochs1], ['w2', options.epochs2], ['w4', options.epochs4]];
  for (const [w, epochs] of workloads.filter(([w]) => w !== 'w4' || !NO_W4.has(name))) {
    const spec = { ...WORKLOADS[w], seed: options.seed, learningRate: options.learningRate };
    const system = await SYSTEMS[name](spec, data);
    result.info = system.info;
    const t = await throughput(system, data, epochs, options.seed, spec.batch);
    result[w] = { ...t, epochs, accuracy: await system.accuracy() };
    if (w === 'w1') {
      const one = (i) => data.test.x.subarray((i % 100) * PIXELS, (i % 100 + 1) * PIXELS);
      const label = (i) => data.test.labels.subarray(i % 100, (i % 100) + 1);
      result.w3 = {
        forwardMs: await latency((i) => system.predictOne(one(i))),
        trainStepMs: await latency((i) => system.trainOne(one(i), label(i))),
      };
    }
  }
  return result;
}

/**
 * Time to 95% test accuracy with our default network and training settings, training on the
 * embedded digits in the library's own batch order; the clock stops while evaluating.
 */
async function timeTo95(options) {
  const data = await loadData();
  const { default: init, Network, Dataset } = await import('/pkg/backprop_lab.js');
  await init();
  const test = Dataset.fromIdx(...idxFiles(data.test), 0);
  const train = Dataset.fromIdx(data.train.idx[0], data.train.idx[1], options.seed);
  const net = new Network({ seed: options.seed });
  const { batchSize } = net.options().training;
  const chunk = 25; // batches between evaluations
  let seconds = 0;
  let examples = 0;
  let accuracy = 0;
  const curve = [];
  while (accuracy < 0.95 && examples < 20 * train.length) {
    const start = performance.now();
    net.trainBatches(train, chunk);
    seconds += (performance.now() - start) / 1000;
    examples += chunk * batchSize;
    accuracy = net.evaluate(test).accuracy;
    curve.push([Number(seconds.toFixed(3)), Number(accuracy.toFixed(4))]);
  }
  return {
    options: net.options(),
    reached: accuracy >= 0.95,
    seconds,
    examples,
    epochs: examples / train.length,
    accuracy,
    curve,
  };
}

/** Our W1 training rate alone, over more epochs: the quick check while tuning kernels. */
async function oursW1(options) {
  const data = await loadData();
  const spec = { ...WORKLOADS.w1, seed: options.seed, learningRate: options.learningRate };
  return throughput(await ours(spec, data), data, 8, options.seed, spec.batch);
}

/** Our W4 training rate alone (784-512-512-10, batch 128). */
async function oursW4(options) {
  const data = await loadData();
  const spec = { ...WORKLOADS.w4, seed: options.seed, learningRate: options.learningRate };
  return throughput(await ours(spec, data), data, 4, options.seed, spec.batch);
}

/** The probes' three targets, median milliseconds of `runs` calls after one warm-up call. */
function millis(fn, runs) {
  fn();
  const times = [];
  for (let k = 0; k < runs; k++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * The probes of backprop-probe at the page's sizes, one thread, in the probe module as the page
 * runs them (on a copy of each network): a gradient check of 20
 * parameters of W1, every neuron picture of W1 (layers 2 and 3), and a 41 × 41 loss grid on
 * the first 512 embedded digits, row by row through `lossPlane` as the page's worker does it
 * (and in one `lossGrid` call), for 784-32-16-10 and W1.
 */
async function probes() {
  const data = await loadData();
  const { default: init, Network, Dataset } = await import('/pkg/backprop_lab.js');
  const { default: initProbes, Examples, ProbedNetwork } = await import('/pkg-probe/backprop_probe.js');
  await Promise.all([init(), initProbes()]);
  const copy = (net) => new ProbedNetwork(net.sizes(), net.options().activation, net.options().loss, net.parameters());
  const first = Dataset.fromIdx(data.train.idx[0], data.train.idx[1], 0).slice(0, 512, 0);
  const digits = new Examples(first.rows, first.cols, first.images(), first.labels());
  const w1 = copy(new Network({ hidden: WORKLOADS.w1.hidden, activation: WORKLOADS.w1.activation, seed: 1 }));
  const input = data.train.x.subarray(0, PIXELS);
  const indices = w1.sampleParameters(20, 1, input);
  const result = {
    gradientCheckMs: millis(() => w1.gradientCheck(input, data.train.labels[0], indices), 9),
    picturesMs: millis(() => [2, 3].map((layer) => w1.preferredInputs(layer)), 5),
    grid: {},
  };
  const steps = Float32Array.from({ length: 41 }, (_, i) => i / 20 - 1);
  for (const hidden of [[32, 16], [128, 64]]) {
    const net = copy(new Network({ hidden, seed: 1 }));
    const directions = net.filterDirections(1);
    const byRows = () => {
      const plane = net.lossPlane(digits, 512, directions);
      for (const alpha of steps) plane.grid(Float32Array.of(alpha), steps);
      plane.free();
    };
    result.grid[`784-${hidden.join('-')}-10`] = {
      rowsMs: millis(byRows, 3),
      oneCallMs: millis(() => net.lossGrid(digits, 512, directions, steps, steps), 3),
    };
    net.free();
  }
  return result;
}

/**
 * Training on 1, 2, … navigator.hardwareConcurrency threads (at most 8), each in a worker of
 * its own running the app's threaded build (www/pkg-threads) as a playground's training
 * worker does, on W1 at batch 32 and W4 at batch 128. Needs a cross-origin isolated page.
 */
async function threadScaling(options) {
  if (!globalThis.crossOriginIsolated) throw new Error('the thread-scaling task needs a cross-origin isolated page');
  const data = await loadData();
  const module = await WebAssembly.compileStreaming(fetch('/app/pkg-threads/backprop_lab_bg.wasm'));
  const counts = Array.from({ length: Math.min(8, navigator.hardwareConcurrency) }, (_, i) => i + 1);
  const [images, labels] = data.train.idx;
  const result = { cores: navigator.hardwareConcurrency };
  for (const [w, epochs] of [['w1', options.epochs1], ['w4', options.epochs4]]) {
    result[w] = [];
    for (const threads of counts) {
      const worker = new Worker(new URL('./threads-worker.js', import.meta.url), { type: 'module' });
      const answer = await new Promise((resolve, reject) => {
        worker.onmessage = ({ data: message }) => (message.error ? reject(new Error(message.error)) : resolve(message));
        worker.onerror = (e) => reject(new Error(e.message));
        worker.postMessage({ threads, module, images, labels, spec: WORKLOADS[w], epochs, seed: options.seed, learningRate: options.learningRate });
      });
      worker.terminate();
      result[w].push({ threads: answer.threads, examplesPerSecond: median(answer.rates.slice(1)), weights: answer.weights });
    }
  }
  return result;
}

export async function run(task, options) {
  if (task === 'threads') return threadScaling(options);
  if (task === 'probes') return probes();
  if (task === 'peak') return { gflops: await simdPeak() };
  if (task === 'ours-w1') return oursW1(options);
  if (task === 'ours-w4') return oursW4(options);
  if (task === 'ours-95') return timeTo95(options);
  return systemTask(task, options);
}
