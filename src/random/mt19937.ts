/**
 * MT19937, the Mersenne Twister bit generator (Matsumoto & Nishimura, 1998) behind NumPy's legacy
 * `RandomState`, seeded with `init_genrand` exactly as `np.random.seed(int)` does.
 *
 * @module
 */

const N = 624;
const M = 397;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;
const MATRIX_A = 0x9908b0df;

/**
 * The raw MT19937 stream: 32-bit words and 53-bit doubles.
 *
 * @example
 * ```ts
 * new MT19937(1).nextUint32(); // 1791095845
 * new MT19937(1).nextDouble(); // 0.417022004702574 (two words per double)
 * ```
 */
export class MT19937 {
  private readonly key = new Uint32Array(N);
  private pos = N;

  /** @param seed an integer in [0, 2**32 - 1]; not validated here (see `RandomState.seed`). */
  constructor(seed: number) {
    this.seed(seed);
  }

  /**
   * Re-seeds with `init_genrand(seed)`.
   *
   * @example
   * ```ts
   * mt.seed(0); mt.nextUint32(); // 2357136044
   * ```
   */
  seed(seed: number): void {
    const key = this.key;
    key[0] = seed;
    for (let i = 1; i < N; i++) {
      const prev = key[i - 1];
      // Math.imul keeps the product mod 2^32; a plain * would lose bits past 2^53
      key[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
    }
    this.pos = N;
  }

  /**
   * The next 32-bit word (`genrand_int32`), as a number in [0, 2**32 - 1].
   *
   * @example
   * ```ts
   * new MT19937(1).nextUint32(); // 1791095845
   * ```
   */
  nextUint32(): number {
    if (this.pos >= N) this.twist();
    let y = this.key[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * A double in [0, 1) on the 2^-53 grid (`genrand_res53`): 27 bits from the first word, 26 from the second.
   *
   * @example
   * ```ts
   * new MT19937(2).nextDouble(); // 0.43599490214200376
   * ```
   */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Regenerates all 624 words in place; k ascends, so words past 227 read already-twisted ones. */
  private twist(): void {
    const key = this.key;
    let k = 0;
    for (; k < N - M; k++) {
      const y = (key[k] & UPPER) | (key[k + 1] & LOWER);
      key[k] = key[k + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; k < N - 1; k++) {
      const y = (key[k] & UPPER) | (key[k + 1] & LOWER);
      key[k] = key[k + M - N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (key[N - 1] & UPPER) | (key[0] & LOWER);
    key[N - 1] = key[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.pos = 0;
  }
}
