// The two palettes of the data's colours (base.css): the default follows the explainer graphic
// (blue/red weights, orange/green rise/fall); the colour-blind-safe one uses the Okabe–Ito
// colours, which stay apart under the common forms of colour blindness: vermilion negative
// weights beside sky-blue "must rise" arrows, never two oranges. Arrows also point up or down,
// so rise and fall never rely on colour alone. `colourChanges` fires "change" whenever what
// canvases draw with may have changed (the palette, an element's theme, the system's dark
// mode); views redraw then.

const STORAGE_KEY = 'backprop-lab.palette';

export const colourChanges = new EventTarget();

export const coloursChanged = () => colourChanges.dispatchEvent(new Event('change'));

globalThis.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', coloursChanged);

export function storedChoice() {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'colourBlind';
  } catch {
    return false;
  }
}

/** Switches the page's palette and remembers the choice. */
export function usePalette(colourBlind) {
  try {
    localStorage.setItem(STORAGE_KEY, colourBlind ? 'colourBlind' : 'standard');
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this visit only.
  }
  if (colourBlind) document.documentElement.dataset.palette = 'colour-blind';
  else delete document.documentElement.dataset.palette;
  coloursChanged();
}
