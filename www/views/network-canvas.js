// Draws the network left to right: the input as its 28×28 pixel grid, every other layer as a
// column of circles shaded by activation, connections blue (positive) or red (negative) with
// width and opacity by magnitude, and the lesson's arrows on top. `draw` takes a snapshot and
// draws it; `hitTest` maps a point to a neuron, `connectionAt` to a drawn connection.
import { argmax } from '../js/format.js';
import { SIDE, drawEnlarged, inkImage } from './images.js';
import { themeOf, between, withAlpha } from './theme.js';

const TOP = 30;                     // room for the layer titles
const BOTTOM = 10;
const MARGIN = 8;
const LABEL_SPACE = 92;             // room right of the output layer for "7  98.1%"
const MAX_SPACING = 26;
const MIN_RADIUS = 1.6;
const MAX_RADIUS = 10;
const ARROW_GAP = 4;
const ARROW_AT = 0.3;              // weight arrows sit this far along their connection…
const PIXEL_ARROW_AT = 0.5;        // …or this far, for connections from input pixels
const HIT_SLACK = 5;
const NARROW_COLUMNS = 100;       // closer columns get short titles
const ARROW_HIT = 9;
const LINE_HIT = 4;                 // px from a connection's line that picks it
const FONT = '12px system-ui, sans-serif';
const SAMPLED_FADE = 0.6;          // layers drawn by their strongest links converge: draw them lighter
const FULL_CONNECTION_LIMIT = 1200; // layers with more connections draw only the strongest
const TOP_K_INPUT = 6;              // strongest connections drawn per first-hidden neuron
const TOP_K_HIDDEN = 8;             // … per neuron of other wide layers
const LINE_BUDGET = 1536;           // … and fewer where a layer's neurons would draw more in all

/**
 * What the picture draws of `net`, read from the core once per network change: layer sizes,
 * weights, and for wide layers each neuron's `topK` strongest incoming connections.
 */
export function pictureOf(net) {
  const sizes = Array.from(net.sizes());
  const weights = [];
  const strongest = [];
  const topK = [];
  for (let l = 0; l < sizes.length - 1; l++) {
    weights.push(net.weights(l));
    const wide = sizes[l] * sizes[l + 1] > FULL_CONNECTION_LIMIT;
    // Thousands of lines would be a smear, and their drawing costs frames while training.
    const k = wide ? Math.min(sizes[l], l === 0 ? TOP_K_INPUT : TOP_K_HIDDEN, Math.max(1, Math.floor(LINE_BUDGET / sizes[l + 1]))) : null;
    topK.push(k);
    strongest.push(k ? net.strongestInputs(l, k) : null);
  }
  const options = net.options();
  return { sizes, weights, strongest, topK, options, probabilities: options.loss === 'softmax_cross_entropy' };
}

