import type { TypedArray } from '../../core/index.js';

/** From this length on, a native copy (`set(subarray)`, about 6x faster than a JS loop) repays the view it allocates. */
const NATIVE_COPY_MIN = 1024;

/**
 * o[oo .. oo+n) = x[xo .. xo+n), both contiguous, same dtype. Within one array it is a native
 * memmove (`copyWithin`); across arrays a plain loop for short runs, which allocates nothing (a
 * training iteration is meant to allocate nothing), and a native copy for long ones.
 */
export function copyRun(n: number, o: TypedArray, oo: number, x: TypedArray, xo: number): void {
  if (o === x) {
    if (oo !== xo) o.copyWithin(oo, xo, xo + n);
  } else if (n >= NATIVE_COPY_MIN) {
    o.set(x.subarray(xo, xo + n), oo);
  } else {
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const v0 = x[xo + i];
      const v1 = x[xo + i + 1];
      const v2 = x[xo + i + 2];
      const v3 = x[xo + i + 3];
      o[oo + i] = v0;
      o[oo + i + 1] = v1;
      o[oo + i + 2] = v2;
      o[oo + i + 3] = v3;
    }
    for (; i < n; i++) o[oo + i] = x[xo + i];
  }
}

/** Tile edge of the blocked 2-D copy: 32x32 doubles touch 32 cache lines per side, well inside L1. */
const TILE = 32;

/**
 * o (m, n) contiguous = x (m, n) with strides (s0, s1). When rows of x are not contiguous (a transpose
 * is the common case) the copy is tiled, so the cache lines a tile reads column-wise are reused by the
 * next rows instead of being evicted between them.
 */
export function copy2d(
  m: number,
  n: number,
  o: TypedArray,
  oo: number,
  x: TypedArray,
  xo: number,
  s0: number,
  s1: number,
): void {
  if (s1 === 1) {
    for (let i = 0; i < m; i++) copyRun(n, o, oo + i * n, x, xo + i * s0);
    return;
  }
  if (m < 2 * TILE || n < 2 * TILE) {
    for (let i = 0; i < m; i++) {
      let xi = xo + i * s0;
      const oi = oo + i * n;
      for (let j = 0; j < n; j++, xi += s1) o[oi + j] = x[xi];
    }
    return;
  }
  for (let i0 = 0; i0 < m; i0 += TILE) {
    const i1 = i0 + TILE < m ? i0 + TILE : m;
    for (let j0 = 0; j0 < n; j0 += TILE) {
      const j1 = j0 + TILE < n ? j0 + TILE : n;
      for (let i = i0; i < i1; i++) {
        let xi = xo + i * s0 + j0 * s1;
        const oi = oo + i * n;
        for (let j = j0; j < j1; j++, xi += s1) o[oi + j] = x[xi];
      }
    }
  }
}

/**
 * Copies the strided view (shape, strides) of x into contiguous o. Dimensions are collapsed first
 * (size-1 axes dropped, axes x walks contiguously merged) into the caller's scratch `dims`/`strides`,
 * so a contiguous source becomes one native copy and a transpose becomes one blocked 2-D copy; an
 * odometer over what remains drives 2-D copies. The three scratch arrays need length >= shape.length.
 */
export function copyNd(
  o: TypedArray,
  oo: number,
  shape: readonly number[],
  x: TypedArray,
  xo: number,
  xStrides: readonly number[],
  dims: Int32Array,
  strides: Int32Array,
  counter: Int32Array,
): void {
  let nd = 0;
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d];
    if (size === 0) return;
    if (size === 1) continue;
    const st = xStrides[d];
    if (nd > 0 && strides[nd - 1] === st * size) {
      dims[nd - 1] *= size;
      strides[nd - 1] = st;
    } else {
      dims[nd] = size;
      strides[nd] = st;
      nd++;
    }
  }
  if (nd === 0) {
    o[oo] = x[xo];
    return;
  }
  if (nd === 1) {
    const n = dims[0];
    const s = strides[0];
    if (s === 1) copyRun(n, o, oo, x, xo);
    else for (let i = 0; i < n; i++, xo += s) o[oo + i] = x[xo];
    return;
  }
  const m = dims[nd - 2];
  const n = dims[nd - 1];
  const s0 = strides[nd - 2];
  const s1 = strides[nd - 1];
  const lead = nd - 2;
  for (let d = 0; d < lead; d++) counter[d] = 0;
  const block = m * n;
  for (;;) {
    copy2d(m, n, o, oo, x, xo, s0, s1);
    oo += block;
    let d = lead - 1;
    for (; d >= 0; d--) {
      xo += strides[d];
      if (++counter[d] < dims[d]) break;
      xo -= strides[d] * dims[d];
      counter[d] = 0;
    }
    if (d < 0) return;
  }
}
