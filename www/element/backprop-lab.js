// <backprop-lab>: a live piece of the playground for tutorial pages, built from the same
// session and views as the playground. One <script type="module" src=".../element/backprop-lab.js">
// defines it; every instance on the page shares one WebAssembly module and one copy of each
// file, and owns its session and network.
//
//   <backprop-lab view="backprop" step="2" layers="16,16" model="models/digits-small.json"
//                 digit="3" label="3" controls="hidden" loading="eager"></backprop-lab>
//
// Attributes are read by the core's settings validator (`parseSettings`); a value it rejects
// falls back to its default with a small message in the element and a console warning. The
// element starts (wasm, digits, model, replayed steps) only when it comes within about a
// screen of the viewport, unless loading="eager"; until then it keeps its final size.
// Properties mirror the attributes; `network`, `train()`, `pause()`, `reset()`,
// `showDigit(i)`, `loadModel(urlOrJson)` and the events `ready`, `change`, `step`,
// `snapshot`, `diverged` and `error` (bubbling, crossing the shadow boundary) script it.
import { createSession } from '../js/lab.js';
import { openRun } from '../js/open-run.js';
import { autosave, openSaved, restoreRecord } from '../js/session-store.js';
import { elementDefaults, settingsText } from '../js/settings.js';
import { loadCore, modelBytes, threadsPay } from '../js/wasm.js';
import { parseSettings } from '../pkg/backprop_lab.js';
import { digitBar } from '../views/digit-bar.js';
import { digitView } from '../views/digit.js';
import { el } from '../views/dom.js';
import { landscapeView } from '../views/landscape.js';
import { lessonView } from '../views/lesson.js';
import { outputsView } from '../views/outputs.js';
import { coloursChanged } from '../views/palette.js';
import { pictureView } from '../views/picture.js';
import { trainingView } from '../views/training.js';

const ROOT = new URL('../', import.meta.url);
const PLAYGROUND_URL = new URL('index.html', ROOT);
const NEAR = '100% 0px';   // start when within one viewport's height of the screen

/** Element attributes and the settings key each one sets. `layers` stands for `hidden`:
 *  the global HTML attribute `hidden` would hide the element itself. */
const ATTRIBUTES = {
  view: 'view', step: 'step', layers: 'hidden', activation: 'activation', loss: 'loss',
  init: 'init', seed: 'seed', optimizer: 'optimizer', lr: 'lr', batch: 'batch', l2: 'l2',
  momentum: 'momentum', steps: 'steps', digit: 'digit', label: 'label', model: 'model',
  controls: 'controls',
};
const KEY_TO_ATTRIBUTE = Object.fromEntries(Object.entries(ATTRIBUTES).map(([a, k]) => [k, a]));
/** Session state that the `change` event reports, by the name it reports it under. */
const REPORTED = { settings: 'settings', network: 'network', digit: 'digit', desired: 'label', lesson: 'step', training: 'training' };
/** Attributes whose values are words: read whatever their case. */
const ENUMERATED = new Set(['view', 'activation', 'loss', 'init', 'optimizer', 'controls']);
/** The `theme` attribute's values: auto follows the reader's system setting. */
const THEMES = ['light', 'dark', 'auto'];
/** The `pace` attribute: how fast a train view trains. */
const PACES = { watch: 'watch', full: null };

/** Each view: its stylesheets, whether it trains (in a worker), and how its parts are laid out. */
const VIEWS = {
  draw: {
    sheets: ['digit', 'outputs'],
    build: (session, { controls }) => [digitView(session, { controls }), outputsView(session)],
  },
  network: {
    sheets: ['digit-bar', 'picture'],
    build: (session, { controls, editable }) => [digitBar(session, { controls }), pictureView(session, { editable })],
  },
  backprop: {
    sheets: ['digit-bar', 'lesson', 'picture'],
    build: (session, { controls, locked, editable }) => {
      const lesson = lessonView(session, { controls, locked });
      const picture = pictureView(session, { editable, label: 'The network during one lesson of backpropagation, with arrows showing which way each neuron and weight must move' });
      return [digitBar(session, { controls }), { ...lesson, element: lesson.controls }, picture, { element: lesson.text, destroy() {} }];
    },
  },
  landscape: {
    worker: true,
    sheets: ['landscape', 'training', 'digit-bar'],
    build: (session, { controls }) => [digitBar(session, { controls: false }), landscapeView(session, { controls, shown: true })],
  },
  train: {
    worker: true,
    sheets: ['training', 'digit-bar', 'picture'],
    build: (session, { controls }) => [trainingView(session, { controls }), digitBar(session, { controls: false }), pictureView(session, { label: 'The network being trained, on one held-out digit' })],
  },
};

