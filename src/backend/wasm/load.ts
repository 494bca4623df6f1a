// Finding, compiling and instantiating build/vecnet.wasm: synchronously in Node (read from disk next
// to the package), asynchronously anywhere (fetch + instantiateStreaming in browsers).
//
// The plain WebAssembly API is used rather than @assemblyscript/loader: the module has no managed
// objects (runtime stub, no exported runtime, no strings or arrays cross the boundary), so the
// loader's helpers have nothing to do, and its demangle step wraps every export in a variadic closure
// (`(...args) => elem(...args)`), an allocation on every kernel call. What the loader would add,
// env.abort, is provided here.

import { envVar } from '../../core/index.js';
import { EXPORT_ARITY, type KernelExports } from './abi.js';

/** Where the wasm binary comes from: a path or URL, the bytes, a fetch Response, or a compiled module. */
export type WasmSource = string | URL | BufferSource | Response | WebAssembly.Module;

/** The binary's name; it lives at `<package root>/build/vecnet.wasm` (other builds: variants.ts). */
const WASM_FILE = 'vecnet.wasm';

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)), as wasm-feature-detect does
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98,
  11,
]);

let simdSupported: boolean | undefined;

/** True when this engine validates WebAssembly SIMD128 (fixed-width SIMD), which the kernels require. */
export function wasmSimdSupported(): boolean {
  if (simdSupported === undefined) {
    simdSupported = typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  }
  return simdSupported;
}

function requireSimd(): void {
  if (!wasmSimdSupported()) {
    throw new Error(
      'wasm backend unavailable: this JavaScript engine does not support WebAssembly SIMD (128-bit). ' +
        "Use setBackend('vectorized') instead, the fastest backend that needs no WebAssembly.",
    );
  }
}

/**
 * This module's URL, held in a variable: bundlers (webpack, Vite) treat `new URL(path, import.meta.url)`
 * as an asset to resolve at build time, which fails for the computed paths below; the browser bundle
 * never fetches them anyway (it passes the inlined bytes).
 */
const moduleUrl = import.meta.url;

/** Node's fs and url modules when running under Node (>= 20.16 has process.getBuiltinModule). */
function nodeModules(): { fs: typeof import('node:fs'); url: typeof import('node:url') } | undefined {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return undefined;
  return { fs: proc.getBuiltinModule('node:fs'), url: proc.getBuiltinModule('node:url') };
}

/**
 * Candidate locations of the binary, most specific first: $VECNET_WASM, then `build/vecnet.wasm` in
 * each directory from this module's up to the file-system root (this file runs from
 * src/backend/wasm/ under vitest, dist/src/backend/wasm/ after tsc, or wherever a bundle puts it),
 * then `vecnet.wasm` next to the module (a bundle that copied the binary beside itself). Another
 * build (`file`, e.g. vecnet.threads.wasm) is looked for in the same places, next to $VECNET_WASM.
 */
function nodeCandidates(node: NonNullable<ReturnType<typeof nodeModules>>, file = WASM_FILE): string[] {
  const out: string[] = [];
  const env = envVar('VECNET_WASM');
  if (env) out.push(file === WASM_FILE ? env : env.replace(/[^\\/]*$/, file));
  if (!moduleUrl.startsWith('file:')) return out;
  const here = node.url.fileURLToPath(new URL('.', moduleUrl));
  out.push(`${here}${file}`);
  let dir = here.replace(/[\\/]+$/, '');
  for (;;) {
    out.push(`${dir}/build/${file}`);
    const parent = dir.replace(/[\\/][^\\/]*$/, '');
    if (parent === dir || parent === '') break;
    dir = parent;
  }
  // a bundle of an app (esbuild, webpack for node) that still has vecnet in its node_modules
  try {
    const nodeModule = (globalThis as { process?: NodeJS.Process }).process?.getBuiltinModule?.(
      'node:module',
    ) as typeof import('node:module') | undefined;
    const manifest = nodeModule?.createRequire(moduleUrl).resolve('vecnet/package.json');
    if (manifest) out.push(manifest.replace(/package\.json$/, `build/${file}`));
  } catch {
    // not installed as a package: the places above are all there is
  }
  return out;
}

function isResponse(source: unknown): source is Response {
  return typeof Response !== 'undefined' && source instanceof Response;
}

function readSync(source: WasmSource | undefined, file = WASM_FILE): BufferSource | WebAssembly.Module {
  if (source instanceof WebAssembly.Module || ArrayBuffer.isView(source) || source instanceof ArrayBuffer) {
    return source;
  }
  if (isResponse(source)) {
    throw new Error(
      'createWasmBackendSync cannot read a Response; use `await createWasmBackend({ source })`',
    );
  }
  const node = nodeModules();
  if (!node) {
    throw new Error(
      'createWasmBackendSync needs Node >= 20.16 (synchronous file access); ' +
        'elsewhere use `await createWasmBackend()`',
    );
  }
  const paths =
    source === undefined
      ? nodeCandidates(node, file)
      : [source instanceof URL ? node.url.fileURLToPath(source) : source];
  for (const p of paths) {
    if (node.fs.existsSync(p)) return node.fs.readFileSync(p);
  }
  throw new Error(
    `wasm backend: ${file} not found (looked in ${paths.join(', ')}); ` +
      'build it with `npm run build:wasm`, or set VECNET_WASM to its path',
  );
}

