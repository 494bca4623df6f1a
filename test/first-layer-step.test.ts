// Backend.firstLayerStep: dW = alpha·D·Xᵀ, W -= lr·dW, Z = W·X in one call.
//
// - wasm: the fused kernel (X read once, block by block; one part of K per thread) equals the three
//   calls it stands for (gemm, axpy, gemm on the same backend) bit for bit, on one thread and on 2 to
//   4, on the course's shape and odd ones (k not a multiple of the K block, m of the SIMD width, n of
//   the tile height, a padded X); shapes the kernel does not take run the three calls themselves.
// - every backend against the loop backend (fast-check, both dtypes, X as stored or transposed):
//   within the chained summation bound: dW to max(m·u, floor)·|alpha|·Σ_j|D_ij·X_kj| (Higham's bound
//   for any order; u = 2^-53 or 2^-24, floor 1e-12 or 1e-5), W to lr times that plus 2 ulps of |W|,
//   Z to Σ_k tolW_ik·|X_kj| + max(k·u, floor)·Σ_k|W_ik·X_kj|.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend, Buffer, FirstLayerStep } from '../src/backend/backend.js';
import { firstLayerStepInSequence } from '../src/backend/first-layer-step.js';
import { LoopBackend } from '../src/backend/loop.js';
import { VectorizedBackend } from '../src/backend/vectorized/index.js';
import {
  createWasmBackendSync,
  setThreads,
  terminateThreads,
  threadsSupported,
  type WasmBackend,
} from '../src/backend/wasm/index.js';
import type { DType } from '../src/core/dtype.js';
import { draw, uniform } from './helpers/rng.js';

interface Shape {
  n: number;
  k: number;
  m: number;
  /** extra elements per row of X */
  pad: number;
  transX: boolean;
}

/** The operands of one step on `be`, at odd offsets (off elements before each array). */
function operands(be: Backend, dtype: DType, s: Shape, seed: number) {
  const { n, k, m, pad, transX } = s;
  const off = 3;
  const ldx = (transX ? k : m) + pad;
  const rows = transX ? m : k;
  const make = (len: number, seedOf: number, lo: number, hi: number): Buffer => {
    const b = be.alloc(dtype, len + off);
    be.view(b).set(draw(seedOf, len + off, uniform(lo, hi)));
    return b;
  };
  return {
    dW: make(n * k, seed, -1, 1),
    W: make(n * k, seed + 1, -0.05, 0.05),
    Z: make(n * m, seed + 2, -1, 1),
    D: make(n * m, seed + 3, -1, 1),
    X: make(rows * ldx, seed + 4, 0, 1),
    off,
    ldx,
  };
}

type Operands = ReturnType<typeof operands>;

function step(be: Backend, o: Operands, s: Shape, inSequence: boolean): void {
  const { n, k, m, transX } = s;
  const { off } = o;
  const args: FirstLayerStep = {
    dW: o.dW,
    dwOff: off,
    W: o.W,
    wOff: off,
    Z: o.Z,
    zOff: off,
    D: o.D,
    dOff: off,
    X: o.X,
    xOff: off,
    ldx: o.ldx,
    transX,
    n,
    k,
    m,
    alpha: 1 / m,
    lr: 0.0075,
  };
  if (inSequence) firstLayerStepInSequence(be, args);
  else be.firstLayerStep(args);
}

/** The bytes of dW, W and Z (whole buffers, margins included). */
function bytes(be: Backend, o: Operands): Uint8Array[] {
  return [o.dW, o.W, o.Z].map((b) => {
    const v = be.view(b);
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
  });
}

function free(be: Backend, o: Operands): void {
  for (const b of [o.dW, o.W, o.Z, o.D, o.X]) be.free(b);
}

const single = createWasmBackendSync({ threads: false });
/** first_layer_step_fits of the release build. */
const fitsOf = new WebAssembly.Instance(
  new WebAssembly.Module(
    readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'build', 'vecnet.wasm')),
  ),
  { env: { memory: new WebAssembly.Memory({ initial: 1 }), abort: () => {} } },
).exports.first_layer_step_fits as (n: number, k: number, m: number, S: number) => number;
const FUSED: Shape[] = [
  { n: 20, k: 12288, m: 209, pad: 0, transX: false }, // the course's deep cat net
  { n: 7, k: 5000, m: 61, pad: 3, transX: false }, // dW by dot products (n <= 8)
  { n: 2, k: 4353, m: 3, pad: 1, transX: false },
  { n: 32, k: 4096, m: 17, pad: 0, transX: false },
  { n: 9, k: 4099, m: 33, pad: 5, transX: false },
];
const UNFUSED: Shape[] = [
  { n: 20, k: 300, m: 209, pad: 0, transX: false }, // K too short for the K split
  { n: 4, k: 5000, m: 400, pad: 0, transX: false }, // float64: a block of X beyond L2
  { n: 20, k: 4096, m: 50, pad: 2, transX: true },
];

function expectSequenceBits(be: WasmBackend, dtype: DType, s: Shape, seed: number): void {
  const a = operands(be, dtype, s, seed);
  const b = operands(single, dtype, s, seed);
  step(be, a, s, false);
  step(single, b, s, true);
  const got = bytes(be, a);
  const want = bytes(single, b);
  for (const [i, name] of ['dW', 'W', 'Z'].entries()) {
    if (Buffer.compare(Buffer.from(got[i]), Buffer.from(want[i])) !== 0) {
      expect.fail(`${name} differs from gemm + axpy + gemm for ${dtype} ${JSON.stringify(s)}`);
    }
  }
  free(be, a);
  free(single, b);
}

