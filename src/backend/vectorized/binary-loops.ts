import type { TypedArray } from '../../core/index.js';
import { BinaryOp } from '../ops.js';

// The 1-D loops of the vectorized backend's element-wise binary kernels.
//
// Each kernel switches on the op once and then runs one tight loop, so V8 compiles a loop body with
// the operation inlined instead of an indirect call (or a switch) per element. The expressions are
// character for character those of scalar.ts `binaryFn`, so results equal the loop backend bit for bit
// (TurboFan lowers `Number.isNaN` to a self-comparison, so it costs nothing in the loops).
//
// Four loop shapes cover every call: both operands contiguous, one operand a scalar (stride 0, the
// value hoisted into a local), and fully strided. The drivers in binary.ts pick one per row.
//
// The arithmetic ops (+ - * /, the hot ones: bias add, gradient steps) are unrolled by 4 in the
// contiguous and scalar loops. V8 (11.x, Node 20) re-checks each typed array's map and reloads its
// length and data pointer on every iteration, as it does not hoist them out of loops; four elements
// per iteration share those checks, which measured 1.5-1.8x faster. Each element is still computed
// with the same single operation, and all four are read before any is written, so `out` may alias
// an input.

/** o[oo+i] = a[ao+i] OP b[bo+i] for i < n: the same-shape case after dimension collapsing. */
export function binaryContig(
  op: BinaryOp,
  n: number,
  o: TypedArray,
  oo: number,
  a: TypedArray,
  ao: number,
  b: TypedArray,
  bo: number,
): void {
  switch (op) {
    case BinaryOp.Add: {
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const r0 = a[ao + i] + b[bo + i];
        const r1 = a[ao + i + 1] + b[bo + i + 1];
        const r2 = a[ao + i + 2] + b[bo + i + 2];
        const r3 = a[ao + i + 3] + b[bo + i + 3];
        o[oo + i] = r0;
        o[oo + i + 1] = r1;
        o[oo + i + 2] = r2;
        o[oo + i + 3] = r3;
      }
      for (; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i];
      return;
    }
    case BinaryOp.Sub: {
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const r0 = a[ao + i] - b[bo + i];
        const r1 = a[ao + i + 1] - b[bo + i + 1];
        const r2 = a[ao + i + 2] - b[bo + i + 2];
        const r3 = a[ao + i + 3] - b[bo + i + 3];
        o[oo + i] = r0;
        o[oo + i + 1] = r1;
        o[oo + i + 2] = r2;
        o[oo + i + 3] = r3;
      }
      for (; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i];
      return;
    }
    case BinaryOp.Mul: {
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const r0 = a[ao + i] * b[bo + i];
        const r1 = a[ao + i + 1] * b[bo + i + 1];
        const r2 = a[ao + i + 2] * b[bo + i + 2];
        const r3 = a[ao + i + 3] * b[bo + i + 3];
        o[oo + i] = r0;
        o[oo + i + 1] = r1;
        o[oo + i + 2] = r2;
        o[oo + i + 3] = r3;
      }
      for (; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i];
      return;
    }
    case BinaryOp.Div: {
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const r0 = a[ao + i] / b[bo + i];
        const r1 = a[ao + i + 1] / b[bo + i + 1];
        const r2 = a[ao + i + 2] / b[bo + i + 2];
        const r3 = a[ao + i + 3] / b[bo + i + 3];
        o[oo + i] = r0;
        o[oo + i + 1] = r1;
        o[oo + i + 2] = r2;
        o[oo + i + 3] = r3;
      }
      for (; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i];
      return;
    }
    case BinaryOp.Pow:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] ** b[bo + i];
      return;
    case BinaryOp.Maximum:
      for (let i = 0; i < n; i++) {
        const x = a[ao + i];
        const y = b[bo + i];
        o[oo + i] = x > y || Number.isNaN(x) ? x : y;
      }
      return;
    case BinaryOp.Minimum:
      for (let i = 0; i < n; i++) {
        const x = a[ao + i];
        const y = b[bo + i];
        o[oo + i] = x < y || Number.isNaN(x) ? x : y;
      }
      return;
    case BinaryOp.Gt:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] > b[bo + i] ? 1 : 0;
      return;
    case BinaryOp.Ge:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] >= b[bo + i] ? 1 : 0;
      return;
    case BinaryOp.Lt:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] < b[bo + i] ? 1 : 0;
      return;
    case BinaryOp.Le:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] <= b[bo + i] ? 1 : 0;
      return;
    case BinaryOp.Eq:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] === b[bo + i] ? 1 : 0;
      return;
  }
}

