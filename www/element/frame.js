// The iframe route, for sites that only allow iframes: frame.html#<settings> (or
// ?<settings>) shows one <backprop-lab> with the same settings keys as the element; the
// element reads them through the core's validator. view=full goes to the playground itself.
import { playgroundUrl } from './backprop-lab.js';
import { elementDefaults } from '../js/settings.js';
import { loadCore } from '../js/wasm.js';
import { parseSettings } from '../pkg/backprop_lab.js';

const main = document.getElementById('frame');

async function show() {
  await loadCore();
  const text = (location.hash || location.search).replace(/^[#?]/, '');
  const { settings } = parseSettings(text, elementDefaults());
  if (settings.view === 'full') {
    location.replace(playgroundUrl(settings));
    return;
  }
  let element = main.firstElementChild;
  if (!element) {
    element = document.createElement('backprop-lab');
    element.setAttribute('loading', 'eager');
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
