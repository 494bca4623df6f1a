/**
 * The first layer's share of a full-batch gradient-descent iteration and the next iteration's first
 * product, with X read from memory once instead of twice:
 *   dW = alpha·D·Xᵀ,  W -= lr·dW,  Z = W·X (with the updated W, beta 0)
 * D (n, m) is dZ1, X (k, m) the input (k features, m examples), W and dW (n, k), Z (n, m).
 *
 * Both products walk X in blocks of KC rows (dW's columns, Z's K blocks), so block by block: read the
 * block through in address order (it comes from memory), compute its columns of dW, update its columns
 * of W, and add its share of Z while the block is still in L2. Every product is computed by the path
 * and blocks of the unfused calls (gemm's dW, axpy's W update, gemm's K-split Z: the same parts of K,
 * each part's K blocks from its start, the parts added in order), so the results are bit-identical to
 * gemm + axpy + gemm, on any number of threads.
 *
 * Callers use it only where Z = W·X takes the K-split path and a block of X fits L2
 * (firstLayerStepFits); the thread pool runs one part per job (firstLayerStepPart) and merges.
 */
import { axpy } from './fused';
import { gemmMerge, gemmOnPath, gemmPath, gemmScratchBytes, touchRows } from './gemm';
import {
  DIRECT_B_MAX_BLOCK_BYTES,
  GemmPath,
  K_BLOCK_MASK,
  KC,
  PARTIAL_BYTES,
  PARTIALS_BYTES,
  SPLIT_K_PARTS,
  SPLIT_K_SHIFT,
} from './gemm/params';

/** Whether firstLayerStep applies to n x k weights over m examples, S bytes per element. */
export function firstLayerStepFits(n: i32, k: i32, m: i32, S: i32): bool {
  return gemmPath(0, n, m, k, S) == GemmPath.SplitK && <usize>KC * m * S <= <usize>DIRECT_B_MAX_BLOCK_BYTES;
}

/** The whole step, its parts of K in order, then merged (one thread). Arguments as the module comment. */
export function firstLayerStep<T>(
  dw: usize,
  w: usize,
  ldw: i32,
  z: usize,
  ldz: i32,
  d: usize,
  ldd: i32,
  x: usize,
  ldx: i32,
  n: i32,
  k: i32,
  m: i32,
  alpha: T,
  lr: f64,
  scratch: usize,
): void {
  const S = sizeof<T>();
  const partials = scratch + <usize>gemmScratchBytes() - PARTIALS_BYTES;
  const dwPath = gemmPath(1, n, k, m, <i32>S);
  let k0 = 0;
  for (let p = 0; p < SPLIT_K_PARTS; p++) {
    const k1 = p == SPLIT_K_PARTS - 1 ? k : (((p + 1) * k) >> SPLIT_K_SHIFT) & K_BLOCK_MASK;
    const out = p == 0 ? z : partials + <usize>(p - 1) * PARTIAL_BYTES;
    const ko = <usize>k0 * S;
    firstLayerStepPart<T>(dw + ko, w + ko, ldw, out, p == 0 ? ldz : m, d, ldd, x + <usize>ldx * ko, ldx, n, k1 - k0, m, alpha, lr, dwPath, scratch);
    k0 = k1;
  }
  for (let p = 1; p < SPLIT_K_PARTS; p++) gemmMerge<T>(z, ldz, partials + <usize>(p - 1) * PARTIAL_BYTES, n, m);
}

/**
 * One part of K: columns [0, k) of dW and W and rows [0, k) of X (the pointers at the part's start),
 * its share of Z written to out (ldo). dwPath: the path of the whole dW product (gemmPath(1, n, K, m)).
 */
export function firstLayerStepPart<T>(
  dw: usize,
  w: usize,
  ldw: i32,
  out: usize,
  ldo: i32,
  d: usize,
  ldd: i32,
  x: usize,
  ldx: i32,
  n: i32,
  k: i32,
  m: i32,
  alpha: T,
  lr: f64,
  dwPath: i32,
  scratch: usize,
): void {
  const S = <usize>sizeof<T>();
  const ldwb = <usize>ldw * S;
  for (let kb = 0; kb < k; kb += KC) {
    const kc = min(KC, k - kb);
    const xb = x + <usize>kb * ldx * S;
    const kbo = <usize>kb * S;
    touchRows(xb, kc, <usize>m * S, <usize>ldx * S);
    gemmOnPath<T>(dwPath, false, dw + kbo, ldw, d, ldd, 0, xb, ldx, 1, n, kc, m, alpha, <T>0, scratch);
    for (let r = 0; r < n; r++) axpy<T>(w + <usize>r * ldwb + kbo, dw + <usize>r * ldwb + kbo, kc, -lr);
    gemmOnPath<T>(GemmPath.Blocked, false, out, ldo, w + kbo, ldw, 0, xb, ldx, 0, n, m, kc, <T>1, kb == 0 ? <T>0 : <T>1, scratch);
  }
}
