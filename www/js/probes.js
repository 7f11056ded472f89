// The probes' WebAssembly module (www/pkg-probe: the gradient check, what each neuron looks
// for, the loss landscape) and its JavaScript (6 KB gzipped), fetched once per thread when a
// probe is first used rather than with the page: the main module stays small enough to start
// quickly. A probe works on a copy of a network, `ProbedNetwork`, made from the main module's
// shape and parameters, and evaluates the landscape on `Examples` made from a dataset's grey
// bytes. Its numerics are the core's code built the same way (the fused build beside a core
// with fused multiply-adds), so its losses equal the core's bit for bit.

const buildUrl = (fma) => new URL(`../pkg-probe${fma ? '-fma' : ''}/backprop_probe_bg.wasm`, import.meta.url);

let loaded = null;   // { fma, ready }: one build per thread, as its JavaScript holds one instance

/** The probe module of this thread's core: `fma` is the core's `fusedMultiplyAdd()`. */
export function loadProbes(fma) {
  if (loaded && loaded.fma !== fma) return Promise.reject(new Error('this thread already runs the other build of the probes'));
  if (!loaded) {
    const ready = import('../pkg-probe/backprop_probe.js').then(async (probes) => {
      await probes.default({ module_or_path: buildUrl(fma) });
      return probes;
    });
    loaded = { fma, ready };
    ready.catch(() => { if (loaded?.ready === ready) loaded = null; });   // asked again, fetched again
  }
  return loaded.ready;
}

/** The probe module's copy of the core network `net`, weighted with `parameters` (its own by default). */
export function copyOf({ ProbedNetwork }, net, parameters = net.parameters()) {
  const { activation, loss } = net.options();
  return new ProbedNetwork(net.sizes(), activation, loss, parameters);
}

/** `use(probe)` on the probe module's copy of the core network `net`, freed afterwards. */
export async function withCopy(net, fma, use) {
  const probe = copyOf(await loadProbes(fma), net);
  try {
    return await use(probe);
  } finally {
    probe.free();
  }
}
