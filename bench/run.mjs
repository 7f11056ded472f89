// The browser benchmark (`make bench`): our wasm core (one thread, its fused-multiply-add
// build, and the threaded build on 1 … cores threads), jax-js 0.1.25 (main thread, and its
// worker pool), TensorFlow.js 4.22 (wasm and cpu backends) and ConvNetJS 0.3 on identical
// work in headless Chromium, one fresh page per task, printed as tables. Needs `make build
// data` and bench/setup.sh.
//
//   node bench/run.mjs [--quick] [--rounds N] [--json FILE]
//       --quick      2 epochs per workload instead of 5
//       --rounds N   every task N times, interleaved; the table shows medians (on a shared
//                    machine, other work slows single runs down unevenly)
//   node bench/run.mjs --only TASK [--profile]
//       one task's figures as JSON (ours, ours-fma, ours-w1, ours-w4, ours-95, jax, tfjs-wasm,
//       tfjs-cpu, convnetjs, peak, probes, threads, first-render, training-frames); add
//       --isolated for a cross-origin isolated page (jax-js's pool, TF.js's threads, ours in
//       the playground; training-frames then trains 512-512 on every core);
//       --profile adds the functions with the most samples of their own
//   BENCH_FRAMES_HASH='#…'  the playground link that training-frames trains
//   BENCH_PKG=DIR    serve another build of the core instead of www/pkg, e.g. one made with
//                    `wasm-bindgen --keep-debug` so that --profile shows function names
//   BENCH_PKG_THREADS=DIR   likewise for the threaded build (www/pkg-threads)
//   BENCH_PKG_FMA=DIR       likewise for the fused-multiply-add build (www/pkg-fma)
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
const PORT = Number(process.env.BENCH_PORT ?? 8123);
const QUICK = process.argv.includes('--quick');
const jsonAt = process.argv.indexOf('--json');
const JSON_OUT = jsonAt > 0 ? process.argv[jsonAt + 1] : null;
const onlyAt = process.argv.indexOf('--only');
const ONLY = onlyAt > 0 ? process.argv[onlyAt + 1] : null;
const PROFILE = process.argv.includes('--profile');
const ISOLATED = process.argv.includes('--isolated');
const roundsAt = process.argv.indexOf('--rounds');
const ROUNDS = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 1;
const PKG = resolve(process.env.BENCH_PKG ?? join(ROOT, 'www/pkg'));
const PKG_THREADS = resolve(process.env.BENCH_PKG_THREADS ?? join(ROOT, 'www/pkg-threads'));
const PKG_FMA = resolve(process.env.BENCH_PKG_FMA ?? join(ROOT, 'www/pkg-fma'));
const OPTIONS = {
  seed: 1,
  learningRate: 0.1,
  epochs1: QUICK ? 2 : 5,
  epochs2: QUICK ? 2 : 5,
  epochs4: QUICK ? 2 : 3,
};
/** The playground's networks while training, as the learner watches them (8 s of frames):
 * the default one, and the classic wide one, which an isolated page trains on every core. */
const FRAMES_HASH = '#hidden=128,64&seed=1';
const FRAMES_WIDE_HASH = '#hidden=512,512&seed=1&batch=128';
const FRAMES_MS = 8000;

/** Cost per training example: forward, weight gradients and backpropagated errors. */
const flops = (sizes) => sizes.slice(1).reduce((sum, n, l) => sum + 2 * sizes[l] * n * (l > 0 ? 3 : 2), 0);
const W1_FLOPS = flops([784, 128, 64, 10]);
const W4_FLOPS = flops([784, 512, 512, 10]);
const WASM = join(PKG, 'backprop_lab_bg.wasm');

/** URL prefix → folder. The real MNIST test set is read where it lies, never copied. */
const ROUTES = [
  ['/bench/', join(ROOT, 'bench')],
  ['/node_modules/', join(ROOT, 'bench/node_modules')],
  ['/pkg/', PKG],
  ['/pkg-fma/', PKG_FMA],
  ['/pkg-probe/', join(ROOT, 'www/pkg-probe')],
  ['/data/', join(ROOT, 'www/data')],
  ['/mnist/', resolve(ROOT, '../shared/data/mnist')],
  ['/app/pkg/', PKG],
  ['/app/pkg-threads/', PKG_THREADS],
  ['/app/', join(ROOT, 'www')],
];
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