describe('firstLayerStep on wasm', () => {
  it('takes the fused kernel exactly where it applies', () => {
    const fits = (s: Shape, S: number) => fitsOf(s.n, s.k, s.m, S) === 1;
    for (const s of FUSED) expect([fits(s, 4), fits(s, 8)]).toEqual([true, true]);
    expect(fits(UNFUSED[0], 8)).toBe(false);
    expect([fits(UNFUSED[1], 4), fits(UNFUSED[1], 8)]).toEqual([true, false]);
  });

  it('equals gemm + axpy + gemm bit for bit on one thread', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [i, s] of [...FUSED, ...UNFUSED].entries())
        expectSequenceBits(single, dtype, s, 100 * i + 1);
    }
  });

  describe.skipIf(!threadsSupported())('on threads', () => {
    const threaded = createWasmBackendSync({ threads: true });
    afterAll(() => terminateThreads());

    it('equals gemm + axpy + gemm on one thread bit for bit, one part of K per job, on 2 to 4 threads', async () => {
      for (const t of [2, 3, 4]) {
        setThreads(t);
        await threaded.threads?.ready();
        for (const dtype of ['float32', 'float64'] as const) {
          for (const [i, s] of [...FUSED, ...UNFUSED].entries()) {
            const jobs = threaded.threads?.jobs ?? 0;
            expectSequenceBits(threaded, dtype, s, 100 * i + t);
            if (i === 0) expect(threaded.threads?.jobs).toBeGreaterThan(jobs); // the course's shape split
          }
        }
      }
      setThreads(2);
    });
  });
});

const loop = new LoopBackend();
const ENGINES: [string, Backend][] = [
  ['vectorized', new VectorizedBackend()],
  ['wasm', single],
];

describe.each(ENGINES)('firstLayerStep on %s equals the loop backend', (_name, engine) => {
  it('within the chained summation bound, both dtypes, X as stored or transposed', () => {
    const shape = fc.record({
      n: fc.constantFrom(1, 2, 3, 7, 17, 20, 33),
      k: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(4096, 4099, 4353)),
      m: fc.constantFrom(1, 3, 4, 17, 31, 64),
      pad: fc.nat(3),
      transX: fc.boolean(),
    });
    fc.assert(
      fc.property(shape, fc.constantFrom<DType>('float32', 'float64'), fc.nat(1 << 20), (s, dtype, seed) => {
        const w = operands(loop, dtype, s, seed);
        const g = operands(engine, dtype, s, seed);
        const D = Float64Array.from(loop.view(w.D));
        const X = Float64Array.from(loop.view(w.X));
        step(loop, w, s, false);
        step(engine, g, s, false);
        expectWithinBound(dtype, s, w, g, D, X, engine);
        free(loop, w);
        free(engine, g);
      }),
      { numRuns: 40 },
    );
  });
});

function expectWithinBound(
  dtype: DType,
  s: Shape,
  w: Operands,
  g: Operands,
  D: Float64Array,
  X: Float64Array,
  engine: Backend,
): void {
  const { n, k, m, transX } = s;
  const { off, ldx } = w;
  const u = dtype === 'float64' ? 2 ** -53 : 2 ** -24;
  const floor = dtype === 'float64' ? 1e-12 : 1e-5;
  const lr = 0.0075;
  const x = (kk: number, j: number) => Math.abs(X[off + (transX ? j * ldx + kk : kk * ldx + j)]);
  const [wdW, wW, wZ] = [w.dW, w.W, w.Z].map((b) => loop.view(b));
  const [gdW, gW, gZ] = [g.dW, g.W, g.Z].map((b) => engine.view(b));
  const tolW = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let kk = 0; kk < k; kk++) {
      let sum = 0;
      for (let j = 0; j < m; j++) sum += Math.abs(D[off + i * m + j]) * x(kk, j);
      const e = off + i * k + kk;
      const tolDW = Math.max(m * u, floor) * (sum / m);
      tolW[i * k + kk] = lr * tolDW + 2 * u * Math.abs(wW[e]);
      if (!(Math.abs(gdW[e] - wdW[e]) <= tolDW)) expect.fail(`dW[${i}, ${kk}] ${gdW[e]} vs ${wdW[e]}`);
      if (!(Math.abs(gW[e] - wW[e]) <= tolW[i * k + kk])) expect.fail(`W[${i}, ${kk}] ${gW[e]} vs ${wW[e]}`);
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let carried = 0;
      let sum = 0;
      for (let kk = 0; kk < k; kk++) {
        carried += tolW[i * k + kk] * x(kk, j);
        sum += Math.abs(wW[off + i * k + kk]) * x(kk, j);
      }
      const e = off + i * m + j;
      const tol = carried + Math.max(k * u, floor) * sum;
      if (!(Math.abs(gZ[e] - wZ[e]) <= tol)) expect.fail(`Z[${i}, ${j}] ${gZ[e]} vs ${wZ[e]} (bound ${tol})`);
    }
  }
  // the margins before each array are untouched
  for (const [gv, wv] of [
    [gdW, wdW],
    [gW, wW],
    [gZ, wZ],
  ]) {
    for (let i = 0; i < off; i++) expect(gv[i]).toBe(wv[i]);
  }
}
