// The playground page (index.html): one session training in a worker, every view mounted in
// its card, the playground's own forms (settings, own data, model files), the palette, the
// notices and the address.
import { createSession } from '../js/lab.js';
import { readSettings } from '../js/settings.js';
import { loadCore } from '../js/wasm.js';
import { checkView } from '../views/check.js';
import { digitView } from '../views/digit.js';
import { drawingsView } from '../views/drawings.js';
import { button } from '../views/dom.js';
import { featuresView } from '../views/features.js';
import { landscapeView } from '../views/landscape.js';
import { lessonView } from '../views/lesson.js';
import { outputsView } from '../views/outputs.js';
import { storedChoice, usePalette } from '../views/palette.js';
import { pictureView } from '../views/picture.js';
import { resultsView } from '../views/results.js';
import { trainingView } from '../views/training.js';
import { createLink, scrollToCard } from './link.js';
import { engineChoice, wantedEngine } from './engine-choice.js';
import { download } from './model-file.js';
import { modelFiles } from './model-files.js';
import { createNotices } from './notices.js';
import { ownData } from './own-data.js';
import { openWithSaved } from './saved-session.js';
import { settingsForm } from './settings-form.js';

const NARROW = '(max-width: 759px)';   // phones: the lesson's buttons and text sit under the picture
const $ = (id) => document.getElementById(id);

/** The loading line: what is happening, and a way to cancel a long replay. */
function showProgress(session, loading) {
  const cancel = button('Cancel', () => session.cancel());
  session.subscribe(({ progress }, changed) => {
    if (!changed.has('progress') || !progress) return;
    loading.replaceChildren(`Replaying the link's ${progress.total.toLocaleString('en')} training steps: ${Math.floor((progress.done / progress.total) * 100)}% `, cancel);
  });
}

async function main(notify) {
  const palette = $('palette-toggle');
  usePalette(storedChoice());
  palette.checked = storedChoice();
  palette.addEventListener('change', () => usePalette(palette.checked));

  // The engine for the network as the link opens it (engineChoice moves it when that changes).
  await loadCore();
  const opening = readSettings(location.hash.replace(/^#/, '')).settings;
  const session = await createSession({ worker: true, ...wantedEngine(opening.network.hidden) });
  session.events.addEventListener('notice', (e) => notify(e.detail.text, e.detail.kind ?? 'info', e.detail.details));
  session.events.addEventListener('error', (e) => notify(e.detail.message, 'error'));
  showProgress(session, $('loading'));

  const lesson = lessonView(session, { legend: true });
  const training = trainingView(session);
  $('draw-slot').append(digitView(session).element);
  $('outputs-slot').append(outputsView(session, { offerTraining: true }).element);
  const picture = pictureView(session, { editable: true });
  $('picture-slot').append(picture.element);
  picture.canvasArea.after($('narrow-lesson-slot'));
  $('lesson-slot').append(lesson.controls, lesson.text);
  $('legend-slot').append(lesson.legend);
  $('training-slot').append(training.controls);
  $('charts-slot').append(training.charts);
  $('results-slot').append(resultsView(session, {
    onPick: (index) => {
      session.showDigit(index);
      session.go(0).catch((e) => notify(e.message, 'error'));
      document.querySelector('.backprop-card').scrollIntoView({ behavior: 'smooth', block: 'start' });
    },
  }).element);
  const drawings = drawingsView(session, {
    onExport: (part, bytes) => download(bytes, `my-digits-${part}.idx`, 'application/octet-stream'),
  });
  $('keep-slot').append(drawings.keep);
  $('drawings-slot').append(drawings.element);
  $('features-slot').append(featuresView(session).element);
  $('check-slot').append(checkView(session).element);
  $('landscape-slot').append(landscapeView(session).element);
  settingsForm(session);
  ownData(session);
  const models = modelFiles(session);

  // On a phone the picture and the lesson's buttons and numbers must be seen together.
  const narrow = matchMedia(NARROW);
  const place = (isNarrow) => (isNarrow ? $('narrow-lesson-slot') : $('lesson-slot')).append(lesson.controls, lesson.text);
  place(narrow.matches);
  narrow.addEventListener('change', (e) => place(e.matches));

  const link = createLink(session, { notify, modelMessage: models.message });
  window.addEventListener('hashchange', () => link.onHashChange().then(scrollToCard).catch((e) => notify(e.message, 'error')));
  const card = await openWithSaved(session, { hash: location.hash.replace(/^#/, ''), open: link.open, notify });
  link.follow();
  engineChoice(session, { notify });
  $('loading').hidden = true;
  $('app').hidden = false;
  scrollToCard(card);
}

const notify = createNotices($('notices'));
main(notify).catch((e) => {
  const loading = $('loading');
  loading.textContent = `backprop-lab could not start: ${e.message}`;
  loading.classList.add('error');
  console.error(e);
});
