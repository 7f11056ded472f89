// Number formatting shared by every view: four significant digits, a true minus sign, and
// "≈ 0" for values too small to matter to a reader (the exact value goes with it, for focus).

const MINUS = '\u2212';
const TINY = 1e-4;   // below this a value reads as "≈ 0"

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

/**
 * A number as a learner reads it: `{ text, exact }`. Values from 0.0001 up are written out in
 * full decimals ("0.0001234"), smaller ones as "≈ 0"; `exact` is then `num(x)`, else null.
 */
export function plain(x, { sign = false } = {}) {
  if (Number.isFinite(x) && x !== 0 && Math.abs(x) < TINY) return { text: '≈ 0', exact: num(x) };
  const abs = Math.abs(x);
  const text = Number.isFinite(x) && abs >= TINY && abs < 1e-3
    ? x.toFixed(Math.min(12, 3 - Math.floor(Math.log10(abs)))).replace(/0+$/, '').replaceAll('-', MINUS)
    : num(x);
  return { text: sign && x > 0 ? `+${text}` : text, exact: null };
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

/** "a 3", "an 8". */
export function aDigit(d) {
  return `${d === 8 ? 'an' : 'a'} ${d}`;
}
