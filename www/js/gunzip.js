// Gzip-compressed IDX files, inflated by the browser's own DecompressionStream: the wasm core
// reads raw IDX only (an inflater of its own would add 30 KB to the gzipped wasm). The same
// cap as the core's applies, and a gzip bomb stops as soon as its output passes it, without
// inflating the rest. Errors are `DatasetError`s, as the core's are.

export const MAX_IDX_BYTES = 200 * 1024 * 1024;    // the core's MAX_IDX_BYTES
const MEGABYTE = 1024 * 1024;

export const isGzip = (bytes) => bytes[0] === 0x1f && bytes[1] === 0x8b;

function datasetError(message) {
  const error = new Error(message);
  error.name = 'DatasetError';
  return error;
}

/** `bytes` inflated when they are gzip, as they are otherwise; at most `cap` bytes out. */
export async function gunzip(bytes, cap = MAX_IDX_BYTES) {
  if (!isGzip(bytes)) return bytes;
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks = [];
  let length = 0;
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch (e) {
      throw datasetError(`the gzip data is corrupt: ${e.message.replace(/\.$/, '')}`);
    }
    if (chunk.done) break;
    length += chunk.value.length;
    if (length > cap) {
      await reader.cancel();
      throw datasetError(`the file decompresses to more than ${cap / MEGABYTE} MB, the limit`);
    }
    chunks.push(chunk.value);
  }
  const raw = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    raw.set(chunk, at);
    at += chunk.length;
  }
  return raw;
}

/** An IDX image file and label file (each raw or gzip) as raw IDX `[images, labels]`. */
export async function gunzipIdx(images, labels) {
  const named = (what, bytes) => gunzip(bytes).catch((e) => {
    throw datasetError(`${what}: ${e.message}`);
  });
  return Promise.all([named('image file', images), named('label file', labels)]);
}
