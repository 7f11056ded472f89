// The iframe route, for sites that only allow iframes: frame.html#<settings> (or
// ?<settings>) shows one <backprop-lab> with the same settings keys as the element; the
// element reads them through the core's validator. view=full goes to the playground itself.
// A model path is relative to the page that holds the frame, as it is for the element.
import { playgroundUrl } from './backprop-lab.js';
import { elementDefaults } from '../js/settings.js';
import { loadCore } from '../js/wasm.js';
import { parseSettings } from '../pkg/backprop_lab.js';

const main = document.getElementById('frame');

/**
 * The address of the page holding this frame: read directly when it is on this origin, else
 * the referrer, which is the whole address only if the iframe's referrer policy sends it
 * (`referrerpolicy="no-referrer-when-downgrade"`); with none, this frame's own.
 */
function embeddingPage() {
  try {
    if (window.parent !== window) return window.parent.document.baseURI;
  } catch {
    // Another origin: its document is out of reach.
  }
  return document.referrer || document.baseURI;
}

async function show() {
  await loadCore();
  const text = (location.hash || location.search).replace(/^[#?]/, '');
  const { settings } = parseSettings(text, elementDefaults());
  if (settings.view === 'full') {
    const model = settings.model && new URL(settings.model, embeddingPage()).href;
    location.replace(playgroundUrl({ ...settings, model }));
    return;
  }
  let element = main.firstElementChild;
  if (!element) {
    // It starts when the frame comes near the reader's viewport, as an element does: the
    // intersection it watches is with the top page's viewport.
    element = document.createElement('backprop-lab');
    element.modelBase = embeddingPage();
    main.append(element);
  }
  element.setAttribute('settings', text);
}

// The content's height, for element/fit-frames.js in the embedding page to size the iframe.
if (window.parent !== window) {
  new ResizeObserver(() => {
    const height = Math.ceil(main.getBoundingClientRect().height);
    window.parent.postMessage({ type: 'backprop-lab:height', height }, '*');
  }).observe(main);
}

window.addEventListener('hashchange', () => show().catch((e) => console.error(e)));
show().catch((e) => console.error(e));
