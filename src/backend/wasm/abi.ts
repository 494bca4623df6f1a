// The kernel ABI, written once: every export of the wasm module, its arguments in order with their
// types, and which kernels may run on worker threads. From this table
//   - scripts/gen-exports.mjs writes assembly/index.ts, the module's export list (thin dtype-suffixed
//     wrappers over the generic AssemblyScript kernels);
//   - the TypeScript side derives the exports' types (KernelExports), the load-time check of every
//     export and its arity (load.ts), the thread pool's kernel list, and the argument positions the
//     thread-splitting code writes by name (threads/).
//
// Argument order, everywhere (AssemblyScript, this table, the Backend interface): the op code when
// there is one, then the outputs, then the inputs, each operand followed by its layout (leading
// dimension, strides, transpose flag), then sizes, then scalar parameters, then scratch. Pointers are
// byte offsets into the one memory; sizes, strides and leading dimensions are in elements. Kernels
// never allocate, throw or grow memory, so a view taken before a kernel call stays valid across it.

/**
 * An argument's type: a byte address (`ptr`, usize), an i32 (op codes, sizes, strides, flags), an
 * f64 scalar, the element type (`T`: f32 or f64 by export), or an f64 that the wrapper converts to
 * the element type (`f64T`: gemm's alpha and beta, rounded once for f32).
 */
export type ArgType = 'ptr' | 'i32' | 'f64' | 'T' | 'f64T';

/** One kernel family: exports `<name>_f32` and `<name>_f64` (or just `<name>` when not per dtype). */
export interface KernelSpec {
  /** The AssemblyScript function the exports call (generic over T when per dtype), and its module. */
  readonly impl: string;
  readonly from: string;
  readonly args: readonly (readonly [name: string, type: ArgType])[];
  readonly returns: 'void' | 'f64' | 'i32' | 'ptr';
  /** Exported once per dtype (`_f32`, `_f64`); default true. */
  readonly perDtype?: boolean;
  /** May run as a job on the thread pool (threads/pool.ts). */
  readonly pool?: boolean;
  /** The argument each thread replaces by its own scratch area. */
  readonly scratch?: string;
}

/** gemm's arguments, shared by gemm_unsplit. */
const GEMM_ARGS = [
  ['c', 'ptr'],
  ['ldc', 'i32'],
  ['a', 'ptr'],
  ['lda', 'i32'],
  ['transA', 'i32'],
  ['b', 'ptr'],
  ['ldb', 'i32'],
  ['transB', 'i32'],
  ['M', 'i32'],
  ['N', 'i32'],
  ['K', 'i32'],
  ['alpha', 'f64T'],
  ['beta', 'f64T'],
  ['scratch', 'ptr'],
] as const;

/** first_layer_step's arguments before scratch; first_layer_step_part adds dwPath (z is its part's output). */
const FIRST_LAYER_STEP_ARGS = [
  ['dw', 'ptr'],
  ['w', 'ptr'],
  ['ldw', 'i32'],
  ['z', 'ptr'],
  ['ldz', 'i32'],
  ['d', 'ptr'],
  ['ldd', 'i32'],
  ['x', 'ptr'],
  ['ldx', 'i32'],
  ['n', 'i32'],
  ['k', 'i32'],
  ['m', 'i32'],
  ['alpha', 'f64T'],
  ['lr', 'f64'],
] as const;

