// How long reading and writing a model file takes in Node: `Network.fromJSON` and `toJSON` of
// the 1.3 MB shipped model, medians of 60 runs after warm-up. Needs `make build`.
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
const text = await readFile(model, 'utf8');

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
const net = core.Network.fromJSON(text);
const writeMs = medianMs(() => net.toJSON());
console.log(`${model}: ${text.length} bytes; read ${readMs.toFixed(1)} ms, write ${writeMs.toFixed(1)} ms (medians of ${RUNS})`);
