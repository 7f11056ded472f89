// Writing MNIST's IDX files (the core reads them): a magic number that says unsigned bytes
// and the number of dimensions, each dimension as a big-endian 32-bit count, then the bytes.
const UNSIGNED_BYTE = 0x08;

/** An IDX file of unsigned bytes with dimensions `dims`. */
export function idxFile(dims, bytes) {
  const file = new Uint8Array(4 + 4 * dims.length + bytes.length);
  const view = new DataView(file.buffer);
  view.setUint8(2, UNSIGNED_BYTE);
  view.setUint8(3, dims.length);
  dims.forEach((n, i) => view.setUint32(4 + 4 * i, n));
  file.set(bytes, 4 + 4 * dims.length);
  return file;
}
