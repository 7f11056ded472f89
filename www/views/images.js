// 28×28 pictures: a digit as ink (dark, with its brightness as opacity, so it reads the same
// over any background and the drawing pad can draw over it), and signed values (weights and
// their changes) as blue (positive) and red (negative) over white.
import { palette } from './palette.js';

export const SIDE = 28;

const scratch = new Map();   // one small canvas per thread, for enlarging

const INK = [17, 17, 24];

/**
 * `values` (0..1) as a 28×28 image of ink: see-through where there is none, or `opaque`, on
 * white (for pictures read back as grey levels).
 */
export function inkImage(values, { opaque = false } = {}) {
  const image = new ImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const v = Math.min(1, Math.max(0, values[i]));
    image.data.set(opaque ? [...INK.map((c) => Math.round(255 - v * (255 - c))), 255] : [...INK, Math.round(v * 255)], i * 4);
  }
  return image;
}

/** 784 signed values as blue/red on white, scaled by the largest magnitude. */
export function signedImage(values) {
  const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const { positive, negative } = palette();
  const pos = rgb(positive);
  const neg = rgb(negative);
  let max = 1e-12;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const image = new ImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const m = Math.min(1, Math.abs(values[i]) / max);
    const c = values[i] >= 0 ? pos : neg;
    image.data.set([255 + (c[0] - 255) * m, 255 + (c[1] - 255) * m, 255 + (c[2] - 255) * m, 255], i * 4);
  }
  return image;
}

/** Shows a 28×28 `image` on a 28×28 `canvas` (CSS enlarges it, pixelated). */
export function show(canvas, image) {
  canvas.getContext('2d').putImageData(image, 0, 0);
}

/** Draws a 28×28 `image` into `ctx` at (x, y), `side` pixels square; `smooth` blurs it as a photo would. */
export function drawEnlarged(ctx, image, x, y, side, smooth = false) {
  const small = scratch.get('grid') ?? new OffscreenCanvas(SIDE, SIDE);
  scratch.set('grid', small);
  small.getContext('2d').putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = smooth;
  if (smooth) ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(small, x, y, side, side);
}
