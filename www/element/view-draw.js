// view="draw": a drawing pad, what the network sees (28×28), and its ten outputs as bars.
// The pad prepares the drawing as MNIST did; the core's `predict` gives the outputs.
import { DrawingPad } from '../js/pad.js';
import { argmax, num, percent } from '../js/format.js';
import { InputPreview, randomDigit, startingDigit } from './digits.js';
import { button, el } from './dom.js';
import { FrameView } from './frame-view.js';

export class DrawView extends FrameView {
  constructor({ net, heldout, settings, notify, hideControls }) {
    super();
    this.net = net;
    this.heldout = heldout;
    this.probabilities = net.options().loss === 'softmax_cross_entropy';
    this.index = startingDigit(settings, heldout, notify);
    this.input = null;

    const pad = el('canvas', { class: 'pad', width: '280', height: '280', 'aria-label': 'Drawing pad: draw one digit from 0 to 9 with the mouse, a finger or a pen' });
    this.pad = new DrawingPad(pad, () => this.schedule());
    this.preview = new InputPreview('What the network sees: the drawing as 28 by 28 grey pixels');
    this.summary = el('p', { class: 'summary', 'aria-live': 'polite' });
    this.source = el('p', { class: 'source' });
    this.bars = el('ol', { class: 'bars', 'aria-label': 'The network’s output for each digit' });
    this.rows = Array.from({ length: 10 }, (_, d) => {
      const fill = el('span', { class: 'bar-fill' });
      const value = el('span', { class: 'bar-value' });
      const li = el('li', { class: 'bar', 'data-digit': String(d) }, [
        el('span', { class: 'bar-label' }, [String(d)]), el('span', { class: 'bar-track' }, [fill]), value,
      ]);
      this.bars.append(li);
      return { li, fill, value };
    });
    const controls = hideControls ? [] : [el('div', { class: 'buttons' }, [
      button('Clear', () => this.clear()),
      button('A real digit', () => this.showDigit(randomDigit(heldout, this.index))),
    ])];
    this.element = el('div', { class: 'view view-draw' }, [
      el('div', { class: 'draw-left' }, [
        pad,
        el('figure', { class: 'seen' }, [this.preview.canvas, el('figcaption', {}, ['What the network sees'])]),
      ]),
      el('div', { class: 'draw-right' }, [this.summary, this.bars, this.source, ...controls]),
    ]);
  }

  start() {
    this.showDigit(this.index);
  }

  showDigit(index) {
    this.index = index;
    this.pad.showImage(this.heldout.image(index));
    this.input = this.heldout.input(index);
    this.source.textContent = `Held-out digit #${index}, a ${this.heldout.label(index)}. Draw over it to try your own.`;
    this.schedule();
  }

  clear() {
    this.pad.clear();
    this.input = null;
    this.source.textContent = 'Draw a digit, large, in the square.';
    this.schedule();
  }

  render() {
    if (this.pad.hasInk && !this.pad.showingImage) {
      this.input = this.pad.input();
      this.source.textContent = 'Your drawing, scaled into 20×20 pixels and centred, as MNIST digits are.';
    }
    const input = this.input ?? new Float32Array(784);
    this.preview.show(input);
    const out = this.net.predict(input);
    const best = argmax(out);
    this.rows.forEach(({ li, fill, value }, d) => {
      li.classList.toggle('best', d === best && this.input !== null);
      fill.style.width = `${Math.max(0, Math.min(1, out[d])) * 100}%`;
      value.textContent = this.probabilities ? percent(out[d]) : num(out[d]);
    });
    this.summary.textContent = this.input === null
      ? 'Draw a digit and the network guesses as you draw.'
      : `The network says ${best}${this.probabilities ? `, ${percent(out[best])} sure` : ''}.`;
    this.summary.dataset.prediction = this.input === null ? '' : String(best);
  }
}
