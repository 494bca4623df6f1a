// GEMM packing: copies a block of op(A) or op(B) into the k-major, zero-padded strips the micro-kernels
// read (see gemm.ts). Transposes are absorbed here: a block is "w lines x kc steps" of a matrix where
// element (k, x) sits at src + (k*sk + x*sx) elements, so op(A) rows, op(A)ᵀ rows, op(B) columns and
// op(B)ᵀ columns are all the same call with different (sk, sx), and one of sk, sx is always 1. Two SIMD
// paths cover full strips: sx == 1 (lines contiguous: row by row copies) and sk == 1 (k contiguous:
// register transposes of 3 lines for A strips, 4 or 8 for B strips); the zero-padded edge strip is a
// scalar loop.

/** k-rows per chunk of the lines-contiguous path (set by measurement, see packRows). */
// @ts-ignore: decorator
@inline const PACK_ROWS: i32 = 16;

/**
 * Packs `w` lines by `kc` steps into ceil(w / R) strips of kc*R elements, stripBytes apart (>= kc*R
 * elements; 16-byte multiple): strip s holds (dst + s*stripBytes)[k*R + x] = src[k*sk + (s*R + x)*sx],
 * zero for lines past w. dst: 16-byte aligned; src: element-aligned; R is 3, 4 or 6 (A strips, 12 to
 * 48 bytes per k), or R*sizeof<T>() is 32 (B strips); sk, sx in elements.
 */
export function packBlock<T>(
  dst: usize,
  R: i32,
  stripBytes: usize,
  src: usize,
  sk: i32,
  sx: i32,
  kc: i32,
  w: i32,
): void {
  const S = sizeof<T>();
  const rowBytes = <usize>R * S;
  const full = w / R;
  if (full > 0) {
    if (sx == 1) {
      packRows(dst, stripBytes, rowBytes, src, <usize>sk * S, kc, full);
    } else if (sk == 1) {
      const sxb = <usize>sx * S;
      for (let s = 0; s < full; s++) {
        const d = dst + <usize>s * stripBytes;
        const p = src + <usize>(s * R) * sxb;
        if (R == 3) packT3<T>(d, p, sxb, kc);
        else if (R == 6) {
          // rows of 6: lines 0-3 as one 4-line transpose, lines 4-5 beside them
          packT4<T>(d, 6 * S, p, sxb, kc);
          packT2<T>(d + 4 * S, 6 * S, p + 4 * sxb, sxb, kc);
        }
        else if (rowBytes == 4 * S) packT4<T>(d, rowBytes, p, sxb, kc);
        else packT8f32(d, p, sxb, kc);
      }
    } else {
      for (let s = 0; s < full; s++) {
        packEdge<T>(dst + <usize>s * stripBytes, R, src + <usize>(s * R) * sx * S, sk, sx, kc, R);
      }
    }
  }
  const rest = w - full * R;
  if (rest > 0) {
    packEdge<T>(dst + <usize>full * stripBytes, R, src + <usize>(full * R) * sx * S, sk, sx, kc, rest);
  }
}

/** The scalar path: one strip of `w` <= R lines, zero-padded to R. */
function packEdge<T>(dst: usize, R: i32, src: usize, sk: i32, sx: i32, kc: i32, w: i32): void {
  const S = sizeof<T>();
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
    d += <usize>R * S;
    s += skb;
  }
}

/**
 * The lines-contiguous path, in chunks of PACK_ROWS k-rows: within a chunk, strip after strip, so reads
 * walk PACK_ROWS source rows left to right and each strip receives one contiguous run of writes.
 */
