// The drawing pad (mouse, touch and pen through pointer events). The core prepares the
// drawing as MNIST prepared its digits (`prepareDrawing`): the ink's bounding box scaled to
// fit 20×20 keeping its aspect ratio (area-averaged, so anti-aliased), then placed in 28×28
// with its centre of mass in the middle.
import { prepareDrawing } from '../js/wasm.js';
import { drawEnlarged, inkImage } from './images.js';
import { themeOf } from './theme.js';

const STROKE_FRACTION = 0.075;   // pen width relative to the pad, close to MNIST's strokes

export class DrawingPad {
  /** `onChange()` runs whenever the drawing changes. */
  constructor(canvas, onChange) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true });
    this.onChange = onChange;
    this.last = null;
    this.pointerId = null;
    this.hasInk = false;
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.up(e));
    canvas.addEventListener('pointercancel', (e) => this.up(e));
    this.clear();
  }

  clear() {
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.hasInk = false;
    this.showingImage = false;
  }

  /** Shows a 28×28 network input (0..1) enlarged; the next stroke starts a fresh drawing. */
  showImage(input) {
    this.clear();
    drawEnlarged(this.ctx, inkImage(input, themeOf(this.canvas).rgb), 0, 0, this.canvas.width, true);
    this.showingImage = true;
  }

  point(e) {
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: ((e.clientX - rect.left) / rect.width) * this.canvas.width,
      y: ((e.clientY - rect.top) / rect.height) * this.canvas.height,
    };
  }

  down(e) {
    if (this.pointerId !== null || e.button > 0) return;
    e.preventDefault();
    if (this.showingImage) this.clear();
    this.pointerId = e.pointerId;
    this.canvas.setPointerCapture(e.pointerId);
    this.last = this.point(e);
    this.stroke([this.last]);
  }

  move(e) {
    if (e.pointerId !== this.pointerId) return;
    e.preventDefault();
    const events = e.getCoalescedEvents?.() ?? [e];
    this.stroke(events.map((c) => this.point(c)));
  }

  up(e) {
    if (e.pointerId !== this.pointerId) return;
    this.pointerId = null;
    this.last = null;
  }

  stroke(points) {
    const ctx = this.ctx;
    const { padInk } = themeOf(this.canvas);
    ctx.strokeStyle = padInk;
    ctx.fillStyle = padInk;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.lineWidth = this.canvas.width * STROKE_FRACTION;
    ctx.beginPath();
    ctx.moveTo(this.last.x, this.last.y);
    for (const p of points) ctx.lineTo(p.x, p.y);
    if (points.length === 1 && points[0] === this.last) {
      ctx.arc(this.last.x, this.last.y, ctx.lineWidth / 2, 0, Math.PI * 2);
      ctx.fill();
    } else {
      ctx.stroke();
    }
    this.last = points[points.length - 1];
    this.hasInk = true;
    this.onChange();
  }

  /** The drawing as a 784-value network input (0..1), or null when nothing is drawn. */
  input() {
    if (!this.hasInk) return null;
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const ink = new Float32Array(width * height);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4 + 3] / 255;
    return prepareDrawing(ink, width, height);
  }
}
