// Card 5's training half: the Train / one mini-batch / Reset / pace controls (and the "Train
// it" button by the bars), which buttons are usable while the worker is busy, the statistics,
// the loss and accuracy charts, the confusion matrix and mistakes gallery, and the divergence
// alert with its restore buttons.
import { drawChart } from './charts.js';
import { percent } from './format.js';
import { writeHash } from './link-state.js';
import { palette } from './palette.js';
import { drawConfusion, drawGallery } from './results.js';
import { networkOptions, shortestFloat32 } from './url-state.js';

const CHART_EMPTY = 'Press Train to start';
const RATE_DIVISOR = 10;   // "lower the learning rate" divides it by this

/**
 * `trainer`: the TrainerClient; `showSettings` refills the settings controls from
 * `state.settings`; `onPickMistake(index)` starts a lesson on a held-out example from the gallery.
 */
export function createTrainingPanel({ state, dom, trainer, notify, showSettings, onPickMistake }) {
  function updateTrainButtons() {
    const playing = state.training.playing;
    dom.trainPlay.textContent = playing ? '❚❚ Pause' : '▶ Train';
    dom.trainPlay.setAttribute('aria-pressed', String(playing));
    for (const button of [dom.trainReset, dom.save, dom.restoreWeights, dom.lowerRate, dom.useData]) button.disabled = state.busy;
    dom.useDigits.disabled = state.busy || !state.ownData;
    for (const button of [dom.trainPlay, dom.trainStep]) button.disabled = state.busy || Boolean(state.diverged);
  }

  /** Runs `task` with the buttons that would interfere disabled. */
  async function busy(task) {
    state.busy = true;
    updateTrainButtons();
    try {
      return await task();
    } finally {
      state.busy = false;
      updateTrainButtons();
    }
  }

  /** Takes in a worker snapshot: statistics, history, the next network copy, divergence. */
  function applySnapshot(snapshot) {
    const t = state.training;
    t.steps = snapshot.steps;
    t.epoch = snapshot.epoch;
    t.examplesPerSecond = snapshot.examplesPerSecond;
    t.history = snapshot.history;
    t.confusion = snapshot.confusion;
    if (typeof snapshot.playing === 'boolean') t.playing = snapshot.playing;
    if (snapshot.model) {
      state.pendingModel = snapshot.model;
      state.pendingParameters = null;
      state.netStep = snapshot.modelSteps;
    } else if (snapshot.parameters) {
      state.pendingParameters = snapshot.parameters;
      state.netStep = snapshot.modelSteps;
    }
    state.settings.steps = snapshot.steps;
    writeHash(state);
    showDiverged(snapshot.diverged ?? null);
    state.dirty.charts = true;
    state.dirty.results = true;
    updateTrainButtons();
  }

  /** Builds the network for `settings` in the worker (replaying its steps) and shows it. */
  async function configure(settings, { keepPlaying = false } = {}) {
    const wasPlaying = state.training.playing;
    const snapshot = await busy(() => trainer.configure(networkOptions(settings), settings.steps));
    state.settings = { ...settings, steps: snapshot.steps, model: null };
    state.loadedModel = false;
    applySnapshot(snapshot);
    showSettings();
    if (keepPlaying && wasPlaying) await togglePlay();
  }

  async function togglePlay() {
    if (state.training.playing) {
      applySnapshot(await trainer.pause());
    } else {
      await trainer.play();
      state.training.playing = true;
      state.dirty.results = true;
      state.dirty.charts = true;
      updateTrainButtons();
    }
  }

  function showDiverged(message) {
    state.diverged = message;
    dom.diverged.hidden = !message;
    if (!message) return;
    const lr = shortestFloat32(state.settings.training.learningRate);
    dom.divergedMessage.textContent = `${message[0].toUpperCase()}${message.slice(1)}${message.endsWith('.') ? '' : '.'}`;
    dom.divergedDetail.textContent = `Training is paused. The pictures show the last good copy of the network, from step ${state.netStep}; the diverged one cannot be trained further or saved. Restore the weights from before the failing update, or lower the learning rate from ${lr} to ${shortestFloat32(lr / RATE_DIVISOR)} and restore them.`;
    dom.lowerRate.textContent = `Lower the learning rate to ${shortestFloat32(lr / RATE_DIVISOR)}`;
  }

  /** Brings back the weights from before the diverging update; `lower` also divides the learning rate by 10. */
  async function restoreWeights(lower) {
    try {
      const training = lower ? { ...state.settings.training, learningRate: state.settings.training.learningRate / RATE_DIVISOR } : null;
      const snapshot = await busy(() => trainer.restore(training));
      if (training) state.settings = { ...state.settings, training };
      applySnapshot(snapshot);
      showSettings();
      notify(lower
        ? `Restored the weights from step ${snapshot.steps} and lowered the learning rate to ${shortestFloat32(training.learningRate)}. Training continues from here when you press Train; a link replays the whole run at the new rate, so it will not repeat these weights exactly.`
        : `Restored the weights from step ${snapshot.steps}. Training at the same learning rate will probably diverge again.`);
    } catch (e) {
      notify(`Could not restore the weights: ${e.message}`, 'error');
    }
  }

  /** The statistics and the two charts. */
  function drawTraining() {
    const t = state.training;
    dom.stat.step.textContent = String(t.steps);
    dom.stat.epoch.textContent = t.epoch.toFixed(2);
    dom.stat.speed.textContent = t.playing && t.examplesPerSecond ? t.examplesPerSecond.toLocaleString('en') : '–';
    dom.untrained.hidden = t.steps > 0 || t.playing || state.loadedModel;
    const last = t.history.at(-1);
    dom.stat.heldout.textContent = last ? percent(last.heldoutAccuracy) : '–';
    dom.stat.heldout.dataset.value = last ? String(last.heldoutAccuracy) : '';
    const c = palette();
    const epochs = [];
    t.history.forEach((p, i) => {
      if (i > 0 && Math.floor(p.epoch) > Math.floor(t.history[i - 1].epoch)) epochs.push(p.step);
    });
    drawChart(dom.lossChart, {
      series: [{ points: t.history.map((p) => [p.step, p.loss]), colour: c.negative }],
      marks: epochs, yMin: 0, yMax: null, format: (y) => y.toFixed(1), empty: CHART_EMPTY,
    });
    drawChart(dom.accuracyChart, {
      marks: epochs,
      series: [
        { points: t.history.map((p) => [p.step, p.trainAccuracy]), colour: c.rise },
        { points: t.history.map((p) => [p.step, p.heldoutAccuracy]), colour: c.positive },
      ],
      yMin: 0, yMax: 1, format: (y) => `${Math.round(y * 100)}%`, empty: CHART_EMPTY,
    });
  }

  /** The confusion matrix and, while training is paused, the held-out examples it gets wrong. */
  async function drawResults() {
    const t = state.training;
    if (t.confusion) drawConfusion(dom.confusion, t.confusion);
    if (t.playing || state.diverged || (t.steps === 0 && !state.loadedModel)) {
      const examples = state.ownData ? 'examples' : 'digits';
      if (state.diverged) dom.galleryEmpty.textContent = `Training diverged: restore the last good weights to see the held-out ${examples} it gets wrong.`;
      else if (t.playing) dom.galleryEmpty.textContent = `Pause training to see the held-out ${examples} it still gets wrong.`;
      else dom.galleryEmpty.textContent = `Train the network first; then the held-out ${examples} it still gets wrong appear here.`;
      dom.gallery.replaceChildren();
      return;
    }
    const { mistakes, total } = await trainer.mistakes();
    const examples = state.ownData ? 'examples' : 'digits';
    dom.galleryEmpty.textContent = total === 0
      ? `It gets every held-out ${examples.slice(0, -1)} right.`
      : `It gets ${total} of ${state.heldout.length} held-out ${examples} wrong${total > mistakes.length ? `; here are the first ${mistakes.length}` : ''}.`;
    drawGallery(dom.gallery, mistakes, state.heldout, onPickMistake);
  }

  const failed = (e) => notify(e.message, 'error');
  dom.trainPlay.addEventListener('click', () => togglePlay().catch(failed));
  dom.quickTrain.addEventListener('click', () => {
    if (!state.training.playing) togglePlay().catch(failed);
  });
  dom.trainStep.addEventListener('click', async () => {
    try {
      applySnapshot(await busy(() => trainer.step()));
    } catch (e) {
      failed(e);
    }
  });
  dom.trainReset.addEventListener('click', () => configure({ ...state.settings, steps: 0 }).catch(failed));
  dom.restoreWeights.addEventListener('click', () => restoreWeights(false));
  dom.lowerRate.addEventListener('click', () => restoreWeights(true));
  dom.pace.addEventListener('change', () => {
    trainer.pace(dom.pace.value ? Number(dom.pace.value) : null).catch(failed);
  });

  return { busy, configure, applySnapshot, updateTrainButtons, drawTraining, drawResults };
}
