// Element-wise kernels on worker threads (src/backend/wasm/threads-elementwise.ts, cut by
// split-elementwise.ts).
//
// - parity: a threaded backend and a single-threaded one get the same operands and every buffer of the
//   call (outputs, inputs, their margins) must be equal byte for byte afterwards: binary over 1-D and
//   2-D shapes with every broadcast (row, column, scalar, transposed, strided, reversed) and over 3-D
//   ones (not split), every unary op and its gradient (leaky slope, clip bounds), axpy, fill and the
//   fused training kernels, both dtypes, sizes 1, 3, 17, around the chunk unit and random, odd offsets,
//   2 to 4 threads. $VECNET_THREADS_MIN_ELEMENTS=1 (set before the backends exist) splits every call
//   the cutting rules allow; each suite counts the pool's jobs so it fails if nothing was split.
// - the planner: boundaries on multiples of the unit, covering the extent; the default threshold.
// - no hang: thousands of small split calls across three threads, accumulating, to the end.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinaryOp, LossOp, OptimizerOp, ReduceOp, UnaryOp } from '../src/backend/ops.js';
import {
  createWasmBackendSync,
  setThreads,
  terminateThreads,
  threadsSupported,
  type WasmBackend,
  type WasmBuffer,
} from '../src/backend/wasm/index.js';
import {
  binaryCost,
  MIN_THREADED_ELEMENTS,
  planChunks,
  UNIT_BYTES,
  unaryCost,
  workOf,
} from '../src/backend/wasm/threads/split-elementwise.js';
import type { DType } from '../src/core/dtype.js';
import { activationOp, values } from './helpers/arbitraries.js';

// read when a pool is made: the backends below split everything they can, `byDefault` keeps the default
process.env.VECNET_THREADS_MIN_ELEMENTS = '1';
const threaded = createWasmBackendSync({ threads: true });
const single = createWasmBackendSync({ threads: false });
delete process.env.VECNET_THREADS_MIN_ELEMENTS;
const byDefault = createWasmBackendSync({ threads: true });
const jobs = (be: WasmBackend = threaded) => be.threads!.jobs;

/** Values in [-4, 4), and every 29th a special one (±0, ±inf, NaN, huge, tiny) for the masks and tails. */
function fillRandom(be: WasmBackend, b: WasmBuffer, seed: number): void {
  const v = be.view(b);
  const special = [0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 1e30, -1e-30, 1];
  v.set(values(v.length, seed, -4, 4));
  for (let i = 7; i < v.length; i += 29) v[i] = special[(i + seed) % special.length];
}

/**
 * The buffer's bytes, except that every NaN is written as the one quiet NaN JavaScript stores: the
 * WebAssembly spec leaves the sign and payload of a NaN result to the engine, and V8's baseline and
 * optimising tiers differ there (a negative vs a positive NaN from the same inputs: the threaded and
 * the plain build disagree on them while one of the two is tiered up, unsplit calls included), so raw
 * NaN bits would test V8's tiering, not the cutting. Every other bit is compared as it is.
 */
