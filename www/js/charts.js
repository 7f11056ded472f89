// Small line charts drawn on a canvas: training loss, and training / held-out accuracy.
// `drawChart` takes the canvas and a snapshot of the series and draws them, nothing else.

const PAD = { left: 44, right: 10, top: 10, bottom: 24 };
const FONT = '11px system-ui, sans-serif';
const AXIS = '#8a93a5';
const GRID = '#e6e9ef';
const TEXT = '#4a5568';

function fitCanvas(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
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

/**
 * chart: { series: [{ points: [[x, y]], colour }], marks: [x] (epoch lines), yMin, yMax (null = from the data),
 * format(y) for the axis, empty: text shown before there is data }.
 */
export function drawChart(canvas, chart) {
  const { ctx, width, height } = fitCanvas(canvas);
  ctx.clearRect(0, 0, width, height);
  const all = chart.series.flatMap((s) => s.points);
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  ctx.font = FONT;
  if (all.length === 0 || all.every((p) => p[0] === 0)) {
    ctx.fillStyle = TEXT;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(chart.empty, width / 2, height / 2);
    return;
  }
  const xMax = Math.max(1, ...all.map((p) => p[0]));
  const yMin = chart.yMin ?? 0;
  const yMax = chart.yMax ?? niceMax(Math.max(...all.map((p) => p[1]).filter(Number.isFinite)));
  const X = (x) => PAD.left + (x / xMax) * plotW;
  const Y = (y) => PAD.top + plotH - ((Math.min(Math.max(y, yMin), yMax) - yMin) / (yMax - yMin)) * plotH;

  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let i = 0; i <= 4; i++) {
    const y = yMin + ((yMax - yMin) * i) / 4;
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(PAD.left, Y(y));
    ctx.lineTo(PAD.left + plotW, Y(y));
    ctx.stroke();
    ctx.fillStyle = TEXT;
    ctx.fillText(chart.format(y), PAD.left - 6, Y(y));
  }
  ctx.strokeStyle = AXIS;
  ctx.setLineDash([2, 3]);
  for (const x of chart.marks) {
    ctx.beginPath();
    ctx.moveTo(X(x), PAD.top);
    ctx.lineTo(X(x), PAD.top + plotH);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.strokeRect(PAD.left, PAD.top, plotW, plotH);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillStyle = TEXT;
  ctx.fillText('0', X(0), PAD.top + plotH + 6);
  ctx.fillText(`${xMax} steps`, Math.min(X(xMax), width - 30), PAD.top + plotH + 6);

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