export class NetworkView {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.sizes = null;
    this.positions = null;
    this.arrowSpots = [];
    this.lines = [];                // the connections drawn last, for connectionAt
    this.cssWidth = 0;
    this.cssHeight = 0;
  }

  /** Matches the canvas to its on-screen size in CSS pixels; returns true when the size changed. */
  resize({ width, height }) {
    const dpr = window.devicePixelRatio || 1;
    if (width === this.cssWidth && height === this.cssHeight) return false;
    this.cssWidth = width;
    this.cssHeight = height;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.positions = null;
    return true;
  }

  layout(sizes) {
    const W = this.cssWidth;
    const H = this.cssHeight;
    const gridSide = Math.max(56, Math.min(H - TOP - BOTTOM, W * 0.22, 210));
    const grid = { x: MARGIN, y: TOP + (H - TOP - BOTTOM - gridSide) / 2, side: gridSide, cell: gridSide / SIDE };
    const gridRight = grid.x + grid.side;
    const right = W - LABEL_SPACE;
    const columns = [grid.x + grid.side / 2];
    const layers = [null];
    for (let n = 1; n < sizes.length; n++) {
      const x = gridRight + ((right - gridRight) * n) / (sizes.length - 1) - (n === sizes.length - 1 ? 0 : 8);
      const count = sizes[n];
      const spacing = Math.min(MAX_SPACING, (H - TOP - BOTTOM) / count);
      const radius = Math.min(MAX_RADIUS, Math.max(MIN_RADIUS, spacing * 0.38));
      const y0 = TOP + (H - TOP - BOTTOM - spacing * count) / 2 + spacing / 2;
      layers.push({ x, radius, ys: Array.from({ length: count }, (_, i) => y0 + i * spacing) });
      columns.push(x);
    }
    this.sizes = [...sizes];
    this.positions = { grid, layers, columns };
  }

  /** Centre of neuron `index` of neuron layer `layer` (0 = input pixels). */
  at(layer, index) {
    if (layer === 0) {
      const { grid } = this.positions;
      return { x: grid.x + ((index % SIDE) + 0.5) * grid.cell, y: grid.y + (Math.floor(index / SIDE) + 0.5) * grid.cell };
    }
    const column = this.positions.layers[layer];
    return { x: column.x, y: column.ys[index] };
  }

  radius(layer) {
    return layer === 0 ? this.positions.grid.cell / 2 : this.positions.layers[layer].radius;
  }

  /** The neuron under (x, y) in CSS pixels, or null. */
  hitTest(x, y) {
    if (!this.positions) return null;
    const { grid, layers } = this.positions;
    if (x >= grid.x && x < grid.x + grid.side && y >= grid.y && y < grid.y + grid.side) {
      return { layer: 0, index: Math.floor((y - grid.y) / grid.cell) * SIDE + Math.floor((x - grid.x) / grid.cell) };
    }
    let best = null;
    for (let n = 1; n < layers.length; n++) {
      const { x: cx, ys, radius } = layers[n];
      if (Math.abs(x - cx) > radius + HIT_SLACK) continue;
      for (let i = 0; i < ys.length; i++) {
        const d = Math.hypot(x - cx, y - ys[i]);
        if (d <= radius + HIT_SLACK && (!best || d < best.d)) best = { layer: n, index: i, d };
      }
    }
    return best && { layer: best.layer, index: best.index };
  }

  /** The connection drawn nearest to (x, y), within a few pixels: `{ layer, from, to }`, or null. */
  connectionAt(x, y) {
    let best = null;
    for (const line of this.lines) {
      const dx = line.bx - line.ax;
      const dy = line.by - line.ay;
      const t = Math.max(0, Math.min(1, ((x - line.ax) * dx + (y - line.ay) * dy) / (dx * dx + dy * dy)));
      const d = Math.hypot(x - (line.ax + t * dx), y - (line.ay + t * dy));
      if (d <= LINE_HIT && (!best || d < best.d)) best = { ...line, d };
    }
    return best && { layer: best.layer, from: best.from, to: best.to };
  }

  /** The weight-change arrow under (x, y) from the last drawing, or null. */
  arrowAt(x, y) {
    let best = null;
    for (const spot of this.arrowSpots) {
      const d = Math.hypot(x - spot.x, y - spot.y);
      if (d <= ARROW_HIT && (!best || d < best.d)) best = { ...spot, d };
    }
    return best && best.arrow;
  }

  /**
   * snapshot: { sizes, weights[], strongest[] (Uint32Array or null per weight layer), topK[],
   * activations[], probabilities (bool), focus, selected (a connection, or null), overlay: {
   * neuronArrows, weightArrows, highlight } or null }.
   */
  draw(s) {
    if (!this.positions || this.sizes.join() !== s.sizes.join()) this.layout(s.sizes);
    const ctx = this.ctx;
    this.theme = themeOf(this.canvas);
    ctx.clearRect(0, 0, this.cssWidth, this.cssHeight);
    const emphasis = s.focus && s.focus.layer > 0 ? s.focus : s.overlay?.highlight ?? null;
    this.lines = [];
    for (let l = 0; l < s.weights.length; l++) this.drawConnections(s, l, emphasis);
    if (s.selected) this.drawSelected(s);
    this.drawTitles(s.sizes);
    this.drawGrid(s.activations[0]);
    for (let n = 1; n < s.sizes.length; n++) this.drawNeurons(s, n);
    this.arrowSpots = [];
    if (s.overlay) this.drawOverlay(s.overlay);
    if (s.focus) this.drawFocus(s.focus);
  }

  edges(s, l) {
    const inputs = s.sizes[l];
    const outputs = s.sizes[l + 1];
    const k = s.topK[l];
    const list = [];
    for (let o = 0; o < outputs; o++) {
      if (k) {
        for (let j = 0; j < k; j++) list.push([s.strongest[l][o * k + j], o]);
      } else {
        for (let i = 0; i < inputs; i++) list.push([i, o]);
      }
    }
    return list;
  }

  drawConnections(s, l, emphasis) {
    const ctx = this.ctx;
    const { rgb } = this.theme;
    const w = s.weights[l];
    const inputs = s.sizes[l];
    const edges = this.edges(s, l);
    let max = 1e-9;
    for (const [i, o] of edges) max = Math.max(max, Math.abs(w[o * inputs + i]));
    const into = emphasis && emphasis.layer === l + 1 ? emphasis.index : null;
    const dim = emphasis !== null && (into !== null || emphasis.layer === l);
    const fade = s.topK[l] ? SAMPLED_FADE : 1;
    const strokes = [];
    for (const [i, o] of edges) {
      const value = w[o * inputs + i];
      const m = Math.abs(value) / max;
      const highlighted = into === o || (emphasis && emphasis.layer === l && emphasis.index === i);
      const strength = m * m;
      const alpha = (0.06 + 0.64 * strength) * (dim && !highlighted ? 0.2 : fade) + (highlighted ? 0.3 : 0);
      const width = (0.35 + 2.6 * strength) * (highlighted ? 1 : fade) + (highlighted ? 0.7 : 0);
      strokes.push({ i, o, value, width, alpha: Math.min(1, alpha), highlighted });
    }
    strokes.sort((a, b) => a.highlighted - b.highlighted);
    for (const e of strokes) {
      const a = this.at(l, e.i);
      const b = this.at(l + 1, e.o);
      ctx.strokeStyle = withAlpha(e.value >= 0 ? rgb.positive : rgb.negative, e.alpha);
      ctx.lineWidth = e.width;
      ctx.beginPath();
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x - this.radius(l + 1), b.y);
      ctx.stroke();
      this.lines.push({ layer: l, from: e.i, to: e.o, ax: a.x, ay: a.y, bx: b.x, by: b.y });
    }
  }

  /** The picked connection: drawn on top, thick, in its weight's colour with a dark edge. */
  drawSelected({ selected: { layer, from, to }, weights, sizes }) {
    const ctx = this.ctx;
    const value = weights[layer][to * sizes[layer] + from];
    const a = this.at(layer, from);
    const b = this.at(layer + 1, to);
    const { ink, positive, negative } = this.theme;
    for (const [colour, width] of [[ink, 5], [value >= 0 ? positive : negative, 3]]) {
      ctx.strokeStyle = colour;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x - this.radius(layer + 1), b.y);
      ctx.stroke();
    }
  }

  drawTitles(sizes) {
    const ctx = this.ctx;
    ctx.font = FONT;
    ctx.fillStyle = this.theme.muted;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'alphabetic';
    const { columns } = this.positions;
    const narrow = columns.some((x, n) => n > 0 && x - columns[n - 1] < NARROW_COLUMNS);
    for (let n = 0; n < sizes.length; n++) {
      let name = n === 0 ? 'Input 28×28' : n === sizes.length - 1 ? 'Output' : `Hidden ${n} · ${sizes[n]}`;
      if (narrow) name = n === 0 ? 'Input' : n === sizes.length - 1 ? 'Out' : `H${n} · ${sizes[n]}`;
      const x = n === 0 ? columns[0] : Math.min(Math.max(columns[n], 40), this.cssWidth - 40);
      ctx.fillText(name, x, 16);
    }
  }

  drawGrid(input) {
    const { grid } = this.positions;
    const ctx = this.ctx;
    ctx.fillStyle = this.theme.pad;
    ctx.fillRect(grid.x, grid.y, grid.side, grid.side);
    drawEnlarged(ctx, inkImage(input, this.theme.rgb), grid.x, grid.y, grid.side);
    ctx.strokeStyle = this.theme.control;
    ctx.lineWidth = 1;
    ctx.strokeRect(grid.x - 0.5, grid.y - 0.5, grid.side + 1, grid.side + 1);
  }

  drawNeurons(s, n) {
    const ctx = this.ctx;
    const colours = this.theme;
    const a = s.activations[n];
    const output = n === s.sizes.length - 1;
    let scale = output && s.probabilities ? 1 : 1e-9;
    if (scale !== 1) for (const v of a) scale = Math.max(scale, Math.abs(v));
    const { x, ys, radius } = this.positions.layers[n];
    for (let i = 0; i < ys.length; i++) {
      const level = Math.min(1, Math.abs(a[i]) / scale);
      ctx.fillStyle = between(colours.rgb.neuronOff, colours.rgb.neuronOn, level);
      ctx.beginPath();
      ctx.arc(x, ys[i], radius, 0, Math.PI * 2);
      ctx.fill();
      if (radius >= 3) {
        ctx.strokeStyle = a[i] < 0 ? colours.negative : colours.neuronEdge;
        ctx.lineWidth = a[i] < 0 ? 1.5 : 1;
        ctx.stroke();
      }
    }
    if (output) {
      ctx.font = FONT;
      ctx.textBaseline = 'middle';
      ctx.textAlign = 'left';
      const best = argmax(a);
      for (let i = 0; i < ys.length; i++) {
        ctx.fillStyle = i === best ? colours.ink : colours.muted;
        ctx.font = i === best ? `bold ${FONT}` : FONT;
        ctx.fillText(String(i), x + radius + 18, ys[i]);
        if (s.probabilities) ctx.fillText(`${(a[i] * 100).toFixed(1)}%`, x + radius + 32, ys[i]);
      }
    }
  }

  drawOverlay(overlay) {
    const colours = this.theme;
    if (overlay.highlight) {
      const c = this.at(overlay.highlight.layer, overlay.highlight.index);
      const ctx = this.ctx;
      ctx.strokeStyle = colours.mark;
      ctx.setLineDash([3, 3]);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.arc(c.x, c.y, this.radius(overlay.highlight.layer) + 4, 0, Math.PI * 2);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    for (const arrow of overlay.weightArrows) {
      const a = this.at(arrow.weightLayer, arrow.from);
      const b = this.at(arrow.weightLayer + 1, arrow.to);
      const t = arrow.weightLayer === 0 ? PIXEL_ARROW_AT : ARROW_AT;
      const x = a.x + (b.x - a.x) * t;
      const y = a.y + (b.y - a.y) * t;
      this.arrow(x, y, arrow.direction, 5 + arrow.size * 13, colours.mark, 1.4);
      this.arrowSpots.push({ x, y, arrow });
    }
    for (const arrow of overlay.neuronArrows) {
      const c = this.at(arrow.layer, arrow.index);
      const x = c.x + this.radius(arrow.layer) + ARROW_GAP + 3;
      const length = 4 + arrow.size * 22;
      this.arrow(x, c.y, arrow.direction, length, colours[arrow.colour], 2.6);
    }
  }

  /** A vertical arrow centred on (x, y), pointing up when `direction` > 0. */
  arrow(x, y, direction, length, colour, width) {
    const ctx = this.ctx;
    const half = length / 2;
    const tip = y - direction * half;
    const head = Math.min(6, 2 + length * 0.3);
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.moveTo(x, y + direction * half);
    ctx.lineTo(x, tip + direction * head * 0.8);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(x, tip);
    ctx.lineTo(x - head * 0.75, tip + direction * head);
    ctx.lineTo(x + head * 0.75, tip + direction * head);
    ctx.closePath();
    ctx.fill();
  }

  drawFocus(focus) {
    const ctx = this.ctx;
    const c = this.at(focus.layer, focus.index);
    ctx.strokeStyle = this.theme.ink;
    ctx.lineWidth = 2;
    if (focus.layer === 0) {
      const cell = this.positions.grid.cell;
      ctx.strokeRect(c.x - cell / 2 - 1, c.y - cell / 2 - 1, cell + 2, cell + 2);
    } else {
      ctx.beginPath();
      ctx.arc(c.x, c.y, this.radius(focus.layer) + 2.5, 0, Math.PI * 2);
      ctx.stroke();
    }
  }
}