function bytes(be: WasmBackend, b: WasmBuffer): Buffer {
  const v = be.view(b).slice();
  for (let i = 0; i < v.length; i++) if (Number.isNaN(v[i])) v[i] = Number.NaN;
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * Allocates buffers of `lengths` elements on both backends, fills them alike, calls `call` on each
 * and fails unless every buffer is byte-equal afterwards (NaN bits aside, see `bytes`); returns
 * whether the threaded call was split.
 */
function same(
  what: string,
  dtype: DType,
  lengths: number[],
  seed: number,
  call: (be: WasmBackend, bufs: WasmBuffer[]) => void,
): boolean {
  const sides = [threaded, single].map((be) => {
    const bufs = lengths.map((n, i) => {
      const b = be.alloc(dtype, n);
      fillRandom(be, b, seed + i);
      return b;
    });
    return { be, bufs };
  });
  const before = jobs();
  for (const { be, bufs } of sides) call(be, bufs);
  const split = jobs() > before;
  const [t, s] = sides;
  t.bufs.forEach((b, i) => {
    const tb = bytes(t.be, b);
    const sb = bytes(s.be, s.bufs[i]);
    if (Buffer.compare(tb, sb) !== 0) {
      const k = Math.floor(tb.findIndex((x, j) => x !== sb[j]) / (dtype === 'float32' ? 4 : 8));
      expect.fail(
        `${what} (${dtype}, seed ${seed}): buffer ${i} differs between threads and one (split: ${split}), ` +
          `first at element ${k}: ${t.be.view(b)[k]} vs ${s.be.view(s.bufs[i])[k]}`,
      );
    }
  });
  for (const { be, bufs } of sides) for (const b of bufs) be.free(b);
  return split;
}

const dtypeArb = fc.constantFrom<DType>('float32', 'float64');
/** Sizes that hit the tails (1, 3, 17), the chunk unit's edges (16 f32 / 8 f64 elements), and random ones. */
const sizeArb = fc.oneof(
  fc.constantFrom(1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 257, 1023),
  fc.integer({ min: 1, max: 6000 }),
);
const offArb = fc.nat(3);
const seedArb = fc.integer({ min: 1, max: 1 << 30 });
const UNARY = Object.values(UnaryOp).filter((v): v is UnaryOp => typeof v === 'number');
const BINARY = Object.values(BinaryOp).filter((v): v is BinaryOp => typeof v === 'number');
/** p0, p1 per op: the leaky slope, clip's bounds, else unused */
const paramsArb = fc.oneof(
  fc.constant<[number, number]>([0.01, 0]),
  fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true })),
);

/** fc.assert over `arb` on 2, 3 and 4 threads; at least a quarter of the runs must have been split. */
async function splitProperty<T>(arb: fc.Arbitrary<T>, check: (c: T) => boolean, numRuns = 80): Promise<void> {
  for (const n of [2, 3, 4]) {
    setThreads(n);
    await threaded.threads!.ready();
    let splits = 0;
    let runs = 0;
    fc.assert(
      fc.property(arb, (c) => {
        runs++;
        if (check(c)) splits++;
      }),
      { numRuns },
    );
    expect(splits).toBeGreaterThan(runs / 4);
  }
  setThreads(2);
}

/** How an operand of an (m, n) binary call is laid out: its length, offset and strides. */
type Layout = 'full' | 'row' | 'col' | 'scalar' | 'transposed' | 'strided' | 'reversed';
function layout(kind: Layout, m: number, n: number): { len: number; off: number; strides: number[] } {
  switch (kind) {
    case 'full':
      return { len: m * n, off: 0, strides: [n, 1] };
    case 'row':
      return { len: n, off: 0, strides: [0, 1] };
    case 'col':
      return { len: m, off: 0, strides: [1, 0] };
    case 'scalar':
      return { len: 1, off: 0, strides: [0, 0] };
    case 'transposed':
      return { len: m * n, off: 0, strides: [1, m] };
    case 'strided':
      return { len: 2 * m * n, off: 1, strides: [2 * n, 2] };
    case 'reversed':
      return { len: m * n, off: m * n - 1, strides: [-n, -1] };
  }
}
const layoutArb = fc.constantFrom<Layout>(
  'full',
  'row',
  'col',
  'scalar',
  'transposed',
  'strided',
  'reversed',
);

