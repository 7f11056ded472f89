// Starting a session in a page: the core, the held-out digits and the engine (in a worker
// when the session trains, in this thread otherwise), all from the files the page fetched
// once, whatever the number of sessions.
import { createEngine } from './engine.js';
import { Session } from './session.js';
import { coreModule, dataBytes, loadCore, loadHeldout, threadsModule, trainingThreads } from './wasm.js';
import { LocalClient, WorkerClient } from './worker-requests.js';

const WORKER_URL = new URL('./training-worker.js', import.meta.url);

let heldout = null;

/**
 * A new session; `worker`: train in a worker of its own; `evaluate`: keep the held-out
 * accuracy up to date; `threads`: train on every core where the page allows it (worth it for
 * wide layers only: `threadsPay`).
 */
export async function createSession({ worker, evaluate = true, threads: wanted = false }) {
  await loadCore();
  heldout ??= loadHeldout();
  const dataset = await heldout;
  let client;
  if (worker) {
    client = new WorkerClient(WORKER_URL, 'the training worker');
    // Every core where the page may share memory between threads (the threaded build).
    const threads = wanted ? trainingThreads() : 1;
    const [module, bytes] = await Promise.all([threads > 1 ? threadsModule() : coreModule(), dataBytes('heldout')]);
    await client.request('init', { module, heldout: bytes, evaluate, threads });
  } else {
    client = new LocalClient(createEngine);
    await client.request('init', { dataset, evaluate });
  }
  return new Session({ client, heldout: dataset, trainingBytes: () => dataBytes('train') });
}
