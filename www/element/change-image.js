// The first hidden layer's step of the backprop player also gives, for the followed neuron,
// the slope of the loss for each of its 784 incoming weights. This paints how those weights
// change (the negative slope) as a 28×28 image: blue up, red down, white unchanged.
import { palette } from '../js/palette.js';
import { el } from './dom.js';

const SIDE = 28;

export class ChangeImage {
  constructor() {
    this.canvas = el('canvas', { class: 'change', width: String(SIDE), height: String(SIDE), role: 'img' });
    this.caption = el('figcaption', {});
    this.element = el('figure', { class: 'change-figure', hidden: '' }, [this.canvas, this.caption]);
  }

  /** `image` is the player step's `{ values, neuron }`, or null to hide the figure. */
  show(image) {
    this.element.hidden = !image;
    if (!image) return;
    const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const colours = palette();
    const up = rgb(colours.positive);
    const down = rgb(colours.negative);
    let max = 1e-12;
    for (const v of image.values) max = Math.max(max, Math.abs(v));
    const pixels = new ImageData(SIDE, SIDE);
    for (let i = 0; i < SIDE * SIDE; i++) {
      const change = -image.values[i];
      const m = Math.min(1, Math.abs(change) / max);
      const c = change >= 0 ? up : down;
      pixels.data.set([255 + (c[0] - 255) * m, 255 + (c[1] - 255) * m, 255 + (c[2] - 255) * m, 255], i * 4);
    }
    this.canvas.getContext('2d').putImageData(pixels, 0, 0);
    const text = `How the 784 weights into hidden neuron ${image.neuron + 1} change: blue up, red down, white not at all.`;
    this.caption.textContent = text;
    this.canvas.setAttribute('aria-label', text);
  }
}
