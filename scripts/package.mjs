// Writes the npm-ready package of the <backprop-lab> element: the element, the playground it
// reuses, the wasm-pack output, the embedded digits, the pretrained models, TypeScript types
// and a README. The folder is self-contained: copied into any static site it works as is.
//   node scripts/package.mjs [out-dir]      (default target/package; needs `make data build`)
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WWW = join(ROOT, 'www');
const out = resolve(process.argv[2] ?? join(ROOT, 'target', 'package'));

// What the element and the playground page load, relative to www/.
const FOLDERS = ['element', 'js', 'views', 'playground', 'css', 'pkg', 'pkg-threads', 'pkg-fma', 'pkg-threads-fma', 'pkg-probe', 'pkg-probe-fma', 'data', 'models'];
const FILES = ['index.html', 'frame.html', 'favicon.svg'];
const PKG_FILES = ['backprop_lab.js', 'backprop_lab.d.ts', 'backprop_lab_bg.wasm', 'backprop_lab_bg.wasm.d.ts'];
const DATA_FILES = ['mnist-train-images.idx.gz', 'mnist-train-labels.idx.gz', 'mnist-heldout-images.idx.gz', 'mnist-heldout-labels.idx.gz'];

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

for (const dir of ['pkg', 'pkg-threads', 'pkg-fma', 'pkg-threads-fma', 'pkg-probe', 'pkg-probe-fma']) {
  // The fused-multiply-add builds are only wasm: the page runs them with their plain build's JS.
  const files = dir.startsWith('pkg-probe') ? PKG_FILES.map((name) => name.replace('backprop_lab', 'backprop_probe')) : PKG_FILES;
  for (const name of dir.endsWith('fma') ? [files[2]] : files) {
    if (!existsSync(join(WWW, dir, name))) fail(`www/${dir}/${name} is missing: run \`make build\` first`);
  }
}
for (const name of DATA_FILES) if (!existsSync(join(WWW, 'data', name))) fail(`www/data/${name} is missing: run \`make data\` first`);
const models = readdirSync(join(WWW, 'models')).filter((n) => n.endsWith('.json')).sort();
if (models.length === 0) fail('www/models holds no model: run `make models` first');

const cargo = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
const field = (name) => cargo.match(new RegExp(`^${name}\\s*=\\s*"([^"]+)"`, 'm'))?.[1] ?? fail(`no ${name} in Cargo.toml`);
const version = field('version');
const license = field('license');
const repository = field('repository');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const folder of FOLDERS) {
  cpSync(join(WWW, folder), join(out, folder), {
    recursive: true,
    filter: (src) => !src.endsWith('.gitignore'),
  });
}
for (const file of FILES) cpSync(join(WWW, file), join(out, file));

const summaries = models.map((name) => {
  const { metadata = {}, network } = JSON.parse(readFileSync(join(WWW, 'models', name), 'utf8'));
  const sizes = [network.inputs, ...network.hidden, network.outputs].join('–');
  const accuracy = typeof metadata.testAccuracy === 'number' ? `${(metadata.testAccuracy * 100).toFixed(1)}% on the MNIST test digits` : 'accuracy not recorded';
  return `| \`models/${name}\` | ${sizes}, ${network.activation} | ${accuracy} |`;
});

