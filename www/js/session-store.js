// Keeping a session in this browser: one IndexedDB record per key (the playground's, or an
// element's `persist` key), saved a moment after the session changes and when the page is
// hidden, never on the drawing path (the engine makes the checkpoint in its worker; the page
// only hands the bytes to IndexedDB). A Web Lock per key makes one tab the saver: a second
// tab on the same key reads the session but does not overwrite it.
import { RecordError, checkRecord, sessionRecord } from './session-record.js';
import { linkSettings } from './session.js';
import { readSettings, settingsText } from './settings.js';

const DB = 'backprop-lab';
const STORE = 'sessions';
const SAVE_AFTER_MS = 400;              // a change is saved this long after it…
const SAVE_WHILE_TRAINING_MS = 2000;    // …or this long while training changes it all the time
const SAVED_KEYS = ['network', 'drawings'];    // besides these, any change of the link text

export class StorageError extends Error {
  constructor(cause) {
    super(`this browser refused to store the session (${cause?.name === 'QuotaExceededError' ? 'it is out of storage space' : cause?.message || cause?.name || 'storage is off'})`);
    this.name = 'StorageError';
  }
}

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDatabase() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('another tab is upgrading the storage'));
  });
}

/** Whether this tab holds the saver's lock for `key` (kept until the page closes). */
function holdLock(key) {
  if (!navigator.locks) return Promise.resolve(true);
  return new Promise((resolve) => {
    navigator.locks.request(`${DB}:${key}`, { ifAvailable: true }, (lock) => {
      resolve(Boolean(lock));
      return lock ? new Promise(() => {}) : undefined;
    });
  });
}

/** A state's settings as the link text a record keeps (relative to the playground's defaults). */
export const linkText = (state) => settingsText(linkSettings(state));

/** Brings back `record` in `session`: its network in training, history, drawings, digit and label. */
export async function restoreRecord(session, record) {
  const { settings } = readSettings(record.settings);
  await session.restoreSession(record, settings);
  if (settings.digit !== null && settings.digit < session.state.heldout.length) session.showDigit(settings.digit);
  else session.randomDigit();
  if (settings.label !== null) session.setDesired(settings.label);
}

/**
 * The stored session of `key`: `{ record, problem, store, saver }`. `record` is the checked
 * record or null; `problem` a RecordError for a damaged one (kept, not overwritten until the
 * learner changes something); `store` null when this browser refuses storage (`problem` is
 * then a StorageError); `saver`: whether this tab may save.
 */
export async function openSaved(key) {
  let db;
  try {
    db = await openDatabase();
  } catch (e) {
    return { record: null, problem: new StorageError(e), store: null, saver: false };
  }
  const store = {
    async load() {
      return request(db.transaction(STORE).objectStore(STORE).get(key));
    },
    async save(record) {
      try {
        const tx = db.transaction(STORE, 'readwrite');
        const start = performance.now();
        tx.objectStore(STORE).put(record, key);     // copies the record: the page's only work
        performance.measure('backprop-lab save: main thread', { start });
        await new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        });
      } catch (e) {
        throw new StorageError(e);
      }
    },
    async clear() {
      await request(db.transaction(STORE, 'readwrite').objectStore(STORE).delete(key));
    },
  };
  const [found, saver] = await Promise.all([store.load().catch(() => undefined), holdLock(key)]);
  let record = null;
  let problem = null;
  if (found !== undefined) {
    try {
      record = checkRecord(found);
    } catch (e) {
      if (!(e instanceof RecordError)) throw e;
      problem = e;
    }
  }
  return { record, problem, store, saver };
}

/**
 * Saves `session` to `store` after each change of its network, drawings or link text.
 * `report({ saved, step, error, skipped })` hears how it went: `saved` a Date (of the network
 * at `step`); `error` a
 * StorageError (saving then stops); `skipped` a reason nothing was saved this time.
 */
export function autosave(session, store, { report }) {
  let timer = null;
  let stopped = false;
  let text = null;            // the link text of the state last saved or opened

  async function save() {
    timer = null;
    if (stopped) return;
    const { ownData, diverged, network } = session.state;
    if (ownData) return report({ skipped: 'own-data' });
    if (diverged || !network) return report({ skipped: 'diverged' });
    try {
      const start = performance.now();
      const parts = await session.sessionParts();
      text = linkText(session.state);
      await store.save(sessionRecord(parts, text));
      performance.measure('backprop-lab save', { start });
      report({ saved: new Date(), step: parts.step });
    } catch (e) {
      if (e instanceof StorageError) {
        stopped = true;
        report({ error: e });
      } else {
        report({ skipped: e.message });
      }
    }
  }

  const flush = () => {
    if (!timer) return;
    clearTimeout(timer);
    save();
  };
  const unsubscribe = session.subscribe((state, changed) => {
    if (stopped || !state.network || !state.digit) return;
    if (text === null) {
      text = linkText(state);         // the state as opened or restored: nothing new to save
      return;
    }
    if (SAVED_KEYS.some((key) => changed.has(key)) || linkText(state) !== text) {
      timer ??= setTimeout(save, state.training.playing ? SAVE_WHILE_TRAINING_MS : SAVE_AFTER_MS);
    }
  });
  const hidden = () => { if (document.visibilityState === 'hidden') flush(); };
  document.addEventListener('visibilitychange', hidden);
  addEventListener('pagehide', flush);
  return {
    flush,
    stop() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
      document.removeEventListener('visibilitychange', hidden);
      removeEventListener('pagehide', flush);
    },
  };
}
