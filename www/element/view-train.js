// view="train": training by mini-batches in a worker of the element's own, so the page stays
// live. Loss and accuracy charts, the held-out accuracy, and the network picture on one
// held-out digit, redrawn from each snapshot the worker sends.
import { drawChart } from '../js/charts.js';
import { argmax, percent } from '../js/format.js';
import { palette } from '../js/palette.js';
import { TrainerClient } from '../js/trainer-client.js';
import { Network } from '../js/wasm.js';
import { NetworkPicture } from './picture.js';
import { startingDigit } from './digits.js';
import { button, el } from './dom.js';
import { FrameView } from './frame-view.js';

export class TrainView extends FrameView {
  constructor({ heldout, settings, json, notify, hideControls, onError }) {
    super();
    this.heldout = heldout;
    this.settings = settings;
    this.json = json;
    this.empty = hideControls ? 'Not trained yet' : 'Press Train to start';
    this.onError = onError;
    this.index = startingDigit(settings, heldout, notify);
    this.input = heldout.input(this.index);
    this.net = null;
    this.playing = false;
    this.snapshot = null;
    this.trainer = new TrainerClient((event) => this.onEvent(event));
    this.picture = new NetworkPicture({ label: 'The network being trained, on one held-out digit', onFocus: () => this.schedule() });
    this.stats = el('dl', { class: 'stats' });
    this.lossChart = el('canvas', { class: 'chart', role: 'img', 'aria-label': 'Training loss over steps' });
    this.accuracyChart = el('canvas', { class: 'chart', role: 'img', 'aria-label': 'Training and held-out accuracy over steps' });
    this.playButton = button('▶ Train', () => this.toggle(), { class: 'primary', 'aria-pressed': 'false' });
    this.buttons = hideControls ? [] : [
      this.playButton,
      button('One mini-batch', () => this.run(() => this.trainer.step())),
      button('Reset', () => this.run(() => this.configure())),
    ];
    this.summary = el('p', { class: 'summary', 'aria-live': 'polite' });
    this.element = el('div', { class: 'view view-train' }, [
      ...(hideControls ? [] : [el('div', { class: 'buttons' }, this.buttons)]),
      this.stats,
      el('div', { class: 'charts' }, [
        el('figure', {}, [this.lossChart, el('figcaption', {}, ['Loss on each mini-batch'])]),
        el('figure', {}, [this.accuracyChart, el('figcaption', {}, [
          el('span', { class: 'key key-train' }), 'Training ', el('span', { class: 'key key-heldout' }), 'Held-out accuracy',
        ])]),
      ]),
      this.summary,
      this.picture.element,
    ]);
  }

  async start() {
    this.watch(this.picture.canvas);
    await this.trainer.init();
    await this.run(() => this.configure());
  }

  configure() {
    this.playing = false;
    if (this.json) return this.trainer.load(this.json);
    return this.trainer.configure({ ...this.settings.network, training: this.settings.training }, this.settings.steps);
  }

  async run(request) {
    for (const b of this.buttons) b.disabled = true;
    try {
      this.take(await request());
    } catch (e) {
      this.onError(e);
    } finally {
      for (const b of this.buttons) b.disabled = false;
    }
  }

  async toggle() {
    if (this.playing) {
      await this.run(() => this.trainer.pause());
    } else {
      await this.trainer.play();
      this.playing = true;
      this.schedule();
    }
  }

  onEvent(event) {
    if (event.event === 'snapshot') this.take(event);
    else if (event.event === 'diverged') this.onError(new Error('training diverged (the weights became infinite): press Reset, or use a lower lr'));
    else if (event.event === 'failed') this.onError(new Error(event.message));
  }

  take(snapshot) {
    if (typeof snapshot.playing === 'boolean') this.playing = snapshot.playing;
    this.snapshot = snapshot;
    if (snapshot.model) {
      this.net?.free();
      this.net = Network.fromJSON(snapshot.model);
    } else if (snapshot.parameters) {
      this.net.setParameters(snapshot.parameters);
    }
    if (snapshot.model || snapshot.parameters) {
      this.picture.use(this.net);
      this.trace = this.net.forward(this.input);
    }
    this.schedule();
  }

  render() {
    const s = this.snapshot;
    if (!s || !this.net) return;
    this.playButton.textContent = this.playing ? '❚❚ Pause' : '▶ Train';
    this.playButton.setAttribute('aria-pressed', String(this.playing));
    const last = s.history.at(-1);
    const batch = this.net.options().training.batchSize;
    const entries = [
      ['Mini-batches', String(s.steps), 'steps'],
      ['Examples seen', (s.steps * batch).toLocaleString('en'), 'examples'],
      ['Epochs', s.epoch.toFixed(2), 'epoch'],
      ['Held-out accuracy', last ? percent(last.heldoutAccuracy) : '–', 'heldout'],
    ];
    this.stats.replaceChildren(...entries.map(([term, value, key]) => el('div', {}, [el('dt', {}, [term]), el('dd', { 'data-stat': key }, [value])])));
    const c = palette();
    const marks = [];   // where each epoch (one pass over the training digits) ends
    s.history.forEach((p, i) => {
      if (i > 0 && Math.floor(p.epoch) > Math.floor(s.history[i - 1].epoch)) marks.push(p.step);
    });
    drawChart(this.lossChart, {
      series: [{ points: s.history.map((p) => [p.step, p.loss]), colour: c.negative }],
      marks, yMin: 0, yMax: null, format: (y) => y.toFixed(1), empty: this.empty,
    });
    drawChart(this.accuracyChart, {
      marks,
      series: [
        { points: s.history.map((p) => [p.step, p.trainAccuracy]), colour: c.rise },
        { points: s.history.map((p) => [p.step, p.heldoutAccuracy]), colour: c.positive },
      ],
      yMin: 0, yMax: 1, format: (y) => `${Math.round(y * 100)}%`, empty: this.empty,
    });
    const out = this.trace.activations.at(-1);
    this.summary.textContent = `On held-out digit #${this.index}, a ${this.heldout.label(this.index)}, the network now says ${argmax(out)}.`;
    this.picture.draw(this.trace);
  }

  destroy() {
    super.destroy();
    this.trainer.terminate();
    this.net?.free();
  }
}