async function readAsync(source: WasmSource | undefined, file = WASM_FILE): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (ArrayBuffer.isView(source) || source instanceof ArrayBuffer) return WebAssembly.compile(source);
  if (isResponse(source)) return compileResponse(source);
  // a string is a URL when it has a scheme (not a Windows drive letter), else a file path
  const url = typeof source === 'string' && /^[a-z][a-z\d+.-]+:/i.test(source) ? new URL(source) : source;
  const node = nodeModules();
  if (node && (url === undefined || typeof url === 'string' || url.protocol === 'file:')) {
    return WebAssembly.compile(readSync(url, file) as BufferSource);
  }
  // browsers: the binary next to a bundle, else the package layout from src/ or dist/src/
  const urls =
    url !== undefined
      ? [new URL(url, moduleUrl)]
      : [
          new URL(`../../../build/${file}`, moduleUrl),
          new URL(`../../../../build/${file}`, moduleUrl),
          new URL(file, moduleUrl),
        ];
  const failures: string[] = [];
  for (const candidate of urls) {
    try {
      const response = await fetch(candidate);
      if (response.ok) return await compileResponse(response);
      failures.push(`${candidate} (${response.status})`);
    } catch (error) {
      failures.push(`${candidate} (${(error as Error).message})`);
    }
  }
  throw new Error(`wasm backend: could not fetch ${file}: tried ${failures.join(', ')}`);
}

async function compileResponse(response: Response): Promise<WebAssembly.Module> {
  const streaming = response.headers.get('content-type')?.startsWith('application/wasm');
  if (streaming && typeof WebAssembly.compileStreaming === 'function') {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/** The default binaries, each compiled once per process and shared by every backend instance. */
const defaultModules = new Map<string, WebAssembly.Module>();

/**
 * Compiles the binary synchronously (Node, or given bytes / a module); without a source, the build
 * named `file` (vecnet.wasm or a variant, see variants.ts).
 */
export function compileSync(source?: WasmSource, file = WASM_FILE): WebAssembly.Module {
  requireSimd();
  const cached = source === undefined ? defaultModules.get(file) : undefined;
  if (cached) return cached;
  const bytes = readSync(source, file);
  const module = bytes instanceof WebAssembly.Module ? bytes : new WebAssembly.Module(bytes);
  if (source === undefined) defaultModules.set(file, module);
  return module;
}

/** Compiles the binary anywhere (fetch + compileStreaming in browsers); `file` as for compileSync. */
export async function compile(source?: WasmSource, file = WASM_FILE): Promise<WebAssembly.Module> {
  requireSimd();
  const cached = source === undefined ? defaultModules.get(file) : undefined;
  if (cached) return cached;
  const module = await readAsync(source, file);
  if (source === undefined) defaultModules.set(file, module);
  return module;
}

function importsFor(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      // compiled with noAssert, so only a kernel bug reaches this; the arguments point into memory
      abort(_message: number, _file: number, line: number, column: number): never {
        throw new Error(`wasm kernel aborted at line ${line}:${column}`);
      },
    },
  };
}

/**
 * The instance's exports, checked against the ABI table: every export there, with as many parameters
 * as the table lists, so a stale build (or a table edited without rebuilding) fails here, loudly.
 */
function checked(instance: WebAssembly.Instance): KernelExports {
  const exports = instance.exports as Record<string, unknown>;
  const wrong: string[] = [];
  for (const [name, arity] of EXPORT_ARITY) {
    const fn = exports[name];
    if (typeof fn !== 'function') wrong.push(`${name} is missing`);
    else if (fn.length !== arity) wrong.push(`${name} takes ${fn.length} arguments, the table ${arity}`);
  }
  if (wrong.length > 0) {
    throw new Error(
      `wasm backend: the build does not match src/backend/wasm/abi.ts (${wrong.join('; ')}); rebuild it with \`npm run build:wasm\``,
    );
  }
  return exports as unknown as KernelExports;
}

/** Instantiates the module over `memory` (imported as env.memory) and checks its exports. */
export function instantiateSync(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  return checked(new WebAssembly.Instance(module, importsFor(memory)));
}

/** instantiateSync without blocking (browsers limit synchronous instantiation on the main thread). */
export async function instantiateAsync(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
): Promise<KernelExports> {
  return checked(await WebAssembly.instantiate(module, importsFor(memory)));
}
