// <backprop-lab>: a live piece of the playground for tutorial pages. One
// <script type="module" src=".../element/backprop-lab.js"> defines it; every instance on the
// page shares one WebAssembly module and one copy of the digits, and owns its network.
//
//   <backprop-lab view="backprop" step="2" layers="16,16" model="models/digits-small.json"
//                 digit="3" label="3" controls="hidden"></backprop-lab>
//
// Attributes are read by the core's settings validator (`parseSettings`); a value it rejects
// falls back to its default and is shown as a small inline message.
import { ATTRIBUTES, buildNetwork, heldoutDigits, modelJson, settingsFrom, stylesheet } from './shared.js';
import { el } from './dom.js';
import { BackpropView } from './view-backprop.js';
import { DrawView } from './view-draw.js';
import { FullView } from './view-full.js';
import { NetworkViewPanel } from './view-network.js';
import { TrainView } from './view-train.js';

const VIEWS = { draw: DrawView, network: NetworkViewPanel, backprop: BackpropView, train: TrainView, full: FullView };

export class BackpropLabElement extends HTMLElement {
  static observedAttributes = ['settings', ...Object.keys(ATTRIBUTES)];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.generation = 0;
    this.view = null;
    this.net = null;
    this.pending = false;
  }

  connectedCallback() {
    this.refresh();
  }

  disconnectedCallback() {
    this.generation += 1;
    this.teardown();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.refresh();
  }

  /** Rebuilds once per task, however many attributes changed together. */
  refresh() {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      if (this.isConnected) this.build(++this.generation).catch((e) => this.fail(e));
    });
  }

  teardown() {
    this.view?.destroy?.();
    this.view = null;
    this.net?.free();
    this.net = null;
  }

  async build(generation) {
    const current = () => generation === this.generation;
    const sheet = await stylesheet();
    if (!current()) return;
    this.shadowRoot.adoptedStyleSheets = [sheet];
    this.teardown();
    const notices = el('ul', { class: 'notices', role: 'note' });
    const status = el('p', { class: 'status', role: 'status' }, ['Loading the network…']);
    const body = el('div', { class: 'body' });
    this.shadowRoot.replaceChildren(el('div', { class: 'lab', part: 'lab' }, [notices, status, body]));
    const notify = (key, message) => {
      if (!current()) return;
      notices.append(el('li', {}, [el('strong', {}, [key]), `: ${message}`]));
      this.dataset.notices = String(notices.children.length);
    };
    delete this.dataset.notices;
    delete this.dataset.ready;
    this.status = status;

    if (/^\d+(,\d+)*$/.test(this.getAttribute('hidden') ?? '')) {
      console.warn(`<backprop-lab hidden="${this.getAttribute('hidden')}"> hides the element: hidden is HTML's own attribute; write layers="${this.getAttribute('hidden')}" for the hidden layers`);
    }
    const { settings, notices: found } = await settingsFrom(this);
    found.forEach(({ key, message }) => notify(key, message));
    const kind = settings.view;
    const context = { settings, notify, hideControls: settings.hideControls, onError: (e) => notify('training', e.message) };
    if (kind !== 'full') context.heldout = await heldoutDigits();
    if (kind === 'train') {
      // The training worker builds (or loads) and trains the network itself.
      context.json = await modelJson(settings, notify);
    } else if (kind !== 'full') {
      if (settings.steps > 0 && !settings.model) status.textContent = `Training ${settings.steps} mini-batches from seed ${settings.network.seed}…`;
      const built = await buildNetwork(settings, { explicitLayers: this.hasAttribute('layers'), notify });
      if (!current()) {
        built.net.free();
        return;
      }
      this.net = built.net;
      Object.assign(context, built);
    }
    if (!current()) return;
    this.view = new VIEWS[kind](context);
    body.replaceChildren(this.view.element);
    this.dataset.view = kind;
    await this.view.start?.();
    // Views draw in the next animation frame; ready means drawn.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    if (!current()) return;
    status.remove();
    this.dataset.ready = '';
  }

  fail(error) {
    const text = `backprop-lab could not start: ${error.message}`;
    if (this.status?.isConnected) {
      this.status.textContent = text;
      this.status.classList.add('error');
    } else {
      this.shadowRoot.append(el('p', { class: 'status error', role: 'alert' }, [text]));
    }
    console.error(error);
  }
}

if (!customElements.get('backprop-lab')) customElements.define('backprop-lab', BackpropLabElement);