for (const need of [WASM, join(PKG_THREADS, 'backprop_lab_bg.wasm'), join(ROOT, 'www/data/mnist-train-images.idx.gz'), ROUTES[4][1], ROUTES[1][1]]) {
  if (!existsSync(need)) throw new Error(`${need} is missing: run make build data and bench/setup.sh`);
}

function fileFor(pathname) {
  const route = ROUTES.find(([prefix]) => pathname.startsWith(prefix));
  if (!route) return null;
  const path = normalize(join(route[1], decodeURIComponent(pathname.slice(route[0].length))));
  if (!path.startsWith(route[1] + sep)) return null;
  return existsSync(path) && statSync(path).isFile() ? path : null;
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const path = fileFor(url.pathname);
  if (!path) {
    res.writeHead(404).end();
    return;
  }
  const headers = { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' };
  // ?isolated makes the page cross-origin isolated: SharedArrayBuffer, so tf.js may use threads.
  if (url.searchParams.has('isolated')) headers['Cross-Origin-Opener-Policy'] = 'same-origin';
  // Needed with COOP for isolation; sent with every file because an isolated page may only
  // start workers whose scripts carry it too (and it changes nothing for pages without COOP).
  headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
  res.writeHead(200, headers).end(readFileSync(path));
});
await new Promise((ok) => server.listen(PORT, '127.0.0.1', ok));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-sync',
    '--disable-component-update',
    '--no-first-run',
  ],
});

/** Runs one task in a fresh page; `isolated` pages may use SharedArrayBuffer. */
async function task(name, { isolated = false } = {}) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const started = Date.now();
  const cdp = PROFILE ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  try {
    await page.goto(`http://localhost:${PORT}/bench/index.html${isolated ? '?isolated' : ''}`);
    const result = await page.evaluate(
      async ([t, o]) => (await import('/bench/bench.js')).run(t, o),
      [name, OPTIONS],
    );
    if (errors.length) throw new Error(errors.join('\n'));
    if (cdp) printProfile((await cdp.send('Profiler.stop')).profile);
    process.stderr.write(`bench: ${name}${isolated ? ' (isolated)' : ''} done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    return result;
  } finally {
    await page.close();
  }
}

if (ONLY) {
  try {
    let r;
    if (ONLY === 'first-render') {
      r = [];
      for (let k = 0; k < 5; k++) r.push(await firstRender());
    } else if (ONLY === 'training-frames') {
      r = await trainingFrames({ isolated: ISOLATED, hash: process.env.BENCH_FRAMES_HASH ?? (ISOLATED ? FRAMES_WIDE_HASH : FRAMES_HASH) });
    } else {
      r = await task(ONLY, { isolated: ISOLATED || ONLY === 'threads' });
      for (const w of ['w1', 'w2', 'w4']) if (r[w]?.rates) delete r[w].rates;
    }
    console.log(JSON.stringify(r));
  } finally {
    await browser.close();
    server.close();
  }
  process.exit(0);
}

/** The 25 functions with the most samples of their own. */
function printProfile({ nodes, samples }) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (const id of samples) {
    const { functionName, url } = byId.get(id).callFrame;
    const name = `${functionName || '(anonymous)'} ${url.split('/').pop()}`;
    self.set(name, (self.get(name) ?? 0) + 1);
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
  for (const [name, n] of top) console.error(`${((100 * n) / samples.length).toFixed(1).padStart(5)}%  ${name}`);
}

/** The playground's first contentful paint in ms, each load in a fresh context (empty cache). */
async function firstRender() {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`http://localhost:${PORT}/app/index.html`, { waitUntil: 'load' });
    return await page.evaluate(
      () =>
        new Promise((done, fail) => {
          new PerformanceObserver((list) => {
            const paint = list.getEntriesByName('first-contentful-paint')[0];
            if (paint) done(paint.startTime);
          }).observe({ type: 'paint', buffered: true });
          setTimeout(() => fail(new Error('no first-contentful-paint within 10 s')), 10_000);
        }),
    );
  } finally {
    await context.close();
  }
}