describe.skipIf(!threadsSupported())('threaded element-wise kernels', () => {
  beforeAll(async () => {
    setThreads(2);
    await threaded.threads!.ready();
  });
  afterAll(() => {
    terminateThreads();
  });

  it('unary: every op, both dtypes, equals one thread bit for bit', async () => {
    const arb = fc.record({
      dtype: dtypeArb,
      op: fc.constantFrom(...UNARY),
      n: sizeArb,
      p: paramsArb,
      offs: fc.tuple(offArb, offArb),
      inPlace: fc.boolean(),
      seed: seedArb,
    });
    await splitProperty(arb, ({ dtype, op, n, p, offs, inPlace, seed }) =>
      same(`unary ${UnaryOp[op]} n=${n} p=${p}`, dtype, [n + 4, n + 4], seed, (be, [x, out]) => {
        if (inPlace) be.unary(op, x, offs[0], x, offs[0], n, p[0], p[1]);
        else be.unary(op, out, offs[0], x, offs[1], n, p[0], p[1]);
      }),
    );
  });

  it('unaryGrad: every op, both dtypes, equals one thread bit for bit', async () => {
    const arb = fc.record({
      dtype: dtypeArb,
      op: fc.constantFrom(...UNARY),
      n: sizeArb,
      p: paramsArb,
      offs: fc.tuple(offArb, offArb, offArb),
      seed: seedArb,
    });
    await splitProperty(arb, ({ dtype, op, n, p, offs, seed }) =>
      same(`unaryGrad ${UnaryOp[op]} n=${n} p=${p}`, dtype, [n + 4, n + 4, n + 4], seed, (be, [x, dy, out]) =>
        be.unaryGrad(op, out, offs[0], x, offs[1], dy, offs[2], n, p[0], p[1]),
      ),
    );
  });

  it('every unary op and gradient is split at the chunk unit edges (leaky slopes, clip bounds)', () => {
    let splits = 0;
    for (const dtype of ['float32', 'float64'] as const) {
      const unit = UNIT_BYTES / (dtype === 'float32' ? 4 : 8);
      for (const op of UNARY) {
        for (const n of [unit - 1, unit + 1, 2 * unit, 2 * unit + 3, 5 * unit - 1, 4099]) {
          for (const [p0, p1] of [
            [0.01, 0],
            [0.3, 0],
            [-0.5, 0.7],
          ]) {
            const what = `${UnaryOp[op]} n=${n} p=${p0},${p1}`;
            if (same(what, dtype, [n, n], n, (be, [x, o]) => be.unary(op, o, 0, x, 0, n, p0, p1))) splits++;
            if (
              same(`${what} grad`, dtype, [n, n], n, (be, [x, o]) =>
                be.unaryGrad(op, o, 0, x, 0, o, 0, n, p0, p1),
              )
            )
              splits++;
          }
        }
      }
    }
    // all but n = unit - 1 (one unit: nothing to cut) split
    expect(splits).toBe(2 * UNARY.length * 5 * 3 * 2);
  });

  it('binary: 1-D and 2-D broadcasts (row, column, scalar, transposed, strided, reversed)', async () => {
    const arb = fc.record({
      dtype: dtypeArb,
      op: fc.constantFrom(...BINARY),
      m: fc.oneof(fc.constantFrom(1, 2, 3, 17), fc.integer({ min: 1, max: 90 })),
      n: fc.oneof(fc.constantFrom(1, 3, 15, 16, 17, 33), fc.integer({ min: 1, max: 300 })),
      a: layoutArb,
      b: layoutArb,
      oneD: fc.boolean(),
      seed: seedArb,
    });
    await splitProperty(arb, ({ dtype, op, m, n, a, b, oneD, seed }) => {
      // 1-D: a single row of m·n elements, read with the layout's column stride ('col': a scalar)
      const [rows, cols] = oneD ? [1, m * n] : [m, n];
      const la = layout(a, rows, cols);
      const lb = layout(b, rows, cols);
      const shape = oneD ? [cols] : [rows, cols];
      const pick = (l: typeof la) => (oneD ? [l.strides[1]] : l.strides);
      return same(
        `binary ${BinaryOp[op]} (${shape}) a ${a} b ${b}`,
        dtype,
        [la.len, lb.len, rows * cols + 2],
        seed,
        (be, [x, y, out]) => be.binary(op, out, 1, x, la.off, pick(la), y, lb.off, pick(lb), shape),
      );
    });
  });

  it('binary over 3 dimensions (the n-d kernel, not split) and in place equals one thread', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [p, m, n] of [
        [3, 5, 17],
        [2, 40, 33],
        [7, 1, 9],
      ]) {
        // a (p, m, n) + b (p, 1, n): does not collapse to 2-D
        same(`binary nd (${p},${m},${n})`, dtype, [p * m * n, p * n, p * m * n], p, (be, [x, y, out]) =>
          be.binary(BinaryOp.Add, out, 0, x, 0, [m * n, n, 1], y, 0, [n, 0, 1], [p, m, n]),
        );
      }
      // out aliases a exactly
      expect(
        same('binary in place', dtype, [999, 999], 3, (be, [x, y]) =>
          be.binary(BinaryOp.Mul, x, 0, x, 0, [1], y, 0, [1], [999]),
        ),
      ).toBe(true);
    }
  });

  it('axpy and fill equal one thread', async () => {
    const arb = fc.record({
      dtype: dtypeArb,
      n: sizeArb,
      alpha: fc.double({ min: -3, max: 3, noNaN: true }),
      offs: fc.tuple(offArb, offArb),
      seed: seedArb,
    });
    await splitProperty(arb, ({ dtype, n, alpha, offs, seed }) => {
      const a = same(`axpy n=${n}`, dtype, [n + 4, n + 4], seed, (be, [y, x]) =>
        be.axpy(y, offs[0], x, offs[1], n, alpha),
      );
      const f = same(`fill n=${n}`, dtype, [n + 4], seed, (be, [out]) => be.fill(out, offs[0], n, alpha / 3));
      return a && f;
    });
  });

  it('optimizerStep (every rule) and the mini-batch gather equal one thread', async () => {
    const arb = fc.record({
      dtype: dtypeArb,
      op: fc.constantFrom(OptimizerOp.Momentum, OptimizerOp.RMSprop, OptimizerOp.Adam),
      n: sizeArb,
      rows: fc.oneof(fc.constantFrom(1, 3, 17, 64), fc.integer({ min: 1, max: 300 })),
      m: fc.oneof(fc.constantFrom(1, 17, 209), fc.integer({ min: 1, max: 150 })),
      size: fc.integer({ min: 1, max: 70 }),
      offs: fc.tuple(offArb, offArb),
      seed: seedArb,
    });
    await splitProperty(arb, ({ dtype, op, n, rows, m, size, offs, seed }) => {
      const step = same(
        `${OptimizerOp[op]} n=${n}`,
        dtype,
        [n + 4, n + 4, n + 4, n + 4],
        seed,
        (be, [w, g, v, sq]) => {
          // s must be non-negative, as a mean of squares is
          const view = be.view(sq);
          for (let i = 0; i < view.length; i++) view[i] = Math.abs(view[i]);
          be.optimizerStep(op, w, offs[0], g, offs[1], v, 0, sq, 0, n, 0.01, 0.9, 0.999, 1e-8, 0.19, 0.002);
        },
      );
      // a permutation of the m columns as element offsets (offset 2, row stride m + 3)
      const order = Array.from({ length: m }, (_, j) => j).sort(
        (a, b) => ((a * 7919 + seed) % 97) - ((b * 7919 + seed) % 97),
      );
      const ld = m + 3;
      const gather = same(
        `gather ${rows}x${m} by ${size}`,
        dtype,
        [rows * m + 2, rows * ld + 2],
        seed,
        (be, [out, x]) => {
          const idx = be.alloc('float64', m);
          be.view(idx).set(order.map((j) => 2 + j));
          be.gatherColumns(out, 2, x, 0, idx, 0, rows, ld, m, size);
          be.free(idx);
        },
      );
      return step || gather;
    });
  });

  it('biasActivation, activationGradSum and subRowSum equal one thread (rows kept whole)', async () => {
    const arb = fc.record({
      dtype: dtypeArb,
      op: activationOp,
      rows: fc.oneof(fc.constantFrom(1, 2, 3, 17, 20), fc.integer({ min: 1, max: 64 })),
      cols: fc.oneof(fc.constantFrom(1, 3, 7, 17, 209), fc.integer({ min: 1, max: 400 })),
      slope: fc.constantFrom(0.01, 0.2),
      scale: fc.constantFrom(1 / 209, 0.5, -2),
      inPlace: fc.boolean(),
      seed: seedArb,
    });
    await splitProperty(arb, ({ dtype, op, rows, cols, slope, scale, inPlace, seed }) => {
      const n = rows * cols;
      const what = `${UnaryOp[op]} (${rows}, ${cols})`;
      const bias = same(`biasActivation ${what}`, dtype, [n, n, rows], seed, (be, [z, a, b]) =>
        be.biasActivation(op, z, 0, inPlace ? z : a, 0, b, 0, rows, cols, slope),
      );
      const grad = same(
        `activationGradSum ${what}`,
        dtype,
        [n, n, n, rows + 2],
        seed,
        (be, [dz, dy, c, db]) =>
          be.activationGradSum(op, inPlace ? dy : dz, 0, db, 1, dy, 0, c, 0, rows, cols, scale, slope),
      );
      const sub = same(`subRowSum ${what}`, dtype, [n, n, n, rows + 2], seed, (be, [dz, a, y, db]) =>
        be.subRowSum(inPlace ? a : dz, 0, db, 1, a, 0, y, 0, rows, cols, scale),
      );
      return bias && grad && sub;
    });
  });

  it('never splits sigmoidOutput, loss or reduce (their sums would change order)', () => {
    const before = jobs();
    for (const dtype of ['float32', 'float64'] as const) {
      const n = 4096;
      same('sigmoidOutput', dtype, [n, n, n, 8], 1, (be, [z, a, t, b]) => {
        be.sigmoidOutput(z, 0, a, 0, t, 0, b, 0, 8, n / 8);
      });
      same('loss', dtype, [n, n, 1], 2, (be, [a, y, out]) => {
        be.view(out)[0] = be.loss(LossOp.SquaredError, a, 0, y, 0, n);
      });
      same('reduce', dtype, [n, 64], 3, (be, [x, out]) => be.reduce(ReduceOp.Sum, out, 0, x, 0, 64, 64, 1));
    }
    expect(jobs()).toBe(before);
  });

  it('runs thousands of small split calls across three threads to the end', () => {
    setThreads(3);
    for (const dtype of ['float32', 'float64'] as const) {
      const n = 2000;
      const sides = [threaded, single].map((be) => {
        const y = be.alloc(dtype, n);
        const x = be.alloc(dtype, n);
        fillRandom(be, y, 1);
        fillRandom(be, x, 2);
        for (const b of [x, y]) be.unary(UnaryOp.Clip, b, 0, b, 0, n, -1, 1); // no inf or NaN
        return { be, x, y };
      });
      const before = jobs();
      const calls = 1500;
      // y accumulates, so one chunk lost or done twice anywhere shows at the end; sizes vary so the
      // chunk counts and boundaries do too
      for (const { be, x, y } of sides) {
        for (let i = 0; i < calls; i++) {
          const len = 17 + ((i * 389) % (n - 17));
          be.axpy(y, 0, x, 0, len, 1e-3);
          be.binary(BinaryOp.Mul, y, 0, y, 0, [1], x, 0, [0], [len]); // y·x[0], the scalar broadcast
          be.unary(UnaryOp.Tanh, y, 0, y, 0, len, 0, 0);
        }
      }
      expect(jobs() - before).toBe(3 * calls);
      const [t, s] = sides;
      expect(Buffer.compare(bytes(t.be, t.y), bytes(s.be, s.y))).toBe(0);
      for (const { be, x, y } of sides) {
        be.free(x);
        be.free(y);
      }
    }
    setThreads(2);
  });

  it('by default splits from 2^17 f32 elements of a cheap kernel, fewer of f64 or costly ones', async () => {
    await byDefault.threads!.ready();
    expect(MIN_THREADED_ELEMENTS).toBe(1 << 17);
    expect(unaryCost(UnaryOp.Relu, false)).toBe(1);
    expect(unaryCost(UnaryOp.Log, true)).toBe(1); // dy / x
    expect(binaryCost(BinaryOp.Pow)).toBe(unaryCost(UnaryOp.Sigmoid, true));
    for (const dtype of ['float32', 'float64'] as const) {
      const S = dtype === 'float32' ? 4 : 8;
      // the smallest sizes that split: 2^17 / 2^16 cheap elements, 2^13 / 2^12 tanh or sigmoid ones
      const cheap = MIN_THREADED_ELEMENTS / workOf(1, S, 1);
      const costly = MIN_THREADED_ELEMENTS / workOf(1, S, unaryCost(UnaryOp.Tanh, false));
      expect(cheap).toBe(S === 4 ? 1 << 17 : 1 << 16);
      expect(costly).toBe(S === 4 ? 1 << 13 : 1 << 12);
      const x = byDefault.alloc(dtype, cheap);
      const before = jobs(byDefault);
      byDefault.unary(UnaryOp.Relu, x, 0, x, 0, cheap - 1, 0, 0);
      byDefault.unary(UnaryOp.Tanh, x, 0, x, 0, costly - 1, 0, 0);
      byDefault.binary(BinaryOp.Add, x, 0, x, 0, [1], x, 0, [0], [cheap - 1]);
      byDefault.biasActivation(UnaryOp.Relu, x, 0, x, 0, x, 0, 4, cheap / 4 - 1, 0);
      byDefault.biasActivation(UnaryOp.Sigmoid, x, 0, x, 0, x, 0, 4, costly / 4 - 1, 0);
      expect(jobs(byDefault)).toBe(before);
      byDefault.unary(UnaryOp.Relu, x, 0, x, 0, cheap, 0, 0);
      byDefault.unary(UnaryOp.Tanh, x, 0, x, 0, costly, 0, 0);
      byDefault.binary(BinaryOp.Add, x, 0, x, 0, [0, 1], x, 0, [1, 0], [4, cheap / 4]);
      byDefault.biasActivation(UnaryOp.Sigmoid, x, 0, x, 0, x, 0, 4, costly / 4, 0);
      expect(jobs(byDefault)).toBe(before + 4);
      byDefault.free(x);
    }
  });
});

