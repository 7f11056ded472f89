// The drawing pad (mouse, touch and pen through pointer events) and the preparation of a
// drawing as MNIST prepared its digits: the ink's bounding box scaled to fit 20×20 keeping
// its aspect ratio (area-averaged, so anti-aliased), then placed in 28×28 with its centre of
// mass in the middle.
import { drawEnlarged, inkImage } from './images.js';
import { themeOf } from './theme.js';

const SIDE = 28;                 // MNIST images are 28×28
const BOX = 20;                  // the digit itself fits in 20×20
const STROKE_FRACTION = 0.075;   // pen width relative to the pad, close to MNIST's strokes
const INK_THRESHOLD = 0.02;      // alpha below this is not ink when finding the bounding box

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
    return mnistInput(ink, width, height);
  }
}

/** Prepares an ink image (0..1, `width × height`) as MNIST did; null when it has no ink. */
export function mnistInput(ink, width, height) {
  let left = width, right = -1, top = height, bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > INK_THRESHOLD) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  if (right < 0) return null;
  const w = right - left + 1;
  const h = bottom - top + 1;
  const scale = BOX / Math.max(w, h);
  const tw = Math.max(1, Math.round(w * scale));
  const th = Math.max(1, Math.round(h * scale));

  // Area-average the bounding box to tw × th: rows first, then columns.
  const rows = new Float32Array(tw * h);
  for (let y = 0; y < h; y++) {
    resampleLine(ink, (top + y) * width + left, 1, w, rows, y * tw, 1, tw);
  }
  const box = new Float32Array(tw * th);
  for (let x = 0; x < tw; x++) resampleLine(rows, x, tw, h, box, x, tw, th);

  // Centre of mass of the box, moved to the middle of the 28×28 image.
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = box[y * tw + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const clamp = (v, hi) => Math.min(Math.max(v, 0), hi);
  const ox = clamp(Math.round(SIDE / 2 - mx / mass), SIDE - tw);
  const oy = clamp(Math.round(SIDE / 2 - my / mass), SIDE - th);
  const out = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      out[(oy + y) * SIDE + ox + x] = Math.min(1, box[y * tw + x]);
    }
  }
  return out;
}

/** Area-weighted resampling of `n` values (stride `step`) into `m` values (stride `outStep`). */
function resampleLine(src, start, step, n, dst, outStart, outStep, m) {
  const ratio = n / m;
  for (let j = 0; j < m; j++) {
    const from = j * ratio;
    const to = from + ratio;
    let sum = 0;
    for (let i = Math.floor(from); i < Math.min(n, Math.ceil(to)); i++) {
      const overlap = Math.min(to, i + 1) - Math.max(from, i);
      if (overlap > 0) sum += src[start + i * step] * overlap;
    }
    dst[outStart + j * outStep] = sum / ratio;
  }
}
