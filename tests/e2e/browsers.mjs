// One driver for the end-to-end tests, over two engines: Chromium through playwright-core and
// Firefox through puppeteer-core over WebDriver BiDi (Debian's /usr/bin/chromium and
// /usr/bin/firefox-esr). E2E_BROWSER=chromium|firefox picks the engine (chromium by default).
//
// Selectors are plain CSS, which does not enter shadow roots, plus two additions:
//   `host >>> inner`   `inner` inside the open shadow root of `host` (repeatable)
//   `button:text("Clear")`  at the end of a part: elements whose text contains "Clear"
//                      (case and runs of white space ignored)
//   `li:nth(0)`        at the very end of a part: only the first (0-based) of its matches
// Single-element methods use the first match in document order. Actions (click, fill, ...)
// wait until that element is visible, enabled, still for an animation frame and not covered,
// scroll it into view if it is not, then use the engine's real mouse, keyboard and touch
// input; a click whose events land elsewhere (the page moved in between) is kept from the page
// and made again. Every page records console errors, page errors (of the page, its frames and its
// workers) and HTTP error responses in `page.problems`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ENGINE = process.env.E2E_BROWSER ?? 'chromium';
if (!['chromium', 'firefox'].includes(ENGINE)) throw new Error(`E2E_BROWSER must be chromium or firefox, not ${ENGINE}`);

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOTS = join(ROOT, 'tests', 'screenshots');
const TIMEOUT = 30_000;

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

// ---------------------------------------------------------------------------------------------
// What runs in the page. `pageHelpers` must stay self-contained: it is sent as source text.

