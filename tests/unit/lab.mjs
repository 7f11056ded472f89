// The session and the engine in Node, without a browser: the real core (the wasm package
// built for the page) and the real engine, answering in this thread as they do in a page's
// element that does not train.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initSync } from '../../www/pkg/backprop_lab.js';
import { initSync as initProbes } from '../../www/pkg-probe/backprop_probe.js';
import { createEngine } from '../../www/js/engine.js';
import { Session } from '../../www/js/session.js';
import { pageDefaults } from '../../www/js/settings.js';
import { Dataset } from '../../www/js/wasm.js';
import { LocalClient } from '../../www/js/worker-requests.js';

const WWW = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'www');
initSync({ module: readFileSync(join(WWW, 'pkg', 'backprop_lab_bg.wasm')) });
// Node fetches no file: URLs, so the probes' module is instantiated here, before a probe asks.
initProbes({ module: readFileSync(join(WWW, 'pkg-probe', 'backprop_probe_bg.wasm')) });

const bytes = (name) => new Uint8Array(gunzipSync(readFileSync(join(WWW, 'data', name))));
const heldoutFiles = [bytes('mnist-heldout-images.idx.gz'), bytes('mnist-heldout-labels.idx.gz')];
const trainingFiles = [bytes('mnist-train-images.idx.gz'), bytes('mnist-train-labels.idx.gz')];
export const heldout = Dataset.fromIdx(...heldoutFiles, 0);

/** A started engine in this thread, as a worker's would be (for `Session.moveEngine`). */
export async function localEngine() {
  const client = new LocalClient(createEngine);
  await client.request('init', { dataset: heldout });
  return client;
}

/** A session on the page's defaults (with `settings` text over them), opened on held-out digit `digit`. */
export async function openSession(changes = {}, { digit = 0 } = {}) {
  const session = new Session({ client: await localEngine(), heldout, trainingBytes: async () => trainingFiles });
  const defaults = pageDefaults();
  const settings = {
    ...defaults,
    ...changes,
    network: { ...defaults.network, ...changes.network },
    training: { ...defaults.training, ...changes.training },
  };
  await session.configure(settings);
  session.showDigit(digit);
  return session;
}

/** Every weight and bias of the session's network copy, as a plain array. */
export const parameters = (session) => Array.from(session.state.network.net.parameters());
