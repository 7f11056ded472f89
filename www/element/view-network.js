// view="network": one digit's forward pass through the whole network. Neurons are shaded by
// activation, connections coloured by the sign of their weight; the numbers of any neuron
// are one hover (or arrow key) away. The core's `forward` gives every value.
import { argmax, percent } from '../js/format.js';
import { NetworkPicture } from './picture.js';
import { InputPreview, randomDigit, startingDigit } from './digits.js';
import { button, el } from './dom.js';
import { FrameView } from './frame-view.js';

export class NetworkViewPanel extends FrameView {
  constructor({ net, heldout, settings, notify, hideControls, source }) {
    super();
    this.net = net;
    this.heldout = heldout;
    this.index = startingDigit(settings, heldout, notify);
    this.picture = new NetworkPicture({
      label: 'The network: the input digit on the left, each hidden layer, and the ten outputs on the right',
      onFocus: () => this.schedule(),
    });
    this.picture.use(net);
    this.preview = new InputPreview('The input digit');
    this.summary = el('p', { class: 'summary', 'aria-live': 'polite' });
    const sizes = this.picture.sizes;
    const about = `${sizes.join('–')} network${source ? ` (${source})` : ''}`;
    const controls = hideControls ? [] : [button('Another digit', () => this.show(randomDigit(heldout, this.index)))];
    this.element = el('div', { class: 'view view-network' }, [
      el('div', { class: 'bar-row' }, [this.preview.canvas, this.summary, ...controls]),
      this.picture.element,
      el('p', { class: 'note' }, [`A ${about}. Blue lines are positive weights, red negative; thicker is larger. Darker neurons are more active.`]),
    ]);
  }

  start() {
    this.watch(this.picture.canvas);
    this.show(this.index);
  }

  show(index) {
    this.index = index;
    this.input = this.heldout.input(index);
    this.preview.show(this.input);
    this.trace = this.net.forward(this.input);
    this.schedule();
  }

  render() {
    const out = this.trace.activations.at(-1);
    const best = argmax(out);
    const probabilities = this.picture.derived.probabilities;
    this.summary.textContent = `Held-out digit #${this.index}, a ${this.heldout.label(this.index)}. The network says ${best}${probabilities ? ` (${percent(out[best])})` : ''}.`;
    this.summary.dataset.prediction = String(best);
    this.picture.draw(this.trace);
  }
}
