// How a view follows the session: it collects what changed and renders once per animation
// frame, and again whenever one of its canvases changes size or the colours change; a view
// that costs much to draw can wait while it is far from the viewport (`onlyNear`).
// `render(state, changed)` gets the set of state keys changed since the last frame, plus
// 'size' after a resize and 'colours' after a new palette or theme. Canvas sizes come from the resize
// observer, so that rendering never forces a layout by reading them.
import { colourChanges } from './palette.js';

const NEAR = '100% 0px';   // within a screen's height of the viewport

export function watch(session, render) {
  let changed = new Set();
  let frame = 0;
  let near = true;
  let nearness = null;
  const flush = () => {
    frame = 0;
    const now = changed;
    changed = new Set();
    render(session.state, now);
  };
  const schedule = () => {
    if (near && changed.size > 0) frame ||= requestAnimationFrame(flush);
  };
  const mark = (keys) => {
    for (const key of keys) changed.add(key);
    schedule();
  };
  const unsubscribe = session.subscribe((state, keys) => mark(keys));
  const sizes = new WeakMap();
  const resize = new ResizeObserver((entries) => {
    for (const { target, contentRect } of entries) sizes.set(target, { width: contentRect.width, height: contentRect.height });
    mark(['size']);
  });
  const repaint = () => mark(['colours']);
  colourChanges.addEventListener('change', repaint);
  return {
    /** Renders again in the next frame, as if `keys` had changed. */
    mark,
    /** Renders again whenever `element` changes size. */
    observe(element) {
      resize.observe(element);
    },
    /**
     * Renders only while `element` is within about a screen of the viewport (and shown): what
     * changes while it is further away is collected and drawn once it comes near.
     */
    onlyNear(element) {
      near = false;
      cancelAnimationFrame(frame);
      frame = 0;
      nearness = new IntersectionObserver((entries) => {
        near = entries.at(-1).isIntersecting;
        schedule();
      }, { rootMargin: NEAR });
      nearness.observe(element);
    },
    /** The observed `element`'s content size in CSS pixels (zero until it is laid out). */
    size(element) {
      return sizes.get(element) ?? { width: 0, height: 0 };
    },
    destroy() {
      unsubscribe();
      resize.disconnect();
      nearness?.disconnect();
      colourChanges.removeEventListener('change', repaint);
      cancelAnimationFrame(frame);
    },
  };
}

/** Whether any of `keys` is in `changed`. */
export const touched = (changed, ...keys) => keys.some((key) => changed.has(key));
