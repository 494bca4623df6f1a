// GEMM on worker threads (src/backend/wasm/threads.ts) and the build variants (variants.ts).
//
// - parity: a threaded backend and a single-threaded one get the same operands and must produce C bit
//   for bit (the bytes of the whole buffer, padding included), across random shapes, all four
//   transposes, both dtypes, alpha/beta, padded leading dimensions and 2 to 4 threads; plus shapes on
//   each side of gemm.ts's path thresholds, where a wrong cut would change the summation order.
// - no hang: 10,000 GEMMs just above the split threshold on three threads; terminating and resizing
//   the pool between calls, also while workers are still starting or leaving.
// - process exit: a child process that ran threaded GEMMs exits on its own.
// - relaxed SIMD: in a child process with relaxed SIMD (--experimental-wasm-relaxed-simd on Node 20) the relaxed build is chosen
//   and agrees with the plain one within the GEMM tolerance of wasm-parity (rtol 1e-5 f32, 1e-12 f64
//   of Σ|a||b| + |beta·c|).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROW_UNIT } from '../assembly/gemm/params.js';
import {
  createWasmBackendSync,
  getThreads,
  relaxedSimdSupported,
  setThreads,
  terminateThreads,
  threadsSupported,
  type WasmBackend,
  type WasmBuffer,
  wasmBuildOf,
} from '../src/backend/wasm/index.js';
import { GemmSplit, type PathOf, planGemm } from '../src/backend/wasm/threads/split-gemm.js';
import { toSharedMemory } from '../src/backend/wasm/variants.js';
import type { DType } from '../src/core/dtype.js';
import { draw, uniform } from './helpers/rng.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const build = (file: string) => new Uint8Array(readFileSync(path.join(root, 'build', file)));

/** gemm_path of the release build: the path gemm takes for a shape. */
const pathOf = new WebAssembly.Instance(new WebAssembly.Module(build('vecnet.wasm')), {
  env: { memory: new WebAssembly.Memory({ initial: 1 }), abort: () => {} },
}).exports.gemm_path as PathOf;

const threaded = createWasmBackendSync({ threads: true });
const single = createWasmBackendSync({ threads: false });
const pool = () => threaded.threads!;

function fill(backend: WasmBackend, b: WasmBuffer, seed: number): void {
  backend.view(b).set(draw(seed, b.length, uniform(-2, 2)));
}

interface Case {
  dtype: DType;
  ta: boolean;
  tb: boolean;
  M: number;
  N: number;
  K: number;
  alpha: number;
  beta: number;
  /** extra elements per row of A, B, C (sub-views) */
  pad: [number, number, number];
  seed: number;
}

/** Runs the case on both backends; returns whether the threaded one split it, and both C's bytes. */
function runBoth(c: Case): { split: boolean; t: Uint8Array; s: Uint8Array } {
  const { dtype, ta, tb, M, N, K, alpha, beta, pad, seed } = c;
  const [ar, ac] = ta ? [K, M] : [M, K];
  const [br, bc] = tb ? [N, K] : [K, N];
  const lda = ac + pad[0];
  const ldb = bc + pad[1];
  const ldc = N + pad[2];
  const out: Uint8Array[] = [];
  let split = false;
  for (const be of [threaded, single]) {
    const a = be.alloc(dtype, ar * lda + 3);
    const b = be.alloc(dtype, br * ldb + 3);
    const cc = be.alloc(dtype, M * ldc + 3);
    fill(be, a, seed);
    fill(be, b, seed + 1);
    fill(be, cc, seed + 2);
    const jobs = be.threads?.jobs ?? 0;
    be.gemm(cc, 3, ldc, a, 1, lda, ta, b, 2, ldb, tb, M, N, K, alpha, beta);
    if (be === threaded) split = pool().jobs > jobs;
    const v = be.view(cc);
    out.push(new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice());
    be.free(a);
    be.free(b);
    be.free(cc);
  }
  return { split, t: out[0], s: out[1] };
}

function expectSame(c: Case): boolean {
  const { split, t, s } = runBoth(c);
  if (Buffer.compare(Buffer.from(t), Buffer.from(s)) !== 0) {
    expect.fail(`threaded and single-threaded C differ for ${JSON.stringify(c)} (split: ${split})`);
  }
  return split;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  dtype: fc.constantFrom<DType>('float32', 'float64'),
  ta: fc.boolean(),
  tb: fc.boolean(),
  // mostly big enough to split (M·N·K >= 2^20), sometimes a thin side
  M: fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 40 }), weight: 1 },
    { arbitrary: fc.integer({ min: 60, max: 300 }), weight: 3 },
  ),
  N: fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 24 }), weight: 1 },
    { arbitrary: fc.integer({ min: 100, max: 700 }), weight: 4 },
  ),
  K: fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 16 }), weight: 1 },
    { arbitrary: fc.integer({ min: 200, max: 1500 }), weight: 4 },
  ),
  alpha: fc.constantFrom(1, -0.5, 2.25),
  beta: fc.constantFrom(0, 1, 0.75),
  pad: fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3)),
  seed: fc.integer({ min: 1, max: 1 << 30 }),
});

