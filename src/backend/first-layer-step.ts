// Backend.firstLayerStep as the three kernel calls it stands for; the loop and vectorized backends
// run it so, and the wasm backend where its fused kernel does not apply. Plain parameters, not a
// rest array: it runs every training iteration, which allocates nothing.
import type { Backend, Buffer } from './backend.js';

/** dW = alpha·D·Xᵀ, W -= lr·dW, Z = W·X on `e`: gemm, axpy, gemm (see Backend.firstLayerStep). */
export function firstLayerStepInSequence(
  e: Backend,
  dW: Buffer,
  dwOff: number,
  W: Buffer,
  wOff: number,
  Z: Buffer,
  zOff: number,
  D: Buffer,
  dOff: number,
  X: Buffer,
  xOff: number,
  ldx: number,
  transX: boolean,
  n: number,
  k: number,
  m: number,
  alpha: number,
  lr: number,
): void {
  e.gemm(dW, dwOff, k, D, dOff, m, false, X, xOff, ldx, !transX, n, k, m, alpha, 0);
  e.axpy(W, wOff, dW, dwOff, n * k, -lr);
  e.gemm(Z, zOff, m, W, wOff, k, false, X, xOff, ldx, transX, n, m, k, 1, 0);
}