const packageJson = {
  name: 'backprop-lab',
  version,
  description: 'A live neural network for tutorial pages: the <backprop-lab> web component (Rust compiled to WebAssembly) draws, runs, backpropagates and trains a digit-reading network in the browser.',
  license,
  repository: { type: 'git', url: `git+${repository}.git` },
  type: 'module',
  module: './element/backprop-lab.js',
  main: './element/backprop-lab.js',
  types: './element/backprop-lab.d.ts',
  exports: {
    '.': { types: './element/backprop-lab.d.ts', default: './element/backprop-lab.js' },
    './core': { types: './pkg/backprop_lab.d.ts', default: './pkg/backprop_lab.js' },
    './probes': { types: './pkg-probe/backprop_probe.d.ts', default: './pkg-probe/backprop_probe.js' },
    './*': './*',
  },
  sideEffects: ['./element/backprop-lab.js', './element/frame.js', './element/fit-frames.js'],
  keywords: ['neural-network', 'backpropagation', 'mnist', 'webassembly', 'web-component', 'custom-element', 'education'],
};
writeFileSync(join(out, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);

writeFileSync(join(out, 'README.md'), `# backprop-lab

A live neural network for your tutorial pages. \`<backprop-lab>\` is a web component that shows
one part of the backprop-lab playground (drawing a digit, the forward pass, backpropagation
step by step, or training by mini-batches) with a real network that runs in the reader's
browser: the network is Rust compiled to WebAssembly. No framework, no bundler, no server.

## Use

Copy this folder into your site (or \`npm install backprop-lab\` and serve
\`node_modules/backprop-lab\`), then, once per page:

\`\`\`html
<script type="module" src="backprop-lab/element/backprop-lab.js"></script>

<backprop-lab view="draw" model="backprop-lab/models/digits-small.json"></backprop-lab>
<backprop-lab view="backprop" step="2" layers="16,16" activation="sigmoid" seed="7" digit="1"></backprop-lab>
<backprop-lab view="train" layers="32" optimizer="adam" lr="0.005" controls="hidden"></backprop-lab>
\`\`\`

Every element on a page shares one WebAssembly module and one copy of the digits and owns
its own network. The element draws in its shadow DOM: page styles do not reach it, its styles
do not leak out. \`model\` paths are relative to your page (in the iframe route too); the
element finds its own files (core, digits, worker) next to its script. It also loads from a
CDN: \`<script type="module" src="https://cdn.jsdelivr.net/npm/backprop-lab/element/backprop-lab.js">\`.

## Attributes

All optional; words in any case. A value the validator rejects falls back to its default,
with a short message inside the element and a console warning naming the accepted values.

| attribute | values | |
| --- | --- | --- |
| \`view\` | \`draw\` (default), \`network\`, \`backprop\`, \`train\`, \`landscape\`, \`full\` | which part to show; \`full\` opens the whole playground (\`index.html\`) in a frame |
| \`step\` | 0 … 7 | lock the backprop lesson to a step: 0 the guess, 1 output error, 2 weights into the output, then each hidden layer from last to first, then Apply at n + 3 for n hidden layers (a 16,16 network: 3 and 4 the hidden layers, 5 Apply) |
| \`layers\` | e.g. \`16,16\` (default) | hidden layer widths (the settings key \`hidden\`; \`hidden\` itself is HTML's attribute for hiding an element) |
| \`activation\` | \`relu\`, \`leaky_relu\`, \`sigmoid\`, \`tanh\` | hidden activation |
| \`loss\` | \`softmax_cross_entropy\`, \`sigmoid_squared_error\` | output and loss |
| \`init\` | \`auto\`, \`xavier\`, \`he\` | weight initialisation |
| \`seed\` | 0 … 4294967295 | the same seed gives the same network |
| \`optimizer\`, \`lr\`, \`batch\`, \`l2\`, \`momentum\` | | training settings; a backprop lesson steps by \`lr\` divided by \`batch\` |
| \`steps\` | 0 … 100000 | mini-batches to train from the seed first (in a worker) |
| \`model\` | relative path or http(s) URL | a pretrained model instead of a fresh network |
| \`digit\` | 0 … 999 | the held-out digit shown first |
| \`label\` | 0 … 9 | the answer the backprop lesson aims for |
| \`controls\` | \`shown\`, \`hidden\` | \`hidden\` removes every button and menu |
| \`loading\` | \`lazy\` (default), \`eager\` | a lazy element starts when it comes within a screen of the viewport; training pauses while it is far away or its tab hidden |
| \`pace\` | \`watch\` (default), \`full\`, 1 … 1000 | how fast a training element trains (mini-batches per second for a number) |
| \`theme\` | \`light\` (default), \`dark\`, \`auto\` | colours; \`auto\` follows the reader's system setting |
| \`persist\` | a key, e.g. \`article-1\` | keeps the reader's session in their browser under that key and restores it; without it nothing is stored |
| \`editable\` | present or absent | the reader can change weights and biases by hand |
| \`settings\` | \`hidden=16,16&seed=7\` | settings text as in a playground link; attributes override it |

## Scripting

Every attribute is also a property. \`network\` (read-only) gives \`sizes\`, \`step\`,
\`predict(input)\` and \`parameters()\`; \`step\` and \`digit\` read what the element shows now.
Methods return promises: \`train()\`, \`pause()\`, \`reset()\`, \`showDigit(i)\`,
\`loadModel(urlOrJson)\`. Events bubble and cross the shadow boundary: \`ready\`, \`change\`
(\`detail.changed\` names what changed), \`step\`, \`snapshot\` (\`{ step, loss, accuracy }\`),
\`diverged\` (\`{ message, step }\`), \`error\` (\`{ message }\`). The types are in
\`element/backprop-lab.d.ts\`.

\`\`\`js
const lab = document.querySelector('backprop-lab[view="train"]');
lab.addEventListener('snapshot', (e) => console.log(e.detail.step, e.detail.accuracy));
await lab.train();
\`\`\`

Theme it with custom properties on the element: \`--backprop-lab-ink\`, \`-muted\`,
\`-background\`, \`-soft\`, \`-border\`, \`-canvas\`, \`-pad\`, \`-pad-ink\`, \`-button\`,
\`-control\`, \`-accent\`, \`-accent-ink\`, \`-focus\`, \`-error\`, \`-font\` (each with a light
and a dark default), and its parts: \`::part(lab)\`, \`button\`, \`control\`, \`pad\`,
\`picture\`, \`outputs\`, \`lesson\`, \`legend\`, \`charts\`, \`stats\`, \`landscape\`,
\`notices\`, \`status\`. JSX typings come with the types (\`BackpropLabJSXProps\`).

## Pretrained models

| file | network | accuracy |
| --- | --- | --- |
${summaries.join('\n')}

## Sites that allow only iframes

\`frame.html\` takes the same settings in its address, with the settings keys (\`hidden\`, not
\`layers\`):

\`\`\`html
<iframe src="backprop-lab/frame.html#view=backprop&step=3&hidden=16,16&digit=1"
        width="100%" height="700" title="backprop-lab: backpropagation"></iframe>
\`\`\`

To size such frames to their content (no scroll bar inside, no gap below), add
\`<script type="module" src="backprop-lab/element/fit-frames.js"></script>\` to the page that
holds them; without it a frame keeps its \`height\`.

## Content-Security-Policy

The element needs \`script-src 'self' 'wasm-unsafe-eval'\`, \`worker-src 'self'\` and
\`connect-src 'self'\` (plus the origin of any model you load by URL). It uses no inline
scripts or styles. From a CDN, add the CDN's origin to \`script-src\`, \`connect-src\` and
\`worker-src\`, and \`blob:\` to \`worker-src\`: the worker starts from a same-origin
\`blob:\` module that imports it.

## Training on every core

Served with \`Cross-Origin-Opener-Policy: same-origin\` and \`Cross-Origin-Embedder-Policy:
require-corp\` (on the page and on every file of the package), a page is cross-origin isolated,
and a training element loads \`pkg-threads\`, the threaded build, and trains on every core (at
most 8). Without those headers it trains on one thread; the results are the same bits either way.

## The core from JavaScript

\`backprop-lab/core\` is the wasm-pack output (\`Network\`, \`Dataset\`, \`parseSettings\`, …), with
its own TypeScript types in \`pkg/backprop_lab.d.ts\`. \`backprop-lab/probes\` is the second module
(\`ProbedNetwork\`: the gradient check, what each neuron looks for and the loss landscape, on a
copy of a \`Network\`), with its types in \`pkg-probe/backprop_probe.d.ts\`.

License: ${license}. Source: ${repository}
`);

console.log(`package: wrote ${out} (backprop-lab ${version}, ${models.length} models)`);
