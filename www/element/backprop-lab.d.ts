// Types for the <backprop-lab> custom element. Importing the module defines the element:
//   import 'backprop-lab';   or   <script type="module" src=".../element/backprop-lab.js">

/** Which part of the playground an element shows. */
export type BackpropLabView = 'draw' | 'network' | 'backprop' | 'train' | 'landscape' | 'full';

/**
 * The element's attributes. All are strings and all are optional; each is checked by the
 * core's settings validator, and a value it rejects falls back to its default with a short
 * message inside the element and a warning in the console. Words are read whatever their case.
 */
export interface BackpropLabAttributes {
  /** Which view to show (default `draw`; `full` is the whole playground in a frame). */
  view?: BackpropLabView;
  /** Lock the backprop lesson to this step: 0 the guess, 1 the output error, 2 the weights into the output, then one step per hidden layer from the last to the first, then Apply (step n + 3 with n hidden layers). */
  step?: string;
  /** Hidden layer widths, e.g. `16,16` (the settings key `hidden`). */
  layers?: string;
  activation?: 'relu' | 'leaky_relu' | 'sigmoid' | 'tanh';
  loss?: 'softmax_cross_entropy' | 'sigmoid_squared_error';
  init?: 'auto' | 'xavier' | 'he';
  /** Random seed, `0` … `4294967295`. */
  seed?: string;
  optimizer?: 'sgd' | 'momentum' | 'adam';
  /** Learning rate in (0, 10]; a lesson steps by it divided by the batch size. */
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
  /** `eager` starts at once; by default an element starts when it comes near the viewport. */
  loading?: 'lazy' | 'eager';
  /** Present: the reader can change weights and biases by hand (network and backprop views). */
  editable?: '' | boolean;
  /** `dark`, or `auto` to follow the reader's `prefers-color-scheme` (default `light`). */
  theme?: 'light' | 'dark' | 'auto';
  /** How fast training goes: `watch` (default: a slow first epoch, then full speed), `full`, or mini-batches per second, `1` … `1000`. */
  pace?: string;
  /** Settings text as in a playground link (`hidden=16,16&seed=7`); attributes override it. */
  settings?: string;
  /** A key: the reader's session (network in training, history, drawings) is saved in their browser under it and restored when the element starts again. */
  persist?: string;
}

/** The element's network, read-only: a copy of what the element shows. */
export interface BackpropLabNetwork {
  /** Layer widths from the input to the output, e.g. `[784, 16, 16, 10]`. */
  readonly sizes: number[];
  /** Training steps taken so far. */
  readonly step: number;
  /** The ten outputs for 784 pixel values in 0..1 (probabilities with softmax). */
  predict(input: Float32Array): Float32Array;
  /** Every weight and bias: per weight layer from the input side, its weights (outputs × inputs, row-major), then its biases. */
  parameters(): Float32Array;
}

/** What each event's `detail` holds. Every event bubbles and crosses the shadow boundary. */
export interface BackpropLabEventMap {
  /** The element has started and drawn its view. */
  ready: CustomEvent<Record<string, never>>;
  /** Something the reader can see changed: 'settings', 'network', 'digit', 'label', 'step', 'training'. */
  change: CustomEvent<{ changed: string[] }>;
  /** The lesson moved to another step. */
  step: CustomEvent<{ step: number }>;
  /** A new state of the network: its step, its loss, and its accuracy on the held-out digits. */
  snapshot: CustomEvent<{ step: number; loss: number; accuracy: number }>;
  /** Training diverged; `message` is the core's, and the network is the last good one, from `step`. */
  diverged: CustomEvent<{ message: string; step: number }>;
  /** Something failed: the element could not start, or an action was refused. */
  error: CustomEvent<{ message: string }>;
}

/** The element class. Properties mirror the attributes. */
export declare class BackpropLabElement extends HTMLElement {
  static readonly observedAttributes: string[];
  view: string | null;
  layers: string | null;
  activation: string | null;
  loss: string | null;
  init: string | null;
  seed: string | null;
  optimizer: string | null;
  lr: string | null;
  batch: string | null;
  l2: string | null;
  momentum: string | null;
  steps: string | null;
  label: string | null;
  model: string | null;
  controls: string | null;
  loading: string | null;
  pace: string | null;
  theme: string | null;
  persist: string | null;
  editable: boolean;
  settings: string | null;
  /** The lesson's step now, or null before the element starts; setting it sets the `step` attribute. */
  get step(): number | null;
  set step(value: number | string);
  /** The held-out digit shown now, or null; setting it sets the `digit` attribute. */
  get digit(): number | null;
  set digit(value: number | string);
  /** The network, or null before the element starts. */
  readonly network: BackpropLabNetwork | null;
  /** Starts training (the element starts first if it has not yet). */
  train(): Promise<void>;
  pause(): Promise<void>;
  /** A fresh network from the seed. */
  reset(): Promise<void>;
  /** Shows held-out digit `index` (0 … 999). */
  showDigit(index: number): Promise<void>;
  /** Loads a model by URL (relative to the page) or from its JSON text; rejects, changing nothing, when it is refused. */
  loadModel(urlOrJson: string): Promise<void>;
  addEventListener<K extends keyof BackpropLabEventMap>(type: K, listener: (this: BackpropLabElement, event: BackpropLabEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

/** The element's attributes as JSX props (React 19, Preact, Solid), with its events as `on…` handlers where the framework maps them. */
export type BackpropLabJSXProps = BackpropLabAttributes & {
  id?: string;
  class?: string;
  className?: string;
  style?: string | Record<string, string | number>;
  ref?: unknown;
  children?: never;
};

declare global {
  interface HTMLElementTagNameMap {
    'backprop-lab': BackpropLabElement;
  }
  // JSX frameworks that read the global JSX namespace (Preact, Solid, older React types).
  namespace JSX {
    interface IntrinsicElements {
      'backprop-lab': BackpropLabJSXProps;
    }
  }
}

// React 19 reads React.JSX instead; a React project adds, in one of its own .d.ts files:
//   import type { BackpropLabJSXProps } from 'backprop-lab';
//   declare module 'react' { namespace JSX { interface IntrinsicElements { 'backprop-lab': BackpropLabJSXProps } } }
