// The notices at the top of the page (the newest MAX_NOTICES, each with a close button), and
// the one-line status messages under the model and own-data controls.
const MAX_NOTICES = 4;

/** Returns `notify(text, kind, details)`, which adds a notice to `container`. */
export function createNotices(container) {
  return function notify(text, kind = 'info', details = []) {
    const item = document.createElement('div');
    item.className = `notice notice-${kind}`;
    const message = document.createElement('div');
    message.textContent = text;
    if (details.length) {
      const list = document.createElement('ul');
      list.append(...details.map((detail) => {
        const li = document.createElement('li');
        li.textContent = detail;
        return li;
      }));
      message.append(list);
    }
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'notice-close';
    close.textContent = '×';
    close.setAttribute('aria-label', 'Dismiss this notice');
    close.addEventListener('click', () => item.remove());
    item.append(message, close);
    container.append(item);
    while (container.children.length > MAX_NOTICES) container.firstElementChild.remove();
  };
}

/** Shows `text` in a status line; `error` marks it as a failure. */
export function showMessage(element, text, error = false) {
  element.textContent = text;
  element.classList.toggle('error', error);
}