function pageHelpers() {
  const TEXT = /:text\("((?:[^"\\]|\\.)*)"\)\s*$/;
  const NTH = /:nth\((\d+)\)\s*$/;
  const squash = (s) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  function matches(text, filter) {
    if (!filter) return true;
    if (filter.regex) return new RegExp(filter.regex.source, filter.regex.flags).test(text);
    return squash(text).includes(squash(filter.text));
  }
  /** Every element `selector` matches under `root`, in document order. */
  function queryAll(selector, hasText = null, root = document) {
    let scopes = [root];
    const parts = selector.split('>>>').map((part) => part.trim());
    parts.forEach((whole, i) => {
      const nth = NTH.exec(whole);
      const part = nth ? whole.slice(0, nth.index) : whole;
      const text = TEXT.exec(part);
      const css = text ? part.slice(0, text.index).trim() || '*' : part;
      const filter = text ? { text: JSON.parse(`"${text[1]}"`) } : null;
      const found = [];
      for (const scope of scopes) {
        const base = i === 0 ? scope : scope.shadowRoot;
        if (!base) continue;
        // Scopes are one document or disjoint shadow roots: no element is found twice.
        for (const el of base.querySelectorAll(css)) if (matches(el.textContent, filter)) found.push(el);
      }
      scopes = nth ? found.slice(Number(nth[1]), Number(nth[1]) + 1) : found;
    });
    return hasText ? scopes.filter((el) => matches(el.textContent, hasText)) : scopes;
  }
  /** A non-empty box and not visibility: hidden (Playwright's definition). */
  function visible(el) {
    if (!el?.isConnected) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  }
  /** Disabled form controls and fieldsets, and aria-disabled on the element or an ancestor. */
  function disabled(el) {
    if (['BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'OPTION', 'OPTGROUP'].includes(el.tagName) && el.matches(':disabled')) return true;
    for (let node = el; node; node = node.parentElement ?? node.getRootNode().host) {
      if (node.getAttribute?.('aria-disabled') === 'true') return true;
    }
    return false;
  }
  /** The innermost element at a point, looking into shadow roots. */
  function hitAt(x, y) {
    let hit = document.elementFromPoint(x, y);
    while (hit?.shadowRoot) {
      const inner = hit.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === hit) break;
      hit = inner;
    }
    return hit;
  }
  function contains(outer, inner) {
    for (let node = inner; node; node = node.parentNode ?? node.host) if (node === outer) return true;
    return false;
  }
  const describe = (el) => (el ? `<${el.localName}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${[...el.classList].join('.')}` : ''}>` : 'nothing');
  // Each element's box when last looked at, to tell whether it has kept still since.
  const BOXES = Symbol.for('backprop-e2e boxes');
  globalThis[BOXES] ??= new WeakMap();
  function inView(el) {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth;
  }
  function scrollIntoView(el) {
    if (!inView(el)) el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
  }
  /**
   * Where to put the pointer to act on the first match, or why not yet: `{ x, y }` (the
   * centre, in viewport pixels) or `{ wait }`. Called once per animation frame while waiting:
   * an element is ready once its box is the same as at the previous call.
   */
  function actionPoint(selector, hasText, force) {
    const el = queryAll(selector, hasText)[0];
    if (!el) return { wait: `nothing matches ${selector}` };
    if (!force && !visible(el)) return { wait: `${selector} is not visible` };
    if (!force && disabled(el)) return { wait: `${selector} is disabled` };
    scrollIntoView(el);
    const box = el.getBoundingClientRect();
    const key = [box.x, box.y, box.width, box.height].join();
    const before = globalThis[BOXES].get(el);
    globalThis[BOXES].set(el, key);
    if (key !== before) return { wait: `${selector} is moving` };
    const x = box.left + box.width / 2;
    const y = box.top + box.height / 2;
    if (!force) {
      const hit = hitAt(x, y);
      if (!contains(el, hit)) return { wait: `${selector} is covered by ${describe(hit)}` };
    }
    return { x, y };
  }
  // The click under way: where its events went. A click whose pointer lands elsewhere (the
  // page moved between finding the point and the engine's input) is kept from the page.
  const CLICK = Symbol.for('backprop-e2e click');
  const CLICK_EVENTS = ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click'];
  function armClick(selector, hasText) {
    globalThis[CLICK]?.disarm();   // an earlier click whose events never came
    const el = queryAll(selector, hasText)[0];
    const record = { landed: false, missed: null };
    const disarm = () => CLICK_EVENTS.forEach((type) => removeEventListener(type, guard, true));
    function guard(event) {
      if (event.composedPath().includes(el)) {
        // Disarmed at the click itself: a label's click then reaches its control unguarded.
        if (event.type === 'click') { record.landed = true; disarm(); }
        return;
      }
      record.missed ??= `its ${event.type} reached ${describe(event.composedPath()[0])}`;
      event.preventDefault();
      event.stopImmediatePropagation();
    }
    CLICK_EVENTS.forEach((type) => addEventListener(type, guard, true));
    globalThis[CLICK] = { record, disarm };
  }
  /** How the armed click went: `{ landed, missed }`, disarming once it has landed or missed. */
  function clickOutcome() {
    const click = globalThis[CLICK];
    if (!click) return { landed: true, missed: null };
    if (click.record.landed || click.record.missed) click.disarm();
    return click.record;
  }
  return { queryAll, visible, disabled, actionPoint, scrollIntoView, describe, armClick, clickOutcome };
}

const HELPERS = String(pageHelpers);

/**
 * A page function `(h, arg) => ...` (h: the helpers above), as one self-contained function.
 * It is built here, not in the page, whose CSP forbids building functions from text.
 */
function inPage(fn) {
  return new Function('arg', `const h = (${HELPERS})();\nreturn (${fn})(h, arg);`);
}

/** A page function that calls `fn(elements, arg, h)` with every match of `arg.selector`. */
function withMatches(fn) {
  return new Function('arg', `const h = (${HELPERS})();\nreturn (${fn})(h.queryAll(arg.selector), arg.arg, h);`);
}

/** `{ regex }` or `{ text }` for the page, from a RegExp or a string. */
function textFilter(hasText) {
  if (hasText === undefined || hasText === null) return null;
  return hasText instanceof RegExp ? { regex: { source: hasText.source, flags: hasText.flags } } : { text: String(hasText) };
}

// ---------------------------------------------------------------------------------------------
// The shared API, over an engine's frames (see the adapters at the end).

/** Reads and waits within one document: a page's or an iframe's. */
class Scope {
  #document;

  /** `document()` resolves to the engine's frame of the document to work in. */
  constructor(document) {
    this.#document = document;
  }

  /** Runs `fn(arg)` in the document and returns its (serialisable) result. */
  async evaluate(fn, arg) {
    return (await this.#document()).evaluate(fn, arg);
  }

  /** Waits until `fn(arg)` returns something truthy in the document, and returns it. */
  async waitForFunction(fn, arg, { timeout = TIMEOUT } = {}) {
    return (await this.#document()).waitForFunction(fn, arg, timeout);
  }

  /** Waits until the first match is in `state`: visible (default), hidden, attached or detached. */
  async waitFor(selector, { state = 'visible', hasText, timeout = TIMEOUT } = {}) {
    const check = inPage((h, { selector, hasText, state }) => {
      const el = h.queryAll(selector, hasText)[0];
      if (state === 'attached') return !!el;
      if (state === 'detached') return !el;
      if (state === 'visible') return h.visible(el);
      return !h.visible(el);
    });
    try {
      await this.waitForFunction(check, { selector, hasText: textFilter(hasText), state }, { timeout });
    } catch (error) {
      // What the match says instead, so that a failure in CI can be read without a rerun.
      const shown = hasText ? await this.evaluate(inPage((h, s) => h.queryAll(s)[0]?.textContent.trim().slice(0, 300) ?? null), selector).catch(() => null) : null;
      const instead = shown === null ? '' : `; it says "${shown}"`;
      throw new Error(`${selector}${hasText ? ` with text ${hasText}` : ''} did not become ${state} within ${timeout} ms${instead} (${error.message.split('\n')[0]})`);
    }
  }

  /** `read(element, arg, h)` in the page with the first match, once there is one. */
  async #first(selector, read, arg) {
    await this.waitFor(selector, { state: 'attached' });
    const fn = withMatches(`(els, arg, h) => {
      if (!els[0]) throw new Error('nothing matches ' + ${JSON.stringify(selector)});
      return (${read})(els[0], arg, h);
    }`);
    return this.evaluate(fn, { selector, arg });
  }

  /** The first match's textContent (waits for one to exist). */
  text(selector) {
    return this.#first(selector, (el) => el.textContent);
  }

  /** Every match's textContent. */
  texts(selector) {
    return this.evalAll(selector, (els) => els.map((el) => el.textContent));
  }

  count(selector) {
    return this.evalAll(selector, (els) => els.length);
  }

  /** The first match's attribute `name`, or null (waits for a match). */
  attribute(selector, name) {
    return this.#first(selector, (el, attr) => el.getAttribute(attr), name);
  }

  /** The first match's value (an input, select or textarea). */
  value(selector) {
    return this.#first(selector, (el) => el.value);
  }

  /** Whether the first match is visible now (no waiting). */
  async isVisible(selector) {
    return this.evaluate(inPage((h, s) => h.visible(h.queryAll(s)[0])), selector);
  }

  async isHidden(selector) {
    return !(await this.isVisible(selector));
  }

  isDisabled(selector) {
    return this.#first(selector, (el, _, h) => h.disabled(el));
  }

  isChecked(selector) {
    return this.#first(selector, (el) => el.checked === true);
  }

  /** The first match's box in viewport pixels: { x, y, width, height }. */
  box(selector) {
    return this.#first(selector, (el) => {
      const { x, y, width, height } = el.getBoundingClientRect();
      return { x, y, width, height };
    });
  }

  /** `fn(elements, arg)` in the page, with every match. */
  evalAll(selector, fn, arg) {
    return this.evaluate(withMatches(fn), { selector, arg });
  }
}

/** A page in its own browser context, with real input and `problems`. */
export class Page extends Scope {
  constructor(adapter) {
    super(async () => adapter.mainFrame());
    this.adapter = adapter;
    this.engine = ENGINE;
    /** Console errors, page errors and HTTP errors so far, as text. */
    this.problems = adapter.problems.list;
    this.keyboard = { press: (key) => adapter.keyboard.press(key), type: (text) => adapter.keyboard.type(text) };
    this.mouse = adapter.mouse;
  }

  /** Opens `url`; resolves once it has loaded, with the response's status and headers. */
  goto(url) {
    return this.adapter.goto(url);
  }

  reload() {
    return this.adapter.reload();
  }

  url() {
    return this.adapter.url();
  }

  /** Waits until the page's address matches `pattern` (after a navigation, say). */
  waitForURL(pattern, { timeout = TIMEOUT } = {}) {
    return this.adapter.waitForURL(pattern, timeout);
  }

  /** Only for checking that nothing changes for a while; never to wait for something. */
  waitForTimeout(ms) {
    return new Promise((resolve) => { setTimeout(resolve, ms); });
  }

  /** The document of the first iframe matching `selector`, to read and wait in. */
  frame(selector) {
    return new Scope(async () => {
      const handle = await this.adapter.elementHandle(selector);
      const frame = handle && await this.adapter.contentFrame(handle);
      if (!frame) throw new Error(`${selector} is not an iframe with a document`);
      return frame;
    });
  }

  /** Every document of the page (its own and its frames'), to evaluate in. */
  frames() {
    return this.adapter.frames().map((frame) => new Scope(async () => frame));
  }

  /**
   * The page's workers seen so far: `{ url, evaluate }`. `evaluate` is null where the engine
   * cannot run code in workers (Firefox's WebDriver BiDi, so far).
   */
  get workers() {
    return this.adapter.workers;
  }

  /** Calls `listener(worker)` for each worker the page starts from now on. */
  onWorker(listener) {
    this.adapter.workerListeners.push(listener);
  }

  /** Runs `fn` in every document before its own scripts (this page's later loads too). */
  addInitScript(fn) {
    return this.adapter.addInitScript(fn);
  }

  /** Makes the page's `prefers-color-scheme` 'light' or 'dark' (Chromium only, so far). */
  emulateColorScheme(scheme) {
    return this.adapter.emulateColorScheme(scheme);
  }

  async #pointAt(selector, { force = false, hasText, timeout = TIMEOUT } = {}) {
    const find = inPage((h, { selector, hasText, force }) => h.actionPoint(selector, hasText, force));
    const arg = { selector, hasText: textFilter(hasText), force };
    try {
      const point = await this.waitForFunction(inPage((h, a) => {
        const at = h.actionPoint(a.selector, a.hasText, a.force);
        return at.wait ? false : at;
      }), arg, { timeout });
      return point;
    } catch (error) {
      const why = await this.evaluate(find, arg).then((at) => at.wait ?? 'ready', () => 'the page went away');
      throw new Error(`cannot act on ${selector} within ${timeout} ms: ${why} (${error.message.split('\n')[0]})`);
    }
  }

  /**
   * Clicks the first match with the mouse, and makes sure the click reached it: one whose
   * events went elsewhere (the page moved in between) is kept from the page and made again.
   * `force` skips the visibility, enabled and cover checks, and that guard.
   */
  async click(selector, options = {}) {
    if (options.force) {
      const { x, y } = await this.#pointAt(selector, options);
      return this.adapter.mouse.click(x, y);
    }
    let missed = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      const { x, y } = await this.#pointAt(selector, options);
      await this.evaluate(inPage((h, a) => h.armClick(a.selector, a.hasText)), { selector, hasText: textFilter(options.hasText) });
      await this.adapter.mouse.click(x, y);
      // The engine may still be delivering the events when its click returns.
      const outcome = await this.waitForFunction(inPage((h) => {
        const o = h.clickOutcome();
        return o.landed || o.missed ? o : false;
      }), null, { timeout: 2_000 }).catch((error) => (/timeout|waiting/i.test(error.message) ? { landed: false, missed: 'no click event arrived' } : { landed: true }));
      if (outcome.landed) return;
      missed = outcome.missed;
      process.stderr.write(`e2e: a click on ${selector} missed it (${missed}); clicking again\n`);
    }
    throw new Error(`clicking ${selector} missed it three times: ${missed}`);
  }

  /** Moves the mouse over the first match. */
  async hover(selector, options = {}) {
    const { x, y } = await this.#pointAt(selector, options);
    await this.adapter.mouse.move(x, y);
  }

  /** Ticks a checkbox by clicking it, unless it is ticked already. */
  async check(selector) {
    if (!(await this.isChecked(selector))) await this.click(selector);
    if (!(await this.isChecked(selector))) throw new Error(`clicking ${selector} did not tick it`);
  }

  /** Focuses the first match (as element.focus() does). */
  async focus(selector) {
    await this.waitFor(selector, { state: 'attached' });
    await this.evaluate(inPage((h, s) => h.queryAll(s)[0].focus()), selector);
  }

  /** Focuses the first match and presses `key` (e.g. 'Enter', 'ArrowDown'). */
  async press(selector, key) {
    await this.focus(selector);
    await this.adapter.keyboard.press(key);
  }

  /** Replaces the text of an input with `text`, typed on the keyboard. */
  async fill(selector, text) {
    await this.#pointAt(selector);
    await this.evaluate(inPage((h, s) => {
      const el = h.queryAll(s)[0];
      el.focus();
      el.select();
    }), selector);
    if (text === '') await this.adapter.keyboard.press('Delete');
    else await this.adapter.keyboard.type(text);
    const value = await this.value(selector);
    if (value !== text) throw new Error(`typed ${JSON.stringify(text)} into ${selector}, which holds ${JSON.stringify(value)}`);
  }

  /** Picks the option whose value is `value` in a select, firing input and change as a user would. */
  async select(selector, value) {
    await this.#pointAt(selector);
    const found = await this.evaluate(inPage((h, { selector, value }) => {
      const el = h.queryAll(selector)[0];
      if (![...el.options].some((o) => o.value === value)) return false;
      el.focus();
      el.value = value;
      el.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return true;
    }), { selector, value });
    if (!found) throw new Error(`${selector} has no option ${JSON.stringify(value)}`);
  }

  /** Scrolls the first match into the middle of the view, unless all of it is in view. */
  async scrollIntoView(selector) {
    await this.waitFor(selector, { state: 'attached' });
    await this.evaluate(inPage((h, s) => h.scrollIntoView(h.queryAll(s)[0])), selector);
  }

  /**
   * Gives a file input these files: paths, or `{ name, text | buffer }` (written to a
   * temporary folder first, so the browser reads real files in either engine).
   */
  async setFiles(selector, files) {
    const paths = [files].flat().map((file) => {
      if (typeof file === 'string') return file;
      const dir = mkdtempSync(join(tmpdir(), 'backprop-e2e-upload-'));
      this.adapter.temporary.push(dir);
      const path = join(dir, file.name);
      writeFileSync(path, file.buffer ?? file.text);
      return path;
    });
    await this.waitFor(selector, { state: 'attached' });
    await this.adapter.setFiles(await this.adapter.elementHandle(selector), paths);
  }

  /**
   * Mouse strokes over the first match: each stroke is a list of [x, y] fractions (0..1) of
   * its box; the button is down from a stroke's first point to its last.
   */
  async drag(selector, strokes) {
    for (const points of await this.#strokePoints(selector, strokes)) {
      const [first, ...rest] = points;
      await this.adapter.mouse.move(first.x, first.y);
      await this.adapter.mouse.down();
      for (const p of rest) await this.adapter.mouse.move(p.x, p.y, { steps: 4 });
      await this.adapter.mouse.up();
    }
  }

  /** The same strokes drawn by one finger (touch input: touch and pointer events). */
  async touch(selector, strokes) {
    for (const points of await this.#strokePoints(selector, strokes)) await this.adapter.touchStroke(points);
  }

  async #strokePoints(selector, strokes) {
    await this.#pointAt(selector);
    const box = await this.box(selector);
    return strokes.map((stroke) => stroke.map(([x, y]) => ({ x: box.x + x * box.width, y: box.y + y * box.height })));
  }

  /** Saves a screenshot as tests/screenshots/<engine>-<name>.png. */
  async screenshot(name, { fullPage = false } = {}) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await this.adapter.screenshot(join(SCREENSHOTS, `${ENGINE}-${name}.png`), fullPage);
  }

  /**
   * Runs `action` (which should make the page download a file) and resolves with the file the
   * browser saved: `{ name, text }`.
   */
  download(action, { timeout = TIMEOUT } = {}) {
    return this.adapter.download(action, timeout);
  }

  /** Another tab in this page's browser context (the same storage), closed with it. */
  async openTab() {
    return new Page(await this.adapter.openTab());
  }

  /** Closes the page and its browser context. */
  close() {
    return this.adapter.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Problems: the same text in both engines.

/**
 * Records console errors, page errors and HTTP errors in `list`. Chromium also logs each
 * HTTP error as "Failed to load resource: ..." in the console; that line and the response
 * are one problem, `HTTP 404 /path`, whichever arrives first.
 */
class Problems {
  #unmatched = new Map();   // `${source} ${problem}` -> count
  list = [];

  console(text, url) {
    const status = /^Failed to load resource: the server responded with a status of (\d+)/.exec(text);
    if (status && url) this.#once('console', `HTTP ${status[1]} ${shortUrl(url)}`);
    else this.list.push(`console error: ${text}`);
  }

  pageError(message) {
    this.list.push(`page error: ${message}`);
  }

  response(status, url) {
    if (status >= 400) this.#once('response', `HTTP ${status} ${shortUrl(url)}`);
  }

  #once(source, problem) {
    const other = `${source === 'console' ? 'response' : 'console'} ${problem}`;
    const waiting = this.#unmatched.get(other) ?? 0;
    if (waiting > 0) {
      this.#unmatched.set(other, waiting - 1);
      return;
    }
    this.#unmatched.set(`${source} ${problem}`, (this.#unmatched.get(`${source} ${problem}`) ?? 0) + 1);
    this.list.push(problem);
  }
}

function shortUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol.startsWith('http') ? parsed.pathname + parsed.search : url;
  } catch {
    return url;
  }
}

// ---------------------------------------------------------------------------------------------
// The engines. What Playwright and Puppeteer share is here once; each subclass holds only what
// differs.

/** One document (a page's or an iframe's) of either library. */
class EngineFrame {
  constructor(frame, puppeteer) {
    this.raw = frame;
    this.puppeteer = puppeteer;
  }

  evaluate(fn, arg) {
    return this.raw.evaluate(fn, arg);
  }

  async waitForFunction(fn, arg, timeout) {
    const handle = this.puppeteer
      ? await this.raw.waitForFunction(fn, { timeout }, arg)
      : await this.raw.waitForFunction(fn, arg, { timeout });
    const value = await handle.jsonValue();
    await handle.dispose();
    return value;
  }
}

class EnginePage {
  constructor(context, page, { puppeteer = false, temporary = [] } = {}) {
    this.context = context;
    this.raw = page;
    this.puppeteer = puppeteer;
    this.problems = new Problems();
    this.workers = [];
    this.workerListeners = [];
    this.temporary = temporary;
    this.mouse = page.mouse;
    this.keyboard = page.keyboard;
    // Both engines report workers' console messages and uncaught errors (Firefox also CSP
    // violations) as the page's own.
    page.on('console', (message) => {
      if (message.type() === 'error') this.problems.console(message.text(), message.location()?.url);
    });
    // Firefox's messages start with the error's name ("Error: ..."); Chromium's do not.
    page.on('pageerror', (error) => this.problems.pageError(puppeteer ? error.message.replace(/^(?:Uncaught )?\w*Error: /, '') : error.message));
    page.on('response', (response) => this.problems.response(response.status(), response.url()));
  }

  addWorker(worker) {
    this.workers.push(worker);
    for (const listener of this.workerListeners) listener(worker);
  }

  mainFrame() {
    return new EngineFrame(this.raw.mainFrame(), this.puppeteer);
  }

  frames() {
    return this.raw.frames().map((frame) => new EngineFrame(frame, this.puppeteer));
  }

  async elementHandle(selector) {
    const handle = await this.raw.evaluateHandle(inPage((h, s) => h.queryAll(s)[0] ?? null), selector);
    return handle.asElement();
  }

  async contentFrame(handle) {
    const frame = await handle.contentFrame();
    return frame && new EngineFrame(frame, this.puppeteer);
  }

  async goto(url) {
    const response = await this.raw.goto(url);
    return { status: response.status(), headers: response.headers() };
  }

  reload() {
    return this.raw.reload();
  }

  url() {
    return this.raw.url();
  }

  screenshot(path, fullPage) {
    return this.raw.screenshot({ path, fullPage });
  }

  async close() {
    await this.context.close();
    for (const dir of this.temporary) rmSync(dir, { recursive: true, force: true });
  }
}

// Chromium: playwright-core.

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync',
  '--disable-component-update', '--no-first-run'];

class PlaywrightPage extends EnginePage {
  static async open(browser, viewport) {
    const { isMobile, hasTouch, deviceScaleFactor, ...size } = viewport;
    const context = await browser.newContext({ viewport: size, isMobile, hasTouch, deviceScaleFactor, acceptDownloads: true });
    return new PlaywrightPage(context, await context.newPage());
  }

  async openTab() {
    return new PlaywrightPage(this.context, await this.context.newPage());
  }

  constructor(context, page) {
    super(context, page);
    page.on('worker', (worker) => this.addWorker({ url: worker.url(), evaluate: (fn, arg) => worker.evaluate(fn, arg) }));
  }

  waitForURL(pattern, timeout) {
    return this.raw.waitForURL(pattern, { timeout });
  }

  addInitScript(fn) {
    return this.context.addInitScript(fn);
  }

  emulateColorScheme(colorScheme) {
    return this.raw.emulateMedia({ colorScheme });
  }

  setFiles(handle, paths) {
    return handle.setInputFiles(paths);
  }

  /** Touch through Chromium's DevTools protocol (Playwright has no touch strokes). */
  async touchStroke(points) {
    const cdp = await this.context.newCDPSession(this.raw);
    const [first, ...rest] = points;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [first] });
    for (const point of rest) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [point] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
  }

  async download(action, timeout) {
    const [download] = await Promise.all([this.raw.waitForEvent('download', { timeout }), action()]);
    return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
  }
}

// Firefox: puppeteer-core over WebDriver BiDi.

class PuppeteerPage extends EnginePage {
  static async open(browser, viewport) {
    // Downloads go where the driver can read them: the browser saves each one under its name.
    const downloads = mkdtempSync(join(tmpdir(), 'backprop-e2e-downloads-'));
    const context = await browser.createBrowserContext({ downloadBehavior: { policy: 'allow', downloadPath: downloads } });
    const page = await context.newPage();
    // Firefox's BiDi has no mobile layout emulation (isMobile) and, so far, no touch override
    // (navigator.maxTouchPoints stays 0); size, pixel ratio and touch input itself work.
    await page.setViewport(viewport);
    return new PuppeteerPage(context, page, downloads);
  }

  async openTab() {
    const page = await this.context.newPage();
    await page.setViewport(this.raw.viewport());
    return new PuppeteerPage(this.context, page, this.downloads);
  }

  constructor(context, page, downloads) {
    super(context, page, { puppeteer: true, temporary: [downloads] });
    this.downloads = downloads;
    // Firefox tells of workers but cannot yet evaluate in them ("no such frame").
    page.on('workercreated', (worker) => this.addWorker({ url: worker.url(), evaluate: null }));
  }

  /** Resolves on the navigation that brings the address to `pattern` (or at once). */
  waitForURL(pattern, timeout) {
    const ok = () => pattern.test(this.raw.url());
    if (ok()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (error) => {
        clearTimeout(timer);
        this.raw.off('framenavigated', onNavigated);
        if (error) reject(error); else resolve();
      };
      const onNavigated = () => { if (ok()) done(); };
      const timer = setTimeout(() => done(new Error(`the address did not match ${pattern} within ${timeout} ms: ${this.raw.url()}`)), timeout);
      this.raw.on('framenavigated', onNavigated);
    });
  }

  addInitScript(fn) {
    return this.raw.evaluateOnNewDocument(fn);
  }

  emulateColorScheme() {
    throw new Error('Firefox\'s WebDriver BiDi cannot emulate prefers-color-scheme yet');
  }

  setFiles(handle, paths) {
    return handle.uploadFile(...paths);
  }

  /** Touch through WebDriver BiDi input actions of pointer type "touch". */
  async touchStroke(points) {
    const [first, ...rest] = points;
    const touch = await this.raw.touchscreen.touchStart(first.x, first.y);
    for (const point of rest) await touch.move(point.x, point.y);
    await touch.end();
  }

  /**
   * The next file the browser finishes saving in this page's download folder, as WebDriver
   * BiDi's browsingContext.downloadEnd event tells (puppeteer subscribes to that module).
   */
  async download(action, timeout) {
    const connection = this.raw.browser().connection;
    let onEnd;
    let timer;
    const ended = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no download finished within ${timeout} ms`)), timeout);
      onEnd = (event) => {
        if (event.filepath && dirname(event.filepath) !== this.downloads) return;
        if (event.status === 'complete') resolve(event.filepath);
        else reject(new Error(`the download of ${event.url} was ${event.status}`));
      };
      connection.on('browsingContext.downloadEnd', onEnd);
    });
    try {
      await action();
      const path = await ended;
      return { name: basename(path), text: readFileSync(path, 'utf8') };
    } finally {
      clearTimeout(timer);
      connection.off('browsingContext.downloadEnd', onEnd);
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** Starts the engine E2E_BROWSER names. `newPage({ viewport })` opens a page in a fresh context. */
export async function launch() {
  let browser;
  let open;
  if (ENGINE === 'chromium') {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    open = PlaywrightPage.open;
  } else {
    const { default: puppeteer } = await import('puppeteer-core');
    browser = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
      headless: true,
      extraPrefsFirefox: {
        'app.update.enabled': false,
        'network.captive-portal-service.enabled': false,
        'browser.safebrowsing.downloads.remote.enabled': false,
      },
    });
    open = PuppeteerPage.open;
  }
  const pages = [];
  return {
    engine: ENGINE,
    async newPage({ viewport = DESKTOP } = {}) {
      const page = new Page(await open(browser, viewport));
      pages.push(page);
      return page;
    },
    async close() {
      await Promise.allSettled(pages.map((page) => page.adapter.close()));
      await browser.close();
    },
  };
}
