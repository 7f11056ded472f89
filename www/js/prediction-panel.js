// Cards 1 and 2: the digit the network looks at (a held-out sample or the learner's drawing),
// its 28×28 preview, and the bars of the network's ten outputs with the summary line.
import { argmax, num, percent } from './format.js';
import { showInLink } from './link-state.js';

const SIDE = 28;
const DIGITS = 10;

/** The digit the lesson teaches: the learner's pick, else the sample's label, else the network's answer. */
export function desiredLabel(state) {
  if (state.desired !== null) return state.desired;
  if (state.digit.label !== null) return state.digit.label;
  return state.prediction ? argmax(state.prediction) : 0;
}

/** `pad`: the DrawingPad; `player`: the BackpropPlayer, whose applied lesson the bars mark. */
export function createPredictionPanel({ state, dom, pad, player }) {
  function loadSample(index) {
    const { heldout } = state;
    state.digit = { source: 'sample', index, label: heldout.label(index), input: heldout.input(index) };
    state.desired = null;
    pad.showImage(heldout.image(index));
    dom.source.textContent = state.ownData
      ? `Held-out example #${index} of your data: its label is ${state.digit.label}. The network never trains on it.`
      : `Held-out digit #${index}: it is a ${state.digit.label}. The network never trains on it.`;
    dom.source.dataset.index = String(index);
    dom.source.dataset.label = String(state.digit.label);
    state.dirty.model = true;
    // A link names held-out MNIST digits only: the learner's files are not part of it.
    showInLink(state, { digit: state.ownData ? null : index, label: null });
  }

  function randomSample() {
    loadSample(Math.floor(Math.random() * state.heldout.length));
  }

  function clearPad() {
    pad.clear();
    state.digit = { source: 'drawing', index: null, label: null, input: new Float32Array(SIDE * SIDE) };
    state.desired = null;
    dom.source.textContent = 'Draw a digit in the square.';
    delete dom.source.dataset.index;
    delete dom.source.dataset.label;
    state.dirty.model = true;
    showInLink(state, { digit: null, label: null });
  }

  /** Takes the pad's drawing as the input (if it has ink). */
  function readDrawing() {
    const input = pad.input();
    if (!input) return;
    if (state.digit.source !== 'drawing') {
      state.desired = null;
      dom.source.textContent = 'Your drawing, fitted into 20×20 pixels and centred by its centre of mass, as MNIST digits were.';
      delete dom.source.dataset.index;
      delete dom.source.dataset.label;
      showInLink(state, { digit: null, label: null });
    }
    state.digit = { source: 'drawing', index: null, label: null, input };
  }

  function drawPreview() {
    const ctx = dom.preview.getContext('2d');
    const image = new ImageData(SIDE, SIDE);
    state.digit.input.forEach((v, i) => {
      const g = 255 - Math.round(v * 255);
      image.data.set([g, g, g, 255], i * 4);
    });
    ctx.putImageData(image, 0, 0);
  }

  function buildBars() {
    const items = [];
    for (let d = 0; d < DIGITS; d++) {
      const li = document.createElement('li');
      li.className = 'bar';
      li.dataset.digit = String(d);
      const label = document.createElement('span');
      label.className = 'bar-label';
      label.textContent = String(d);
      const track = document.createElement('span');
      track.className = 'bar-track';
      const before = document.createElement('span');
      before.className = 'bar-before';
      const fill = document.createElement('span');
      fill.className = 'bar-fill';
      track.append(before, fill);
      const value = document.createElement('span');
      value.className = 'bar-value';
      li.append(label, track, value);
      items.push(li);
    }
    dom.bars.replaceChildren(...items);
  }

  function drawBars() {
    const p = state.prediction;
    const best = argmax(p);
    const desired = desiredLabel(state);
    const applied = player.applied;
    [...dom.bars.children].forEach((li, d) => {
      li.classList.toggle('best', d === best);
      li.classList.toggle('desired', d === desired);
      li.querySelector('.bar-fill').style.width = `${Math.max(0, Math.min(1, p[d])) * 100}%`;
      const before = li.querySelector('.bar-before');
      before.hidden = !applied;
      if (applied) before.style.left = `${Math.max(0, Math.min(1, applied.before[d])) * 100}%`;
      li.querySelector('.bar-value').textContent = state.derived.probabilities ? percent(p[d]) : num(p[d]);
    });
    const blank = state.digit.source === 'drawing' && !pad.hasInk;
    dom.summary.textContent = blank
      ? 'Draw a digit and the network will guess as you draw.'
      : `The network says ${best}, ${state.derived.probabilities ? `${percent(p[best])} sure` : `output ${num(p[best])}`}.${applied ? ' The dark ticks mark the outputs before the lesson.' : ''}`;
    dom.summary.dataset.prediction = String(best);
  }

  buildBars();
  dom.clear.addEventListener('click', clearPad);
  dom.sample.addEventListener('click', randomSample);

  return { loadSample, randomSample, readDrawing, drawPreview, drawBars };
}
