// The browser's gzip reader (www/js/gunzip.js, DecompressionStream; Node has the same API): raw
// files pass, gzip files inflate, corrupt ones are DatasetErrors naming the file, and a gzip
// bomb stops at the core's 200 MB cap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGzip, gzipSync } from 'node:zlib';
import { MAX_IDX_BYTES, gunzip, gunzipIdx } from '../../www/js/gunzip.js';

const LABELS = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 0]);

/** `size` zero bytes, gzip-compressed at level 9 (about 1 KB per MB), without holding them. */
async function compressedZeros(size) {
  const gzip = createGzip({ level: 9 });
  const out = [];
  gzip.on('data', (chunk) => out.push(chunk));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  const megabyte = Buffer.alloc(1 << 20);
  for (let left = size; left > 0; left -= megabyte.length) {
    gzip.write(left >= megabyte.length ? megabyte : megabyte.subarray(0, left));
  }
  gzip.end();
  await done;
  return new Uint8Array(Buffer.concat(out));
}

test('raw files pass as they are; gzip files inflate', async () => {
  assert.equal(await gunzip(LABELS), LABELS);
  assert.deepEqual(await gunzip(new Uint8Array(gzipSync(LABELS))), LABELS);
  const [images, labels] = await gunzipIdx(new Uint8Array(gzipSync(LABELS)), LABELS);
  assert.deepEqual([images, labels], [LABELS, LABELS]);
});

test('output up to the cap inflates; one byte more is refused', async () => {
  const exactly = await compressedZeros(3000);
  assert.equal((await gunzip(exactly, 3000)).length, 3000);
  await assert.rejects(gunzip(exactly, 2999), {
    name: 'DatasetError',
    message: `the file decompresses to more than ${2999 / (1 << 20)} MB, the limit`,
  });
});

test('a gzip bomb stops at the 200 MB cap', async () => {
  const bomb = await compressedZeros(MAX_IDX_BYTES + (8 << 20));
  assert.ok(bomb.length < 1 << 20, `the bomb itself is small (${bomb.length} bytes)`);
  await assert.rejects(gunzipIdx(bomb, LABELS), {
    name: 'DatasetError',
    message: 'image file: the file decompresses to more than 200 MB, the limit',
  });
});

test('corrupt and truncated gzip data are DatasetErrors that name the file', async () => {
  const whole = new Uint8Array(gzipSync(new Uint8Array(5000).map((_, i) => i * 7)));
  const truncated = whole.subarray(0, whole.length >> 1);
  await assert.rejects(gunzipIdx(LABELS, truncated), {
    name: 'DatasetError',
    message: /^label file: the gzip data is corrupt: [^.]+$/,
  });
  const damaged = whole.slice();
  damaged[whole.length - 6] ^= 0xff;  // the CRC-32 in the trailer
  await assert.rejects(gunzip(damaged), { name: 'DatasetError', message: /^the gzip data is corrupt: / });
});
