import { checkShape, type DType, sizeOf, type TypedArray } from '../core/index.js';
import { array, type CreateOptions, NDArray } from '../ndarray/index.js';
import { alloc, checkNumber, checkSafeInteger, checkSeed, count, describe, entropySeed } from './checks.js';
import { crlog } from './crlog.js';
import { MT19937 } from './mt19937.js';

/** `rand(2, 3)` or `rand([2, 3], { dtype: 'float32' })`. */
export type ShapeArgs = number[] | [readonly number[], CreateOptions?];

function shapeArgs(op: string, args: ShapeArgs): { shape: number[]; options: CreateOptions } {
  const [first, second] = args;
  if (Array.isArray(first)) {
    const shape = [...first];
    checkShape(shape, `${op}: shape`);
    return { shape, options: (second as CreateOptions | undefined) ?? {} };
  }
  const shape = args as number[];
  checkShape(shape, `${op}: shape`);
  return { shape, options: {} };
}

/** Copies contiguous `src` into the (possibly strided) view `x`, element by element in C order. */
function writeBack(x: NDArray, v: ArrayLike<number>): void {
  const index = new Array<number>(x.ndim).fill(0);
  for (let i = 0; i < v.length; i++) {
    x.set(index, v[i]);
    for (let ax = x.ndim - 1; ax >= 0 && ++index[ax] === x.shape[ax]; ax--) index[ax] = 0;
  }
}

/** An array whose elements can be swapped in place: typed arrays and plain arrays. */
export interface MutableArrayLike<T> {
  readonly length: number;
  [index: number]: T;
}

/**
 * A bit-exact port of NumPy's legacy `numpy.random.RandomState`: MT19937 seeded by `init_genrand`,
 * 53-bit doubles, the polar Gaussian with its cached second value, and masked rejection for integers.
 *
 * The `*Data` methods return flat, row-major typed arrays, so `randnData(4 * 2)` holds the values of
 * `np.random.randn(4, 2)` in C order. A float32 dtype draws in float64 and rounds each value, like
 * `np.random.randn(n).astype(np.float32)`.
 *
 * Gaussians use a correctly rounded log where NumPy uses the C library's; on glibc the two differ by
 * 1–3 ulp in about 0.04% of draws, where glibc itself misrounds (NUMPY_RNG.md §5).
 *
 * @example
 * ```ts
 * const rs = new RandomState(1);
 * rs.randnData(3); // Float64Array [1.6243453636632417, -0.6117564136500754, -0.5281717522634557]
 * rs.seed(2);
 * rs.randData(2);  // Float64Array [0.43599490214200376, 0.025926231827891333]
 * ```
 */
export class RandomState {
  private readonly mt: MT19937;
  private hasGauss = false;
  private gauss = 0;

  /**
   * @param seed an integer in [0, 2**32 - 1]; when omitted, fresh OS entropy (like NumPy's `None`).
   *
   * @example
   * ```ts
   * new RandomState(3).randnData(1); // Float64Array [1.7886284734303186]
   * ```
   */
  constructor(seed?: number) {
    this.mt = new MT19937(seed === undefined ? entropySeed() : checkSeed(seed));
  }

  /**
   * Re-seeds like `np.random.seed(s)`, and drops any cached Gaussian.
   *
   * @throws TypeError if `s` is not a number; RangeError if it is not an integer in [0, 2**32 - 1].
   *
   * @example
   * ```ts
   * rs.seed(0);
   * rs.randnData(2); // Float64Array [1.764052345967664, 0.4001572083672233]
   * rs.seed(-1);     // RangeError: seed must be an integer in [0, 2**32 - 1], got -1
   * ```
   */
  seed(s: number): void {
    this.mt.seed(checkSeed(s));
    this.hasGauss = false;
    this.gauss = 0;
  }

