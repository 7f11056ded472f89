// The two colour palettes. The default follows the explainer graphic (blue/red weights,
// orange/green rise/fall); the colour-blind-safe one uses the Okabe–Ito colours, which stay
// apart under the common forms of colour blindness: vermilion negative weights beside sky-blue
// "must rise" arrows, never two oranges. Arrows also point up or down, so rise and fall never
// rely on colour alone. Views redraw on `paletteChanges`' "change" event.

const STORAGE_KEY = 'backprop-lab.palette';

const PALETTES = {
  standard: {
    positive: '#2563c9',
    negative: '#d1332a',
    rise: '#ee8a12',
    fall: '#24934a',
    target: '#7a3db8',
    change: '#111111',
    ink: '#1d2433',
    grid: '#e3e6ec',
  },
  colourBlind: {
    positive: '#0072b2',
    negative: '#d55e00',
    rise: '#56b4e9',
    fall: '#009e73',
    target: '#cc79a7',
    change: '#111111',
    ink: '#1d2433',
    grid: '#e3e6ec',
  },
};

let current = PALETTES.standard;

export const paletteChanges = new EventTarget();

export function palette() {
  return current;
}

export function storedChoice() {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'colourBlind';
  } catch {
    return false;
  }
}

/** Switches palette, remembers the choice and exposes the colours to CSS as variables. */
export function usePalette(colourBlind) {
  current = colourBlind ? PALETTES.colourBlind : PALETTES.standard;
  try {
    localStorage.setItem(STORAGE_KEY, colourBlind ? 'colourBlind' : 'standard');
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this visit only.
  }
  const style = document.documentElement.style;
  for (const [name, colour] of Object.entries(current)) style.setProperty(`--c-${name}`, colour);
  paletteChanges.dispatchEvent(new Event('change'));
}

/** `colour` (#rrggbb) with opacity `alpha`, as a CSS colour. */
export function withAlpha(colour, alpha) {
  const n = parseInt(colour.slice(1), 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha.toFixed(3)})`;
}
