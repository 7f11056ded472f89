// The playground's address: the session's link settings, written to the hash as they change
// (without history entries), and links opened as they say, with every part that could not be
// honoured reported in words.
import { openRun } from '../js/open-run.js';
import { pageDefaults, readSettings, settingsText } from '../js/settings.js';
import { linkSettings } from '../js/session.js';

const CARDS = { draw: '.draw-card', network: '.network-card', backprop: '.backprop-card', train: '.train-card' };
const LINKED = ['settings', 'network', 'digit', 'desired', 'lesson', 'ownData'];
const TRAINING_ADDRESS_MS = 1000;

/** `selector`: the card a link's `view` names, or null for the whole page. */
export function scrollToCard(selector) {
  if (selector) document.querySelector(selector).scrollIntoView({ block: 'start' });
}

/** `notify(text, kind, details)` reports; `modelMessage(text)` says what model was loaded. */
export function createLink(session, { notify, modelMessage }) {
  let written = null;

  function problemText(problem) {
    switch (problem.key) {
      case 'model': return `The link's model "${problem.model}" could not be loaded (${problem.message}); the network from the link's other settings is shown.`;
      case 'settings': return `The link's settings were refused (${problem.message}); the defaults are used instead.`;
      case 'digit': return `The link's digit ${problem.digit} is not one of the ${problem.count} held-out examples (0 to ${problem.count - 1}); a random one is shown.`;
      default: return `This network's lesson has steps 1 to ${problem.last}; the link's step ${problem.step} is past them, so step ${problem.last - 1} is shown.`;
    }
  }

  /** Opens the page as a link's settings `text` says; resolves to the selector of the card it names, or null. */
  async function open(text) {
    const { settings, notices } = readSettings(text);
    if (notices.length) {
      notify('Parts of this link could not be used; the page fell back to its defaults for them:', 'warning',
        notices.map(({ key, message }) => `the link's ${key} ${message}`));
    }
    const problems = await openRun(session, settings, { modelBase: location.href, fallback: pageDefaults(), randomDigit: true });
    for (const problem of problems) notify(problemText(problem), 'warning');
    if (settings.model && !problems.some((p) => p.key === 'model')) modelMessage(`Loaded the link's model ${settings.model}.`);
    write(session.state);
    return CARDS[settings.view] ?? null;
  }

  function write(state) {
    if (!state.network || !state.digit) return;
    const text = settingsText(linkSettings(state));
    if (text === written) return;
    written = text;
    history.replaceState(null, '', text ? `#${text}` : location.pathname + location.search);
  }

  /** Follows a hash the learner typed or a link the page was sent to; its own writes are ignored. */
  function onHashChange() {
    const text = location.hash.replace(/^#/, '');
    if (text === written) return Promise.resolve(null);
    written = text;
    return open(text);
  }

  return {
    open,
    onHashChange,
    /** From now on the address follows the session. */
    follow() {
      let timer = 0;
      session.subscribe((state, changed) => {
        if (!LINKED.some((key) => changed.has(key))) return;
        // While training, every snapshot moves the step: the address follows once a second.
        if (state.training.playing) {
          timer ||= setTimeout(() => {
            timer = 0;
            write(session.state);
          }, TRAINING_ADDRESS_MS);
          return;
        }
        clearTimeout(timer);
        timer = 0;
        write(state);
      });
    },
  };
}
