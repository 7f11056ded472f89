// A saved session as one record: what IndexedDB keeps and what a session file holds. Version 1:
//   { format: 'backprop-lab-session', version: 1, savedAt (ISO time), settings (link text),
//     checkpoint (the core's checkpoint bytes: weights, optimiser state, batch order),
//     stepOffset, history, mixedIn, source,
//     drawings: { images (784 bytes each), labels, share, order (their batch order's bytes, or null) } }
// A record is checked whole before anything is restored from it: an older, newer or damaged
// one is refused with a message, never half-loaded (the core checks the checkpoint's own
// checksum). Files are JSON with the bytes in base64. Pure logic: importable in Node.
export const FORMAT = 'backprop-lab-session';
export const VERSION = 1;
const PIXELS = 784;
const SOURCES = new Set(['seed', 'model', 'file']);

export class RecordError extends Error {
  constructor(message) {
    super(message);
    this.name = 'RecordError';
  }
}

/** The record of `parts` (Session.sessionParts) with the settings' link text. */
export function sessionRecord(parts, settings, savedAt = new Date()) {
  const { checkpoint, stepOffset, history, mixedIn, source, drawings } = parts;
  return { format: FORMAT, version: VERSION, savedAt: savedAt.toISOString(), settings, checkpoint, stepOffset, history, mixedIn, source, drawings };
}

const isCount = (n) => Number.isInteger(n) && n >= 0;

/** `record` when it is a whole version-1 record; else throws a RecordError that says what is wrong. */
export function checkRecord(record) {
  const fail = (what) => { throw new RecordError(`this saved session is damaged: ${what}`); };
  if (record === null || typeof record !== 'object' || record.format !== FORMAT) throw new RecordError('this is not a backprop-lab session');
  if (!Number.isInteger(record.version) || record.version < 1) throw new RecordError(`this session has an unknown format version (${record.version})`);
  if (record.version > VERSION) throw new RecordError(`this session was saved by a newer backprop-lab (format version ${record.version}); this page reads version ${VERSION}`);
  if (typeof record.savedAt !== 'string' || Number.isNaN(Date.parse(record.savedAt))) fail('its time of saving is missing');
  if (typeof record.settings !== 'string') fail('its settings are missing');
  if (!(record.checkpoint instanceof Uint8Array) || record.checkpoint.length === 0) fail('its network is missing');
  if (!isCount(record.stepOffset)) fail('its step count is not a whole number');
  if (typeof record.mixedIn !== 'boolean') fail('it does not say whether the drawings were trained on');
  if (!record.source || !SOURCES.has(record.source.kind)) fail('it does not say where its network came from');
  const points = record.history;
  if (!Array.isArray(points) || !points.every((p) => p && isCount(p.step) && ['epoch', 'loss', 'trainAccuracy', 'heldoutAccuracy'].every((k) => typeof p[k] === 'number'))) {
    fail('its training history is not a list of chart points');
  }
  const { images, labels, share, order } = record.drawings ?? {};
  if (!(images instanceof Uint8Array) || !(labels instanceof Uint8Array)) fail('its drawings are missing');
  if (images.length !== labels.length * PIXELS) fail(`its ${labels.length} drawings should have ${labels.length * PIXELS} pixels, not ${images.length}`);
  if (labels.some((l) => l > 9)) fail('a drawing has a label above 9');
  if (!(typeof share === 'number' && share >= 0 && share <= 1)) fail('the drawings\' share of training is not between 0 and 1');
  if (labels.length > 0 && !(order instanceof Uint8Array && order.length === 4 * (4 + labels.length))) fail('the drawings\' batch order is missing');
  return record;
}

const BYTES = ['checkpoint', 'images', 'labels', 'order'];

/** The record as a session file's text: JSON, the bytes in base64. */
export function recordToJson(record) {
  return JSON.stringify(record, (key, value) => (value instanceof Uint8Array ? { base64: toBase64(value) } : value));
}

/** A session file's record, checked; throws a RecordError for anything else. */
export function recordFromJson(text) {
  let record;
  try {
    record = JSON.parse(text, (key, value) => (BYTES.includes(key) && typeof value?.base64 === 'string' ? fromBase64(value.base64) : value));
  } catch {
    throw new RecordError('this file is not a backprop-lab session (it is not JSON, or its bytes are not base64)');
  }
  return checkRecord(record);
}

function toBase64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
