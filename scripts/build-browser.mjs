#!/usr/bin/env node
// Builds dist/vecnet.browser.js: src/browser.ts bundled by esbuild as one minified ES module with a
// source map, build/vecnet.wasm inlined (base64), and dist/vecnet.relaxed.wasm beside it, which the
// bundle fetches where the engine runs relaxed SIMD. Prints the sizes, raw and gzip.
//
//   node scripts/build-browser.mjs           (npm run build:browser; needs `npm run build:wasm` first)
//
// The options are exported for demo/serve.mjs, which bundles the playground the same way.

import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const WASM_PATH = join(ROOT, 'build', 'vecnet.wasm');
export const BUNDLE_PATH = join(ROOT, 'dist', 'vecnet.browser.js');
/** The relaxed-SIMD build beside the bundle (fetched lazily by it, see src/browser.ts). */
export const RELAXED_PATH = join(ROOT, 'dist', 'vecnet.relaxed.wasm');
/** `vecnet/course` in a browser: the bundle's `course` namespace re-exported by name. */
export const COURSE_PATH = join(ROOT, 'dist', 'vecnet-course.browser.js');

/** Chromium 91, Firefox 89, Safari 16.4: the first releases with WebAssembly SIMD. */
export const TARGET = ['es2022', 'chrome91', 'firefox89', 'safari16.4'];

/** build/vecnet.wasm as base64, or a clear error when it was not built. */
export function wasmBase64() {
  let bytes;
  try {
    bytes = readFileSync(WASM_PATH);
  } catch {
    throw new Error(`${relative(ROOT, WASM_PATH)} is missing: run \`npm run build:wasm\` first`);
  }
  // deflated first: base64 of compressed bytes gzips to about the binary's own gzip size, where
  // base64 of the raw binary gzips to half as much again (the bundle inflates it with fflate, which
  // it carries for .npz files anyway)
  return deflateRawSync(bytes, { level: 9 }).toString('base64');
}

/** Packages that only Node runs: the HDF5 and image decoders, loaded lazily by src/data/. */
const NODE_ONLY_PACKAGES = /^(node:|h5wasm(\/|$)|pngjs$|jpeg-js$)/;

/**
 * Node built-ins and the Node-only decoders have no place in a page. Modules that reach them only
 * lazily (loadH5Dataset imports h5wasm inside the call, saveModel node:fs) get a stub that throws
 * when loaded, so calling a Node-only function in the browser says why instead of failing somewhere
 * inside; nothing may import them statically.
 */
export const nodeBuiltinsStub = {
  name: 'node-builtins-stub',
  setup(build) {
    build.onResolve({ filter: NODE_ONLY_PACKAGES }, (args) => {
      if (args.kind !== 'dynamic-import') {
        return { errors: [{ text: `${args.path} is imported statically by ${args.importer}` }] };
      }
      return { path: args.path, namespace: 'node-builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(
        `${args.path} is not available in the browser build of vecnet (files, HDF5 and image decoding need Node; use toModelFile/fromModelFile for models)`,
      )});`,
      loader: 'js',
    }));
  },
};

/** The esbuild options shared by the library bundle and the playground. */
export function sharedOptions() {
  return {
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: TARGET,
    sourcemap: true,
    define: { __VECNET_WASM_BASE64__: JSON.stringify(wasmBase64()) },
    plugins: [nodeBuiltinsStub],
    logLevel: 'warning',
  };
}

/** Builds dist/vecnet.browser.js and returns its sizes in bytes. */
export async function buildBrowser({ quiet = false } = {}) {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const options = sharedOptions();
  const result = await esbuild.build({
    ...options,
    entryPoints: [join(ROOT, 'src', 'browser.ts')],
    outfile: BUNDLE_PATH,
    minify: true,
    legalComments: 'none',
    banner: { js: `/*! vecnet ${version} | MIT | browser build, wasm inlined */` },
    metafile: true,
  });
  await writeCourseEntry(options);
  copyFileSync(join(ROOT, 'build', 'vecnet.relaxed.wasm'), RELAXED_PATH);
  const relaxed = readFileSync(RELAXED_PATH);
  const js = readFileSync(BUNDLE_PATH);
  const wasm = readFileSync(WASM_PATH);
  // the bundle without the base64 string: what the JavaScript alone weighs
  const code = js.toString('utf8').replace(JSON.parse(options.define.__VECNET_WASM_BASE64__), '');
  const sizes = {
    raw: js.length,
    gzip: gzipSync(js, { level: 9 }).length,
    jsRaw: Buffer.byteLength(code),
    jsGzip: gzipSync(code, { level: 9 }).length,
    wasmRaw: wasm.length,
    wasmGzip: gzipSync(wasm, { level: 9 }).length,
    relaxedRaw: relaxed.length,
    relaxedGzip: gzipSync(relaxed, { level: 9 }).length,
    map: statSync(`${BUNDLE_PATH}.map`).size,
    inputs: Object.keys(result.metafile.inputs).length,
  };
  if (!quiet) {
    const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
    console.log(
      `${relative(ROOT, BUNDLE_PATH)}: ${kB(sizes.raw)} raw, ${kB(sizes.gzip)} gzip -9 ` +
        `(JavaScript ${kB(sizes.jsRaw)} / ${kB(sizes.jsGzip)} gzip + the wasm inlined as base64; ` +
        `as a binary the wasm is ${kB(sizes.wasmRaw)} / ${kB(sizes.wasmGzip)} gzip), ` +
        `${sizes.inputs} modules, source map ${kB(sizes.map)}; ${relative(ROOT, RELAXED_PATH)} ` +
        `${kB(sizes.relaxedRaw)} / ${kB(sizes.relaxedGzip)} gzip, fetched only where relaxed SIMD runs`,
    );
  }
  return sizes;
}

/**
 * Writes dist/vecnet-course.browser.js, the browser's `vecnet/course`: the names of the course
 * module (read from an esbuild pass over src/course/index.ts) taken from the one bundle's `course`
 * export, so the page loads one copy of the kernels whichever entry it imports.
 */
async function writeCourseEntry(options) {
  const probe = await esbuild.build({
    ...options,
    entryPoints: [join(ROOT, 'src', 'course', 'index.ts')],
    outfile: join(ROOT, 'dist', 'course-probe.js'),
    write: false,
    sourcemap: false,
    metafile: true,
  });
  const names = Object.values(probe.metafile.outputs).find((o) => o.entryPoint)?.exports ?? [];
  if (!names.includes('np')) throw new Error('build-browser: the course module exports no np');
  writeFileSync(
    COURSE_PATH,
    `/*! vecnet/course for browsers: the course namespace of vecnet.browser.js */\nimport { course } from './vecnet.browser.js';\nexport const { ${[...names].sort().join(', ')} } = course;\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildBrowser().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
