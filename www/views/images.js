// 28×28 pictures: a digit as ink (with its brightness as opacity, so that it reads the same
// over any background and the drawing pad can draw over it, or opaque on the pad's paper), and
// signed values (weights and their changes) as the positive and negative colours over the
// paper. Colours are the theme's, as [r, g, b] (theme.js's `rgb`).

export const SIDE = 28;

const scratch = new Map();   // one small canvas per thread, for enlarging

/** `values` (0..1) as a 28×28 image in the pad's ink: see-through where there is none, or `opaque` on the pad's paper. */
export function inkImage(values, { padInk, pad }, { opaque = false } = {}) {
  const image = new ImageData(SIDE, SIDE);
  const { data } = image;
  for (let i = 0, at = 0; i < SIDE * SIDE; i++, at += 4) {
    const v = Math.min(1, Math.max(0, values[i]));
    for (let k = 0; k < 3; k++) data[at + k] = opaque ? Math.round(pad[k] + v * (padInk[k] - pad[k])) : padInk[k];
    data[at + 3] = opaque ? 255 : Math.round(v * 255);
  }
  return image;
}

/** 784 signed values in the positive and negative colours over the paper, scaled by the largest magnitude. */
export function signedImage(values, { positive, negative, pad }) {
  let max = 1e-12;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const image = new ImageData(SIDE, SIDE);
  const { data } = image;
  for (let i = 0, at = 0; i < SIDE * SIDE; i++, at += 4) {
    const m = Math.min(1, Math.abs(values[i]) / max);
    const c = values[i] >= 0 ? positive : negative;
    for (let k = 0; k < 3; k++) data[at + k] = pad[k] + (c[k] - pad[k]) * m;
    data[at + 3] = 255;
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
