// The learner's drawings and the saved session, in Node with the real core: drawings tested
// and trained on, the record's format and versioning, and a restore that is bit for bit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkGap } from '../../www/js/session.js';
import { FORMAT, RecordError, VERSION, checkRecord, recordFromJson, recordToJson, sessionRecord } from '../../www/js/session-record.js';
import { heldout, openSession, parameters } from './lab.mjs';

/** Draws held-out digit `index` as if the learner had drawn it. */
function drawLike(session, index) {
  session.draw(heldout.input(index));
}

async function withDrawings(session, count) {
  for (let i = 0; i < count; i++) {
    drawLike(session, i);
    await session.keepDrawing(heldout.label(i));
  }
}

test('kept drawings are the grey bytes the network reads, tested after every change', async () => {
  const session = await openSession({ network: { hidden: [16], seed: 4 } });
  await assert.rejects(session.keepDrawing(3), /draw a digit first/);
  await withDrawings(session, 5);
  const { drawings, evaluation } = session.state;
  assert.equal(drawings.labels.length, 5);
  assert.deepEqual(Array.from(drawings.images.subarray(784, 1568)), Array.from(heldout.image(1)));
  assert.equal(evaluation.drawings.count, 5);
  assert.equal(evaluation.drawings.confusion.length, 100);
  await session.relabelDrawing(0, (heldout.label(0) + 1) % 10);
  assert.notEqual(session.state.drawings.labels[0], heldout.label(0));
  await session.deleteDrawing(0);
  assert.equal(session.state.drawings.labels.length, 4);
  assert.deepEqual(Array.from(session.state.drawings.images.subarray(0, 784)), Array.from(heldout.image(1)));
  session.dispose();
});

test('drawings kept aside are only tested on; a share mixes them into training and the link says it cannot', async () => {
  const aside = await openSession({ network: { hidden: [16], seed: 4 } });
  const plain = await openSession({ network: { hidden: [16], seed: 4 } });
  await withDrawings(aside, 8);
  for (let i = 0; i < 5; i++) {
    await aside.trainStep();
    await plain.trainStep();
  }
  assert.deepEqual(parameters(aside), parameters(plain), 'share 0 trains as without drawings');
  assert.equal(linkGap(aside.state), null);
  await aside.setDrawingShare(0.25);
  await aside.trainStep();
  await plain.trainStep();
  assert.notDeepEqual(parameters(aside), parameters(plain));
  assert.equal(linkGap(aside.state), 'drawings');
  aside.dispose();
  plain.dispose();
});

test('exported drawings import back as the same set; a bad IDX file changes nothing', async () => {
  const session = await openSession({ network: { hidden: [8], seed: 1 } });
  await withDrawings(session, 3);
  const { images, labels } = session.exportDrawings();
  const copy = await openSession({ network: { hidden: [8], seed: 1 } });
  assert.equal(await copy.importDrawings(images, labels), 3);
  assert.deepEqual(copy.state.drawings.images, session.state.drawings.images);
  assert.deepEqual(copy.state.drawings.labels, session.state.drawings.labels);
  const before = copy.state.drawings;
  await assert.rejects(copy.importDrawings(images.subarray(0, 100), labels), /IDX|image|bytes/i);
  await assert.rejects(copy.importDrawings(images, labels.subarray(0, labels.length - 1)));
  assert.equal(copy.state.drawings, before, 'the set is unchanged');
  session.dispose();
  copy.dispose();
});

test('a restored session has the same weights, optimiser state, batch order, history and drawings', async () => {
  const session = await openSession({ network: { hidden: [12], seed: 6 }, training: { optimizer: 'adam', learningRate: 0.01 } });
  await withDrawings(session, 4);
  await session.setDrawingShare(0.25);
  for (let i = 0; i < 30; i++) await session.trainStep();
  const record = recordFromJson(recordToJson(sessionRecord(await session.sessionParts(), 'hidden=12&seed=6')));
  const restored = await openSession({ network: { hidden: [5], seed: 1 } });
  await restored.restoreSession(record, session.state.settings);
  assert.deepEqual(parameters(restored), parameters(session));
  assert.equal(restored.state.network.step, 30);
  assert.deepEqual(restored.state.training.history, session.state.training.history);
  assert.deepEqual(restored.state.drawings.labels, session.state.drawings.labels);
  assert.equal(restored.state.drawings.share, 0.25);
  assert.equal(linkGap(restored.state), 'drawings');
  for (let i = 0; i < 5; i++) {
    await session.trainStep();
    await restored.trainStep();
  }
  assert.deepEqual(parameters(restored), parameters(session), 'training goes on exactly as it would have');
  session.dispose();
  restored.dispose();
});

test('an older, newer or damaged record is refused with a message, and nothing is restored', async () => {
  const session = await openSession({ network: { hidden: [8], seed: 2 } });
  await session.trainStep();
  const good = sessionRecord(await session.sessionParts(), '');
  assert.equal(good.format, FORMAT);
  assert.equal(checkRecord(good), good);
  const refused = (change, pattern) => assert.throws(() => checkRecord({ ...good, ...change }), (e) => e instanceof RecordError && pattern.test(e.message));
  refused({ format: 'something-else' }, /not a backprop-lab session/);
  refused({ version: VERSION + 1 }, /newer backprop-lab/);
  refused({ version: 0 }, /unknown format version/);
  refused({ history: [{ step: 'x' }] }, /training history/);
  refused({ drawings: { ...good.drawings, images: new Uint8Array(5) } }, /drawings should have/);
  refused({ checkpoint: undefined }, /network is missing/);
  assert.throws(() => recordFromJson('{"format":'), /not a backprop-lab session/);

  const other = await openSession({ network: { hidden: [8], seed: 9 } });
  const before = parameters(other);
  const damaged = good.checkpoint.slice();
  damaged[damaged.length >> 1] ^= 0xff;
  await assert.rejects(other.restoreSession({ ...good, checkpoint: damaged }, other.state.settings));
  assert.deepEqual(parameters(other), before, 'a damaged checkpoint changes nothing');
  session.dispose();
  other.dispose();
});