describe.skipIf(!threadsSupported())('threaded GEMM', () => {
  beforeAll(async () => {
    setThreads(2);
    await pool().ready();
  });
  afterAll(() => {
    terminateThreads();
  });

  it('loads the threaded build over a shared memory', () => {
    expect(threaded.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(wasmBuildOf(threaded)).toMatch(/threads\.wasm, threaded$/);
    expect(single.threads).toBeUndefined();
    expect(pool().runningWorkers()).toBe(1);
  });

  it('equals one thread bit for bit across random shapes, transposes, dtypes and thread counts', async () => {
    for (const n of [2, 3, 4]) {
      setThreads(n);
      await pool().ready();
      let splits = 0;
      let runs = 0;
      fc.assert(
        fc.property(caseArb, (c) => {
          runs++;
          if (expectSame(c)) splits++;
        }),
        { numRuns: 60 },
      );
      // the shape mix must exercise the threaded path, not only the single-call fallback
      expect(splits).toBeGreaterThan(runs / 4);
    }
    setThreads(2);
  });

  it("equals one thread on each side of gemm.ts's path thresholds", () => {
    const shapes: [number, number, number][] = [];
    // dot path (B transposed, M <= 8, or M <= 32 and N·K·S <= 256 KiB) against the blocked path
    for (const M of [4, 8, 9, 20, 32, 33, 64])
      for (const N of [120, 128, 136, 256, 264, 520]) shapes.push([M, N, 1024]);
    for (const M of [20, 32, 33]) for (const N of [248, 256, 264]) shapes.push([M, N, 256]);
    // tile edges: columns not a multiple of 8, rows not a multiple of 3, a single row or column
    for (const [M, N] of [
      [1, 4096],
      [4096, 1],
      [2, 2050],
      [5, 1029],
      [131, 67],
      [67, 131],
      [513, 9],
    ])
      shapes.push([M, N, 300]);
    // matrix-vector products (cut along their output): logistic regression's w·X and dZ·Xᵀ
    shapes.push([1, 209, 12288], [1, 12288, 209], [209, 1, 12288]);
    let splits = 0;
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [M, N, K] of shapes) {
        for (const [ta, tb] of [
          [false, false],
          [false, true],
          [true, false],
          [true, true],
        ] as const) {
          if (expectSame({ dtype, ta, tb, M, N, K, alpha: 1, beta: 0, pad: [0, 0, 0], seed: M * N + K }))
            splits++;
        }
      }
    }
    expect(splits).toBeGreaterThan(100);
  });

  it('equals one thread on K-split shapes (four parts of K) on 2 to 4 threads', async () => {
    // few rows, a long K, B not transposed; C within the partial area (64 KiB) or, last, beyond it
    const shapes: [number, number, number][] = [
      [20, 209, 12288],
      [7, 61, 5000],
      [32, 256, 4096],
      [2, 129, 4353],
      [20, 410, 4096],
    ];
    for (const n of [2, 3, 4]) {
      setThreads(n);
      await pool().ready();
      let splits = 0;
      for (const dtype of ['float32', 'float64'] as const) {
        for (const [M, N, K] of shapes) {
          for (const ta of [false, true]) {
            for (const [alpha, beta] of [
              [1, 0],
              [-0.5, 0.75],
            ]) {
              const pad: [number, number, number] = [ta ? 1 : 0, 2, 3];
              if (expectSame({ dtype, ta, tb: false, M, N, K, alpha, beta, pad, seed: M + N + K })) splits++;
            }
          }
        }
      }
      expect(splits).toBe(2 * 5 * 2 * 2);
    }
    setThreads(2);
    await pool().ready();
  });

  it('cuts only on whole tiles and never below the work threshold', () => {
    const plan = (...args: [number, number, number, number, number]) => {
      const out = new GemmSplit();
      if (!planGemm(pathOf, 0, ...args, 4, 1 << 20, out)) return undefined;
      return { axis: out.axis, bounds: Array.from(out.bounds.subarray(0, out.chunks + 1)) };
    };
    expect(plan(4, 400, 2, 8, 1)).toBeUndefined(); // the planar net's W1·X
    expect(plan(512, 512, 512, 4, 0)).toBeUndefined(); // alpha == 0
    const row = plan(1, 100000, 100, 4, 1)!; // a row vector: gemv, cut along its output
    expect(row.axis).toBe('n');
    expect(row.bounds.slice(1, -1).every((b) => b % 8 === 0)).toBe(true);
    const column = plan(100000, 1, 100, 4, 1)!; // a column vector: along its rows
    expect(column.axis).toBe('m');
    expect(column.bounds.at(-1)).toBe(100000);
    // few rows and a long K: four parts of K, a thread each, columns whole; on block boundaries
    const out = new GemmSplit();
    expect(planGemm(pathOf, 0, 20, 209, 12288, 4, 1, 4, 1 << 20, out)).toBe(true);
    expect(out.axis).toBe('k');
    expect(Array.from(out.bounds.subarray(0, out.chunks + 1))).toEqual([0, 209]);
    expect(Array.from(out.kBounds)).toEqual([0, 3072, 6144, 9216, 12288]);
    expect(planGemm(pathOf, 0, 20, 209, 5000, 4, 1, 8, 1 << 20, out)).toBe(true);
    expect(Array.from(out.kBounds)).toEqual([0, 1024, 2304, 3584, 5000]);
    expect(out.chunks).toBe(2); // eight threads: each part's columns in two
    const wide = plan(20, 1000, 12288, 4, 1)!; // C beyond the partial area: cut along N
    expect(wide.axis).toBe('n');
    expect(wide.bounds.slice(1, -1).every((b) => b % 8 === 0)).toBe(true);
    const tall = plan(4000, 16, 512, 8, 1)!;
    expect(tall.axis).toBe('m');
    expect(tall.bounds.slice(1, -1).every((b) => b % ROW_UNIT === 0)).toBe(true);
  });

  it('runs 10,000 small GEMMs across three threads to the end', () => {
    setThreads(3);
    const M = 64;
    const N = 64;
    const K = 256;
    for (const dtype of ['float32', 'float64'] as const) {
      const bufs = [threaded, single].map((be) => {
        const a = be.alloc(dtype, M * K);
        const b = be.alloc(dtype, K * N);
        const c = be.alloc(dtype, M * N);
        fill(be, a, 5);
        fill(be, b, 6);
        return { be, a, b, c };
      });
      const jobs = pool().jobs;
      const [t, s] = bufs;
      // C accumulates (beta = 1), so one lost or doubled chunk anywhere shows at the end; odd calls
      // read A as stored transposed (K, M)
      for (let i = 0; i < 5000; i++) {
        t.be.gemm(t.c, 0, N, t.a, 0, i % 2 ? M : K, i % 2 === 1, t.b, 0, N, false, M, N, K, 1e-3, 1);
      }
      for (let i = 0; i < 5000; i++) {
        s.be.gemm(s.c, 0, N, s.a, 0, i % 2 ? M : K, i % 2 === 1, s.b, 0, N, false, M, N, K, 1e-3, 1);
      }
      expect(pool().jobs - jobs).toBe(5000);
      expect(Array.from(t.be.view(t.c))).toEqual(Array.from(s.be.view(s.c)));
      for (const { be, a, b, c } of bufs) {
        be.free(a);
        be.free(b);
        be.free(c);
      }
    }
    setThreads(2);
  });

  it('survives terminating and resizing the pool between calls, also while workers start or leave', async () => {
    const c: Case = {
      dtype: 'float32',
      ta: false,
      tb: false,
      M: 96,
      N: 128,
      K: 256,
      alpha: 1,
      beta: 0,
      pad: [0, 0, 0],
      seed: 11,
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    for (let round = 0; round < 300; round++) {
      if (round % 7 === 3) terminateThreads(); // workers are idle: they leave at once
      if (round % 11 === 5) setThreads(1 + (round % 4));
      if (round % 5 === 0) {
        clearTimeout(timer);
        timer = setTimeout(terminateThreads, round % 3); // lands between two awaited calls
      }
      expectSame({ ...c, dtype: round % 2 === 0 ? 'float32' : 'float64', seed: round });
      if (round % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    clearTimeout(timer);
    setThreads(2);
    await pool().ready();
    expect(expectSame({ ...c, M: 256, N: 256 })).toBe(true);
    // workers that left gave their slots back: no more than one scratch block per slot ever used
    expect(threaded.stats().liveBuffers).toBe(0);
  });
});

describe('setThreads / getThreads', () => {
  it('validates the count', () => {
    expect(() => setThreads(0)).toThrow(RangeError);
    expect(() => setThreads(1.5)).toThrow(/integer from 1 to 64, got 1.5/);
    expect(() => setThreads(65)).toThrow(RangeError);
    setThreads(3);
    expect(getThreads()).toBe(threadsSupported() ? 3 : 1);
    setThreads(2);
  });
});

describe('builds', () => {
  it('the threaded builds are the unshared ones with a shared memory import', () => {
    const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
    expect(same(toSharedMemory(build('vecnet.wasm')), build('vecnet.threads.wasm'))).toBe(true);
    expect(same(toSharedMemory(build('vecnet.relaxed.wasm')), build('vecnet.relaxed.threads.wasm'))).toBe(
      true,
    );
    const shared = build('vecnet.threads.wasm');
    expect(toSharedMemory(shared)).toBe(shared);
  });
});

/** Bundles `code` (importing from src/) and runs it with node `flags`; resolves to stdout and time. */
async function runChild(code: string, flags: string[] = []): Promise<{ stdout: string; ms: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vecnet-threads-'));
  try {
    const entry = path.join(root, 'test', `.child-${process.pid}-${Date.now()}.ts`);
    const outfile = path.join(dir, 'child.mjs');
    await esbuild.build({
      stdin: { contents: code, resolveDir: path.join(root, 'test'), sourcefile: entry, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'error',
    });
    const start = Date.now();
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [...flags, outfile],
        {
          timeout: 20_000,
          env: { ...process.env, VECNET_WASM: path.join(root, 'build', 'vecnet.wasm'), VECNET_THREADS: '' },
        },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      );
    });
    return { stdout, ms: Date.now() - start };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!threadsSupported())('process exit', () => {
  it('a Node process that ran GEMMs on worker threads exits on its own', async () => {
    const { stdout, ms } = await runChild(`
      import { createWasmBackendSync, setThreads } from '../src/backend/wasm/index.js';
      setThreads(2);
      const be = createWasmBackendSync({ threads: true });
      const n = 256;
      const [a, b, c] = [be.alloc('float32', n * n), be.alloc('float32', n * n), be.alloc('float32', n * n)];
      await be.threads.ready();
      for (let i = 0; i < 20; i++) be.gemm(c, 0, n, a, 0, n, false, b, 0, n, false, n, n, n, 1, 0);
      console.log('jobs', be.threads.jobs, 'workers', be.threads.runningWorkers());
      // no terminateThreads(): the unref'd workers must not hold the process
    `);
    expect(stdout).toMatch(/jobs 20 workers 1/);
    expect(ms).toBeLessThan(8000);
  });
});

describe('relaxed SIMD', () => {
  it('is chosen where the engine has it and agrees with the SIMD128 build (child with relaxed SIMD, flagged on Node 20)', async () => {
    const { stdout } = await runChild(
      `
      import { createWasmBackendSync, relaxedSimdSupported, wasmBuildOf } from '../src/backend/wasm/index.js';
      const relaxed = createWasmBackendSync({ threads: true });
      const plain = createWasmBackendSync({ threads: false, relaxedSimd: false });
      let worst = 0;
      let s = 7;
      const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
      for (const dtype of ['float32', 'float64']) {
        for (const [M, N, K] of [[64, 64, 64], [20, 209, 300], [7, 20, 209], [1, 50, 70], [33, 17, 5]]) {
          for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
            const a = Array.from({ length: M * K }, rnd), b = Array.from({ length: K * N }, rnd);
            const c0 = Array.from({ length: M * N }, rnd);
            const out = [relaxed, plain].map((be) => {
              const [ba, bb, bc] = [be.alloc(dtype, M * K), be.alloc(dtype, K * N), be.alloc(dtype, M * N)];
              be.view(ba).set(a); be.view(bb).set(b); be.view(bc).set(c0);
              be.gemm(bc, 0, N, ba, 0, ta ? M : K, ta, bb, 0, tb ? K : N, tb, M, N, K, 1.5, 0.5);
              return { c: Array.from(be.view(bc)), a: Array.from(be.view(ba)), b: Array.from(be.view(bb)) };
            });
            const A = out[1].a, B = out[1].b;
            for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
              let mag = Math.abs(0.5 * c0[i * N + j]);
              for (let k = 0; k < K; k++) {
                const x = ta ? A[k * M + i] : A[i * K + k];
                const y = tb ? B[j * K + k] : B[k * N + j];
                mag += 1.5 * Math.abs(x * y);
              }
              const rtol = dtype === 'float32' ? 1e-5 : 1e-12;
              worst = Math.max(worst, Math.abs(out[0].c[i * N + j] - out[1].c[i * N + j]) / (rtol * mag));
            }
          }
        }
      }
      console.log(JSON.stringify({ relaxed: relaxedSimdSupported(), build: wasmBuildOf(relaxed), worst }));
    `,
      // Node 20 needs the flag; engines with relaxed SIMD on by default (Node 26) reject it
      relaxedSimdSupported() ? [] : ['--experimental-wasm-relaxed-simd'],
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result.relaxed).toBe(true);
    expect(result.build).toBe(`vecnet.relaxed.threads.wasm${threadsSupported() ? ', threaded' : ''}`);
    // errors as a fraction of the allowed error: below 1 passes
    expect(result.worst).toBeLessThan(1);
  });
});
