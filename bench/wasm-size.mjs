// Where the release wasm's bytes go, by crate: the cargo output of `make build` run through
// wasm-bindgen --keep-debug and wasm-opt -O -g (as wasm-pack does, names kept), then
// `twiggy top`; each item goes to the first part below that its (mangled) name mentions.
//   node bench/wasm-size.mjs [probes]   (the main module, or the probes'; needs `make build`
//                                        and `cargo install twiggy`)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const CRATES = new Map([[undefined, 'backprop_wasm'], ['probes', 'backprop_probe_wasm']]);
const CRATE = CRATES.get(process.argv[2]);
if (!CRATE) throw new Error(`usage: node bench/wasm-size.mjs [probes], not ${process.argv.slice(2).join(' ')}`);
const CARGO_WASM = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), `wasm32-unknown-unknown/release/${CRATE}.wasm`);
const PATH = `${join(ROOT, 'node_modules/.bin')}:${join(process.env.HOME, '.cargo/bin')}:${process.env.PATH}`;
const PARTS = [
  ['debug names (not shipped)', /function names" subsection|data names" subsection|producers|target_features/],
  ['exported functions (wasm-bindgen\'s shims, with the bodies wasm-opt inlined into them)', /shim|^__wbg|^__wbindgen/],
  ['data: messages and tables', /^data segment|^data\[/],
  ['serde_json', /serde_json/],
  ['backprop-probe-wasm', /backprop_probe_wasm/],
  ['backprop-probe', /backprop_probe/],
  ['backprop-formats', /backprop_formats/],
  ['backprop-wasm', /backprop_wasm/],
  ['backprop-js', /backprop_js/],
  ['backprop-core (the network)', /backprop_core/],
  ['backprop-kernels (the products, SIMD, the pool)', /backprop_kernels/],
  ['serde, serde-wasm-bindgen', /serde/],
  ['wasm-bindgen, js-sys', /wasm_bindgen|js_sys/],
  ['dlmalloc', /dlmalloc/],
  ['Rust\'s `core` (formatting, float printing, slices)', /(^|[<&\s(])core(\[[0-9a-f]+\])?::|^<(char|f64|f32|str|u8|u16|u32|u64|usize|i32|i64|isize|bool)\b|zmij/],
  ['`alloc` (strings, vectors, maps)', /alloc(\[[0-9a-f]+\])?::|hashbrown/],
  ['std', /std(\[[0-9a-f]+\])?::/],
];
const OTHER = 'unattributed (compiler builtins such as `expf`, glue)';

if (!existsSync(CARGO_WASM)) throw new Error(`${CARGO_WASM} is missing: run \`make build\` first`);
const run = (cmd, args) => execFileSync(cmd, args, { env: { ...process.env, PATH }, maxBuffer: 1 << 28 }).toString();
const dir = mkdtempSync(join(tmpdir(), 'backprop-wasm-size-'));
try {
  run('wasm-bindgen', ['--keep-debug', '--target', 'web', '--out-dir', dir, CARGO_WASM]);
  const optimised = join(dir, 'optimised.wasm');
  run('wasm-opt', ['-O', '-g', '--enable-simd', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
    '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', join(dir, `${CRATE}_bg.wasm`), '-o', optimised]);
  const items = run('twiggy', ['top', '-n', '1000000', '--format', 'csv', optimised]).trim().split('\n').slice(1).map((line) => {
    const [, name, size] = line.match(/^("(?:[^"]|"")*"|[^,]*),(\d+),/);
    return { name: name.replace(/^"|"$/g, '').replaceAll('""', '"'), size: Number(size) };
  });
  const sums = new Map();
  for (const { name, size } of items) {
    const part = PARTS.find(([, pattern]) => pattern.test(name))?.[0] ?? OTHER;
    sums.set(part, (sums.get(part) ?? 0) + size);
  }
  sums.delete(PARTS[0][0]);
  const total = [...sums.values()].reduce((a, b) => a + b, 0);
  console.log(`${total.toLocaleString('en')} bytes without the debug names\n\n| part | bytes | share |\n| --- | ---: | ---: |`);
  for (const [part, bytes] of [...sums].sort((a, b) => b[1] - a[1])) console.log(`| ${part} | ${bytes.toLocaleString('en')} | ${((100 * bytes) / total).toFixed(1)}% |`);
  console.log('\nThe largest exports:');
  for (const { name, size } of items.filter((i) => PARTS[1][1].test(i.name)).slice(0, 10)) console.log(`  ${size.toLocaleString('en').padStart(7)}  ${name}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