describe('planChunks', () => {
  it('cuts on multiples of the unit, covers the extent, and leaves no chunk empty', () => {
    const bounds = new Float64Array(129);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100000 }),
        fc.constantFrom(1, 8, 16),
        fc.integer({ min: 1, max: 64 }),
        (extent, unit, threads) => {
          const chunks = planChunks(extent, unit, extent, threads, 1, bounds);
          if (chunks === 0) {
            expect(threads === 1 || extent <= unit).toBe(true);
            return;
          }
          expect(chunks).toBeLessThanOrEqual(2 * threads);
          expect(bounds[0]).toBe(0);
          expect(bounds[chunks]).toBe(extent);
          for (let i = 1; i < chunks; i++) {
            expect(bounds[i] % unit).toBe(0);
            expect(bounds[i]).toBeGreaterThan(bounds[i - 1]);
          }
          expect(bounds[chunks]).toBeGreaterThan(bounds[chunks - 1]);
        },
      ),
    );
  });

  it('keeps calls below the threshold whole', () => {
    const bounds = new Float64Array(129);
    expect(planChunks(1 << 20, 16, (1 << 16) - 1, 2, 1 << 16, bounds)).toBe(0);
    expect(planChunks(1 << 20, 16, 1 << 16, 2, 1 << 16, bounds)).toBe(4);
    expect(planChunks(1 << 20, 16, 1 << 20, 1, 1 << 16, bounds)).toBe(0);
  });
});
