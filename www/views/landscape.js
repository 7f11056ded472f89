// Finding a minimum: the loss around the network's weights on a plane through them, as a
// heat map with contour lines, the network now at the centre, the training path projected
// onto the plane (each point with its distance from it), and the slice along the straight
// line from the initial weights through the present ones. Pointing at the map shows what the
// network would answer there; a click moves the weights there (undo brings them back). The
// engine computes it all, a row at a time, with the core's lossPlane and lossLine.
import { argmax, num, percent } from '../js/format.js';
import { drawChart } from './charts.js';
import { button, el } from './dom.js';
import { themeOf } from './theme.js';
import { touched, watch } from './watch.js';

const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
const CONTOURS = 8;
const PAD = 32;    // room for the axis labels

/** A colour from low (dark blue) to high (yellow) for `t` in 0..1. */
function colourAt(t) {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + (VIRIDIS[i + 1][k] - c) * f));
}

/** Contour segments of `values` (size × size, row-major) at `level`, by marching squares. */
function contourSegments(values, size, level) {
  const segments = [];
  const crossing = (a, b, pa, pb) => pa + ((level - a) / (b - a)) * (pb - pa);
  for (let r = 0; r < size - 1; r++) {
    for (let c = 0; c < size - 1; c++) {
      const v = [values[r * size + c], values[r * size + c + 1], values[(r + 1) * size + c + 1], values[(r + 1) * size + c]];
      const corners = [[r, c], [r, c + 1], [r + 1, c + 1], [r + 1, c]];
      const points = [];
      for (let e = 0; e < 4; e++) {
        const a = v[e];
        const b = v[(e + 1) % 4];
        if ((a < level) === (b < level)) continue;
        const [ra, ca] = corners[e];
        const [rb, cb] = corners[(e + 1) % 4];
        points.push([crossing(a, b, ra, rb), crossing(a, b, ca, cb)]);
      }
      if (points.length >= 2) segments.push([points[0], points[1]]);
      if (points.length === 4) segments.push([points[2], points[3]]);
    }
  }
  return segments;
}

/**
 * `controls`: offer the plane and the button; `shown`: show the random plane at once, without
 * waiting for the button (always so without controls). Returns `{ element, destroy }`.
 */
