// The playground's session kept in this browser and in files: restored on load (unless a link
// says otherwise) with a word and a "Start fresh" button, saved as it changes, and downloaded
// or loaded as a session file. What storage refuses is said, and the page works on.
import { recordFromJson, recordToJson, sessionRecord } from '../js/session-record.js';
import { autosave, linkText, openSaved, restoreRecord } from '../js/session-store.js';
import { button } from '../views/dom.js';
import { download } from './model-file.js';
import { showMessage } from './notices.js';

const KEY = 'playground';
const MAX_FILE_BYTES = 200 * 1024 * 1024;
const $ = (id) => document.getElementById(id);
const when = (iso) => new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Opens the page: the saved session when there is one and no link (`open(hash)` opens a link),
 * then keeps it saved. Resolves to what `open` resolved to, or null after a restore.
 */
export async function openWithSaved(session, { hash, open, notify }) {
  const status = (text, error = false) => showMessage($('session-status'), text, error);
  const opening = performance.now();
  const saved = await openSaved(KEY);
  performance.measure('backprop-lab open storage', { start: opening });
  let opened = null;
  let keeper = null;

  const startFresh = async (notice) => {
    keeper?.stop();
    await saved.store?.clear();
    notice?.remove();
    location.replace(location.pathname);
  };

  // A reload keeps the address the page wrote, which names the saved session itself.
  if (saved.record && (!hash || hash === saved.record.settings)) {
    try {
      const start = performance.now();
      await restoreRecord(session, saved.record);
      requestAnimationFrame(() => performance.measure('backprop-lab restore', { start }));
      const notice = notify(`Restored your session from ${when(saved.record.savedAt)}: step ${session.state.network.step}, ${saved.record.drawings.labels.length} of your drawings.`, 'info', [],
        [button('Start fresh', () => startFresh(notice), { id: 'start-fresh' })]);
    } catch (e) {
      notify(`Your saved session from ${when(saved.record.savedAt)} could not be restored (${e.message}); it is kept until you change something here.`, 'warning');
      opened = await open('');
    }
  } else {
    opened = await open(hash);
    if (saved.record) {
      const notice = notify(`You opened a link, so your session saved ${when(saved.record.savedAt)} was not restored. It is replaced once you change something here.`, 'info', [],
        [button('Restore my session', async () => {
          notice.remove();
          try {
            await restoreRecord(session, saved.record);
          } catch (e) {
            notify(`Could not restore your session: ${e.message}`, 'error');
          }
        }, { id: 'restore-saved' })]);
    }
  }
  if (saved.problem) notify(`${saved.problem.message}. ${saved.store ? 'It stays stored until you change something here.' : 'The page works, but closing it loses what you do: download the session to keep it.'}`, 'warning');

  if (!saved.store) status('Not saved in this browser: it refused storage. Download the session to keep it.', true);
  else if (!saved.saver) status('This session is open in another tab too, which saves it; what you do here is not saved. Download the session to keep it.', true);
  else {
    keeper = autosave(session, saved.store, {
      report({ saved: at, step, error, skipped }) {
        if (at) status(`Saved in this browser at ${at.toLocaleTimeString('en')} (step ${step}).`);
        else if (error) status(`${error.message[0].toUpperCase()}${error.message.slice(1)}. The page works on; download the session to keep it.`, true);
        else if (skipped === 'own-data') status('Not saved while training on your own files (they stay on your computer); the last saved session is kept.');
        else if (skipped === 'diverged') status('Not saved while training has diverged; the last saved session is kept.');
        else if (skipped) status(`Not saved this time (${skipped}); the last saved session is kept.`, true);
      },
    });
  }
  sessionFiles(session, notify);
  return opened;
}

/** Downloading the session as a file and loading one back. */
function sessionFiles(session, notify) {
  const message = (text, error = false) => showMessage($('model-message'), text, error);
  $('save-session').addEventListener('click', async () => {
    try {
      const record = sessionRecord(await session.sessionParts(), linkText(session.state));
      download(recordToJson(record), `backprop-lab-session-step${session.state.network.step}.json`);
      message(`Saved the session at step ${session.state.network.step}, with ${record.drawings.labels.length} drawings.`);
    } catch (e) {
      message(`Could not save the session: ${e.message}`, true);
    }
  });
  const picker = $('load-session');
  picker.addEventListener('change', async () => {
    const file = picker.files[0];
    picker.value = '';
    if (!file) return;
    try {
      if (file.size > MAX_FILE_BYTES) throw new Error(`it is ${Math.round(file.size / 1048576)} MB; a session file is at most 200 MB`);
      await restoreRecord(session, recordFromJson(await file.text()));
      message(`Loaded the session in ${file.name}: step ${session.state.network.step}, ${session.state.drawings.labels.length} drawings.`);
    } catch (e) {
      message(`Could not load ${file.name}: ${e.message}. The current session is unchanged.`, true);
      notify(`Could not load ${file.name}: ${e.message}`, 'error');
    }
  });
}