export const KERNELS = {
  heap_base: {
    impl: 'heapBase',
    from: './memory',
    args: [],
    returns: 'ptr',
    perDtype: false,
  },
  gemm_scratch_bytes: {
    impl: 'gemmScratchBytes',
    from: './gemm',
    args: [],
    returns: 'i32',
    perDtype: false,
  },
  gemm_path: {
    impl: 'gemmPath',
    from: './gemm',
    args: [
      ['transB', 'i32'],
      ['M', 'i32'],
      ['N', 'i32'],
      ['K', 'i32'],
      ['S', 'i32'],
    ],
    returns: 'i32',
    perDtype: false,
  },
  fill: {
    impl: 'fill',
    from: './elementwise',
    args: [
      ['out', 'ptr'],
      ['n', 'i32'],
      ['value', 'T'],
    ],
    returns: 'void',
    pool: true,
  },
  copy: {
    impl: 'copy',
    from: './elementwise',
    args: [
      ['out', 'ptr'],
      ['x', 'ptr'],
      ['ndim', 'i32'],
      ['args', 'ptr'],
    ],
    returns: 'void',
  },
  binary: {
    impl: 'binary',
    from: './elementwise',
    args: [
      ['op', 'i32'],
      ['out', 'ptr'],
      ['a', 'ptr'],
      ['am', 'i32'],
      ['an', 'i32'],
      ['b', 'ptr'],
      ['bm', 'i32'],
      ['bn', 'i32'],
      ['m', 'i32'],
      ['n', 'i32'],
    ],
    returns: 'void',
    pool: true,
  },
  binary_nd: {
    impl: 'binaryNd',
    from: './elementwise',
    args: [
      ['op', 'i32'],
      ['out', 'ptr'],
      ['a', 'ptr'],
      ['b', 'ptr'],
      ['ndim', 'i32'],
      ['args', 'ptr'],
    ],
    returns: 'void',
  },
  unary: {
    impl: 'unary',
    from: './activations',
    args: [
      ['op', 'i32'],
      ['out', 'ptr'],
      ['x', 'ptr'],
      ['n', 'i32'],
      ['p0', 'f64'],
      ['p1', 'f64'],
    ],
    returns: 'void',
    pool: true,
  },
  unary_grad: {
    impl: 'unaryGrad',
    from: './activations',
    args: [
      ['op', 'i32'],
      ['out', 'ptr'],
      ['x', 'ptr'],
      ['dy', 'ptr'],
      ['n', 'i32'],
      ['p0', 'f64'],
      ['p1', 'f64'],
    ],
    returns: 'void',
    pool: true,
  },
  reduce: {
    impl: 'reduce',
    from: './reduce',
    args: [
      ['op', 'i32'],
      ['out', 'ptr'],
      ['x', 'ptr'],
      ['outer', 'i32'],
      ['len', 'i32'],
      ['inner', 'i32'],
    ],
    returns: 'void',
  },
  first_non_finite: {
    impl: 'firstNonFinite',
    from: './finite',
    args: [
      ['x', 'ptr'],
      ['n', 'i32'],
    ],
    returns: 'i32',
  },
  gemm: {
    impl: 'gemm',
    from: './gemm',
    args: GEMM_ARGS,
    returns: 'void',
    scratch: 'scratch',
  },
  gemm_unsplit: {
    impl: 'gemmUnsplit',
    from: './gemm',
    args: GEMM_ARGS,
    returns: 'void',
    pool: true,
    scratch: 'scratch',
  },
  gemm_merge: {
    impl: 'gemmMerge',
    from: './gemm',
    args: [
      ['c', 'ptr'],
      ['ldc', 'i32'],
      ['p', 'ptr'],
      ['M', 'i32'],
      ['N', 'i32'],
    ],
    returns: 'void',
  },
  first_layer_step_fits: {
    impl: 'firstLayerStepFits',
    from: './first-layer-step',
    args: [
      ['n', 'i32'],
      ['k', 'i32'],
      ['m', 'i32'],
      ['S', 'i32'],
    ],
    returns: 'i32',
    perDtype: false,
  },
  first_layer_step: {
    impl: 'firstLayerStep',
    from: './first-layer-step',
    args: [...FIRST_LAYER_STEP_ARGS, ['scratch', 'ptr']],
    returns: 'void',
    scratch: 'scratch',
  },
  first_layer_step_part: {
    impl: 'firstLayerStepPart',
    from: './first-layer-step',
    args: [...FIRST_LAYER_STEP_ARGS, ['dwPath', 'i32'], ['scratch', 'ptr']],
    returns: 'void',
    pool: true,
    scratch: 'scratch',
  },
  bias_activation: {
    impl: 'biasActivation',
    from: './fused',
    args: [
      ['op', 'i32'],
      ['z', 'ptr'],
      ['a', 'ptr'],
      ['b', 'ptr'],
      ['rows', 'i32'],
      ['cols', 'i32'],
      ['p0', 'f64'],
    ],
    returns: 'void',
    pool: true,
  },
  activation_grad_sum: {
    impl: 'activationGradSum',
    from: './fused',
    args: [
      ['op', 'i32'],
      ['dz', 'ptr'],
      ['db', 'ptr'],
      ['dy', 'ptr'],
      ['c', 'ptr'],
      ['rows', 'i32'],
      ['cols', 'i32'],
      ['scale', 'f64'],
      ['p0', 'f64'],
    ],
    returns: 'void',
    pool: true,
  },
  sub_row_sum: {
    impl: 'subRowSum',
    from: './fused',
    args: [
      ['dz', 'ptr'],
      ['db', 'ptr'],
      ['a', 'ptr'],
      ['y', 'ptr'],
      ['rows', 'i32'],
      ['cols', 'i32'],
      ['scale', 'f64'],
    ],
    returns: 'void',
    pool: true,
  },
  axpy: {
    impl: 'axpy',
    from: './fused',
    args: [
      ['y', 'ptr'],
      ['x', 'ptr'],
      ['n', 'i32'],
      ['alpha', 'f64'],
    ],
    returns: 'void',
    pool: true,
  },
  sigmoid_output: {
    impl: 'sigmoidOutput',
    from: './fused',
    args: [
      ['z', 'ptr'],
      ['a', 'ptr'],
      ['t', 'ptr'],
      ['b', 'ptr'],
      ['rows', 'i32'],
      ['cols', 'i32'],
    ],
    returns: 'f64',
  },
  loss: {
    impl: 'loss',
    from: './fused',
    args: [
      ['op', 'i32'],
      ['a', 'ptr'],
      ['y', 'ptr'],
      ['n', 'i32'],
    ],
    returns: 'f64',
  },
  optimizer_step: {
    impl: 'optimizerStep',
    from: './optimizer',
    args: [
      ['op', 'i32'],
      ['w', 'ptr'],
      ['g', 'ptr'],
      ['v', 'ptr'],
      ['s', 'ptr'],
      ['n', 'i32'],
      ['lr', 'f64'],
      ['beta1', 'f64'],
      ['beta2', 'f64'],
      ['eps', 'f64'],
      ['c1', 'f64'],
      ['c2', 'f64'],
    ],
    returns: 'void',
    pool: true,
  },
  gather_columns: {
    impl: 'gatherColumns',
    from: './gather',
    args: [
      ['out', 'ptr'],
      ['x', 'ptr'],
      ['idx', 'ptr'],
      ['rows', 'i32'],
      ['ld', 'i32'],
      ['count', 'i32'],
      ['size', 'i32'],
      ['total', 'i32'],
      ['row0', 'i32'],
    ],
    returns: 'void',
    pool: true,
  },
  softmax_output: {
    impl: 'softmaxOutput',
    from: './softmax',
    args: [
      ['z', 'ptr'],
      ['a', 'ptr'],
      ['b', 'ptr'],
      ['rows', 'i32'],
      ['cols', 'i32'],
    ],
    returns: 'f64',
  },
} as const satisfies Record<string, KernelSpec>;