/** o[oo+i] = a[ao+i] OP y for i < n: a scalar right operand, or one row of a column broadcast. */
export function binaryScalarB(
  op: BinaryOp,
  n: number,
  o: TypedArray,
  oo: number,
  a: TypedArray,
  ao: number,
  y: number,
): void {
  switch (op) {
    case BinaryOp.Add: {
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const r0 = a[ao + i] + y;
        const r1 = a[ao + i + 1] + y;
        const r2 = a[ao + i + 2] + y;
        const r3 = a[ao + i + 3] + y;
        o[oo + i] = r0;
        o[oo + i + 1] = r1;
        o[oo + i + 2] = r2;
        o[oo + i + 3] = r3;
      }
      for (; i < n; i++) o[oo + i] = a[ao + i] + y;
      return;
    }
    case BinaryOp.Sub: {
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const r0 = a[ao + i] - y;
        const r1 = a[ao + i + 1] - y;
        const r2 = a[ao + i + 2] - y;
        const r3 = a[ao + i + 3] - y;
        o[oo + i] = r0;
        o[oo + i + 1] = r1;
        o[oo + i + 2] = r2;
        o[oo + i + 3] = r3;
      }
      for (; i < n; i++) o[oo + i] = a[ao + i] - y;
      return;
    }
    case BinaryOp.Mul: {
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const r0 = a[ao + i] * y;
        const r1 = a[ao + i + 1] * y;
        const r2 = a[ao + i + 2] * y;
        const r3 = a[ao + i + 3] * y;
        o[oo + i] = r0;
        o[oo + i + 1] = r1;
        o[oo + i + 2] = r2;
        o[oo + i + 3] = r3;
      }
      for (; i < n; i++) o[oo + i] = a[ao + i] * y;
      return;
    }
    case BinaryOp.Div: {
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const r0 = a[ao + i] / y;
        const r1 = a[ao + i + 1] / y;
        const r2 = a[ao + i + 2] / y;
        const r3 = a[ao + i + 3] / y;
        o[oo + i] = r0;
        o[oo + i + 1] = r1;
        o[oo + i + 2] = r2;
        o[oo + i + 3] = r3;
      }
      for (; i < n; i++) o[oo + i] = a[ao + i] / y;
      return;
    }
    case BinaryOp.Pow:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] ** y;
      return;
    case BinaryOp.Maximum:
      for (let i = 0; i < n; i++) {
        const x = a[ao + i];
        o[oo + i] = x > y || Number.isNaN(x) ? x : y;
      }
      return;
    case BinaryOp.Minimum:
      for (let i = 0; i < n; i++) {
        const x = a[ao + i];
        o[oo + i] = x < y || Number.isNaN(x) ? x : y;
      }
      return;
    case BinaryOp.Gt:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] > y ? 1 : 0;
      return;
    case BinaryOp.Ge:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] >= y ? 1 : 0;
      return;
    case BinaryOp.Lt:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] < y ? 1 : 0;
      return;
    case BinaryOp.Le:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] <= y ? 1 : 0;
      return;
    case BinaryOp.Eq:
      for (let i = 0; i < n; i++) o[oo + i] = a[ao + i] === y ? 1 : 0;
      return;
  }
}

