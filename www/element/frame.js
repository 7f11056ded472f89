// The iframe route, for sites that only allow iframes: frame.html#<settings> (or
// ?<settings>) shows one <backprop-lab> with the same settings keys as the element; the
// element reads them through the core's validator. view=full goes to the playground itself.
import './backprop-lab.js';
import { parseSettings } from '../pkg/backprop_lab.js';
import { elementDefaults, playgroundUrl } from './shared.js';

const main = document.getElementById('frame');

async function show() {
  const text = (location.hash || location.search).replace(/^[#?]/, '');
  const { settings } = parseSettings(text, await elementDefaults());
  if (settings.view === 'full') {
    location.replace(playgroundUrl(settings));
    return;
  }
  const element = main.firstElementChild ?? main.appendChild(document.createElement('backprop-lab'));
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
