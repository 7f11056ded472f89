// Requests to a module worker as promises, both halves: the page's `WorkerClient` sends
// `{ ...args, id, type }`; the worker's `answerRequests` replies `{ id, status: 'ok', ...result }`
// or `{ id, error: { name, message } }`, and the request's promise gets `result` alone.
// Messages with an `event` field are the worker's own news and go to the client's `onEvent`.
// `LocalClient` answers the same requests in this thread.

/**
 * A URL the page may start a module worker from. Browsers start workers only from the page's
 * own origin, so a worker script on another origin (the element served from a CDN) starts from
 * a same-origin blob: module that imports it; its own imports still resolve beside it. The
 * page's CSP then needs `worker-src blob:`, and the other origin must send CORS headers, as
 * CDNs do. The training worker starts its pool workers (threads.js) the same way.
 */
export function workerUrl(url) {
  const href = new URL(url, location.href);
  if (href.origin === location.origin) return href;
  if (!shims.has(href.href)) {
    const shim = `import ${JSON.stringify(href.href)};`;
    shims.set(href.href, URL.createObjectURL(new Blob([shim], { type: 'text/javascript' })));
  }
  return shims.get(href.href);
}

/** One blob: shim per worker script, shared by every worker started from it. */
const shims = new Map();

export class WorkerClient {
  /** `what` names the worker in the error when it fails to start or crashes. */
  constructor(url, what, onEvent = () => {}) {
    this.worker = new Worker(workerUrl(url), { type: 'module' });
    this.pending = new Map();
    this.nextId = 1;
    this.onEvent = onEvent;
    this.worker.onmessage = ({ data }) => this.receive(data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      const error = new Error(`${what} failed: ${event.message ?? 'could not start'}`);
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
      this.onEvent({ event: 'failed', message: error.message });
    };
  }

  receive(data) {
    if (data.event) {
      this.onEvent(data);
      return;
    }
    const { id, status, error: failure, ...result } = data;
    const request = this.pending.get(id);
    if (!request) return;
    this.pending.delete(id);
    if (failure) {
      const error = new Error(failure.message);
      error.name = failure.name;
      request.reject(error);
    } else {
      request.resolve(result);
    }
  }

  /** `transfer`: ArrayBuffers in `args` handed over to the worker rather than copied. */
  request(type, args = {}, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...args, id, type }, transfer);
    });
  }

  /** Stops the worker; with a `reason`, the requests it had not answered reject with it. */
  terminate(reason = null) {
    this.worker.terminate();
    if (reason) for (const { reject } of this.pending.values()) reject(new Error(reason));
    this.pending.clear();
  }
}

/**
 * In a worker: answers each request with `handlers[type](args)` (which may return a promise).
 * `transferOf(result)` lists the ArrayBuffers in the result to hand over rather than copy.
 */
export function answerRequests(handlers, transferOf) {
  self.onmessage = async ({ data }) => {
    const { id, type, ...args } = data;
    try {
      const result = await handlers[type](args);
      self.postMessage({ id, status: 'ok', ...result }, transferOf(result));
    } catch (e) {
      self.postMessage({ id, error: { name: e.name ?? 'Error', message: e.message ?? String(e) } });
    }
  };
}

/** The same requests answered by `handlers` in this thread (where nothing needs a worker). */
export class LocalClient {
  /** `createHandlers(emit)` makes the handlers; what they emit goes to `onEvent`. */
  constructor(createHandlers, onEvent = () => {}) {
    this.onEvent = onEvent;
    this.handlers = createHandlers((message) => this.onEvent(message));
  }

  async request(type, args = {}) {
    return { ...await this.handlers[type](args) };
  }

  terminate() {
    this.handlers.close();
  }
}
