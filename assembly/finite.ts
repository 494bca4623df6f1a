// The input check of fit and friends in SIMD: the index of the first element of a contiguous run
// that is not finite (NaN or ±Infinity), or -1. x - x is 0 for every finite x and NaN otherwise, so
// one subtraction and one compare per vector test it; lanes are OR-ed over 64-byte blocks and only a
// block that holds a hit is searched element by element. x: byte address, element-aligned.

/** Index of the first non-finite of n contiguous T at x, or -1. */
export function firstNonFinite<T>(x: usize, n: i32): i32 {
  const S = sizeof<T>();
  const L = 16 / <i32>S;
  const B = 4 * L; // elements per 64-byte block
  let i = 0;
  for (; i + B <= n; i += B) {
    const p = x + <usize>i * S;
    const v0 = v128.load(p);
    const v1 = v128.load(p, 16);
    const v2 = v128.load(p, 32);
    const v3 = v128.load(p, 48);
    // NaN lanes of v - v compare unequal to themselves
    const d0 = v128.sub<T>(v0, v0);
    const d1 = v128.sub<T>(v1, v1);
    const d2 = v128.sub<T>(v2, v2);
    const d3 = v128.sub<T>(v3, v3);
    const bad = v128.or(
      v128.or(v128.ne<T>(d0, d0), v128.ne<T>(d1, d1)),
      v128.or(v128.ne<T>(d2, d2), v128.ne<T>(d3, d3)),
    );
    if (v128.any_true(bad)) break;
  }
  for (; i < n; i++) {
    const v = load<T>(x + <usize>i * S);
    if (v - v != 0) return i;
  }
  return -1;
}
