// The page's handle on the training worker: each request returns a promise of the worker's
// answer; pushed events (snapshots, failures) go to the `onEvent` callback.

import { WorkerClient } from './worker-requests.js';

export class TrainerClient extends WorkerClient {
  constructor(onEvent) {
    super(new URL('./training-worker.js', import.meta.url), 'the training worker', onEvent);
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
