// Starting a session in a page: the core, the held-out digits and the engine (in a worker
// when the session trains, in this thread otherwise), all from the files the page fetched
// once, whatever the number of sessions.
import { createEngine } from './engine.js';
import { Session } from './session.js';
import { coreModule, dataBytes, loadCore, loadHeldout, trainingThreads } from './wasm.js';
import { LocalClient, WorkerClient } from './worker-requests.js';

const WORKER_URL = new URL('./training-worker.js', import.meta.url);

let heldout = null;

/**
 * A training engine in a worker of its own, started: on every core where the page may share
 * memory between threads and `threads` asks for it (the threaded build), with fused
 * multiply-adds where `fma` asks for them.
 */
async function workerEngine({ evaluate, threads: wanted, fma }) {
  const client = new WorkerClient(WORKER_URL, 'the training worker');
  try {
    const threads = wanted ? trainingThreads() : 1;
    const [module, bytes] = await Promise.all([coreModule({ threads: threads > 1, fma }), dataBytes('heldout')]);
    await client.request('init', { module, heldout: bytes, evaluate, threads });
    return client;
  } catch (e) {
    client.terminate();
    throw e;
  }
}

/**
 * A new session; `worker`: train in a worker of its own; `evaluate`: keep the held-out
 * accuracy up to date; `threads`: train on every core where the page allows it (worth it for
 * wide layers only: `threadsPay`); `fma`: with fused multiply-adds (`fmaAvailable`).
 */
export async function createSession({ worker, evaluate = true, threads = false, fma = false }) {
  await loadCore();
  heldout ??= loadHeldout();
  const dataset = await heldout;
  let client;
  if (worker) {
    client = await workerEngine({ evaluate, threads, fma });
  } else {
    client = new LocalClient(createEngine);
    await client.request('init', { dataset, evaluate });
  }
  return new Session({ client, heldout: dataset, trainingBytes: () => dataBytes('train') });
}

/** Moves a worker session's training to the engine `threads` and `fma` ask for (`Session.moveEngine`). */
export function moveEngine(session, { threads, fma }) {
  return session.moveEngine(() => workerEngine({ evaluate: true, threads, fma }));
}
