// How a TypeScript page uses the element, type-checked by `make test-types` (tsc --noEmit):
// everything here must compile, and each @ts-expect-error line must be an error.
import type { BackpropLabElement, BackpropLabNetwork } from '../../www/element/backprop-lab';

const lab = document.querySelector('backprop-lab');
if (lab) {
  const element: BackpropLabElement = lab;
  element.view = 'train';
  element.theme = 'dark';
  element.editable = true;
  element.step = 3;
  element.digit = '7';
  const network: BackpropLabNetwork | null = element.network;
  const outputs: Float32Array | undefined = network?.predict(new Float32Array(784));
  void outputs;
  void element.train().then(() => element.pause());
  element.addEventListener('snapshot', (event) => {
    const accuracy: number = event.detail.accuracy;
    void accuracy;
  });
  element.addEventListener('diverged', (event) => console.log(event.detail.message, event.detail.step));
  // @ts-expect-error the network is read-only
  element.network = null;
  // @ts-expect-error snapshot events carry no `message`
  element.addEventListener('snapshot', (event) => event.detail.message);
}

const created: BackpropLabElement = document.createElement('backprop-lab');
void created;

// JSX: the element and its attributes as intrinsic-element props.
declare function h(tag: string, props: object | null): unknown;
export const figure = <backprop-lab view="backprop" step="2" layers="16,16" theme="auto" pace="full" />;
// @ts-expect-error an unknown view
export const wrong = <backprop-lab view="gallery" />;