/** A kernel family of the table. */
export type KernelName = keyof typeof KERNELS;

/**
 * Each family's documentation: layout, aliasing. Kept apart from KERNELS, which the backend reads at
 * run time, so that bundles leave it out (only scripts/gen-exports.mjs reads it).
 */
export const KERNEL_DOCS: Readonly<Record<KernelName, string>> = {
  heap_base: 'First byte above the static data: the TypeScript allocator starts here (16-aligned up).',
  gemm_scratch_bytes: 'Bytes of 16-aligned scratch every gemm call needs (one area per thread).',
  gemm_path:
    'The code path gemm takes for a shape (GemmPath in assembly/gemm/params.ts; S: bytes per element), for the thread planner.',
  fill: 'out[i] = value, i < n (f32: value rounded to nearest on the way in).',
  copy: 'out (contiguous, C order) = the strided view of x; args holds i32 shape[ndim] then xStrides[ndim] (elements). out must not overlap x.',
  binary:
    'out (m, n) contiguous = a OP b, a[i, j] at a + (i·am + j·an) elements (b likewise; 0 broadcasts, negative allowed). op: BinaryOp. out may alias a or b exactly.',
  binary_nd:
    'out contiguous = a OP b over ndim >= 0 dimensions; args holds i32 shape[ndim], aStrides[ndim], bStrides[ndim] back to back (elements).',
  unary:
    'out[i] = f(x[i]; p0, p1), i < n. op: UnaryOp (p0: leaky slope or clip low, p1: clip high). out may alias x exactly.',
  unary_grad: "out[i] = dy[i] · f'(x[i]; p0, p1), i < n. out may alias x or dy exactly.",
  reduce:
    'out (outer, inner) = R over the middle axis of contiguous x (outer, len, inner). op: ReduceOp; Arg* write the index as a float; f32 sums accumulate in f64. out must not overlap x.',
  first_non_finite:
    'Index of the first NaN or ±Infinity among n contiguous elements at x, or -1 (the input checks of fit).',
  gemm: 'C (M, N) = alpha·op(A)·op(B) + beta·C, row-major (contract in assembly/gemm.ts); scratch: gemm_scratch_bytes() bytes. a, b, c must not overlap.',
  gemm_unsplit:
    'gemm without its K split (a GemmPath.SplitK shape runs blocked): the thread pool runs every chunk of a split gemm with it. Arguments as gemm.',
  gemm_merge:
    'C (M, N) += P, P contiguous (rows N elements apart): adds a later part of a K-split gemm. C must not overlap P.',
  first_layer_step_fits:
    'Whether first_layer_step applies to (n, k) weights over m examples, S bytes per element: W·X takes the K-split path and KC rows of X fit L2.',
  first_layer_step:
    "The first layer of a gradient-descent iteration with the next one's product, X read once: dw = alpha·d·xᵀ, w -= lr·dw, z = w·x (beta 0); w, dw (n, k), d, z (n, m), x (k, m). Bit-identical to gemm + axpy + gemm (contract in assembly/first-layer-step.ts). None may overlap.",
  first_layer_step_part:
    'One part of K of first_layer_step, its share of z written to z (ldz) with beta 0; dwPath: gemm_path of the whole dw product. The thread pool runs the parts and merges them with gemm_merge.',
  bias_activation:
    'z[i, j] += b[i], then a[i, j] = g(z[i, j]; p0) over contiguous (rows, cols); op: an activation UnaryOp. a may alias z exactly.',
  activation_grad_sum:
    "dz = dy·g'(c) (c = A for sigmoid and tanh, Z otherwise), then db[i] = scale·Σ_j dz[i, j] summed in f64. dz may alias dy exactly.",
  sub_row_sum: 'dz = a - y, then db[i] = scale·Σ_j dz[i, j] as activation_grad_sum. dz may alias a exactly.',
  axpy: 'y[i] += alpha·x[i], i < n, the product rounded before the sum (no fma; f32: alpha rounded first). y must not overlap x.',
  sigmoid_output:
    'The sigmoid output layer: z += b by row, a = σ(z), t = log1p(e^-|z|); returns Σ t (f64, compensated). z, a and t must not overlap.',
  loss: 'Σ_i loss(a[i], y[i]), i < n; op: LossOp. Terms and the compensated sum in f64.',
  optimizer_step:
    'One optimizer update of n contiguous parameters w from their gradient g and moments v, s (OptimizerOp; each operation rounded to T). w, v, s are updated; none may overlap another.',
  gather_columns:
    'The columns of x at the element offsets idx holds (f64, for both dtypes), cut into batches of size columns, batch k a contiguous (total, width) block from element k·size·total; this call does rows row0 … row0+rows-1 (x points at row row0): out[k·size·total + r·width + c] = x[(r - row0)·ld + idx[k·size + c]]. out must not overlap x or idx.',
  softmax_output:
    'The softmax output layer: z (rows, cols) += b by row, a = the softmax of each column; returns Σ_j log Σ_i e^z_ij (f64, compensated). z and a must not overlap.',
};
type Spec<K extends KernelName> = (typeof KERNELS)[K];

