// view="backprop": one lesson of backpropagation on the element's own network, step by step,
// with the real numbers. `step` locks the player to one step (the guess is step 0 and is
// reached by leaving `step` out). The core computes the gradient and applies the change.
import { BackpropPlayer } from '../js/backprop-player.js';
import { ChangeImage } from './change-image.js';
import { NetworkPicture } from './picture.js';
import { InputPreview, randomDigit, startingDigit } from './digits.js';
import { button, el } from './dom.js';
import { FrameView } from './frame-view.js';

export class BackpropView extends FrameView {
  constructor({ net, heldout, settings, notify, hideControls }) {
    super();
    this.net = net;
    this.heldout = heldout;
    this.learningRate = settings.training.learningRate;
    this.index = startingDigit(settings, heldout, notify);
    this.desired = settings.label;
    this.player = new BackpropPlayer({
      onChange: () => this.schedule(),
      onApply: async (input, label, learningRate) => {
        this.net.applyGradient(input, label, learningRate);
        this.picture.use(this.net);
        this.trace = this.net.forward(input);
        return this.net.predict(input);
      },
    });
    this.picture = new NetworkPicture({
      label: 'The network during one lesson of backpropagation, with arrows showing which way each neuron and weight must move',
      onFocus: (neuron) => { if (!neuron || !this.player.choose(neuron)) this.schedule(); },
      arrowLines: (arrow) => this.player.describeConnection(arrow.weightLayer, arrow.from, arrow.to),
    });
    this.picture.use(net);

    const steps = net.sizes().length + 1;   // the guess, then steps 1 … applyIndex
    this.lock = settings.backpropStep;
    if (this.lock !== null && this.lock >= steps) {
      notify('step', `this network has steps 1 to ${steps - 1}; step ${steps - 1} is shown`);
      this.lock = steps - 1;
    }

    this.title = el('h3', { class: 'step-title' });
    this.caption = el('p', { class: 'step-caption' });
    this.table = el('table', { class: 'numbers' });
    this.change = new ChangeImage();
    this.preview = new InputPreview('The input digit of this lesson');
    this.summary = el('p', { class: 'summary' });
    this.desiredSelect = el('select', { 'aria-label': 'Desired digit' }, Array.from({ length: 10 }, (_, d) => el('option', { value: String(d) }, [String(d)])));
    this.desiredSelect.addEventListener('change', () => {
      this.desired = Number(this.desiredSelect.value);
      this.newLesson();
    });
    this.dots = el('ol', { class: 'dots', 'aria-label': 'Steps' });
    this.playButton = button('▶ Play', () => (this.player.playing ? this.player.pause() : this.player.play()), { 'aria-pressed': 'false' });
    const stepping = this.lock === null && !hideControls;
    const controls = hideControls ? [] : [el('div', { class: 'buttons' }, [
      el('label', {}, ['Desired digit ', this.desiredSelect]),
      button('Another digit', () => { this.desired = settings.label; this.show(randomDigit(heldout, this.index)); }),
      ...(stepping ? [
        button('◀ Previous', () => { this.player.pause(); this.player.previous(); }),
        this.playButton,
        button('Next ▶', () => { this.player.pause(); this.player.next(); }),
      ] : []),
    ])];
    this.element = el('div', { class: 'view view-backprop' }, [
      el('div', { class: 'bar-row' }, [this.preview.canvas, this.summary]),
      ...controls,
      ...(stepping ? [this.dots] : []),
      this.picture.element,
      el('div', { class: 'step-row' }, [
        el('div', { class: 'step-text', 'aria-live': 'polite' }, [this.title, this.caption]),
        this.change.element,
      ]),
      el('details', { class: 'numbers-box' }, [el('summary', {}, ['The numbers for this step']), el('div', { class: 'scroll' }, [this.table])]),
    ]);
  }

  start() {
    this.watch(this.picture.canvas);
    this.show(this.index);
  }

  show(index) {
    this.index = index;
    this.input = this.heldout.input(index);
    this.preview.show(this.input);
    this.newLesson();
  }

  label() {
    return this.desired ?? this.heldout.label(this.index);
  }

  newLesson() {
    this.trace = this.net.forward(this.input);
    this.player.setLesson({ net: this.net, input: this.input, label: this.label(), learningRate: this.learningRate, sizes: this.picture.sizes });
    if (this.lock !== null) this.player.go(this.lock);
  }

  render() {
    const step = this.player.step();
    this.summary.textContent = `Held-out digit #${this.index}, a ${this.heldout.label(this.index)}. Desired output: ${this.label()}.`;
    this.desiredSelect.value = String(this.label());
    this.title.textContent = step.title;
    this.caption.textContent = step.caption;
    this.element.dataset.step = String(this.player.index);
    this.playButton.textContent = this.player.playing ? '❚❚ Pause' : '▶ Play';
    this.playButton.setAttribute('aria-pressed', String(this.player.playing));
    this.renderDots();
    this.renderTable(step);
    this.change.show(step.image);
    this.picture.draw(this.trace, step.overlay);
  }

  renderDots() {
    const titles = this.player.titles();
    if (this.dots.children.length !== titles.length) {
      this.dots.replaceChildren(...titles.map((title, i) => el('li', {}, [
        button(`${i}. ${title}`, () => { this.player.pause(); this.player.go(i); }),
      ])));
    }
    [...this.dots.children].forEach((li, i) => {
      li.firstElementChild.setAttribute('aria-current', i === this.player.index ? 'step' : 'false');
    });
  }

  renderTable(step) {
    const head = el('tr', {}, step.columns.map(([, label]) => el('th', { scope: 'col' }, [label])));
    const rows = step.rows.map((row) => el('tr', {}, step.columns.map(([key]) => el('td', { 'data-col': key }, [row[key]]))));
    this.table.replaceChildren(el('thead', {}, [head]), el('tbody', {}, rows));
  }

  destroy() {
    this.player.pause();
    super.destroy();
  }
}
