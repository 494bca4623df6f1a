// Backend.firstLayerStep as the three kernel calls it stands for; the loop and vectorized backends
// run it so, and the wasm backend where its fused kernel does not apply.
import type { Backend, FirstLayerStep } from './backend.js';

/** dW = alpha·D·Xᵀ, W -= lr·dW, Z = W·X on `e`: gemm, axpy, gemm (see Backend.firstLayerStep). */
export function firstLayerStepInSequence(e: Backend, s: FirstLayerStep): void {
  const { X, xOff, ldx, transX, n, k, m } = s;
  e.gemm(s.dW, s.dwOff, k, s.D, s.dOff, m, false, X, xOff, ldx, !transX, n, k, m, s.alpha, 0);
  e.axpy(s.W, s.wOff, s.dW, s.dwOff, n * k, -s.lr);
  e.gemm(s.Z, s.zOff, m, s.W, s.wOff, k, false, X, xOff, ldx, transX, n, m, k, 1, 0);
}
