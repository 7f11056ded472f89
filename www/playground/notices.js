// The notices at the top of the page (the newest MAX_NOTICES, each with a close button), and
// the one-line status messages under the model and own-data controls.
const MAX_NOTICES = 4;

/**
 * Returns `notify(text, kind, details, actions)`, which adds a notice to `container` (with
 * `actions`, buttons, under its text) and returns the notice.
 */
export function createNotices(container) {
  return function notify(text, kind = 'info', details = [], actions = []) {
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
    if (actions.length) {
      const row = document.createElement('div');
      row.className = 'notice-actions';
      row.append(...actions);
      message.append(row);
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
    return item;
  };
}

/** Shows `text` in a status line; `error` marks it as a failure. */
export function showMessage(element, text, error = false) {
  element.textContent = text;
  element.classList.toggle('error', error);
}
