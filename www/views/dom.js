// A small helper for building the shadow DOM: elements with attributes and children, never
// HTML text, so nothing an author or a link supplies is ever parsed as markup.

/** `el('button', { type: 'button', class: 'x' }, ['text', child])`. */
export function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** A button; `part="button"` lets an author style it from outside an element's shadow root. */
export function button(text, onClick, attributes = {}) {
  const node = el('button', { type: 'button', part: 'button', ...attributes }, [text]);
  node.addEventListener('click', onClick);
  return node;
}
