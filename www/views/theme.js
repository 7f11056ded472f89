// The theme's colours for what views draw on canvases. They are CSS custom properties
// (base.css), read where the canvas is, so that each <backprop-lab> draws in its own theme and
// an author's properties reach the canvases too. Read once per document or shadow root, and
// again after `colourChanges` fires.
import { colourChanges } from './palette.js';

const PROPERTIES = {
  ink: '--bl-ink', muted: '--bl-muted', canvas: '--bl-canvas', grid: '--bl-grid', axis: '--bl-axis',
  control: '--bl-control', mark: '--bl-mark', neuronOff: '--bl-neuron-off', neuronOn: '--bl-neuron-on',
  neuronEdge: '--bl-neuron-edge', pad: '--bl-pad', padInk: '--bl-pad-ink',
  positive: '--c-positive', negative: '--c-negative', rise: '--c-rise', fall: '--c-fall', target: '--c-target',
};

// Registered as colours, the properties compute to plain rgb() values (light-dark() and
// color-mix() resolved where they are declared), so one getComputedStyle reads them all.
for (const property of Object.values(PROPERTIES)) {
  try {
    CSS.registerProperty({ name: property, syntax: '<color>', inherits: true, initialValue: 'black' });
  } catch {
    // Registered already: by an earlier copy of this module (the element and the page alike).
  }
}

let themes = new WeakMap();
colourChanges.addEventListener('change', () => { themes = new WeakMap(); });

/** The colours where `node` is, as `{ name: 'rgb(r, g, b)' }` for the names above, and `rgb.name` as [r, g, b]. */
export function themeOf(node) {
  const root = node.getRootNode();
  let theme = themes.get(root);
  if (!theme) {
    const style = getComputedStyle(node);
    theme = { rgb: {} };
    for (const [name, property] of Object.entries(PROPERTIES)) {
      theme.rgb[name] = channels(style.getPropertyValue(property));
      theme[name] = `rgb(${theme.rgb[name].join(', ')})`;
    }
    if (node.isConnected) themes.set(root, theme);
  }
  return theme;
}

/** A computed colour ("rgb(r, g, b)", "rgba(…)" or "color(srgb r g b)") as [r, g, b], 0–255. */
function channels(colour) {
  const numbers = colour.match(/-?[\d.]+(?:e-?\d+)?/g)?.map(Number) ?? [0, 0, 0];
  const rgb = colour.startsWith('color(') ? numbers.slice(0, 3).map((v) => v * 255) : numbers.slice(0, 3);
  return rgb.map((v) => Math.round(Math.min(255, Math.max(0, v))));
}

/** `rgb` ([r, g, b]) with opacity `alpha`, as a CSS colour. */
export function withAlpha([r, g, b], alpha) {
  return `rgba(${r}, ${g}, ${b}, ${alpha.toFixed(3)})`;
}

/** The colour `t` of the way from `a` to `b` (both [r, g, b]), as a CSS colour. */
export function between(a, b, t) {
  return `rgb(${a.map((v, i) => Math.round(v + (b[i] - v) * t)).join(', ')})`;
}
