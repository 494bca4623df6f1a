// GEMM packing: copies a strip of op(A) or op(B) into the k-major, zero-padded layout the micro-kernels
// read (see gemm.ts). Transposes are absorbed here: a strip is "R lines x kc steps" of a matrix where
// element (k, x) sits at src + (k*sk + x*sx) elements, so op(A) rows, op(A)ᵀ rows, op(B) columns and
// op(B)ᵀ columns are all the same call with different (sk, sx). Two SIMD fast paths cover full strips:
// sx == 1 (lines contiguous: one or two v128 copies per k) and sk == 1 (k contiguous: 4x4 / 2x2
// register transposes); everything else, and the zero padding of edge strips, is a scalar loop.

/**
 * dst[k*R + x] = src[k*sk + x*sx] for k < kc, x < w, and 0 for w <= x < R.
 * dst: 16-byte aligned; src: element-aligned; R*sizeof<T>() is 16 or 32; sk, sx in elements.
 */
export function packStrip<T>(dst: usize, R: i32, src: usize, sk: i32, sx: i32, kc: i32, w: i32): void {
  const S = sizeof<T>();
  const rowBytes = <usize>R * S;
  if (w == R) {
    if (sx == 1) {
      packCopy(dst, rowBytes, src, <usize>sk * S, kc);
      return;
    }
    if (sk == 1) {
      const sxb = <usize>sx * S;
      if (rowBytes == 4 * S) {
        packT4<T>(dst, rowBytes, src, sxb, kc);
      } else {
        // 8 f32 lines: two 4-line halves interleaved in the 32-byte rows
        packT4<T>(dst, rowBytes, src, sxb, kc);
        packT4<T>(dst + 16, rowBytes, src + 4 * sxb, sxb, kc);
      }
      return;
    }
  }
  const skb = <usize>sk * S;
  const sxb = <usize>sx * S;
  let d = dst;
  let s = src;
  for (let k = 0; k < kc; k++) {
    let x = 0;
    let sp = s;
    for (; x < w; x++) {
      store<T>(d + <usize>x * S, load<T>(sp));
      sp += sxb;
    }
    for (; x < R; x++) store<T>(d + <usize>x * S, <T>0);
    d += rowBytes;
    s += skb;
  }
}

/** Copies kc rows of rowBytes (16 or 32) bytes from src (row stride skb bytes) to dense dst. */
function packCopy(dst: usize, rowBytes: usize, src: usize, skb: usize, kc: i32): void {
  const dEnd = dst + <usize>kc * rowBytes;
  let d = dst;
  let s = src;
  if (rowBytes == 32) {
    while (d < dEnd) {
      v128.store(d, v128.load(s));
      v128.store(d, v128.load(s, 16), 16);
      s += skb;
      d += 32;
    }
  } else {
    while (d < dEnd) {
      v128.store(d, v128.load(s));
      s += skb;
      d += 16;
    }
  }
}

/**
 * Transposes 4 k-contiguous lines (line x at src + x*sxb bytes) into dst rows of 4 elements,
 * one row per k, rows dks bytes apart.
 */
function packT4<T>(dst: usize, dks: usize, src: usize, sxb: usize, kc: i32): void {
  const S = sizeof<T>();
  let s0 = src;
  let s1 = s0 + sxb;
  let s2 = s1 + sxb;
  let s3 = s2 + sxb;
  let d = dst;
  let k = 0;
  if (S == 4) {
    for (; k + 4 <= kc; k += 4) {
      const r0 = v128.load(s0);
      const r1 = v128.load(s1);
      const r2 = v128.load(s2);
      const r3 = v128.load(s3);
      const t01lo = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5); // x0k0 x1k0 x0k1 x1k1
      const t23lo = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
      const t01hi = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7); // x0k2 x1k2 x0k3 x1k3
      const t23hi = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      v128.store(d, v128.shuffle<f64>(t01lo, t23lo, 0, 2));
      d += dks;
      v128.store(d, v128.shuffle<f64>(t01lo, t23lo, 1, 3));
      d += dks;
      v128.store(d, v128.shuffle<f64>(t01hi, t23hi, 0, 2));
      d += dks;
      v128.store(d, v128.shuffle<f64>(t01hi, t23hi, 1, 3));
      d += dks;
      s0 += 16;
      s1 += 16;
      s2 += 16;
      s3 += 16;
    }
  } else {
    for (; k + 2 <= kc; k += 2) {
      const r0 = v128.load(s0);
      const r1 = v128.load(s1);
      const r2 = v128.load(s2);
      const r3 = v128.load(s3);
      v128.store(d, v128.shuffle<f64>(r0, r1, 0, 2));
      v128.store(d, v128.shuffle<f64>(r2, r3, 0, 2), 16);
      d += dks;
      v128.store(d, v128.shuffle<f64>(r0, r1, 1, 3));
      v128.store(d, v128.shuffle<f64>(r2, r3, 1, 3), 16);
      d += dks;
      s0 += 16;
      s1 += 16;
      s2 += 16;
      s3 += 16;
    }
  }
  for (; k < kc; k++) {
    store<T>(d, load<T>(s0));
    store<T>(d, load<T>(s1), S);
    store<T>(d, load<T>(s2), 2 * S);
    store<T>(d, load<T>(s3), 3 * S);
    d += dks;
    s0 += S;
    s1 += S;
    s2 += S;
    s3 += S;
  }
}
