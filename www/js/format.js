// Number formatting shared by every view: four significant digits and a true minus sign.

const MINUS = '\u2212';

/** `x` with four significant digits, e.g. "0.1235", "−12.35", "3.142e−5". */
export function num(x) {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  const text = abs >= 1e-3 && abs < 1e5 ? String(Number(x.toPrecision(4))) : x.toExponential(3);
  return text.replaceAll('-', MINUS);
}

/** Like `num`, with a leading "+" on positive values (for changes). */
export function signed(x) {
  return x > 0 ? `+${num(x)}` : num(x);
}

export function percent(p) {
  return `${(p * 100).toFixed(1)}%`;
}

/** Index of the largest value. */
export function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
