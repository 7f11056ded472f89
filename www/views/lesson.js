// The backpropagation lesson, step by step: which digit the lesson aims for (asked for a
// drawing, never guessed), the step buttons, the caption, and every number of the step in
// tables. The steps themselves come from js/lesson.js; the picture view draws their arrows.
import { applyIndex, describeStep, stepTitles } from '../js/lesson.js';
import { button, el } from './dom.js';
import { pointing } from './picture.js';
import { touched, watch } from './watch.js';

const DIGITS = 10;
const SPEEDS = [['Slow', 5000], ['Normal', 3000], ['Fast', 1500]];

/** One table of a step: `{ caption, columns: [[key, heading]], rows }`; cells may be `{ text, exact }`. */
function table({ columns, rows }, attributes) {
  const head = el('tr', {}, columns.map(([, heading]) => el('th', { scope: 'col' }, [heading])));
  const body = rows.map((row) => el('tr', {}, columns.map(([key]) => {
    const cell = row[key];
    if (typeof cell === 'string') return el('td', { 'data-col': key }, [cell]);
    // "≈ 0" hides a tiny value: focus or hover shows it exactly.
    const exact = cell.exact ? { 'data-exact': cell.exact, title: cell.exact, tabindex: '0' } : {};
    return el('td', { 'data-col': key, ...exact }, [cell.text]);
  })));
  return el('table', attributes, [el('thead', {}, [head]), el('tbody', {}, body)]);
}

/** The colour key: each mark's shape, its colour's custom property, and what it means. */
const LEGEND = [
  ['line', '--c-positive', 'Positive weight (thicker = larger)'],
  ['line', '--c-negative', 'Negative weight'],
  ['dot', '--bl-neuron-on', 'Neuron: the stronger its shade, the more active'],
  ['up', '--c-target', 'The desired digit must rise'],
  ['up', '--c-rise', 'Neuron must rise (δ < 0)'],
  ['down', '--c-fall', 'Neuron must fall (δ > 0)'],
  ['up', '--bl-mark', 'Weight change: up = more positive, size = amount'],
];

/**
 * `controls`: the desired digit and the step buttons; `locked`: the lesson stays on its step
 * (no step buttons); `legend`: a colour key. Returns `{ element, controls, text, legend,
 * destroy }`: the buttons, the step's text and numbers, and the key, for pages that place them
 * apart; `element` holds them all.
 */
