// Sizes iframes of the iframe route (frame.html) to their content: include this module in the
// page that holds them. Each frame posts its content's height whenever it changes; the frame
// that sent it, and only that one, takes that height, so there is no scroll bar inside and no
// empty space below. Without this module the iframe keeps its `height` attribute.
const MESSAGE = 'backprop-lab:height';
const MAX_HEIGHT = 20_000;

window.addEventListener('message', (event) => {
  const { type, height } = event.data ?? {};
  if (type !== MESSAGE || !Number.isFinite(height) || height <= 0 || height > MAX_HEIGHT) return;
  for (const frame of document.getElementsByTagName('iframe')) {
    if (frame.contentWindow === event.source) frame.style.height = `${Math.ceil(height)}px`;
  }
});