/** The regions an author can style with ::part(name), by what they are in the views. */
const PARTS = [
  ['.pad', 'pad'], ['.network', 'picture'], ['.bars', 'outputs'], ['.lesson-text', 'lesson'],
  ['.legend', 'legend'], ['.charts', 'charts'], ['.stats', 'stats'], ['.landscape-map', 'landscape'],
  ['select, input', 'control'],
];

/**
 * About the height of each view once started, at 1280 and at 412 pixels wide. An element
 * holds it until it starts, from its first layout on (so not in a sheet that comes later),
 * so that nothing moves when it starts and what lies below stays where it will be.
 */
const RESERVED = { draw: [354, 600], network: [640, 670], backprop: [1110, 1300], train: [880, 1250], landscape: [640, 640] };
const NARROW = '(max-width: 600px)';

const sheets = new Map();
/** The elements' starts, in a queue (see `update`). */
let starts = Promise.resolve();

/** A stylesheet of views/ (or of this folder), fetched and parsed once per page. */
function stylesheet(name) {
  if (!sheets.has(name)) {
    const url = name === 'element' ? new URL('./backprop-lab.css', import.meta.url) : new URL(`views/${name}.css`, ROOT);
    sheets.set(name, fetch(url).then(async (response) => {
      if (!response.ok) throw new Error(`could not load ${url.pathname.split('/').pop()}: HTTP ${response.status}`);
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(await response.text());
      return sheet;
    }));
  }
  return sheets.get(name);
}

/** The playground page for these settings (the full view and the iframe route). */
export function playgroundUrl(settings) {
  const url = new URL(PLAYGROUND_URL);
  url.hash = settingsText(settings);
  return url.href;
}

/** The `pace` attribute's value for the session, reporting a bad one in `notices`. */
function readPace(text, notices) {
  if (text === null) return 'watch';
  const word = text.trim().toLowerCase();
  if (word in PACES) return PACES[word];
  const rate = Number(word);
  if (Number.isInteger(rate) && rate >= 1 && rate <= 1000) return rate;
  notices.push({ key: 'pace', message: `"${text.slice(0, 20)}" is not watch, full or a whole number of mini-batches per second from 1 to 1000; watch is used` });
  return 'watch';
}

/** Checks the `theme` attribute (base.css applies it), reporting a bad value in `notices`. */
function readTheme(text, notices) {
  if (text === null || THEMES.includes(text.trim().toLowerCase())) return;
  notices.push({ key: 'theme', message: `"${text.slice(0, 20)}" is not ${THEMES.join(', ')}; light is used` });
}

/** What a problem of `openRun` means to an author, by attribute. */
function problemText(problem) {
  switch (problem.key) {
    case 'model': return `could not load "${problem.model}" (${problem.message}); an untrained network is shown instead`;
    case 'digit': return `there are ${problem.count} held-out digits (0 to ${problem.count - 1}); digit 0 is shown`;
    case 'step': return `this network's lesson has steps 0 to ${problem.last} (${problem.last} is Apply); step ${problem.last - 1} is shown`;
    default: return `the core refused these settings (${problem.message}); the defaults are used`;
  }
}