export function lessonView(session, { controls = true, locked = false, legend = false } = {}) {
  const desired = el('select', { id: 'desired-label', 'aria-label': 'Desired digit' }, [
    el('option', { value: '', hidden: '' }, ['?']),
    ...Array.from({ length: DIGITS }, (_, d) => el('option', { value: String(d) }, [String(d)])),
  ]);
  desired.addEventListener('change', () => session.setDesired(Number(desired.value)));
  const ask = el('div', { class: 'ask', role: 'group', 'aria-label': 'Which digit did you draw?', hidden: '' },
    Array.from({ length: DIGITS }, (_, d) => button(String(d), () => session.setDesired(d), { 'data-digit': String(d) })));
  const failed = (e) => session.emit('notice', { text: e.message, kind: 'error' });
  const act = (action) => () => { if (session.state.lesson.playing) session.toggleLesson(); action().catch(failed); };
  const prev = button('◀ Previous', act(() => session.previous()), { id: 'step-prev' });
  const play = button('▶ Play', () => session.toggleLesson(speed()), { id: 'step-play', 'aria-pressed': 'false' });
  const next = button('Next ▶', act(() => session.next()), { id: 'step-next' });
  const undo = button('↶ Undo the lesson', act(() => session.undo()), { id: 'lesson-undo', hidden: '' });
  const speeds = el('select', { id: 'step-speed', 'aria-label': 'Speed' }, SPEEDS.map(([name, ms]) => el('option', { value: String(ms) }, [name])));
  speeds.value = '3000';
  const speed = () => Number(speeds.value);
  const dots = el('ol', { id: 'step-dots', class: 'dots', 'aria-label': 'Steps' });
  const title = el('h3', { id: 'step-title', class: 'step-title' });
  const caption = el('p', { id: 'step-caption', class: 'step-caption' });
  const tables = el('div', { class: 'table-scroll' });
  const stepping = controls && !locked;
  const controlsPart = el('div', { class: 'lesson-controls' }, [
    ...(controls ? [el('div', { class: 'buttons player-controls' }, [
      el('label', {}, ['Desired digit ', desired]),
      ...(stepping ? [el('div', { class: 'buttons', role: 'group', 'aria-label': 'Step player' }, [prev, play, next, undo]), el('label', {}, ['Speed ', speeds])] : []),
    ]), ask] : []),
    ...(stepping ? [dots] : []),
  ]);
  const text = el('div', { class: 'lesson-text' }, [
    el('div', { class: 'step-text', 'aria-live': 'polite' }, [title, caption]),
    el('details', { class: 'step-numbers', open: '' }, [el('summary', {}, ['The numbers for this step']), tables]),
  ]);
  const key = el('ul', { id: 'legend-list', class: 'legend-list' }, LEGEND.map(([shape, colour, words]) => {
    const mark = el('span', { class: `legend-mark legend-${shape}`, 'aria-hidden': 'true' });
    mark.style.setProperty('--mark', `var(${colour})`);
    return el('li', {}, [mark, el('span', {}, [words])]);
  }));
  const legendBlock = el('div', { class: 'legend', role: 'group', 'aria-label': 'Legend' }, [el('h3', {}, ['Legend']), key]);
  const element = el('div', { class: 'lesson-view' }, [controlsPart, text, ...(legend ? [legendBlock] : [])]);

  const view = watch(session, (state, changed) => {
    const { lesson } = state;
    if (!lesson || !touched(changed, 'lesson', 'undo', 'busy', 'diverged')) return;
    const step = describeStep(lesson, { pointer: pointing() });
    const last = applyIndex(lesson.sizes);
    desired.value = lesson.label === null ? '' : String(lesson.label);
    ask.hidden = lesson.gradient !== null;
    title.textContent = step.title;
    caption.textContent = step.caption;
    play.textContent = lesson.playing ? '❚❚ Pause' : '▶ Play';
    play.setAttribute('aria-pressed', String(lesson.playing));
    for (const b of [prev, next, play]) b.disabled = lesson.applying || !lesson.gradient;
    next.textContent = lesson.applied ? 'New lesson ▶' : 'Next ▶';
    undo.hidden = state.undo.length === 0;
    undo.textContent = state.undo.at(-1)?.lesson ? '↶ Undo the lesson' : '↶ Undo the last change';
    undo.disabled = lesson.applying || state.busy;
    const titles = stepTitles(lesson.sizes);
    if (dots.children.length !== titles.length) {
      dots.replaceChildren(...titles.map((t, i) => el('li', {}, [button(`${i}. ${t}`, act(() => session.go(i)))])));
    }
    [...dots.children].forEach((li, i) => {
      li.firstElementChild.textContent = `${i}. ${titles[i]}`;
      li.firstElementChild.setAttribute('aria-current', i === lesson.index ? 'step' : 'false');
      li.firstElementChild.disabled = !lesson.gradient || lesson.applying || (i === last && state.diverged !== null);
    });
    const [first, ...more] = step.tables;
    tables.replaceChildren(
      table(first ?? { columns: [], rows: [] }, { id: 'step-table', class: 'numbers', 'data-step': String(lesson.index) }),
      ...more.flatMap((t) => [el('p', { class: 'table-caption' }, [t.caption]), table(t, { class: 'terms' })]),
    );
    if (first?.caption) tables.prepend(el('p', { class: 'table-caption' }, [first.caption]));
  });

  return { element, controls: controlsPart, text, legend: legendBlock, destroy: view.destroy };
}
