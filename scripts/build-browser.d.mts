// Types of build-browser.mjs (imported by the browser tests and demo/serve.mjs).
import type { BuildOptions, Plugin } from 'esbuild';

export const ROOT: string;
export const WASM_PATH: string;
export const BUNDLE_PATH: string;
export const RELAXED_PATH: string;
export const TARGET: string[];
export function wasmBase64(): string;
export const nodeBuiltinsStub: Plugin;
export function sharedOptions(): BuildOptions;
export interface BundleSizes {
  /** Bytes of dist/vecnet.browser.js. */
  raw: number;
  /** Bytes of the bundle gzipped at level 9. */
  gzip: number;
  /** Bytes of the bundle without the inlined base64 wasm, raw and gzipped. */
  jsRaw: number;
  jsGzip: number;
  /** Bytes of build/vecnet.wasm, and gzipped, for reference (the bundle inlines it as base64). */
  wasmRaw: number;
  wasmGzip: number;
  /** Bytes of dist/vecnet.relaxed.wasm (fetched by the bundle where relaxed SIMD runs), and gzipped. */
  relaxedRaw: number;
  relaxedGzip: number;
  /** Bytes of the source map. */
  map: number;
  /** Number of modules bundled. */
  inputs: number;
}
export function buildBrowser(options?: { quiet?: boolean }): Promise<BundleSizes>;
