// Saving the model as a JSON download and reading a model file the learner picks.

const MAX_FILE_BYTES = 100 * 1024 * 1024;

/** Offers `data` (text or bytes) as a download called `name`. */
export function download(data, name, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The bytes of a picked file, for the core to read; rejects files that are clearly not a model. */
export async function readModelFile(file) {
  if (file.size > MAX_FILE_BYTES) {
    throw new Error(`${file.name} is ${Math.round(file.size / 1048576)} MB; a model file is at most 100 MB`);
  }
  return new Uint8Array(await file.arrayBuffer());
}
