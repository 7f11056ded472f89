// The network picture inside an element: the element's own Network, the weights and strongest
// connections NetworkView needs, hover and keyboard focus of neurons, and the tooltip for the
// backprop player's weight arrows. The core computes every number; this file only draws.
import { NetworkView, pictureOf } from '../js/network-view.js';
import { neuronName } from '../js/backprop-player.js';
import { num } from '../js/format.js';
import { el } from './dom.js';

export class NetworkPicture {
  /** `onFocus(neuron)` runs when hover or the keyboard picks a neuron (or null). */
  constructor({ label, onFocus = () => {}, arrowLines = null }) {
    this.canvas = el('canvas', { class: 'network', tabindex: '0', role: 'img', 'aria-label': label });
    this.tooltip = el('div', { class: 'tooltip', hidden: '' });
    this.info = el('p', { class: 'neuron-line', 'aria-live': 'polite' });
    this.element = el('div', { class: 'picture' }, [el('div', { class: 'network-wrap' }, [this.canvas, this.tooltip]), this.info]);
    this.view = new NetworkView(this.canvas);
    this.onFocus = onFocus;
    this.arrowLines = arrowLines;
    this.focus = null;
    this.keyboard = false;
    this.net = null;
    this.bind();
  }

  /** Takes (a new state of) the network: re-reads its weights from the core. */
  use(net) {
    this.net = net;
    this.derived = pictureOf(net);
    const { sizes } = this.derived;
    if (this.focus && (this.focus.layer >= sizes.length || this.focus.index >= (this.focus.layer ? sizes[this.focus.layer] : 784))) this.focus = null;
  }

  get sizes() {
    return this.derived.sizes;
  }

  /** Draws the trace `{ preActivations, activations }` with an optional player overlay. */
  draw(trace, overlay = null) {
    this.trace = trace;
    this.view.resize();
    const d = this.derived;
    this.view.draw({
      sizes: d.sizes, weights: d.weights, strongest: d.strongest, topK: d.topK,
      activations: trace.activations, probabilities: d.probabilities, focus: this.focus, overlay,
    });
    this.describe();
  }

  describe() {
    const f = this.focus;
    if (!f) {
      this.info.textContent = 'Point at or tap a neuron (or focus the picture and use the arrow keys) to read its numbers.';
      return;
    }
    const { sizes } = this.derived;
    const name = neuronName(f.layer, f.index, sizes);
    if (f.layer === 0) {
      this.info.textContent = `${name}: brightness ${num(this.trace.activations[0][f.index])}, passed on to every neuron of the next layer.`;
      return;
    }
    const z = this.trace.preActivations[f.layer - 1][f.index];
    const a = this.trace.activations[f.layer][f.index];
    const bias = this.net.biases(f.layer - 1)[f.index];
    this.info.textContent = `${name}: weighted sum z = ${num(z)} (bias ${num(bias)}), activation = ${num(a)}.`;
  }

  setFocus(focus, keyboard) {
    this.keyboard = keyboard;
    const same = focus === this.focus || (focus && this.focus && focus.layer === this.focus.layer && focus.index === this.focus.index);
    if (same) return;
    this.focus = focus;
    this.onFocus(focus);
  }

  bind() {
    const canvas = this.canvas;
    const local = (e) => {
      const rect = canvas.getBoundingClientRect();
      return { x: e.clientX - rect.left, y: e.clientY - rect.top };
    };
    const point = (e) => {
      if (!this.derived) return;
      const { x, y } = local(e);
      const arrow = this.arrowLines && this.view.arrowAt(x, y);
      if (arrow) {
        this.tooltip.replaceChildren(...this.arrowLines(arrow).map((line) => el('div', {}, [line])));
        this.tooltip.hidden = false;
        const wrap = canvas.parentElement.getBoundingClientRect();
        this.tooltip.style.left = `${Math.max(4, Math.min(x + 14, wrap.width - this.tooltip.offsetWidth - 4))}px`;
        this.tooltip.style.top = `${y + 14}px`;
      } else {
        this.tooltip.hidden = true;
      }
      const neuron = this.view.hitTest(x, y);
      if (neuron) this.setFocus(neuron, false);
    };
    // A mouse hovers; a finger or pen taps, and the tapped neuron stays picked.
    canvas.addEventListener('pointermove', point);
    canvas.addEventListener('pointerdown', point);
    canvas.addEventListener('pointerleave', (e) => {
      this.tooltip.hidden = true;
      if (!this.keyboard && e.pointerType === 'mouse') this.setFocus(null, false);
    });
    canvas.addEventListener('focus', () => {
      if (!this.focus) this.setFocus({ layer: 1, index: 0 }, true);
    });
    canvas.addEventListener('blur', () => {
      if (this.keyboard) this.setFocus(null, false);
    });
    canvas.addEventListener('keydown', (e) => {
      if (!this.derived) return;
      const next = this.moveFocus(e.key);
      if (next === undefined) return;
      e.preventDefault();
      this.setFocus(next, true);
    });
  }

  /** Arrow keys walk a layer (up/down) or move between layers (left/right); Escape clears. */
  moveFocus(key) {
    const { sizes } = this.derived;
    const f = this.focus ?? { layer: 1, index: 0 };
    const last = sizes.length - 1;
    const clamp = (layer, index) => Math.max(0, Math.min((layer === 0 ? 784 : sizes[layer]) - 1, index));
    const across = (layer) => (layer === 0
      ? 14 * 28 + 14
      : clamp(layer, Math.round((f.layer === 0 ? 0.5 : f.index / Math.max(1, sizes[f.layer] - 1)) * (sizes[layer] - 1))));
    const step = f.layer === 0 ? 28 : 1;
    switch (key) {
      case 'ArrowUp': return { layer: f.layer, index: clamp(f.layer, f.index - step) };
      case 'ArrowDown': return { layer: f.layer, index: clamp(f.layer, f.index + step) };
      case 'ArrowLeft': return f.layer === 0 ? { layer: 0, index: clamp(0, f.index - 1) } : { layer: f.layer - 1, index: across(f.layer - 1) };
      case 'ArrowRight': return f.layer < last ? { layer: f.layer + 1, index: across(f.layer + 1) } : f;
      case 'Escape': return null;
      default: return undefined;
    }
  }
}