function packRows(dst: usize, stripBytes: usize, rowBytes: usize, src: usize, skb: usize, kc: i32, full: i32): void {
  for (let k0 = 0; k0 < kc; k0 += PACK_ROWS) {
    const rows = min(PACK_ROWS, kc - k0);
    let sp0 = src + <usize>k0 * skb;
    let dp0 = dst + <usize>k0 * rowBytes;
    for (let j = 0; j < full; j++) {
      let sp = sp0;
      let dp = dp0;
      const dEnd = dp0 + <usize>rows * rowBytes;
      if (rowBytes == 32) {
        while (dp < dEnd) {
          v128.store(dp, v128.load(sp));
          v128.store(dp, v128.load(sp, 16), 16);
          sp += skb;
          dp += 32;
        }
      } else if (rowBytes == 48) {
        while (dp < dEnd) {
          v128.store(dp, v128.load(sp));
          v128.store(dp, v128.load(sp, 16), 16);
          v128.store(dp, v128.load(sp, 32), 32);
          sp += skb;
          dp += 48;
        }
      } else if (rowBytes == 16) {
        while (dp < dEnd) {
          v128.store(dp, v128.load(sp));
          sp += skb;
          dp += 16;
        }
      } else if (rowBytes == 24) {
        while (dp < dEnd) {
          v128.store(dp, v128.load(sp));
          store<f64>(dp, load<f64>(sp, 16), 16);
          sp += skb;
          dp += 24;
        }
      } else {
        // 12 bytes: no 16-byte load, which could read past the end of memory
        while (dp < dEnd) {
          store<u64>(dp, load<u64>(sp));
          store<u32>(dp, load<u32>(sp, 8), 8);
          sp += skb;
          dp += 12;
        }
      }
      sp0 += rowBytes;
      dp0 += stripBytes;
    }
  }
}

/**
 * Transposes 3 k-contiguous lines (line x at src + x*sxb bytes) into consecutive rows of 3 elements,
 * one row per k (the A strips of the 3-row micro-kernels).
 */
function packT3<T>(dst: usize, src: usize, sxb: usize, kc: i32): void {
  const S = sizeof<T>();
  let s0 = src;
  let s1 = s0 + sxb;
  let s2 = s1 + sxb;
  let d = dst;
  let k = 0;
  if (S == 4) {
    for (; k + 4 <= kc; k += 4) {
      const r0 = v128.load(s0);
      const r1 = v128.load(s1);
      const r2 = v128.load(s2);
      const t01lo = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5); // x0k0 x1k0 x0k1 x1k1
      const t01hi = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7); // x0k2 x1k2 x0k3 x1k3
      v128.store(d, v128.shuffle<f32>(t01lo, r2, 0, 1, 4, 2)); // x0k0 x1k0 x2k0 x0k1
      const mid = v128.shuffle<f32>(t01lo, r2, 3, 5, 3, 5); // x1k1 x2k1 . .
      v128.store(d, v128.shuffle<f32>(mid, t01hi, 0, 1, 4, 5), 16); // x1k1 x2k1 x0k2 x1k2
      v128.store(d, v128.shuffle<f32>(r2, t01hi, 2, 6, 7, 3), 32); // x2k2 x0k3 x1k3 x2k3
      d += 48;
      s0 += 16;
      s1 += 16;
      s2 += 16;
    }
  } else {
    for (; k + 2 <= kc; k += 2) {
      const r0 = v128.load(s0);
      const r1 = v128.load(s1);
      const r2 = v128.load(s2);
      v128.store(d, v128.shuffle<f64>(r0, r1, 0, 2));
      v128.store(d, v128.shuffle<f64>(r2, r0, 0, 3), 16);
      v128.store(d, v128.shuffle<f64>(r1, r2, 1, 3), 32);
      d += 48;
      s0 += 16;
      s1 += 16;
      s2 += 16;
    }
  }
  for (; k < kc; k++) {
    store<T>(d, load<T>(s0));
    store<T>(d, load<T>(s1), S);
    store<T>(d, load<T>(s2), 2 * S);
    d += 3 * S;
    s0 += S;
    s1 += S;
    s2 += S;
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

/** Transposes 2 k-contiguous lines into dst rows of 2 elements, one row per k, rows dks bytes apart. */
function packT2<T>(dst: usize, dks: usize, src: usize, sxb: usize, kc: i32): void {
  const S = sizeof<T>();
  let s0 = src;
  let s1 = s0 + sxb;
  let d = dst;
  let k = 0;
  if (S == 4) {
    for (; k + 4 <= kc; k += 4) {
      const r0 = v128.load(s0);
      const r1 = v128.load(s1);
      const lo = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5); // x0k0 x1k0 x0k1 x1k1
      const hi = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7); // x0k2 x1k2 x0k3 x1k3
      v128.store64_lane(d, lo, 0);
      v128.store64_lane(d + dks, lo, 1);
      v128.store64_lane(d + 2 * dks, hi, 0);
      v128.store64_lane(d + 3 * dks, hi, 1);
      d += 4 * dks;
      s0 += 16;
      s1 += 16;
    }
  } else {
    for (; k + 2 <= kc; k += 2) {
      const r0 = v128.load(s0);
      const r1 = v128.load(s1);
      v128.store(d, v128.shuffle<f64>(r0, r1, 0, 2));
      v128.store(d + dks, v128.shuffle<f64>(r0, r1, 1, 3));
      d += 2 * dks;
      s0 += 16;
      s1 += 16;
    }
  }
  for (; k < kc; k++) {
    store<T>(d, load<T>(s0));
    store<T>(d, load<T>(s1), S);
    d += dks;
    s0 += S;
    s1 += S;
  }
}