export function landscapeView(session, { controls = true, shown = !controls } = {}) {
  const kind = el('select', { id: 'landscape-kind', 'aria-label': 'Plane' }, [
    el('option', { value: 'random' }, ['Two random directions']),
    el('option', { value: 'path' }, ['The plane of the training path']),
  ]);
  const compute = button('Show the landscape', () => session.computeLandscape(kind.value), { id: 'landscape-compute', class: 'primary' });
  const cancel = button('Cancel', () => session.cancel(), { id: 'landscape-cancel' });
  const status = el('p', { id: 'landscape-status', class: 'hint', 'aria-live': 'polite' });
  const map = el('canvas', { id: 'landscape-map', class: 'landscape-map', role: 'img', 'aria-label': 'The loss around the weights: dark is low, yellow high; the cross is the network now' });
  const readout = el('p', { id: 'landscape-readout', class: 'landscape-readout', 'aria-live': 'polite' });
  const line = el('canvas', { id: 'landscape-line', class: 'chart', role: 'img', 'aria-label': 'The loss along the straight line from the initial weights (0) through the weights now (1)' });
  const element = el('div', { class: 'landscape-view' }, [
    ...(controls ? [el('div', { class: 'buttons' }, [el('label', {}, ['Plane ', kind]), compute, cancel])] : []),
    status,
    el('div', { class: 'landscape-row' }, [
      el('figure', {}, [map, el('figcaption', {}, ['Held-out loss on the plane: dark low, yellow high, with contour lines; + is the network now, dots the path training took.'])]),
      el('figure', {}, [line, el('figcaption', {}, ['The loss along the straight line from the initial weights (t = 0) through the weights now (t = 1) and beyond.'])]),
    ]),
    readout,
  ]);
  let box = null;    // where the map's grid is drawn: { x, y, side, cell }

  const cellAt = (e) => {
    const result = session.state.landscape?.result;
    if (!result || !box) return null;
    const rect = map.getBoundingClientRect();
    const c = Math.round((e.clientX - rect.left - box.x) / box.cell - 0.5);
    const r = Math.round((e.clientY - rect.top - box.y) / box.cell - 0.5);
    if (r < 0 || c < 0 || r >= result.size || c >= result.size) return null;
    return { r, c, alpha: result.axis[r], beta: result.axis[c] };
  };
  map.addEventListener('pointermove', (e) => {
    const cell = cellAt(e);
    const { result } = session.state.landscape ?? {};
    if (!cell) return;
    const out = session.previewAt(cell.alpha, cell.beta);
    const best = argmax(out);
    const at = cell.r * result.size + cell.c;
    readout.textContent = `At α = ${num(cell.alpha)}, β = ${num(cell.beta)}: held-out loss ${num(result.loss[at])}, accuracy ${percent(result.accuracy[at])}; on this digit the network would say ${best} (${percent(out[best])}). Click to move the weights there.`;
  });
  map.addEventListener('click', (e) => {
    const cell = cellAt(e);
    if (cell) session.moveTo(cell.alpha, cell.beta);
  });

  const view = watch(session, (state, changed) => {
    const { landscape, training, network, evaluation } = state;
    if (!network || !touched(changed, 'landscape', 'training', 'network', 'size', 'colours')) return;
    if (shown && !landscape && !training.playing) session.computeLandscape('random');
    compute.disabled = training.playing || Boolean(landscape && !landscape.result && !landscape.error && !landscape.cancelled);
    cancel.hidden = !landscape || Boolean(landscape.result || landscape.error || landscape.cancelled);
    const result = landscape?.result;
    const old = result && landscape.version !== network.version;
    status.textContent = training.playing ? 'Pause training to see the landscape around the weights.'
      : landscape?.error ? `Could not show the landscape: ${landscape.error}.`
        : landscape?.cancelled ? 'Stopped: the network changed, or you cancelled.'
          : landscape && !result ? `Working it out: row ${landscape.rows} of ${landscape.size}…`
            : result ? `${explain(result)}${old ? ' The network has changed since: show it again.' : ''}` : 'A map of the loss around the weights the network has now.';
    if (!result) return;
    const centre = (result.size * result.size - 1) / 2;
    map.dataset.centreLoss = String(result.loss[centre]);
    if (!old && evaluation) map.dataset.sameAsEvaluation = String(result.loss[centre] === evaluation.loss);
    drawMap(result);
    drawChart(line, {
      series: [{ points: Array.from(result.line.ts, (t, i) => [t, result.line.loss[i]]), colour: themeOf(line).negative }],
      marks: [0, 1], yMin: 0, yMax: null, empty: '',
      // The initial weights and the weights now are named; the axis's end is only a number, so
      // that "t = 1" still has room beside it on a phone.
      x: { min: result.line.ts[0], max: result.line.ts.at(-1), ticks: [0, 1, result.line.ts.at(-1)], format: (t) => (t === 0 || t === 1 ? `t = ${t}` : String(t)) },
    }, view.size(line));
  });
  view.observe(map);
  view.observe(line);

  function explain(result) {
    const centre = (result.size * result.size - 1) / 2;
    const here = `At the centre, the network now: held-out loss ${num(result.loss[centre])}, accuracy ${percent(result.accuracy[centre])}.`;
    if (result.kind === 'random') return `${here} The plane runs along two random directions, each neuron's scaled to the size of its own weights (Li et al., 2018).`;
    const [a, b] = result.explained;
    return `${here} The plane is the one the training path spreads most along: it holds ${percent(a)} and ${percent(b)} of the path's spread. The path leaves the plane, too: each dot's ring shows how far.`;
  }

  function drawMap(result) {
    const size = view.size(map);
    if (size.width === 0) return;
    const dpr = window.devicePixelRatio || 1;
    map.width = Math.round(size.width * dpr);
    map.height = Math.round(size.height * dpr);
    const ctx = map.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const n = result.size;
    const side = Math.min(size.width, size.height) - PAD;
    box = { x: (size.width - side) / 2, y: 4, side, cell: side / n };
    const logs = Array.from(result.loss, (v) => Math.log(Math.max(v, 1e-6)));
    const finite = logs.filter(Number.isFinite);
    const lo = Math.min(...finite);
    const hi = Math.max(...finite);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        const [R, G, B] = colourAt((logs[r * n + c] - lo) / (hi - lo || 1));
        ctx.fillStyle = `rgb(${R}, ${G}, ${B})`;
        ctx.fillRect(box.x + c * box.cell, box.y + r * box.cell, box.cell + 0.5, box.cell + 0.5);
      }
    }
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.55)';
    ctx.lineWidth = 1;
    const at = ([r, c]) => [box.x + (c + 0.5) * box.cell, box.y + (r + 0.5) * box.cell];
    for (let k = 1; k < CONTOURS; k++) {
      for (const [p, q] of contourSegments(logs, n, lo + ((hi - lo) * k) / CONTOURS)) {
        ctx.beginPath();
        ctx.moveTo(...at(p));
        ctx.lineTo(...at(q));
        ctx.stroke();
      }
    }
    const spread = result.axis[n - 1];
    const place = (alpha, beta) => [box.x + ((beta / spread + 1) / 2) * (n - 1) * box.cell + box.cell / 2, box.y + ((alpha / spread + 1) / 2) * (n - 1) * box.cell + box.cell / 2];
    if (result.path) {
      ctx.fillStyle = '#fff';
      ctx.strokeStyle = '#fff';
      const k = result.offPlane.length;
      const far = Math.max(...result.offPlane, 1e-9);
      for (let i = 0; i < k; i++) {
        const [x, y] = place(result.path[2 * i], result.path[2 * i + 1]);
        ctx.beginPath();
        ctx.arc(x, y, 2.5, 0, Math.PI * 2);
        ctx.fill();
        ctx.beginPath();
        ctx.arc(x, y, 3 + 7 * (result.offPlane[i] / far), 0, Math.PI * 2);
        ctx.stroke();
      }
    }
    const [cx, cy] = place(0, 0);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    ctx.moveTo(cx - 7, cy);
    ctx.lineTo(cx + 7, cy);
    ctx.moveTo(cx, cy - 7);
    ctx.lineTo(cx, cy + 7);
    ctx.stroke();
    ctx.fillStyle = themeOf(map).muted;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.fillText(`β from ${num(-spread)} to ${num(spread)} →`, size.width / 2, box.y + side + 16);
    ctx.save();
    ctx.translate(box.x - 3, box.y + side / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'bottom';
    ctx.fillText(`α from ${num(-spread)} (top) to ${num(spread)} (bottom)`, 0, 0);
    ctx.restore();
  }

  return { element, destroy: view.destroy };
}