export class BackpropLabElement extends HTMLElement {
  static observedAttributes = ['settings', 'loading', 'pace', 'theme', 'editable', ...Object.keys(ATTRIBUTES)];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.session = null;
    this.trains = false;       // whether the session's engine runs in a worker
    this.opened = null;        // the settings last opened
    this.layout = null;        // { kind, controls, locked, parts }
    this.work = null;          // the running start or update
    this.again = false;        // attributes changed while it ran
    this.modelBase = document.baseURI;   // what model paths are relative to (frame.js sets it)
    this.notices = el('ul', { class: 'notices', part: 'notices' });
    this.status = el('p', { class: 'status', role: 'status', part: 'status' }, ['Loading the network…']);
    this.body = el('div', { class: 'body' });
    this.frame = el('div', { class: 'lab', part: 'lab' }, [el('div', { class: 'notice-box' }, [this.notices]), this.status, this.body]);
    this.shadowRoot.append(this.frame);
  }

  // ——— lifecycle ———

  connectedCallback() {
    const view = (this.getAttribute('view') ?? '').trim().toLowerCase();
    this.frame.dataset.view = view in VIEWS || view === 'full' ? view : 'draw';
    const reserved = RESERVED[this.frame.dataset.view];
    if (reserved && !this.frame.hasAttribute('data-started')) this.frame.style.minHeight = `${reserved[matchMedia(NARROW).matches ? 1 : 0]}px`;
    this.watcher ??= new IntersectionObserver((entries) => this.seen(entries.at(-1).isIntersecting), { rootMargin: NEAR });
    this.watcher.observe(this);
    document.addEventListener('visibilitychange', this.onVisibility ??= () => this.seen(this.near));
    if (this.session || this.work) return;   // moved in the document: it keeps its state
    Promise.all(['base', 'element'].map(stylesheet)).then((frame) => {
      if (!this.shadowRoot.adoptedStyleSheets.length) this.shadowRoot.adoptedStyleSheets = frame;
    }, () => {});
    if (this.getAttribute('loading') === 'eager') this.update();
  }

  disconnectedCallback() {
    this.watcher.disconnect();
    document.removeEventListener('visibilitychange', this.onVisibility);
    // A move in the document disconnects and connects again in the same task.
    queueMicrotask(() => {
      if (!this.isConnected) this.stop();
    });
  }

  /**
   * The element came near the viewport (`near`) or left it, or the tab was shown or hidden:
   * it starts when first near, and its training and its lesson's player pause while it is far
   * or the tab is hidden, going on when it is seen again.
   */
  seen(near) {
    this.near = near;
    const visible = near && document.visibilityState === 'visible';
    if (near && !this.session && !this.work) this.update();
    const session = this.session;
    if (!session) return;
    const { training, lesson } = session.state;
    if (!visible) {
      if (training.playing) session.pause();
      if (lesson?.playing) session.toggleLesson();
      this.paused = { training: training.playing || this.paused?.training, lesson: lesson?.playing || this.paused?.lesson };
    } else if (this.paused) {
      const { paused } = this;
      this.paused = null;
      if (paused.training) session.train();
      if (paused.lesson && !session.state.lesson?.playing) session.toggleLesson();
    }
  }

  attributeChangedCallback(name) {
    if (name === 'theme') coloursChanged();
    if (name === 'loading' || !(this.session || this.work)) return;
    this.update();
  }

  /** Opens the attributes' settings: on the first call it starts; later it changes only what differs. */
  update() {
    if (this.work) {
      this.again = true;
      return this.work;
    }
    // Elements start one after another, each drawn before the next begins, so that a page of
    // them never holds the main thread for long at once; later updates go ahead at once.
    const opened = this.session ? this.open() : starts.then(() => this.open());
    if (!this.session) starts = opened.catch(() => {});
    this.work = opened.catch((e) => this.fail(e)).finally(() => {
      this.work = null;
      if (this.again && this.isConnected) {
        this.again = false;
        this.update();
      }
    });
    return this.work;
  }

  async open() {
    await loadCore();
    const { settings, notices } = this.readSettings();
    const kind = VIEWS[settings.view] ? settings.view : 'full';
    this.frame.dataset.view = kind;
    const worker = kind !== 'full' && (Boolean(VIEWS[kind].worker) || settings.steps > 0);
    if (this.session && (kind === 'full' || (worker && !this.trains))) this.stop();
    if (kind === 'full') {
      const model = settings.model && new URL(settings.model, this.modelBase).href;
      this.body.replaceChildren(el('iframe', { class: 'full', src: playgroundUrl({ ...settings, model }), title: 'backprop-lab: the full playground', loading: 'lazy' }));
      await this.finish(kind, notices);
      return;
    }
    let restored = false;
    if (!this.session) {
      this.trains = worker;
      if (settings.steps > 0 && !settings.model) this.status.textContent = `Training ${settings.steps} mini-batches from seed ${settings.network.seed}…`;
      this.session = await createSession({ worker, evaluate: kind === 'train' || kind === 'landscape', threads: threadsPay(settings.network.hidden) });
      this.listen(this.session);
      restored = await this.restoreSaved(notices);
    }
    const problems = restored ? [] : await openRun(this.session, settings, {
      modelBase: this.modelBase,
      fallback: { ...elementDefaults(), view: kind },
      previous: this.opened,
    });
    this.opened = settings;
    for (const problem of problems) notices.push({ key: KEY_TO_ATTRIBUTE[problem.key] ?? problem.key, message: problemText(problem) });
    readTheme(this.getAttribute('theme'), notices);
    const pace = readPace(this.getAttribute('pace'), notices);
    if (pace !== this.session.state.training.pace) await this.session.setPace(pace);
    await this.mount(kind, settings);
    await this.finish(kind, notices);
  }

  /**
   * With `persist="key"`: brings back the reader's session saved under that key (resolving to
   * whether it did), and saves it from now on. What storage refuses becomes a notice.
   */
  async restoreSaved(notices) {
    const key = this.getAttribute('persist')?.trim();
    if (!key) return false;
    const saved = await openSaved(`element:${key}`);
    let restored = false;
    if (saved.record) {
      try {
        await restoreRecord(this.session, saved.record);
        restored = true;
      } catch (e) {
        notices.push({ key: 'persist', message: `the reader's saved session could not be restored (${e.message}); the attributes' network is shown` });
      }
    }
    if (saved.problem) notices.push({ key: 'persist', message: saved.problem.message });
    if (saved.store && saved.saver) {
      this.keeper = autosave(this.session, saved.store, {
        report: ({ saved: at, error }) => {
          if (at) this.dataset.saved = at.toISOString();
          if (error) this.notices.append(el('li', {}, [el('strong', {}, ['persist']), `: ${error.message}; the element works on without saving`]));
        },
      });
    }
    return restored;
  }

  /** Settings from the attributes: `settings` (link text) first, named attributes over it. */
  readSettings() {
    if (/^\d+(,\d+)*$/.test(this.getAttribute('hidden') ?? '')) {
      console.warn(`<backprop-lab hidden="${this.getAttribute('hidden')}"> hides the element: hidden is HTML's own attribute; write layers="${this.getAttribute('hidden')}" for the hidden layers`);
    }
    const linked = parseSettings(this.getAttribute('settings') ?? '', elementDefaults());
    const parts = [];
    for (const [attribute, key] of Object.entries(ATTRIBUTES)) {
      if (!this.hasAttribute(attribute)) continue;
      const value = this.getAttribute(attribute).trim();
      parts.push(`${key}=${encodeURIComponent(ENUMERATED.has(attribute) ? value.toLowerCase() : value)}`);
    }
    const { settings, notices } = parseSettings(parts.join('&'), linked.settings);
    return {
      settings,
      notices: [...linked.notices, ...notices.map(({ key, message }) => ({ key: KEY_TO_ATTRIBUTE[key] ?? key, message }))],
    };
  }

  /** Builds the view's parts, unless the same view with the same controls is up already. */
  async mount(kind, settings) {
    const controls = !settings.hideControls;
    const locked = settings.backpropStep !== null;
    const editable = this.hasAttribute('editable') && controls;
    const same = this.layout && ['kind', 'controls', 'locked', 'editable'].every((k) => this.layout[k] === { kind, controls, locked, editable }[k]);
    if (same) return;
    this.teardown();
    this.shadowRoot.adoptedStyleSheets = await Promise.all(['base', ...VIEWS[kind].sheets, 'element'].map(stylesheet));
    const parts = VIEWS[kind].build(this.session, { controls, locked, editable });
    this.body.replaceChildren(el('div', { class: `view view-${kind}` }, parts.map((p) => p.element)));
    for (const [selector, name] of PARTS) for (const node of this.body.querySelectorAll(selector)) node.part.add(name);
    this.layout = { kind, controls, locked, editable, parts };
  }

  teardown() {
    for (const part of this.layout?.parts ?? []) part.destroy();
    this.layout = null;
  }

  /** Ends the session (its network, its worker) and its views. */
  stop() {
    this.keeper?.stop();
    this.keeper = null;
    this.teardown();
    this.session?.dispose();
    this.session = null;
    this.opened = null;
  }

  /** Shows the notices, and marks the element ready once its views have drawn. */
  async finish(kind, notices) {
    this.notices.replaceChildren(...notices.map(({ key, message }) => el('li', {}, [el('strong', {}, [key]), `: ${message}`])));
    for (const { key, message } of notices) console.warn(`<backprop-lab ${key}>: ${message}`);
    if (notices.length) this.dataset.notices = String(notices.length);
    else delete this.dataset.notices;
    this.dataset.view = kind;
    await new Promise((resolve) => { requestAnimationFrame(() => requestAnimationFrame(resolve)); });
    this.status.hidden = true;
    this.frame.dataset.started = '';
    this.frame.style.minHeight = '';
    const first = !this.hasAttribute('data-ready');
    this.dataset.ready = '';
    if (first) this.fire('ready', {});
  }

  fail(error) {
    this.status.hidden = false;
    this.status.textContent = `backprop-lab could not start: ${error.message}`;
    this.status.classList.add('error');
    console.error(error);
    this.fire('error', { message: error.message });
  }

  // ——— events ———

  fire(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  /** The session's news as the element's events. */
  listen(session) {
    for (const type of ['step', 'snapshot', 'diverged']) {
      session.events.addEventListener(type, (e) => this.fire(type, e.detail));
    }
    session.events.addEventListener('error', (e) => this.fire('error', e.detail));
    session.events.addEventListener('notice', (e) => {
      if (e.detail.kind === 'error') this.fire('error', { message: e.detail.text });
    });
    let pending = null;
    session.subscribe((state, changed) => {
      const names = [...changed].map((key) => REPORTED[key]).filter(Boolean);
      if (names.length === 0 || !this.hasAttribute('data-ready')) return;
      if (!pending) {
        pending = new Set();
        queueMicrotask(() => {
          this.fire('change', { changed: [...pending] });
          pending = null;
        });
      }
      for (const name of names) pending.add(name);
    });
  }

  // ——— the scripting API ———

  /** The element's network: `{ sizes, step, predict(input), parameters() }`, or null before it starts. */
  get network() {
    const network = this.session?.state.network;
    if (!network) return null;
    return {
      sizes: [...network.sizes],
      step: network.step,
      predict: (input) => network.net.predict(input),
      parameters: () => network.net.parameters(),
    };
  }

  /** The lesson's step now (setting it sets the `step` attribute). */
  get step() {
    return this.session?.state.lesson?.index ?? null;
  }

  set step(value) {
    this.setAttribute('step', String(value));
  }

  /** The held-out digit shown now (setting it sets the `digit` attribute). */
  get digit() {
    return this.session?.state.digit?.index ?? null;
  }

  set digit(value) {
    this.setAttribute('digit', String(value));
  }

  /** The session, once started (a call starts a lazy element). */
  async started() {
    if (!this.session && !this.work) this.update();
    await this.work;
    if (!this.session) throw new Error(`this element (view "${this.dataset.view}") has no network of its own`);
    return this.session;
  }

  async train() { await (await this.started()).train(); }

  async pause() { await (await this.started()).pause(); }

  async reset() { await (await this.started()).reset(); }

  async showDigit(index) {
    (await this.started()).showDigit(index);
  }

  /** A model file by URL (relative to the page) or its JSON text; rejects, changing nothing, if it is refused. */
  async loadModel(urlOrJson) {
    const session = await this.started();
    if (urlOrJson.trimStart().startsWith('{')) {
      await session.loadModel(urlOrJson, { kind: 'file', name: 'JSON from script' });
      return;
    }
    const url = new URL(urlOrJson, this.modelBase).href;
    await session.loadModel(await modelBytes(url), { kind: 'model', url: urlOrJson });
  }
}

// Properties for the attributes that have no richer property above; `editable` is a boolean.
Object.defineProperty(BackpropLabElement.prototype, 'editable', {
  get() { return this.hasAttribute('editable'); },
  set(value) { this.toggleAttribute('editable', Boolean(value)); },
  configurable: true,
});
for (const name of [...Object.keys(ATTRIBUTES), 'settings', 'loading', 'pace', 'theme', 'persist']) {
  if (name in BackpropLabElement.prototype) continue;
  Object.defineProperty(BackpropLabElement.prototype, name, {
    get() { return this.getAttribute(name); },
    set(value) {
      if (value === null || value === undefined) this.removeAttribute(name);
      else this.setAttribute(name, String(value));
    },
    configurable: true,
  });
}

if (!customElements.get('backprop-lab')) customElements.define('backprop-lab', BackpropLabElement);
