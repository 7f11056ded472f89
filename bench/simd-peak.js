// One core's WebAssembly SIMD peak: f32x4 multiply-add chains held in registers (v128 locals),
// in a module assembled here byte by byte so no toolchain decides what it measures.

const CHAINS = 12; // independent accumulators: enough to hide mul + add latency, few enough for 16 registers
const UNROLL = 4;
const FLOPS_PER_UPDATE = 8; // 4 lanes × (1 multiply + 1 add)

const V128 = 0x7b;
const op = {
  localGet: (i) => [0x20, i],
  localSet: (i) => [0x21, i],
  f32Const: (x) => [0x43, ...new Uint8Array(new Float32Array([x]).buffer)],
  splat: [0xfd, 0x13],
  extractLane0: [0xfd, 0x1f, 0],
  mul: [0xfd, 0xe6, 0x01],
  add: [0xfd, 0xe4, 0x01],
  f32Add: [0x92],
};

function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

const section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];

/** `run(iterations: i32) -> f32`: CHAINS × UNROLL updates acc = acc·m + c per iteration. */
function moduleBytes() {
  const m = 1 + CHAINS; // locals: 0 = iterations, 1..CHAINS = accumulators, then m, c
  const c = m + 1;
  const body = [];
  body.push(...op.f32Const(0.999), ...op.splat, ...op.localSet(m));
  body.push(...op.f32Const(0.001), ...op.splat, ...op.localSet(c));
  for (let k = 1; k <= CHAINS; k++) body.push(...op.f32Const(k / CHAINS), ...op.splat, ...op.localSet(k));
  body.push(0x03, 0x40); // loop
  for (let u = 0; u < UNROLL; u++) {
    for (let k = 1; k <= CHAINS; k++) {
      body.push(...op.localGet(k), ...op.localGet(m), ...op.mul, ...op.localGet(c), ...op.add, ...op.localSet(k));
    }
  }
  // iterations -= 1; br_if (iterations != 0) loop
  body.push(...op.localGet(0), 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b);
  body.push(...op.localGet(1), ...op.extractLane0);
  for (let k = 2; k <= CHAINS; k++) body.push(...op.localGet(k), ...op.extractLane0, ...op.f32Add);
  body.push(0x0b);
  const func = [1, CHAINS + 2, V128, ...body]; // one local group: CHAINS + 2 v128
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7d]), // type: (i32) -> f32
    ...section(3, [1, 0]),
    ...section(7, [1, 3, ...new TextEncoder().encode('run'), 0x00, 0]),
    ...section(10, [1, ...leb(func.length), ...func]),
  ]);
}

/** Median GFLOP/s over `repeats` runs of about 0.2 s each, after a warm-up. */
export async function simdPeak(repeats = 9) {
  const { instance } = await WebAssembly.instantiate(moduleBytes());
  const run = instance.exports.run;
  const flopsPerIteration = CHAINS * UNROLL * FLOPS_PER_UPDATE;
  let iterations = 1 << 16;
  for (;;) {
    const t = performance.now();
    run(iterations);
    if (performance.now() - t > 50) break;
    iterations *= 2;
  }
  iterations *= 4;
  const rates = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    run(iterations);
    rates.push((iterations * flopsPerIteration) / ((performance.now() - t) / 1000) / 1e9);
  }
  return median(rates);
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
