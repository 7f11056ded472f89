// embed.html's scripting example: buttons of the page drive a <backprop-lab>, and a line of
// the page follows its events. The page shows this very file as the example's code.
const lab = document.getElementById('api-lab');
const log = document.getElementById('api-log');

document.getElementById('api-train').addEventListener('click', () => lab.train());
document.getElementById('api-pause').addEventListener('click', () => lab.pause());
lab.addEventListener('snapshot', (e) => {
  const { step, accuracy } = e.detail;
  log.textContent = `Step ${step}: ${(accuracy * 100).toFixed(1)}% of the held-out digits right.`;
});
lab.addEventListener('diverged', (e) => { log.textContent = e.detail.message; });

fetch(import.meta.url).then((r) => r.text()).then((text) => {
  document.getElementById('api-source').textContent = text;
});