  /**
   * The next raw 32-bit MT19937 output.
   *
   * @example
   * ```ts
   * new RandomState(1).randomUint32(); // 1791095845
   * ```
   */
  randomUint32(): number {
    return this.mt.nextUint32();
  }

  /**
   * One double in [0, 1), like `np.random.random_sample()`.
   *
   * @example
   * ```ts
   * new RandomState(2).random(); // 0.43599490214200376
   * ```
   */
  random(): number {
    return this.mt.nextDouble();
  }

  /**
   * One standard normal, like `np.random.standard_normal()`. Shares the cached half-pair with
   * {@link randnData}, so `randnData(3)` then `standardNormal()` equals `randnData(4)`.
   *
   * @example
   * ```ts
   * new RandomState(1).standardNormal(); // 1.6243453636632417
   * ```
   */
  standardNormal(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const cached = this.gauss;
      this.gauss = 0;
      return cached;
    }
    const mt = this.mt;
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * mt.nextDouble() - 1;
      x2 = 2 * mt.nextDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    // same operation order as NumPy's legacy_gauss: (-2 * log(r2)) / r2, then sqrt
    const f = Math.sqrt((-2 * crlog(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /**
   * `n` uniform doubles in [0, 1): the data of `np.random.rand(...shape)` for a shape of `n` elements.
   *
   * @example
   * ```ts
   * new RandomState(2).randData(3); // Float64Array [0.43599490214200376, 0.025926231827891333, 0.5496624778787091]
   * new RandomState(2).randData(1, 'float32'); // Float32Array [0.4359948933124542]
   * ```
   */
  randData(n: number, dtype?: 'float64'): Float64Array;
  randData(n: number, dtype: 'float32'): Float32Array;
  randData(n: number, dtype?: DType): TypedArray;
  randData(n: number, dtype: DType = 'float64'): TypedArray {
    const out = alloc('randData', n, dtype);
    for (let i = 0; i < n; i++) out[i] = this.mt.nextDouble();
    return out;
  }

  /**
   * `n` standard normals: the data of `np.random.randn(...shape)` for a shape of `n` elements.
   * An odd `n` leaves the pair's other half cached for the next call, exactly as NumPy does.
   *
   * @example
   * ```ts
   * const rs = new RandomState(2);
   * const W1 = rs.randnData(4 * 2).map((z) => z * 0.01); // np.random.randn(4, 2) * 0.01
   * ```
   */
  randnData(n: number, dtype?: 'float64'): Float64Array;
  randnData(n: number, dtype: 'float32'): Float32Array;
  randnData(n: number, dtype?: DType): TypedArray;
  randnData(n: number, dtype: DType = 'float64'): TypedArray {
    const out = alloc('randnData', n, dtype);
    for (let i = 0; i < n; i++) out[i] = this.standardNormal();
    return out;
  }

  /**
   * `n` doubles `low + (high - low) * u`, like `np.random.uniform(low, high, n)`; `low > high` is allowed.
   *
   * @throws RangeError if `high - low` is not finite (NumPy: "Range exceeds valid bounds").
   *
   * @example
   * ```ts
   * new RandomState(7).uniformData(-2, 3, 2); // Float64Array [-1.618458553130214, 1.8995939612005732]
   * ```
   */
  uniformData(low: number, high: number, n: number, dtype?: 'float64'): Float64Array;
  uniformData(low: number, high: number, n: number, dtype: 'float32'): Float32Array;
  uniformData(low: number, high: number, n: number, dtype?: DType): TypedArray;
  uniformData(low: number, high: number, n: number, dtype: DType = 'float64'): TypedArray {
    checkNumber('uniformData', 'low', low);
    checkNumber('uniformData', 'high', high);
    const range = high - low;
    if (!Number.isFinite(range)) {
      throw new RangeError(`uniformData: Range exceeds valid bounds (low=${low}, high=${high})`);
    }
    const out = alloc('uniformData', n, dtype);
    for (let i = 0; i < n; i++) out[i] = low + range * this.mt.nextDouble();
    return out;
  }

  /**
   * `n` integers in [low, high) as doubles, like `np.random.randint(low, high, n)`; with `high`
   * undefined, in [0, low) like `np.random.randint(low, size=n)`. Bounds must be safe integers with
   * `high - low <= 2**53`.
   *
   * @example
   * ```ts
   * new RandomState(3).randintData(0, 10, 4); // Float64Array [8, 9, 3, 8]
   * new RandomState(3).randintData(10, undefined, 1); // Float64Array [8]
   * ```
   */
  randintData(low: number, high: number | undefined, n: number): Float64Array {
    const op = 'randintData';
    if (high === undefined) {
      checkSafeInteger(op, 'low', low);
      if (low <= 0) throw new RangeError(`${op}: high <= 0 (high=${low})`);
      high = low;
      low = 0;
    }
    checkSafeInteger(op, 'low', low);
    checkSafeInteger(op, 'high', high);
    if (low >= high) throw new RangeError(`${op}: low >= high (low=${low}, high=${high})`);
    // in BigInt because the float difference of two safe integers can round down onto 2**53
    if (BigInt(high) - BigInt(low) > 2n ** 53n) {
      throw new RangeError(`${op}: high - low must be at most 2**53 (low=${low}, high=${high})`);
    }
    const out = new Float64Array(count(op, n));
    // NumPy draws on the closed range [low, high - 1]
    const max = high - low - 1;
    for (let i = 0; i < n; i++) out[i] = low + this.interval(max);
    return out;
  }

  /**
   * A random permutation of 0 … n-1 as doubles, like `np.random.permutation(n)`.
   *
   * @example
   * ```ts
   * new RandomState(1).permutationData(10); // Float64Array [2, 9, 6, 4, 0, 3, 1, 7, 8, 5]
   * ```
   */
  permutationData(n: number): Float64Array {
    const out = new Float64Array(count('permutationData', n));
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffleData(out);
  }

  /**
   * Shuffles in place with NumPy's legacy Fisher–Yates, like `np.random.shuffle(x)`, and returns `data`.
   * With `rowSize > 1`, `data` is a row-major matrix of rows that many elements long and whole rows
   * move, which is how NumPy shuffles a 2-d array (along its first axis).
   *
   * @example
   * ```ts
   * new RandomState(5).shuffleData([0, 1, 2, 3, 4, 5, 6]); // [6, 2, 4, 1, 0, 5, 3]
   * new RandomState(5).shuffleData(new Float64Array([1, 2, 3, 4]), 2); // rows [1, 2] and [3, 4], maybe swapped
   * ```
   */
  shuffleData<T extends MutableArrayLike<unknown>>(data: T, rowSize = 1): T {
    const op = 'shuffleData';
    if (!Number.isInteger(rowSize) || rowSize < 1) {
      throw new RangeError(`${op}: rowSize must be a positive integer, got ${describe(rowSize)}`);
    }
    if (data.length % rowSize !== 0) {
      throw new RangeError(`${op}: length ${data.length} is not a multiple of rowSize ${rowSize}`);
    }
    for (let i = data.length / rowSize - 1; i > 0; i--) {
      const j = this.interval(i);
      if (j === i) continue;
      for (let a = i * rowSize, b = j * rowSize, end = a + rowSize; a < end; a++, b++) {
        const t = data[a];
        data[a] = data[b];
        data[b] = t;
      }
    }
    return data;
  }

  /**
   * Uniform doubles in [0, 1) as an NDArray, like `np.random.rand(d0, d1, …)`. Pass a shape array and
   * options instead to choose the dtype or backend.
   *
   * @example
   * ```ts
   * new RandomState(2).rand(3).toArray(); // [0.43599490214200376, 0.025926231827891333, 0.5496624778787091]
   * rs.rand([2, 2], { dtype: 'float32' });
   * ```
   */
  rand(...args: ShapeArgs): NDArray {
    const { shape, options } = shapeArgs('rand', args);
    return array(this.randData(sizeOf(shape), options.dtype), { ...options, shape });
  }

  /**
   * Standard normals as an NDArray, like `np.random.randn(d0, d1, …)`, in NumPy's order (row-major).
   *
   * @example
   * ```ts
   * const W1 = new RandomState(2).randn(4, 2).mul(0.01); // the course's planar W1
   * ```
   */
  randn(...args: ShapeArgs): NDArray {
    const { shape, options } = shapeArgs('randn', args);
    return array(this.randnData(sizeOf(shape), options.dtype), { ...options, shape });
  }

  /**
   * Uniform doubles in [low, high) as `np.random.uniform(low, high, size)`.
   *
   * @example new RandomState(0).uniform(-1, 1, [2, 3])
   */
  uniform(low = 0, high = 1, size: number | readonly number[] = [], options: CreateOptions = {}): NDArray {
    const shape = typeof size === 'number' ? [size] : [...size];
    checkShape(shape, 'uniform: size');
    return array(this.uniformData(low, high, sizeOf(shape), options.dtype), { ...options, shape });
  }

  /**
   * Integers in [low, high) (or [0, low) without high), as float values, like `np.random.randint`.
   *
   * @example new RandomState(1).randint(0, 10, [5])
   */
  randint(
    low: number,
    high?: number,
    size: number | readonly number[] = [],
    options: CreateOptions = {},
  ): NDArray {
    const shape = typeof size === 'number' ? [size] : [...size];
    checkShape(shape, 'randint: size');
    return array(this.randintData(low, high, sizeOf(shape)), { ...options, shape });
  }

  /**
   * A random permutation of 0 … n-1, as `np.random.permutation(n)`.
   *
   * @example new RandomState(1).permutation(10).toArray(); // [2, 9, 6, 4, 0, 3, 1, 7, 8, 5]
   */
  permutation(n: number, options: CreateOptions = {}): NDArray {
    return array(this.permutationData(n), options);
  }

  /**
   * Shuffles an array in place along its first axis (rows of a 2-D array move whole), as
   * `np.random.shuffle`.
   *
   * @example
   * const idx = arange(10);
   * new RandomState(1).shuffle(idx);
   */
  shuffle(x: NDArray): void {
    if (!(x instanceof NDArray)) throw new TypeError('shuffle: x must be an NDArray');
    if (x.ndim === 0) throw new RangeError('shuffle: x must have at least one dimension');
    const data = x.data;
    this.shuffleData(data, x.shape[0] === 0 ? 1 : x.size / x.shape[0]);
    // write back through the array's own strides, so a view of a larger array shuffles in place too
    writeBack(x, data);
  }

  /**
   * A uniform integer in [0, max] by masked rejection (NumPy's `random_interval` and
   * `bounded_masked_uint64`): draw, keep the bits under max's smallest covering mask, retry while > max.
   * Ranges past 32 bits draw 64-bit words, high word first; max = 0 draws nothing.
   */
  private interval(max: number): number {
    if (max === 0) return 0;
    const mt = this.mt;
    if (max <= 0xffffffff) {
      const mask = smear(max);
      let v: number;
      while ((v = (mt.nextUint32() & mask) >>> 0) > max);
      return v;
    }
    const maskHi = smear(Math.floor(max / 2 ** 32));
    let v: number;
    while ((v = ((mt.nextUint32() & maskHi) >>> 0) * 2 ** 32 + mt.nextUint32()) > max);
    return v;
  }
}

/** The smallest all-ones mask covering a 32-bit value. */
function smear(x: number): number {
  let m = x >>> 0;
  m |= m >>> 1;
  m |= m >>> 2;
  m |= m >>> 4;
  m |= m >>> 8;
  m |= m >>> 16;
  return m >>> 0;
}
