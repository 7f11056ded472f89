// The page's handle on the training worker: each request returns a promise of the worker's
// answer; pushed events (snapshots, failures) go to the `onEvent` callback.

export class TrainerClient {
  constructor(onEvent) {
    this.worker = new Worker(new URL('./training-worker.js', import.meta.url), { type: 'module' });
    this.pending = new Map();
    this.nextId = 1;
    this.onEvent = onEvent;
    this.worker.onmessage = ({ data }) => this.receive(data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      const error = new Error(`the training worker failed: ${event.message}`);
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
    const request = this.pending.get(data.id);
    if (!request) return;
    this.pending.delete(data.id);
    if (data.error) {
      const error = new Error(data.error.message);
      error.name = data.error.name;
      request.reject(error);
    } else {
      request.resolve(data);
    }
  }

  /** `transfer`: ArrayBuffers in `args` handed over to the worker rather than copied. */
  request(type, args = {}, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, type, ...args }, transfer);
    });
  }

  init() { return this.request('init'); }
  configure(options, step) { return this.request('configure', { options, step }); }
  load(json) { return this.request('load', { json }); }
  play() { return this.request('play'); }
  pause() { return this.request('pause'); }
  pace(batchesPerSecond) { return this.request('pace', { batchesPerSecond }); }
  step() { return this.request('step'); }
  apply(input, label, learningRate) { return this.request('apply', { input, label, learningRate }); }
  restore(training = null) { return this.request('restore', { training }); }
  save(metadata) { return this.request('save', { metadata }); }
  useData(images, labels) { return this.request('useData', { images, labels }, [images, labels]); }
  useDigits() { return this.request('useDigits'); }
  mistakes() { return this.request('mistakes'); }
}
