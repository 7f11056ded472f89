// What each neuron looks for, layer by layer: a 28×28 picture per hidden and output neuron.
// First-hidden-layer neurons show their 784 incoming weights (blue positive, red negative);
// deeper neurons and outputs the input that excites them most, found by the core's gradient
// ascent from a grey image (in the engine, once per state of the network). A picture picks
// its neuron in the network picture.
import { neuronName } from '../js/lesson.js';
import { el } from './dom.js';
import { SIDE, inkImage, show, signedImage } from './images.js';
import { themeOf } from './theme.js';
import { touched, watch } from './watch.js';

/** Returns `{ element, destroy }`. */
export function featuresView(session) {
  const layersBox = el('div', { class: 'feature-layers' });
  const element = el('div', { class: 'features-view' }, [layersBox]);
  let built = null;   // the sizes the layout was built for

  // The grids are laid out at once, and drawn only near the viewport: a layout that appeared
  // as the reader scrolled near would push everything below it down under their pointer.
  function layOut(sizes) {
    if (built === sizes.join()) return;
    built = sizes.join();
    layersBox.replaceChildren(...sizes.slice(1).map((count, l) => {
      const layer = l + 1;
      const output = layer === sizes.length - 1;
      const about = layer === 1 ? 'its incoming weights' : 'the input that excites it most';
      return el('section', { class: 'feature-layer', 'data-layer': String(layer) }, [
        el('h4', {}, [`${output ? 'Outputs' : `Hidden layer ${layer}`}: ${about}`]),
        el('ul', { class: 'feature-grid' }, Array.from({ length: count }, (_, index) => {
          const item = el('button', { type: 'button', class: 'feature', 'aria-label': neuronName(layer, index, sizes) }, [
            el('canvas', { width: String(SIDE), height: String(SIDE) }), el('span', {}, [String(output ? index : index + 1)]),
          ]);
          item.addEventListener('click', () => session.pick({ layer, index }));
          return el('li', {}, [item]);
        })),
      ]);
    }));
  }
  const layout = watch(session, ({ network }, changed) => {
    if (network && touched(changed, 'network')) layOut(network.sizes);
  });

  const view = watch(session, ({ network, pictures, picked }, changed) => {
    if (!network || !touched(changed, 'network', 'pictures', 'picked', 'colours')) return;
    layOut(network.sizes);
    const key = `${network.id}.${network.version}`;
    const weights = network.net.weights(0);
    const { rgb } = themeOf(element);
    for (const section of layersBox.children) {
      const layer = Number(section.dataset.layer);
      const images = layer === 1 ? null : pictures?.key === key ? pictures.layers.get(layer) : null;
      if (layer > 1 && !images) session.requestPictures(layer);
      section.classList.toggle('pending', layer > 1 && !images);
      section.querySelectorAll('.feature').forEach((item, index) => {
        const canvas = item.firstElementChild;
        const pixels = (layer === 1 ? weights : images)?.subarray(index * SIDE * SIDE, (index + 1) * SIDE * SIDE);
        if (pixels) show(canvas, layer === 1 ? signedImage(pixels, rgb) : inkImage(pixels, rgb, { opaque: true }));
        item.setAttribute('aria-pressed', String(picked?.layer === layer && picked.index === index));
      });
    }
  });
  // Up to 1,300 pictures, redrawn for every snapshot while training: only where the reader is.
  view.onlyNear(element);
  return {
    element,
    destroy() {
      layout.destroy();
      view.destroy();
    },
  };
}
