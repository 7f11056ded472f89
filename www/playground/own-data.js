// "Use your own data": training on the learner's IDX image and label files (validated by the
// core, the last tenth held out), and going back to the embedded MNIST digits.
import { showMessage } from './notices.js';

const MAX_DATA_BYTES = 200 * 1024 * 1024;   // the core reads at most this much IDX data
const MEGABYTE = 1048576;
const $ = (id) => document.getElementById(id);

export function ownData(session) {
  const message = (text, error = false) => showMessage($('data-message'), text, error);

  async function useFiles() {
    const images = $('data-images').files[0];
    const labels = $('data-labels').files[0];
    if (!images || !labels) {
      message('Pick an image file and a label file first.', true);
      return;
    }
    try {
      for (const file of [images, labels]) {
        if (file.size > MAX_DATA_BYTES) throw new Error(`${file.name} is ${Math.round(file.size / MEGABYTE)} MB; at most 200 MB can be read`);
      }
      const [imageBytes, labelBytes] = await Promise.all([images.arrayBuffer(), labels.arrayBuffer()]);
      const data = await session.useOwnData(imageBytes, labelBytes, images.name);
      message(`Training on ${images.name} and ${labels.name}: ${data.trainLength.toLocaleString('en')} examples, and the last ${data.heldoutLength.toLocaleString('en')} held out. The network restarted from its seed; press Train.`);
    } catch (e) {
      message(`Could not use these files: ${e.message}. The current data and model are unchanged.`, true);
    }
  }

  async function useDigits() {
    try {
      await session.useDigits();
      message('Back to the embedded MNIST digits. The network restarted from its seed.');
    } catch (e) {
      message(`Could not go back to the digits: ${e.message}`, true);
    }
  }

  $('use-data').addEventListener('click', useFiles);
  $('use-digits').addEventListener('click', useDigits);
  session.subscribe(({ busy, ownData: own }, changed) => {
    if (!changed.has('busy') && !changed.has('ownData')) return;
    $('use-data').disabled = busy;
    $('use-digits').disabled = busy || !own;
  });
}
