// The digit an element starts from (the `digit` setting, a held-out index) and a picker for
// another one. Held-out digits are never trained on, so the network has not seen them.
import { el } from './dom.js';

const DEFAULT_DIGIT = 0;

/** Resolves the `digit` setting to an index into `heldout`, reporting one that is too large. */
export function startingDigit(settings, heldout, notify) {
  const wanted = settings.digit ?? DEFAULT_DIGIT;
  if (wanted < heldout.length) return wanted;
  notify('digit', `there are ${heldout.length} held-out digits (0 to ${heldout.length - 1}); digit ${DEFAULT_DIGIT} is shown`);
  return DEFAULT_DIGIT;
}

export function randomDigit(heldout, not) {
  let index = not;
  while (index === not) index = Math.floor(Math.random() * heldout.length);
  return index;
}

/** A 28×28 canvas showing a network input (0..1) as dark ink on white. */
export class InputPreview {
  constructor(label) {
    this.canvas = el('canvas', { class: 'preview', width: '28', height: '28', role: 'img', 'aria-label': label });
  }

  show(input) {
    const image = new ImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const g = 255 - Math.round(Math.min(1, Math.max(0, input[i])) * 255);
      image.data.set([g, g, g, 255], i * 4);
    }
    this.canvas.getContext('2d').putImageData(image, 0, 0);
  }
}
