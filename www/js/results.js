// After training: the held-out confusion matrix and a gallery of the digits the network
// gets wrong. Both are drawn from data the worker computed with the core.

const CLASSES = 10;
const SIDE = 28;

/** Fills `table` with a 10×10 confusion matrix (row = true digit, column = prediction). */
export function drawConfusion(table, confusion) {
  let max = 1;
  for (let t = 0; t < CLASSES; t++) {
    for (let p = 0; p < CLASSES; p++) if (t !== p) max = Math.max(max, confusion[t * CLASSES + p]);
  }
  const head = document.createElement('tr');
  const corner = document.createElement('th');
  corner.textContent = 'true ↓ / said →';
  corner.scope = 'col';
  head.append(corner);
  for (let p = 0; p < CLASSES; p++) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = String(p);
    head.append(th);
  }
  const rows = [head];
  for (let t = 0; t < CLASSES; t++) {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = String(t);
    tr.append(th);
    let total = 0;
    for (let p = 0; p < CLASSES; p++) total += confusion[t * CLASSES + p];
    for (let p = 0; p < CLASSES; p++) {
      const count = confusion[t * CLASSES + p];
      const td = document.createElement('td');
      td.textContent = count ? String(count) : '';
      if (t === p) {
        td.className = 'hit';
        td.style.setProperty('--strength', total ? (count / total).toFixed(3) : '0');
      } else {
        td.className = 'miss';
        td.style.setProperty('--strength', (count / max).toFixed(3));
      }
      tr.append(td);
    }
    rows.push(tr);
  }
  table.replaceChildren(...rows);
}

/** Fills `list` with buttons for misclassified digits; `onPick(index)` loads one. */
export function drawGallery(list, mistakes, heldout, onPick) {
  const items = mistakes.map(({ index, label, predicted }) => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'gallery-item';
    button.setAttribute('aria-label', `Held-out digit ${index}: it is a ${label}, the network said ${predicted}`);
    button.dataset.index = String(index);
    const canvas = document.createElement('canvas');
    canvas.width = SIDE;
    canvas.height = SIDE;
    const image = new ImageData(SIDE, SIDE);
    const bytes = heldout.image(index);
    for (let i = 0; i < bytes.length; i++) {
      const v = 255 - bytes[i];
      image.data.set([v, v, v, 255], i * 4);
    }
    canvas.getContext('2d').putImageData(image, 0, 0);
    const caption = document.createElement('span');
    caption.textContent = `${label} → ${predicted}`;
    button.append(canvas, caption);
    button.addEventListener('click', () => onPick(index));
    li.append(button);
    return li;
  });
  list.replaceChildren(...items);
}
