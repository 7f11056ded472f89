// What the element's views share: drawing at most once per animation frame, redrawing when
// their picture changes size, and stopping both when the element goes away. A view defines
// `render()` and calls `schedule()` whenever something it shows has changed.

export class FrameView {
  constructor() {
    this.frame = 0;
    this.resize = new ResizeObserver(() => this.schedule());
  }

  /** Redraws whenever `canvas` changes size. */
  watch(canvas) {
    this.resize.observe(canvas);
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  destroy() {
    cancelAnimationFrame(this.frame);
    this.resize.disconnect();
  }
}