/**
 * packT4 for 8 f32 lines at once (the B strips of the f32 kernel): all eight lines are read in the same
 * pass, so the source streams run concurrently, and each 32-byte destination row is written whole.
 */
function packT8f32(dst: usize, src: usize, sxb: usize, kc: i32): void {
  let s0 = src;
  let d = dst;
  let k = 0;
  for (; k + 4 <= kc; k += 4) {
    const s4 = s0 + 4 * sxb;
    const r0 = v128.load(s0);
    const r1 = v128.load(s0 + sxb);
    const r2 = v128.load(s0 + 2 * sxb);
    const r3 = v128.load(s0 + 3 * sxb);
    const r4 = v128.load(s4);
    const r5 = v128.load(s4 + sxb);
    const r6 = v128.load(s4 + 2 * sxb);
    const r7 = v128.load(s4 + 3 * sxb);
    const t01lo = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
    const t23lo = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
    const t45lo = v128.shuffle<f32>(r4, r5, 0, 4, 1, 5);
    const t67lo = v128.shuffle<f32>(r6, r7, 0, 4, 1, 5);
    v128.store(d, v128.shuffle<f64>(t01lo, t23lo, 0, 2));
    v128.store(d, v128.shuffle<f64>(t45lo, t67lo, 0, 2), 16);
    v128.store(d, v128.shuffle<f64>(t01lo, t23lo, 1, 3), 32);
    v128.store(d, v128.shuffle<f64>(t45lo, t67lo, 1, 3), 48);
    const t01hi = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
    const t23hi = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    const t45hi = v128.shuffle<f32>(r4, r5, 2, 6, 3, 7);
    const t67hi = v128.shuffle<f32>(r6, r7, 2, 6, 3, 7);
    v128.store(d, v128.shuffle<f64>(t01hi, t23hi, 0, 2), 64);
    v128.store(d, v128.shuffle<f64>(t45hi, t67hi, 0, 2), 80);
    v128.store(d, v128.shuffle<f64>(t01hi, t23hi, 1, 3), 96);
    v128.store(d, v128.shuffle<f64>(t45hi, t67hi, 1, 3), 112);
    d += 128;
    s0 += 16;
  }
  for (; k < kc; k++) {
    for (let x = 0; x < 8; x++) store<f32>(d + <usize>x * 4, load<f32>(s0 + <usize>x * sxb));
    d += 32;
    s0 += 4;
  }
}