/**
 * The playground's animation while its worker trains the network of `hash` at full speed:
 * the gaps between animation frames (16.7 ms at 60 Hz), the main thread's long tasks (over
 * 50 ms) and the training steps done.
 */
async function trainingFrames({ isolated = false, hash }) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(`http://localhost:${PORT}/app/index.html${isolated ? '?isolated' : ''}${hash}`);
    await page.waitForFunction(() => document.getElementById('train-play')?.disabled === false, null, { timeout: 60_000 });
    await page.evaluate(() => {
      window.benchFrames = { gaps: [], longTasks: [] };
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.benchFrames.longTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
      let last = performance.now();
      const tick = (now) => {
        window.benchFrames.gaps.push(now - last);
        last = now;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    // Full speed, without the watchable first epoch or the stop after a number of epochs.
    await page.selectOption('#train-pace', '');
    await page.fill('#train-epochs', '');
    await page.dispatchEvent('#train-epochs', 'change');
    await page.click('#train-play');
    await page.waitForTimeout(FRAMES_MS);
    const { gaps, longTasks, steps, threads } = await page.evaluate(() => ({
      ...window.benchFrames,
      steps: Number(document.getElementById('stat-step').textContent),
      threads: Number(document.getElementById('stat-threads').textContent),
    }));
    const sorted = gaps.slice(1).sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return {
      frames: sorted.length,
      medianMs: at(0.5),
      p95Ms: at(0.95),
      over33: sorted.filter((g) => g > 33.4).length,
      longTasks: longTasks.length,
      longTaskMs: longTasks.reduce((a, b) => a + b, 0),
      steps,
      threads,
    };
  } finally {
    await page.close();
  }
}

const SYSTEMS = [
  ['ours', 'ours', {}],
  ['oursFma', 'ours-fma', {}],
  ['jax', 'jax', {}],
  ['jaxPool', 'jax', { isolated: true }],
  ['tfjsWasm', 'tfjs-wasm', {}],
  ['tfjsWasmThreads', 'tfjs-wasm', { isolated: true }],
  ['tfjsCpu', 'tfjs-cpu', {}],
  ['convnetjs', 'convnetjs', {}],
];
const results = { date: new Date().toISOString(), options: OPTIONS, rounds: [] };
try {
  results.chromium = browser.version();
  for (let r = 0; r < ROUNDS; r++) {
    const round = { peak: [(await task('peak')).gflops] };
    for (const [key, name, how] of SYSTEMS) round[key] = await task(name, how);
    round.threads = await task('threads', { isolated: true });
    round.to95 = await task('ours-95');
    round.probes = await task('probes');
    round.firstRender = [];
    for (let k = 0; k < 5; k++) round.firstRender.push(await firstRender());
    round.frames = await trainingFrames({ hash: FRAMES_HASH });
    round.framesThreads = await trainingFrames({ isolated: true, hash: FRAMES_WIDE_HASH });
    round.peak.push((await task('peak')).gflops);
    results.rounds.push(round);
  }
} finally {
  await browser.close();
  server.close();
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** One system's figures: medians over the rounds (accuracies are the same in every round). */
function combine(key) {
  const all = results.rounds.map((round) => round[key]);
  const at = (f) => median(all.map(f));
  return {
    info: all[0].info,
    w1: { examplesPerSecond: at((r) => r.w1.examplesPerSecond), accuracy: all[0].w1.accuracy },
    w2: { examplesPerSecond: at((r) => r.w2.examplesPerSecond), accuracy: all[0].w2.accuracy },
    w4: all[0].w4
      ? { examplesPerSecond: at((r) => r.w4.examplesPerSecond), accuracy: all[0].w4.accuracy }
      : { examplesPerSecond: NaN, accuracy: NaN },
    w3: { forwardMs: at((r) => r.w3.forwardMs), trainStepMs: at((r) => r.w3.trainStepMs) },
    w1Range: range(all.map((r) => r.w1.examplesPerSecond)),
    w4Range: all[0].w4 ? range(all.map((r) => r.w4.examplesPerSecond)) : [NaN, NaN],
  };
}
const range = (values) => [Math.min(...values), Math.max(...values)];
for (const [key] of SYSTEMS) results[key] = combine(key);
const to95s = results.rounds.map((round) => round.to95);
results.to95 = { ...to95s[0], seconds: median(to95s.map((t) => t.seconds)), secondsRange: [Math.min(...to95s.map((t) => t.seconds)), Math.max(...to95s.map((t) => t.seconds))] };
results.firstRenderMs = median(results.rounds.flatMap((round) => round.firstRender));
/** The probes' figures, medians over the rounds. */
const probeRuns = results.rounds.map((round) => round.probes);
results.probes = {
  gradientCheckMs: median(probeRuns.map((p) => p.gradientCheckMs)),
  picturesMs: median(probeRuns.map((p) => p.picturesMs)),
  grid: Object.fromEntries(
    Object.keys(probeRuns[0].grid).map((net) => [
      net,
      Object.fromEntries(['rowsMs', 'oneCallMs'].map((k) => [k, median(probeRuns.map((p) => p.grid[net][k]))])),
    ]),
  ),
};
for (const which of ['frames', 'framesThreads']) {
  results[which] = Object.fromEntries(
    Object.keys(results.rounds[0][which]).map((key) => [key, median(results.rounds.map((round) => round[which][key]))]),
  );
}
/** Thread scaling: medians over the rounds, per workload and thread count. */
results.threads = { cores: results.rounds[0].threads.cores };
for (const w of ['w1', 'w4']) {
  results.threads[w] = results.rounds[0].threads[w].map(({ threads }, i) => ({
    threads,
    examplesPerSecond: median(results.rounds.map((round) => round.threads[w][i].examplesPerSecond)),
    sameWeights: results.rounds.every((round) => round.threads[w].every((t) => t.weights === round.threads[w][0].weights)),
  }));
}
const peaks = results.rounds.flatMap((round) => round.peak);
results.peakMax = Math.max(...peaks);
results.peakMedian = median(peaks);

// ---------------------------------------------------------------------------------------
// The table.

const fmt = (x, digits = 0) => Number.isNaN(x) ? '–' : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (x) => `${(100 * x).toFixed(1)}%`;
const wasmInfo = (r) =>
  `SIMD ${r.info.simd ? 'on' : 'off'}, ${r.info.threads ? `threaded build, ${r.info.threads} XNNPACK thread${r.info.threads > 1 ? 's' : ''}` : 'threads off'}`;
const jaxInfo = (r) => (r.info.pool ? `its pool of ${results.threads.cores} workers, await data()` : 'main thread, jit + dataSync');
const rows = [
  ['backprop-lab (wasm, 1 thread)', results.ours, 'Rust → wasm32 +simd128'],
  ['backprop-lab, fused multiply-add', results.oursFma, '+relaxed-simd (not bit-identical)'],
  ['jax-js 0.1.25 wasm', results.jax, jaxInfo(results.jax)],
  ['jax-js 0.1.25 wasm, isolated page', results.jaxPool, jaxInfo(results.jaxPool)],
  ['TF.js 4.22 wasm', results.tfjsWasm, wasmInfo(results.tfjsWasm)],
  ['TF.js 4.22 wasm, isolated page', results.tfjsWasmThreads, wasmInfo(results.tfjsWasmThreads)],
  ['TF.js 4.22 cpu', results.tfjsCpu, 'plain JavaScript'],
  ['ConvNetJS 0.3.0', results.convnetjs, 'plain JavaScript'],
];
const header = ['system', 'W1 ex/s', `W1 acc (${OPTIONS.epochs1} ep)`, 'W2 ex/s', 'W4 ex/s', `W4 acc (${OPTIONS.epochs4} ep)`, 'fwd 1 ms', 'step 1 ms', 'notes'];
const NOTES = header.length - 1;
const table = [
  header,
  ...rows.map(([name, r, note]) => [
    name,
    fmt(r.w1.examplesPerSecond),
    pct(r.w1.accuracy),
    fmt(r.w2.examplesPerSecond),
    fmt(r.w4.examplesPerSecond),
    Number.isNaN(r.w4.accuracy) ? '–' : pct(r.w4.accuracy),
    fmt(r.w3.forwardMs, 4),
    fmt(r.w3.trainStepMs, 4),
    note,
  ]),
];
const widths = header.map((_, c) => Math.max(...table.map((row) => row[c].length)));
const line = (row, w = widths, left = [0, NOTES]) => `| ${row.map((cell, c) => (left.includes(c) ? cell.padEnd(w[c]) : cell.padStart(w[c]))).join(' | ')} |`;
const rule = (w, left) => `|${w.map((n, c) => (left.includes(c) ? ` ${'-'.repeat(n)} ` : ` ${'-'.repeat(n - 1)}: `)).join('|')}|`;
const peak = results.peakMax;
const peakExamples = (peak * 1e9) / W1_FLOPS;
const peakW4 = (peak * 1e9) / W4_FLOPS;
const ours = results.ours;
const bestJaxW4 = Math.max(results.jax.w4.examplesPerSecond, results.jaxPool.w4.examplesPerSecond);
const scaling = [['threads', 'W1 ex/s (batch 32)', 'vs 1', 'W4 ex/s (batch 128)', 'vs 1', 'W4 % of peak (per core)', 'same weights']];
results.threads.w1.forEach((t1, i) => {
  const t4 = results.threads.w4[i];
  scaling.push([
    String(t1.threads),
    fmt(t1.examplesPerSecond), `${fmt(t1.examplesPerSecond / results.threads.w1[0].examplesPerSecond, 2)}x`,
    fmt(t4.examplesPerSecond), `${fmt(t4.examplesPerSecond / results.threads.w4[0].examplesPerSecond, 2)}x`,
    pct(t4.examplesPerSecond / peakW4 / t4.threads),
    t1.sameWeights && t4.sameWeights ? 'yes' : 'NO',
  ]);
});
const scalingWidths = scaling[0].map((_, c) => Math.max(...scaling.map((row) => row[c].length)));
const framesLine = (f, hash, what) =>
  `Playground animation while training (${hash}, ${FRAMES_MS / 1000} s, ${what}, ${fmt(f.threads)} thread${f.threads > 1 ? 's' : ''}): ` +
  `median frame gap ${fmt(f.medianMs, 1)} ms, 95th percentile ${fmt(f.p95Ms, 1)} ms, ${fmt(f.over33)} of ${fmt(f.frames)} frames over 33 ms, ` +
  `${fmt(f.longTasks)} long tasks (${fmt(f.longTaskMs)} ms); ${fmt(f.steps)} training steps (medians of ${ROUNDS})`;
const wasmBytes = readFileSync(WASM);
const cpu = cpus()[0];

const out = [
  `backprop-lab browser benchmark, ${results.date.slice(0, 10)}: Chromium ${results.chromium}, ${cpus().length} × ${cpu.model.trim()}`,
  `Same 10,000 embedded digits, order and seed for all; plain SGD, lr ${OPTIONS.learningRate}, batch 32, softmax + cross-entropy.`,
  `W1 784-128-64-10 ReLU, W2 784-16-16-10 sigmoid (batch 32): median ex/s over epochs 2..${OPTIONS.epochs1}; W4 784-512-512-10 ReLU (batch 128): over epochs 2..${OPTIONS.epochs4}; accuracy on the 10,000 MNIST test digits.`,
  ...(ROUNDS > 1 ? [`Each figure is the median of ${ROUNDS} interleaved rounds.`] : []),
  `W3 (W1 net, one image): forward and one-example train step, median ms after warm-up.`,
  '',
  line(table[0]),
  rule(widths, [0, NOTES]),
  ...table.slice(1).map((row) => line(row)),
  '',
  `Training on several threads (the threaded build, www/pkg-threads, in a worker of an isolated page, as the playground trains; ${results.threads.cores} cores):`,
  '',
  line(scaling[0], scalingWidths, []),
  rule(scalingWidths, []),
  ...scaling.slice(1).map((row) => line(row, scalingWidths, [])),
  '',
  `WASM SIMD peak (f32x4 mul+add in registers, 1 core): ${fmt(peak, 1)} GFLOP/s, the best of ${peaks.length} (median ${fmt(results.peakMedian, 1)}) = ${fmt(peakExamples)} W1 ex/s at ${fmt(W1_FLOPS / 1000)} kFLOP/example`,
  `Our W1 rate: ${pct(ours.w1.examplesPerSecond / peakExamples)} of that peak (${fmt((ours.w1.examplesPerSecond * W1_FLOPS) / 1e9, 1)} GFLOP/s); ${ROUNDS} round${ROUNDS > 1 ? 's' : ''}, W1 ${fmt(ours.w1Range[0])} to ${fmt(ours.w1Range[1])} ex/s`,
  `Our W4 rate: ${pct(ours.w4.examplesPerSecond / peakW4)} of that peak (${fmt((ours.w4.examplesPerSecond * W4_FLOPS) / 1e9, 1)} GFLOP/s at ${fmt(W4_FLOPS / 1e6, 2)} MFLOP/example); W4 ${fmt(ours.w4Range[0])} to ${fmt(ours.w4Range[1])} ex/s`,
  `Ours vs jax-js's best (W4): ${fmt(ours.w4.examplesPerSecond / bestJaxW4, 2)}x on one thread; vs its main thread (W1): ${fmt(ours.w1.examplesPerSecond / results.jax.w1.examplesPerSecond, 1)}x`,
  `Ours vs TF.js wasm (W1): ${fmt(ours.w1.examplesPerSecond / results.tfjsWasm.w1.examplesPerSecond, 1)}x; vs its isolated page: ${fmt(ours.w1.examplesPerSecond / results.tfjsWasmThreads.w1.examplesPerSecond, 1)}x; vs ConvNetJS (W2): ${fmt(ours.w2.examplesPerSecond / results.convnetjs.w2.examplesPerSecond, 1)}x`,
  `Time to 95% test accuracy (defaults: ${JSON.stringify(results.to95.options.hidden)} ${results.to95.options.activation}, ${results.to95.options.training.optimizer} lr ${Number(results.to95.options.training.learningRate.toPrecision(6))}, batch ${results.to95.options.training.batchSize}): ` +
    (results.to95.reached
      ? `${fmt(results.to95.seconds, 2)} s of training (${fmt(results.to95.secondsRange[0], 2)} to ${fmt(results.to95.secondsRange[1], 2)}; ${fmt(results.to95.epochs, 2)} epochs, ${fmt(results.to95.accuracy * 100, 2)}%)`
      : `not reached; ${fmt(results.to95.accuracy * 100, 2)}% after ${fmt(results.to95.seconds, 2)} s (${fmt(results.to95.epochs, 1)} epochs)`),
  `Probes (wasm, 1 thread): gradient check of 20 W1 parameters ${fmt(results.probes.gradientCheckMs, 1)} ms; ` +
    `all W1 neuron pictures (layers 2, 3) ${fmt(results.probes.picturesMs)} ms; 41 × 41 loss grid on 512 digits, row by row (one call): ` +
    Object.entries(results.probes.grid).map(([net, g]) => `${net} ${fmt(g.rowsMs)} ms (${fmt(g.oneCallMs)} ms)`).join(', '),
  `Playground first render (first contentful paint, localhost, empty cache): ${fmt(results.firstRenderMs)} ms, median of ${5 * ROUNDS} loads`,
  framesLine(results.frames, FRAMES_HASH, 'page not isolated'),
  framesLine(results.framesThreads, FRAMES_WIDE_HASH, 'isolated page'),
  ...[['Release wasm', wasmBytes], ['Threaded wasm', readFileSync(join(PKG_THREADS, 'backprop_lab_bg.wasm'))]].map(([what, bytes]) =>
    `${what}: ${fmt(bytes.length / 1024, 1)} KiB (${fmt(bytes.length)} bytes), ` +
    `${fmt(gzipSync(bytes, { level: 9 }).length / 1024, 1)} KiB gzipped (${fmt(gzipSync(bytes, { level: 9 }).length)} bytes)`),
];
console.log(out.join('\n'));

if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(results, null, 2));
