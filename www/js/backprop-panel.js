// Card 4: the backprop player's controls (desired label, previous / play / next, speed), its
// step list, caption and table, the colour legend, and the lesson it plays. On a phone the
// player's buttons and caption move under the network picture.
import { showInLink } from './link-state.js';
import { palette } from './palette.js';
import { desiredLabel } from './prediction-panel.js';

const NARROW = '(max-width: 759px)';   // phones: the player's buttons and caption sit under the picture
const DIGITS = 10;

/** `player`: the BackpropPlayer; `notify` reports a step that failed. */
export function createBackpropPanel({ state, dom, player, notify }) {
  function buildDesiredOptions() {
    const options = [];
    for (let d = 0; d < DIGITS; d++) {
      const option = document.createElement('option');
      option.value = String(d);
      option.textContent = String(d);
      options.push(option);
    }
    dom.desired.replaceChildren(...options);
  }

  function drawPlayer() {
    const step = player.step();
    dom.desired.value = String(desiredLabel(state));
    dom.stepTitle.textContent = step.title;
    dom.stepCaption.textContent = step.caption;
    dom.play.textContent = player.playing ? '❚❚ Pause' : '▶ Play';
    dom.play.setAttribute('aria-pressed', String(player.playing));
    dom.prev.disabled = player.applying;
    dom.next.disabled = player.applying;
    const titles = player.titles();
    if (dom.dots.children.length !== titles.length) {
      dom.dots.replaceChildren(...titles.map((title, i) => {
        const li = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = `${i}. ${title}`;
        button.addEventListener('click', () => { player.pause(); player.go(i).catch((e) => notify(e.message, 'error')); });
        li.append(button);
        return li;
      }));
    } else {
      titles.forEach((title, i) => { dom.dots.children[i].firstElementChild.textContent = `${i}. ${title}`; });
    }
    [...dom.dots.children].forEach((li, i) => {
      li.firstElementChild.setAttribute('aria-current', i === player.index ? 'step' : 'false');
    });
    const head = document.createElement('tr');
    for (const [, label] of step.columns) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = label;
      head.append(th);
    }
    const rows = step.rows.map((row) => {
      const tr = document.createElement('tr');
      for (const [key] of step.columns) {
        const td = document.createElement('td');
        td.dataset.col = key;
        td.textContent = row[key];
        tr.append(td);
      }
      return tr;
    });
    const thead = document.createElement('thead');
    thead.append(head);
    const tbody = document.createElement('tbody');
    tbody.append(...rows);
    dom.stepTable.replaceChildren(thead, tbody);
    dom.stepTable.dataset.step = String(player.index);
  }

  /** Draws the player and records its step (null for the forward pass) in the link. */
  function draw() {
    drawPlayer();
    const shownStep = player.index > 0 ? player.index : null;
    if (shownStep !== state.settings.backpropStep) showInLink(state, { backpropStep: shownStep });
  }

  /** The legend's colours follow the palette: call again after it changes. */
  function drawLegend() {
    const c = palette();
    const entries = [
      ['line', c.positive, 'Positive weight (thicker = larger)'],
      ['line', c.negative, 'Negative weight'],
      ['dot', '#3a4150', 'Neuron: darker = more active'],
      ['up', c.target, 'The desired digit must rise'],
      ['up', c.rise, 'Neuron must rise (δ < 0)'],
      ['down', c.fall, 'Neuron must fall (δ > 0)'],
      ['up', c.change, 'Weight change: up = more positive, size = amount'],
    ];
    dom.legend.replaceChildren(...entries.map(([shape, colour, text]) => {
      const li = document.createElement('li');
      const mark = document.createElement('span');
      mark.className = `legend-mark legend-${shape}`;
      mark.style.setProperty('--mark', colour);
      mark.setAttribute('aria-hidden', 'true');
      const label = document.createElement('span');
      label.textContent = text;
      li.append(mark, label);
      return li;
    }));
  }

  /** Gives the player the lesson for the current network, input and desired label. */
  function refreshLesson() {
    state.dirty.lesson = false;
    player.setLesson({
      net: state.net,
      input: state.digit.input,
      label: desiredLabel(state),
      learningRate: state.settings.training.learningRate,
      sizes: state.derived.sizes,
    });
  }

  /** On a phone the picture and the step player's buttons and caption must be seen together. */
  function placePlayer(narrow) {
    const target = narrow ? dom.narrowSlot : dom.stepTable.closest('section');
    if (dom.playerBlock.parentElement === target) return;
    if (narrow) target.append(dom.playerBlock);
    else target.querySelector('h2').after(dom.playerBlock);
  }

  /** Scrolls to the player's card, to start the lesson on a digit picked elsewhere. */
  function scrollIntoView() {
    dom.desired.closest('section').scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  buildDesiredOptions();
  drawLegend();
  const narrow = matchMedia(NARROW);
  placePlayer(narrow.matches);
  narrow.addEventListener('change', (e) => placePlayer(e.matches));

  dom.desired.addEventListener('change', () => {
    state.desired = Number(dom.desired.value);
    state.dirty.lesson = true;
    showInLink(state, { label: state.desired });
  });
  const failed = (e) => notify(e.message, 'error');
  dom.prev.addEventListener('click', () => { player.pause(); player.previous().catch(failed); });
  dom.next.addEventListener('click', () => { player.pause(); player.next().catch(failed); });
  dom.play.addEventListener('click', () => (player.playing ? player.pause() : player.play()));
  dom.speed.addEventListener('change', () => { player.delay = Number(dom.speed.value); });

  return { draw, drawLegend, refreshLesson, scrollIntoView };
}
