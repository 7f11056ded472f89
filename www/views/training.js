// Training: Train / one mini-batch / Reset, the pace and when to stop, the statistics, the
// loss and accuracy charts, and the alerts for a run that diverged (NaN) or collapsed (stuck at
// guessing, without any NaN), with their remedies. Starting training brings the charts into view.
import { num, percent } from '../js/format.js';
import { shortestFloat32 } from '../js/settings.js';
import { drawChart } from './charts.js';
import { button, el } from './dom.js';
import { themeOf } from './theme.js';
import { touched, watch } from './watch.js';

const RATE_DIVISOR = 10;   // "lower the learning rate" divides it by this
const PACES = [['watch', 'Watch the first epoch, then full speed'], ['', 'Full speed'], ['20', 'Slow (20 batches/s)'], ['4', 'Very slow (4/s)']];


/**
 * `controls`: the buttons and settings of training. Returns `{ element, controls, charts,
 * destroy }`: `controls` (buttons, statistics, alerts) and `charts` for pages that place
 * them apart; `element` holds both.
 */
export function trainingView(session, { controls = true } = {}) {
  const failed = (e) => session.emit('notice', { text: e.message, kind: 'error' });
  const playButton = button('▶ Train', () => session.togglePlay().catch(failed), { id: 'train-play', class: 'primary', 'aria-pressed': 'false' });
  const stepButton = button('One mini-batch', () => session.trainStep().catch(failed), { id: 'train-step' });
  const resetButton = button('Reset', () => session.reset().catch(failed), { id: 'train-reset' });
  const pace = el('select', { id: 'train-pace' }, PACES.map(([value, text]) => el('option', { value }, [text])));
  pace.addEventListener('change', () => {
    session.setPace(pace.value === 'watch' ? 'watch' : pace.value ? Number(pace.value) : null).catch(failed);
  });
  const epochs = el('input', { id: 'train-epochs', type: 'number', min: '1', max: '10000', step: '1', inputmode: 'numeric' });
  epochs.addEventListener('change', () => {
    const n = Number(epochs.value);
    const valid = Number.isInteger(n) && n >= 1 && n <= 10000;
    epochs.setAttribute('aria-invalid', String(!valid && epochs.value !== ''));
    if (valid || epochs.value === '') session.setEpochLimit(valid ? n : null);
  });
  const stat = (label, id, key) => {
    const dd = el('dd', { id, 'data-stat': key }, ['–']);
    return { dd, item: el('div', {}, [el('dt', {}, [label]), dd]) };
  };
  const stats = {
    step: stat('Step', 'stat-step', 'steps'),
    examples: stat('Examples seen', 'stat-examples', 'examples'),
    epoch: stat('Epoch', 'stat-epoch', 'epoch'),
    speed: stat('Examples / s', 'stat-speed', 'speed'),
    threads: stat('Threads', 'stat-threads', 'threads'),
    heldout: stat('Held-out accuracy', 'stat-heldout', 'heldout'),
    loss: stat('Held-out loss', 'stat-loss', 'heldout-loss'),
  };
  const status = el('p', { id: 'train-status', class: 'train-status hint', 'aria-live': 'polite' });
  const divergedMessage = el('p', { id: 'diverged-message', class: 'alert-message' });
  const divergedDetail = el('p', { id: 'diverged-detail', class: 'alert-detail' });
  const restore = button('Restore last good weights', () => restoreWeights(false), { id: 'restore-weights', class: 'primary' });
  const lower = button('Lower the learning rate', () => restoreWeights(true), { id: 'lower-lr' });
  const diverged = el('div', { id: 'diverged', class: 'alert', role: 'alert', hidden: '' }, [
    divergedMessage, divergedDetail, ...(controls ? [el('div', { class: 'buttons' }, [restore, lower])] : []),
  ]);
  const collapsedMessage = el('p', { id: 'collapsed-message', class: 'alert-message' });
  const collapseLower = button('Lower the learning rate and start again', () => lowerAndRestart(), { id: 'collapse-lower', class: 'primary' });
  const collapsed = el('div', { id: 'collapsed', class: 'alert', role: 'alert', hidden: '' }, [
    collapsedMessage, ...(controls ? [el('div', { class: 'buttons' }, [collapseLower, button('Start again', () => session.reset().catch(failed))])] : []),
  ]);
  const lossChart = el('canvas', { id: 'loss-chart', class: 'chart', role: 'img', 'aria-label': 'Training loss over steps' });
  const accuracyChart = el('canvas', { id: 'accuracy-chart', class: 'chart', role: 'img', 'aria-label': 'Training and held-out accuracy over steps' });
  const trainKey = el('span', { id: 'train-key' });
  const heldoutKey = el('span', { id: 'heldout-key' });
  const charts = el('div', { class: 'charts' }, [
    el('figure', {}, [lossChart, el('figcaption', {}, ['Training loss (mean over the mini-batches since the last point)'])]),
    el('figure', {}, [accuracyChart, el('figcaption', {}, [
      el('span', { class: 'key-item' }, [el('span', { class: 'key key-train' }), trainKey]),
      el('span', { class: 'key-item' }, [el('span', { class: 'key key-heldout' }), heldoutKey]),
    ])]),
  ]);
  const bar = el('div', { class: 'train-bar' }, [
    ...(controls ? [el('div', { class: 'buttons', role: 'group', 'aria-label': 'Training' }, [
      playButton, stepButton, resetButton,
      el('label', { class: 'pace' }, ['Pace ', pace]),
      el('label', { class: 'epochs' }, ['Stop after ', epochs, ' epochs']),
    ])] : []),
    el('dl', { class: 'stats' }, Object.values(stats).map((s) => s.item)),
  ]);
  const controlsPart = el('div', { class: 'training-controls' }, [bar, status, diverged, collapsed]);
  const element = el('div', { class: 'training-view' }, [controlsPart, charts]);

  async function restoreWeights(lowerRate) {
    try {
      const snapshot = await session.restore({ lower: lowerRate, divisor: RATE_DIVISOR });
      const lr = shortestFloat32(session.state.settings.training.learningRate);
      session.emit('notice', {
        kind: 'info',
        text: lowerRate
          ? `Restored the weights from step ${snapshot.steps} and lowered the learning rate to ${lr}. Training continues from here when you press Train; a link replays the whole run at the new rate, so it will not repeat these weights exactly.`
          : `Restored the weights from step ${snapshot.steps}. Training at the same learning rate will probably diverge again.`,
      });
    } catch (e) {
      failed(new Error(`Could not restore the weights: ${e.message}`));
    }
  }

  function lowerAndRestart() {
    const lr = session.state.settings.training.learningRate;
    session.changeSetting('lr', String(shortestFloat32(lr / RATE_DIVISOR)), (settings) => ({
      settings: { ...settings, training: { ...settings.training, learningRate: lr / RATE_DIVISOR } },
    })).catch(failed);
  }

  let wasPlaying = false;
  const view = watch(session, (state, changed) => {
    const { training, diverged: message, collapse, evaluation, settings, network, busy, ownData } = state;
    if (!network) return;
    const { playing } = training;
    playButton.textContent = playing ? '❚❚ Pause' : '▶ Train';
    playButton.setAttribute('aria-pressed', String(playing));
    for (const b of [playButton, stepButton]) b.disabled = busy || Boolean(message);
    for (const b of [resetButton, restore, lower, collapseLower]) b.disabled = busy;
    pace.value = training.pace === 'watch' ? 'watch' : training.pace === null ? '' : String(training.pace);
    if (epochs.getRootNode().activeElement !== epochs) epochs.value = training.epochLimit ?? '';
    stats.step.dd.textContent = String(training.steps);
    stats.examples.dd.textContent = (training.steps * network.options.training.batchSize).toLocaleString('en');
    stats.epoch.dd.textContent = training.epoch.toFixed(2);
    stats.speed.dd.textContent = playing && training.examplesPerSecond ? training.examplesPerSecond.toLocaleString('en') : '–';
    stats.threads.dd.textContent = String(training.threads ?? 1);
    stats.heldout.dd.textContent = evaluation ? percent(evaluation.accuracy) : '–';
    stats.heldout.dd.dataset.value = evaluation ? String(evaluation.accuracy) : '';
    stats.loss.dd.textContent = evaluation ? num(evaluation.loss) : '–';
    stats.loss.dd.dataset.value = evaluation ? String(evaluation.loss) : '';
    for (const s of [stats.heldout, stats.loss]) s.dd.classList.toggle('stale', state.stale);
    status.textContent = statusLine(state);
    if (playing && !wasPlaying && controls) charts.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    wasPlaying = playing;

    const lr = shortestFloat32(settings.training.learningRate);
    const lowered = shortestFloat32(lr / RATE_DIVISOR);
    diverged.hidden = !message;
    if (message) {
      divergedMessage.textContent = `${message[0].toUpperCase()}${message.slice(1)}${message.endsWith('.') ? '' : '.'}`;
      divergedDetail.textContent = `Training is paused, and the failing update changed nothing: the network is the last good copy of the network, from step ${network.step}. Restore it to train on at the same rate (it will probably diverge again), or lower the learning rate from ${lr} to ${lowered}.`;
      lower.textContent = `Lower the learning rate to ${lowered}`;
    }
    collapsed.hidden = !collapse;
    if (collapse) {
      const silent = collapse.silentShare > 0.5 ? ` ${Math.round(collapse.silentShare * 100)}% of its hidden neurons output 0 for every digit: silent neurons pass nothing on and no longer learn.` : '';
      collapsedMessage.textContent = `Training has stalled, though nothing became NaN: the loss is stuck at ${collapse.loss.toFixed(2)}, what blind guessing among ten digits costs (ln 10 = 2.30), and the network answers ${collapse.favourite} for ${Math.round(collapse.share * 100)}% of the held-out digits.${silent} The learning rate ${lr} is probably too high.`;
      collapseLower.textContent = `Lower the learning rate to ${lowered} and start again`;
    }

    const own = ownData;
    trainKey.textContent = own ? `Training accuracy (first ${Math.min(1000, own.train).toLocaleString('en')} training examples)` : 'Training accuracy (first 1,000 training digits)';
    heldoutKey.textContent = own ? `Held-out accuracy (last 10% of your data: ${own.heldout.toLocaleString('en')} examples)` : 'Held-out accuracy (1,000 unseen digits)';
    const c = themeOf(lossChart);
    const empty = controls ? 'Press Train to start' : 'Not trained yet';
    const { history } = training;
    const marks = [];   // where each epoch (one pass over the training digits) ends
    history.forEach((p, i) => {
      if (i > 0 && Math.floor(p.epoch) > Math.floor(history[i - 1].epoch)) marks.push(p.step);
    });
    const size = view.size(lossChart);
    if (size.width === 0 || !touched(changed, 'training', 'ownData', 'size', 'colours')) return;
    drawChart(lossChart, {
      series: [{ points: history.map((p) => [p.step, p.loss]), colour: c.negative }],
      marks, yMin: 0, yMax: null, empty,
    }, size);
    drawChart(accuracyChart, {
      marks,
      series: [
        { points: history.map((p) => [p.step, p.trainAccuracy]), colour: c.rise },
        { points: history.map((p) => [p.step, p.heldoutAccuracy]), colour: c.positive },
      ],
      yMin: 0, yMax: 1, format: (y) => `${Math.round(y * 100)}%`, empty,
    }, view.size(accuracyChart));
  });
  view.observe(lossChart);
  view.observe(accuracyChart);
  return { element, controls: controlsPart, charts, destroy: view.destroy };
}

function statusLine({ training, progress }) {
  if (progress) return `Replaying the link's training: step ${progress.done.toLocaleString('en')} of ${progress.total.toLocaleString('en')}…`;
  if (training.stopped === 'epochs') return `Stopped by itself after ${training.epochLimit} epoch${training.epochLimit === 1 ? '' : 's'}. Press Train to go on.`;
  if (training.playing && training.pace === 'watch' && training.epoch < 1) return 'The first epoch runs slowly, so you can watch the network learn; then it trains at full speed.';
  return '';
}
