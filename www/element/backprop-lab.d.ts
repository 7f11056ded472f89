// Types for the <backprop-lab> custom element. Importing the module defines the element:
//   import 'backprop-lab';   or   <script type="module" src=".../element/backprop-lab.js">

/** Which part of the playground an element shows. */
export type BackpropLabView = 'full' | 'draw' | 'network' | 'backprop' | 'train';

/**
 * The element's attributes. All are strings and all are optional; each is checked by the
 * core's settings validator, and a value it rejects falls back to its default with a short
 * message inside the element.
 */
export interface BackpropLabAttributes {
  /** Which view to show (default `full`). */
  view?: BackpropLabView;
  /** Lock the backprop player to this step, `1` … `12` (view `backprop`). */
  step?: string;
  /** Hidden layer widths, e.g. `16,16` (the settings key `hidden`). */
  layers?: string;
  activation?: 'relu' | 'leaky_relu' | 'sigmoid' | 'tanh';
  loss?: 'softmax_cross_entropy' | 'sigmoid_squared_error';
  init?: 'auto' | 'xavier' | 'he';
  /** Random seed, `0` … `4294967295`. */
  seed?: string;
  optimizer?: 'sgd' | 'momentum' | 'adam';
  /** Learning rate in (0, 10]; also the step size of the backprop lesson. */
  lr?: string;
  batch?: string;
  l2?: string;
  momentum?: string;
  /** Mini-batches to train from the seed before showing the network, `0` … `100000`. */
  steps?: string;
  /** Held-out digit to show first, `0` … `999`. */
  digit?: string;
  /** Desired answer of the backprop lesson, `0` … `9`. */
  label?: string;
  /** A pretrained model: a path relative to the page, or an http(s) URL. */
  model?: string;
  /** `hidden` removes every button and menu. */
  controls?: 'shown' | 'hidden';
  /** Settings text as in a playground link (`hidden=16,16&seed=7`); attributes override it. */
  settings?: string;
}

/** The element class. Setting an attribute rebuilds the element with the new settings. */
export declare class BackpropLabElement extends HTMLElement {
  static readonly observedAttributes: string[];
}

declare global {
  interface HTMLElementTagNameMap {
    'backprop-lab': BackpropLabElement;
  }
}
