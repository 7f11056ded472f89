// The address bar's hash, in and out: `state.settings` is mirrored in it (without history
// entries), and a link opens the page as it says: the network (replaying its training steps,
// or its model file), then the held-out digit, desired label, backprop step and card.
import { pageDefaults, readSettings, settingsHash } from './url-state.js';

const CARDS = { draw: '.draw-card', network: '.network-card', backprop: '.backprop-card', train: '.train-card' };

/** Mirrors `state.settings` in the address bar (without history entries). */
export function writeHash(state) {
  const hash = settingsHash(state.settings);
  if (hash === state.hash) return;
  state.hash = hash;
  history.replaceState(null, '', hash === '#' ? location.pathname + location.search : hash);
}

/** Records what the learner looks at (digit, desired label, lesson step) in the link. */
export function showInLink(state, values) {
  state.settings = { ...state.settings, ...values };
  writeHash(state);
}

/** `selector`: the card a link's `view` names, or null for the whole page. */
export function scrollToCard(selector) {
  if (selector) document.querySelector(selector).scrollIntoView({ block: 'start' });
}

/**
 * `training`, `models` and `prediction` are the panels that build the network, load a
 * linked model file and show a held-out digit; `recompute` brings the lesson up to date.
 */
export function createLinkState({ state, dom, notify, player, training, models, prediction, recompute }) {
  function reportLinkProblems(notices) {
    if (notices.length) {
      notify('Parts of this link could not be used; the page fell back to its defaults for them:', 'warning',
        notices.map(({ key, message }) => `the link's ${key} ${message}`));
    }
  }

  async function configureOrDefault(settings) {
    try {
      await training.configure(settings);
    } catch (e) {
      notify(`The link's settings were refused (${e.message}); the defaults are used instead.`, 'warning');
      await training.configure(pageDefaults());
    }
  }

  /** Opens the page as a link's settings `text` says; resolves to the selector of the card it names, or null. */
  async function openLink(text) {
    const { settings, notices } = readSettings(text);
    reportLinkProblems(notices);
    if (settings.steps > 0 && !settings.model) dom.loading.textContent = `Replaying the link's ${settings.steps} training steps…`;
    await configureOrDefault({ ...settings, steps: settings.model ? 0 : settings.steps });
    if (settings.model) await models.loadLinkedModel(settings.model);
    const { digit, label, backpropStep, view: card } = settings;
    if (digit !== null && digit >= state.heldout.length) {
      notify(`The link's digit ${digit} is not one of the ${state.heldout.length} held-out examples (0 to ${state.heldout.length - 1}); a random one is shown.`, 'warning');
    }
    if (digit !== null && digit < state.heldout.length) prediction.loadSample(digit);
    else prediction.randomSample();
    if (label !== null) {
      state.desired = label;
      showInLink(state, { label });
    }
    recompute();
    if (backpropStep !== null) {
      const apply = player.applyIndex();
      if (backpropStep > apply) notify(`This network's lesson has steps 1 to ${apply}; the link's step ${backpropStep} is past them, so step ${apply - 1} is shown.`, 'warning');
      player.pause();
      await player.go(backpropStep > apply ? apply - 1 : backpropStep);
    }
    return CARDS[card] ?? null;
  }

  /** Follows a hash the learner typed or a link the page was sent to; its own writes are
   *  ignored. Resolves to the card the link names, as `openLink` does. */
  async function onHashChange() {
    if (location.hash === state.hash || (location.hash === '' && state.hash === '#')) return null;
    return openLink(location.hash.replace(/^#/, ''));
  }

  return { openLink, onHashChange };
}
