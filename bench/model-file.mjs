// How long reading and writing a model file takes in Node: `Network.fromJSON` (of the text and
// of the file's bytes) and `toJSON` of the 1.3 MB shipped model, and a checkpoint of it in
// training (Adam, 9,000 examples' batch order) as bytes: `toBytes` and `fromBytes`. Medians of
// 60 runs after warm-up. Needs `make build`.
//
//   node bench/model-file.mjs [PKG_DIR] [MODEL]   (defaults: www/pkg, www/models/digits-accurate.json)
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const pkg = resolve(process.argv[2] ?? `${ROOT}/www/pkg`);
const model = resolve(process.argv[3] ?? `${ROOT}/www/models/digits-accurate.json`);
const RUNS = 60;

const core = await import(`${pkg}/backprop_lab.js`);
await core.default({ module_or_path: await readFile(`${pkg}/backprop_lab_bg.wasm`) });
const bytes = new Uint8Array(await readFile(model));
const text = new TextDecoder().decode(bytes);

function medianMs(run) {
  for (let i = 0; i < 5; i++) run();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[RUNS >> 1];
}

const readMs = medianMs(() => core.Network.fromJSON(text).free());
const bytesMs = medianMs(() => core.Network.fromJSON(bytes).free());
const net = core.Network.fromJSON(bytes);
const writeMs = medianMs(() => net.toJSON());
console.log(`${model}: ${bytes.length} bytes; read ${readMs.toFixed(1)} ms from text, ${bytesMs.toFixed(1)} ms from bytes, write ${writeMs.toFixed(1)} ms (medians of ${RUNS})`);

// A checkpoint in training: Adam's two moments beside the weights, and a batch order.
const examples = 9000;
const images = new Uint8Array(examples * 784).map((_, i) => (i * 7919) % 256);
const labels = new Uint8Array(examples).map((_, i) => i % 10);
const data = core.Dataset.fromImages(images, labels, 1);
net.setTraining({ optimizer: 'adam', learningRate: 0.001, batchSize: 32 });
net.trainBatches(data, 3);
const saved = net.checkpoint(data).toBytes();
const saveMs = medianMs(() => { const c = net.checkpoint(data); c.toBytes(); c.free(); });
const loadMs = medianMs(() => core.Checkpoint.fromBytes(saved).free());
console.log(`checkpoint (Adam, ${examples} examples): ${saved.length} bytes; checkpoint + toBytes ${saveMs.toFixed(1)} ms, fromBytes ${loadMs.toFixed(1)} ms`);
