// "Your own data": training on the learner's IDX image and label files (the worker trains on
// them; the page keeps their held-out tenth to show), going back to the embedded MNIST digits,
// and the labels of the charts and results that name which data they describe.
import { showMessage } from './notices.js';
import { Dataset } from './wasm.js';

const MAX_DATA_BYTES = 200 * 1024 * 1024;   // the core reads at most this much IDX data
const MEGABYTE = 1048576;
const TRAIN_ACCURACY_EXAMPLES = 1000;       // the worker measures training accuracy on this many

/**
 * `training`: the training panel (busy, configure, updateTrainButtons); `prediction`: the
 * prediction panel, which shows a random held-out example of the new data.
 */
export function createOwnDataPanel({ state, dom, trainer, training, prediction }) {
  const message = (text, error = false) => showMessage(dom.dataMessage, text, error);

  function describeData() {
    const own = state.ownData;
    dom.trainKey.textContent = own ? `Training accuracy (first ${Math.min(TRAIN_ACCURACY_EXAMPLES, own.train).toLocaleString('en')} training examples)` : 'Training accuracy (first 1,000 training digits)';
    dom.heldoutKey.textContent = own ? `Held-out accuracy (last 10% of your data: ${own.heldout.toLocaleString('en')} examples)` : 'Held-out accuracy (1,000 unseen digits)';
    dom.confusionTitle.textContent = own ? 'Confusion matrix (held-out examples of your data)' : 'Confusion matrix (held-out digits)';
    dom.galleryTitle.textContent = own ? 'Held-out examples it gets wrong' : 'Held-out digits it gets wrong';
    dom.confusionHint.textContent = `Rows: the true ${own ? 'label' : 'digit'}. Columns: what the network said. The diagonal is right.`;
    training.updateTrainButtons();
  }

  /** Replaces the validation examples the page shows; the embedded digits are kept for later. */
  function useHeldout(heldout, ownData) {
    if (state.heldout !== state.digits) state.heldout.free();
    state.heldout = heldout;
    state.ownData = ownData;
    describeData();
  }

  async function useOwnData() {
    const images = dom.dataImages.files[0];
    const labels = dom.dataLabels.files[0];
    if (!images || !labels) {
      message('Pick an image file and a label file first.', true);
      return;
    }
    try {
      for (const file of [images, labels]) {
        if (file.size > MAX_DATA_BYTES) throw new Error(`${file.name} is ${Math.round(file.size / MEGABYTE)} MB; at most 200 MB can be read`);
      }
      const [imageBytes, labelBytes] = await Promise.all([images.arrayBuffer(), labels.arrayBuffer()]);
      const data = await training.busy(() => trainer.useData(imageBytes, labelBytes));
      useHeldout(Dataset.fromIdx(data.validationImages, data.validationLabels, 0), { name: images.name, train: data.trainLength, heldout: data.heldoutLength });
      await training.configure({ ...state.settings, steps: 0 });
      prediction.randomSample();
      message(`Training on ${images.name} and ${labels.name}: ${data.trainLength.toLocaleString('en')} examples, and the last ${data.heldoutLength.toLocaleString('en')} held out. The network restarted from its seed; press Train.`);
    } catch (e) {
      message(`Could not use these files: ${e.message}. The current data and model are unchanged.`, true);
    }
  }

  async function useDigits() {
    try {
      await training.busy(() => trainer.useDigits());
      useHeldout(state.digits, null);
      await training.configure({ ...state.settings, steps: 0 });
      prediction.randomSample();
      message('Back to the embedded MNIST digits. The network restarted from its seed.');
    } catch (e) {
      message(`Could not go back to the digits: ${e.message}`, true);
    }
  }

  dom.useData.addEventListener('click', useOwnData);
  dom.useDigits.addEventListener('click', useDigits);
}