/** o[oo+i] = x OP b[bo+i] for i < n: a scalar left operand (`1 - A`, `2 ** x`). */
export function binaryScalarA(
  op: BinaryOp,
  n: number,
  o: TypedArray,
  oo: number,
  x: number,
  b: TypedArray,
  bo: number,
): void {
  switch (op) {
    case BinaryOp.Add: {
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const r0 = x + b[bo + i];
        const r1 = x + b[bo + i + 1];
        const r2 = x + b[bo + i + 2];
        const r3 = x + b[bo + i + 3];
        o[oo + i] = r0;
        o[oo + i + 1] = r1;
        o[oo + i + 2] = r2;
        o[oo + i + 3] = r3;
      }
      for (; i < n; i++) o[oo + i] = x + b[bo + i];
      return;
    }
    case BinaryOp.Sub: {
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const r0 = x - b[bo + i];
        const r1 = x - b[bo + i + 1];
        const r2 = x - b[bo + i + 2];
        const r3 = x - b[bo + i + 3];
        o[oo + i] = r0;
        o[oo + i + 1] = r1;
        o[oo + i + 2] = r2;
        o[oo + i + 3] = r3;
      }
      for (; i < n; i++) o[oo + i] = x - b[bo + i];
      return;
    }
    case BinaryOp.Mul: {
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const r0 = x * b[bo + i];
        const r1 = x * b[bo + i + 1];
        const r2 = x * b[bo + i + 2];
        const r3 = x * b[bo + i + 3];
        o[oo + i] = r0;
        o[oo + i + 1] = r1;
        o[oo + i + 2] = r2;
        o[oo + i + 3] = r3;
      }
      for (; i < n; i++) o[oo + i] = x * b[bo + i];
      return;
    }
    case BinaryOp.Div: {
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const r0 = x / b[bo + i];
        const r1 = x / b[bo + i + 1];
        const r2 = x / b[bo + i + 2];
        const r3 = x / b[bo + i + 3];
        o[oo + i] = r0;
        o[oo + i + 1] = r1;
        o[oo + i + 2] = r2;
        o[oo + i + 3] = r3;
      }
      for (; i < n; i++) o[oo + i] = x / b[bo + i];
      return;
    }
    case BinaryOp.Pow:
      for (let i = 0; i < n; i++) o[oo + i] = x ** b[bo + i];
      return;
    case BinaryOp.Maximum:
      for (let i = 0; i < n; i++) {
        const y = b[bo + i];
        o[oo + i] = x > y || Number.isNaN(x) ? x : y;
      }
      return;
    case BinaryOp.Minimum:
      for (let i = 0; i < n; i++) {
        const y = b[bo + i];
        o[oo + i] = x < y || Number.isNaN(x) ? x : y;
      }
      return;
    case BinaryOp.Gt:
      for (let i = 0; i < n; i++) o[oo + i] = x > b[bo + i] ? 1 : 0;
      return;
    case BinaryOp.Ge:
      for (let i = 0; i < n; i++) o[oo + i] = x >= b[bo + i] ? 1 : 0;
      return;
    case BinaryOp.Lt:
      for (let i = 0; i < n; i++) o[oo + i] = x < b[bo + i] ? 1 : 0;
      return;
    case BinaryOp.Le:
      for (let i = 0; i < n; i++) o[oo + i] = x <= b[bo + i] ? 1 : 0;
      return;
    case BinaryOp.Eq:
      for (let i = 0; i < n; i++) o[oo + i] = x === b[bo + i] ? 1 : 0;
      return;
  }
}

/** o[oi] = a[ai] OP b[bi] for n steps of (os, as, bs): any 1-D walk, including column-major ones. */
export function binaryStrided(
  op: BinaryOp,
  n: number,
  o: TypedArray,
  oi: number,
  os: number,
  a: TypedArray,
  ai: number,
  as: number,
  b: TypedArray,
  bi: number,
  bs: number,
): void {
  switch (op) {
    case BinaryOp.Add:
      for (let i = 0; i < n; i++, oi += os, ai += as, bi += bs) o[oi] = a[ai] + b[bi];
      return;
    case BinaryOp.Sub:
      for (let i = 0; i < n; i++, oi += os, ai += as, bi += bs) o[oi] = a[ai] - b[bi];
      return;
    case BinaryOp.Mul:
      for (let i = 0; i < n; i++, oi += os, ai += as, bi += bs) o[oi] = a[ai] * b[bi];
      return;
    case BinaryOp.Div:
      for (let i = 0; i < n; i++, oi += os, ai += as, bi += bs) o[oi] = a[ai] / b[bi];
      return;
    case BinaryOp.Pow:
      for (let i = 0; i < n; i++, oi += os, ai += as, bi += bs) o[oi] = a[ai] ** b[bi];
      return;
    case BinaryOp.Maximum:
      for (let i = 0; i < n; i++, oi += os, ai += as, bi += bs) {
        const x = a[ai];
        const y = b[bi];
        o[oi] = x > y || Number.isNaN(x) ? x : y;
      }
      return;
    case BinaryOp.Minimum:
      for (let i = 0; i < n; i++, oi += os, ai += as, bi += bs) {
        const x = a[ai];
        const y = b[bi];
        o[oi] = x < y || Number.isNaN(x) ? x : y;
      }
      return;
    case BinaryOp.Gt:
      for (let i = 0; i < n; i++, oi += os, ai += as, bi += bs) o[oi] = a[ai] > b[bi] ? 1 : 0;
      return;
    case BinaryOp.Ge:
      for (let i = 0; i < n; i++, oi += os, ai += as, bi += bs) o[oi] = a[ai] >= b[bi] ? 1 : 0;
      return;
    case BinaryOp.Lt:
      for (let i = 0; i < n; i++, oi += os, ai += as, bi += bs) o[oi] = a[ai] < b[bi] ? 1 : 0;
      return;
    case BinaryOp.Le:
      for (let i = 0; i < n; i++, oi += os, ai += as, bi += bs) o[oi] = a[ai] <= b[bi] ? 1 : 0;
      return;
    case BinaryOp.Eq:
      for (let i = 0; i < n; i++, oi += os, ai += as, bi += bs) o[oi] = a[ai] === b[bi] ? 1 : 0;
      return;
  }
}
