// view="full": the whole playground page, in an iframe, opened with the element's settings.
import { playgroundUrl } from './shared.js';
import { el } from './dom.js';

export class FullView {
  constructor({ settings }) {
    this.frame = el('iframe', {
      class: 'full', src: playgroundUrl(settings), title: 'backprop-lab: the full playground', loading: 'lazy',
    });
    this.element = el('div', { class: 'view view-full' }, [this.frame]);
  }
}
