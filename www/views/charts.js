// Small line charts drawn on a canvas, in the theme's colours: training loss, and training /
// held-out accuracy.
// `drawChart` takes the canvas and a snapshot of the series and draws them, nothing else.
// Long runs get a logarithmic step axis, so that the fast early learning and the slow late
// progress both show; epoch lines are drawn only while there are few of them.

import { themeOf } from './theme.js';

const PAD = { left: 44, right: 14, top: 10, bottom: 24 };
const FONT = '11px system-ui, sans-serif';
const LOG_FROM = 500;       // steps from which the axis is logarithmic
const MAX_MARKS = 12;       // more epoch lines than this are left out

function fitCanvas(canvas, { width, height }) {
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, width, height };
}

function niceMax(x) {
  if (x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((v) => v >= x);
}

/** The step axis: position of step `x` in 0..1, and the steps to label. */
function stepAxis(xMax) {
  if (xMax < LOG_FROM) return { at: (x) => x / xMax, ticks: [0, xMax], log: false };
  const top = Math.log10(1 + xMax);
  const ticks = [0];
  for (let t = 10; t < xMax * 0.7; t *= 10) ticks.push(t);
  ticks.push(xMax);
  return { at: (x) => Math.log10(1 + x) / top, ticks, log: true };
}

/**
 * Draws `chart` on `canvas`, whose CSS size is `size` ({ width, height }). chart: { series:
 * [{ points: [[x, y]], colour }], marks: [x] (epoch lines), yMin, yMax (null = from the data),
 * format(y) for the axis (by default each gridline's exact value, e.g. 0.625 and 1.875 on an
 * axis up to 2.5), empty: text shown before there is data, and for an axis other than training
 * steps `x: { min, max, ticks, format }` }.
 */
export function drawChart(canvas, chart, size) {
  const { ctx, width, height } = fitCanvas(canvas, size);
  const { muted: text, grid, axis } = themeOf(canvas);
  ctx.clearRect(0, 0, width, height);
  const all = chart.series.flatMap((s) => s.points);
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  ctx.font = FONT;
  if (all.length === 0 || (!chart.x && all.every((p) => p[0] === 0))) {
    ctx.fillStyle = text;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(chart.empty, width / 2, height / 2);
    return;
  }
  const xMax = Math.max(1, ...all.map((p) => p[0]));
  const steps = chart.x ? { at: (x) => (x - chart.x.min) / (chart.x.max - chart.x.min), ticks: chart.x.ticks, log: false } : stepAxis(xMax);
  const yMin = chart.yMin ?? 0;
  const yMax = chart.yMax ?? niceMax(Math.max(...all.map((p) => p[1]).filter(Number.isFinite)));
  const X = (x) => PAD.left + steps.at(x) * plotW;
  const Y = (y) => PAD.top + plotH - ((Math.min(Math.max(y, yMin), yMax) - yMin) / (yMax - yMin)) * plotH;

  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let i = 0; i <= 4; i++) {
    const y = yMin + ((yMax - yMin) * i) / 4;
    ctx.strokeStyle = grid;
    ctx.beginPath();
    ctx.moveTo(PAD.left, Y(y));
    ctx.lineTo(PAD.left + plotW, Y(y));
    ctx.stroke();
    ctx.fillStyle = text;
    ctx.fillText(chart.format?.(y) ?? String(Number(y.toPrecision(4))), PAD.left - 6, Y(y));
  }
  ctx.strokeStyle = axis;
  if (chart.marks.length <= MAX_MARKS) {
    ctx.setLineDash([2, 3]);
    for (const x of chart.marks) {
      ctx.beginPath();
      ctx.moveTo(X(x), PAD.top);
      ctx.lineTo(X(x), PAD.top + plotH);
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }
  ctx.strokeRect(PAD.left, PAD.top, plotW, plotH);
  ctx.textBaseline = 'top';
  ctx.fillStyle = text;
  // The last step names the axis; the other ticks are labelled where they do not collide with it.
  const format = chart.x?.format ?? ((t) => t.toLocaleString('en'));
  const lastLabel = chart.x ? format(steps.ticks.at(-1)) : `${xMax.toLocaleString('en')} steps${steps.log ? ' (log scale)' : ''}`;
  const room = width - 2 - ctx.measureText(lastLabel).width - 8;
  ctx.textAlign = 'right';
  ctx.fillText(lastLabel, width - 2, PAD.top + plotH + 6);
  ctx.textAlign = 'center';
  for (const t of steps.ticks.slice(0, -1)) {
    const label = format(t);
    const x = Math.max(X(t), PAD.left + ctx.measureText(label).width / 2);
    if (x + ctx.measureText(label).width / 2 < room) ctx.fillText(label, x, PAD.top + plotH + 6);
  }

  for (const s of chart.series) {
    if (s.points.length === 0) continue;
    ctx.strokeStyle = s.colour;
    ctx.fillStyle = s.colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    s.points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(X(x), Y(y)) : ctx.lineTo(X(x), Y(y))));
    ctx.stroke();
    const [lx, ly] = s.points.at(-1);
    ctx.beginPath();
    ctx.arc(X(lx), Y(ly), 3, 0, Math.PI * 2);
    ctx.fill();
  }
}
