// The machine's multiply-add ceiling in wasm SIMD: independent accumulator chains over L1-resident
// vectors, the most a GEMM micro-kernel could issue, in GFLOP/s on one thread. The engine's code for
// such a loop depends on the chain count (on V8 x64 6 and 12 chains reach the peak where 8 or 10 may
// lose a third, and which ones do changes between V8 versions), so the ceiling is the best of 6, 8,
// 10 and 12 chains. Two forms: a multiply
// then an add (the SIMD128 build's only form) and, where the engine has relaxed SIMD, the fused
// relaxed_madd the relaxed build uses. GEMM throughput is reported as a share of the ceiling of the
// build that ran it, measured in the same process: a shared machine's clock varies from run to run.
import asc from 'assemblyscript/asc';

export type CeilingForm = 'mul+add' | 'fma';

export interface Ceilings {
  form: CeilingForm;
  /** GFLOP/s, best of the samples */
  float32: number;
  float64: number;
}

const CHAIN_COUNTS = [6, 8, 10, 12];

const probeName = (lanes: string, form: CeilingForm, chains: number) =>
  `${lanes}_${form === 'fma' ? 'fma' : 'muladd'}_${chains}`;

function probeSource(lanes: 'f32x4' | 'f64x2', form: CeilingForm, count: number): string {
  const scalar = lanes === 'f32x4' ? 'f32' : 'f64';
  const name = probeName(lanes, form, count);
  const step = (i: number) =>
    form === 'fma'
      ? `c${i} = ${lanes}.relaxed_madd(v128.load(p, ${16 * i}), b, c${i});`
      : `c${i} = ${lanes}.add(c${i}, ${lanes}.mul(v128.load(p, ${16 * i}), b));`;
  const chains = Array.from({ length: count }, (_, i) => i);
  return `export function ${name}(n: i32, p: usize): ${scalar} {
    const b = v128.load(p, ${16 * count});
    let c0 = ${lanes}.splat(0)${chains
      .slice(1)
      .map((i) => `, c${i} = c0`)
      .join('')};
    for (let i = 0; i < n; i++) { ${chains.map(step).join(' ')} }
    let s = c0; ${chains
      .slice(1)
      .map((i) => `s = ${lanes}.add(s, c${i});`)
      .join(' ')}
    return ${lanes}.extract_lane(s, 0);
  }`;
}

/** Measures the ceilings of one form: the best of `samples` runs per dtype. */
export async function measureCeilings(form: CeilingForm, samples = 60): Promise<Ceilings> {
  const source = CHAIN_COUNTS.flatMap((n) => [
    probeSource('f32x4', form, n),
    probeSource('f64x2', form, n),
  ]).join('\n');
  const { binary, error } = await asc.compileString(source, {
    runtime: 'stub',
    importMemory: true,
    enable: form === 'fma' ? ['simd', 'relaxed-simd'] : ['simd'],
    optimizeLevel: 3,
    noAssert: true,
  } as never);
  if (error || !binary) throw new Error(`asc failed on the ceiling probe: ${error?.message}`);
  const memory = new WebAssembly.Memory({ initial: 1 });
  new Float32Array(memory.buffer, 0, 64).fill(0.5);
  const { instance } = await WebAssembly.instantiate(binary, { env: { memory, abort: () => {} } });
  const rate = (lanes: 'f32x4' | 'f64x2') => {
    let best = 0;
    for (const chains of CHAIN_COUNTS) {
      const run = instance.exports[probeName(lanes, form, chains)] as (n: number, p: number) => number;
      const flopsPerStep = chains * (lanes === 'f32x4' ? 4 : 2) * 2;
      run(10_000, 0);
      for (let r = 0; r < samples / CHAIN_COUNTS.length; r++) {
        const n = 100_000;
        const t = performance.now();
        run(n, 0);
        best = Math.max(best, (n * flopsPerStep) / ((performance.now() - t) / 1e3) / 1e9);
      }
    }
    return best;
  };
  return { form, float32: rate('f32x4'), float64: rate('f64x2') };
}

/** The larger of two measurements of the same form, per dtype (a short loop is easily disturbed). */
export function bestOf(a: Ceilings, b: Ceilings): Ceilings {
  return { form: a.form, float32: Math.max(a.float32, b.float32), float64: Math.max(a.float64, b.float64) };
}
