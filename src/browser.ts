// vecnet in a web page or worker: the entry of dist/vecnet.browser.js (scripts/build-browser.mjs) and
// the package's `browser` export. The API both entries share (exports.ts): arrays, backends,
// RandomState, the networks, the generated 2-D data sets and model JSON. Left out: HDF5 and image
// loading (h5wasm, pngjs), saving and loading files (node:fs) and the CLI.
//
// The SIMD128 wasm binary is inlined in the bundle (deflated, in base64; inflated once), so the bundle is one file
// that needs no server configuration, no asset handling by the user's bundler and no URL that could
// go stale: it loads from a CDN, a module worker or a blob alike. Where the engine runs relaxed SIMD
// (Chromium 114+, Firefox 120+), `ready()` first fetches the relaxed-SIMD build, vecnet.relaxed.wasm
// beside the bundle (fused multiply-add GEMM kernels; bundlers that follow `new URL(…,
// import.meta.url)`, webpack 5 and Vite, copy it), and keeps the inlined build when that fails, so
// only engines that use it download it. `ready(url)` still takes a URL (or bytes, or a compiled
// module) for those who serve build/vecnet.wasm themselves.

import { inflateSync } from 'fflate';
import { registerBuiltinBackends } from './backend/index.js';

export * from './exports.js';

/**
 * Set by scripts/build-browser.mjs (esbuild `define`) to build/vecnet.wasm, deflated (raw DEFLATE),
 * in base64; absent under tsc.
 */
declare const __VECNET_WASM_BASE64__: string | undefined;

let embeddedBytes: Uint8Array | undefined;

/** The inlined binary, decoded on first use; undefined outside the esbuild bundle. */
function embeddedWasm(): Uint8Array | undefined {
  if (embeddedBytes === undefined && typeof __VECNET_WASM_BASE64__ === 'string') {
    const text = atob(__VECNET_WASM_BASE64__);
    const deflated = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) deflated[i] = text.charCodeAt(i);
    embeddedBytes = inflateSync(deflated);
  }
  return embeddedBytes;
}

// with the bytes at hand the wasm backend can also be made synchronously, on first use, as in Node
// (`setBackend('wasm')` without `ready()`); engines may cap synchronous compilation on a page's main
// thread, and the default backend then falls back to `vectorized`: `await ready()` never hits the cap
registerBuiltinBackends({
  source: embeddedWasm(),
  relaxedSource: embeddedWasm() === undefined ? undefined : fetchRelaxed,
});

/** vecnet.relaxed.wasm beside this module, as bytes (so that a threaded backend can share its memory). */
async function fetchRelaxed(): Promise<Uint8Array> {
  const response = await fetch(new URL('./vecnet.relaxed.wasm', import.meta.url));
  if (!response.ok) throw new Error(`vecnet.relaxed.wasm: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