/** The argument names of a family, in order. */
export type ArgName<K extends KernelName> = Spec<K>['args'][number][0];

type Numbers<A extends readonly unknown[]> = { -readonly [I in keyof A]: number };
/** The JavaScript type of an export of family K (a kernel returning nothing returns undefined). */
export type KernelFn<K extends KernelName> = (
  ...args: Numbers<Spec<K>['args']>
) => Spec<K>['returns'] extends 'void' ? undefined : number;

type PerDtype = { [K in KernelName]: Spec<K> extends { perDtype: false } ? never : K }[KernelName];
type Single = Exclude<KernelName, PerDtype>;

/** The module's exports, typed from the table. */
export type KernelExports = { [K in PerDtype as `${K}_f32` | `${K}_f64`]: KernelFn<K> } & {
  [K in Single]: KernelFn<K>;
};

/** The export names of a family: `<name>_f32` and `<name>_f64`, or `<name>`. */
export function exportNames(name: KernelName): string[] {
  const spec: KernelSpec = KERNELS[name];
  return spec.perDtype === false ? [name] : [`${name}_f32`, `${name}_f64`];
}

/** Every export with its argument count, for the load-time check. */
export const EXPORT_ARITY: ReadonlyMap<string, number> = new Map(
  (Object.keys(KERNELS) as KernelName[]).flatMap((name) =>
    exportNames(name).map((e) => [e, KERNELS[name].args.length] as const),
  ),
);

/** The position of each argument of family K. */
export function argIndex<K extends KernelName>(name: K): Readonly<Record<ArgName<K>, number>> {
  const out: Record<string, number> = {};
  KERNELS[name].args.forEach(([arg], i) => {
    out[arg] = i;
  });
  return out as Record<ArgName<K>, number>;
}

/** The families that may run on the thread pool. */
export type PoolKernel = {
  [K in KernelName]: Spec<K> extends { pool: true } ? K : never;
}[KernelName];
