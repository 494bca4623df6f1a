// What runs and what is alive: backendInfo() for each backend, memory() counting live arrays and
// their bytes (like tf.memory()), `vecnet info`, and the environment variables that force a backend
// or a wasm build, with an error for a value that is not one.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { relaxedSimdSupported } from '../src/backend/index.js';
import { main } from '../src/cli/main.js';
import {
  backendInfo,
  leakedBy,
  loadPlanarDataset,
  memory,
  type NDArray,
  NeuralNetwork,
  tidy,
  toBackend,
  zeros,
} from '../src/index.js';
import { BACKENDS, onBackend } from './helpers/backends.js';
import { ensureDist, root } from './helpers/dist.js';

describe('backendInfo()', () => {
  it('names the backend, its build, threads and memory', () => {
    expect(onBackend('loop', backendInfo)).toEqual({
      backend: 'loop',
      build: null,
      threads: 1,
      memoryBytes: null,
    });
    expect(onBackend('vectorized', backendInfo)).toEqual({
      backend: 'vectorized',
      build: null,
      threads: 1,
      memoryBytes: null,
    });
    const wasm = onBackend('wasm', backendInfo);
    expect(wasm.backend).toBe('wasm');
    expect(['simd128', 'relaxed-simd']).toContain(wasm.build);
    expect(wasm.threads).toBeGreaterThanOrEqual(1);
    expect(wasm.memoryBytes).toBeGreaterThan(0);
    expect((wasm.memoryBytes as number) % 65536).toBe(0);
  });
});

describe.each(BACKENDS)('memory() on %s', (backend) => {
  it('counts live arrays and the bytes of their storage (views share it)', () =>
    onBackend(backend, () => {
      const start = memory();
      const a = zeros([10, 10]);
      expect(memory()).toEqual({ arrays: start.arrays + 1, bytes: start.bytes + 800 });
      const view = a.T;
      const f32 = zeros([5], { dtype: 'float32' });
      expect(memory()).toEqual({ arrays: start.arrays + 3, bytes: start.bytes + 820 });
      a.dispose();
      expect(memory()).toEqual({ arrays: start.arrays + 2, bytes: start.bytes + 820 });
      view.dispose();
      f32.dispose();
      expect(memory()).toEqual(start);
    }));

  it('shows a leak: predict in a loop without dispose, and none inside tidy', () =>
    onBackend(backend, () => {
      const { X, Y } = loadPlanarDataset();
      const Xb = toBackend(X, backend);
      const net = new NeuralNetwork({ layerDims: [2, 4, 1], hidden: 'tanh', seed: 2, backend });
      net.fit(Xb, toBackend(Y, backend), { iterations: 5 });
      // the first predict builds the model's forward workspace for 400 columns, which it keeps
      tidy(() => void net.predict(Xb));
      const before = memory();
      for (let i = 0; i < 10; i++) tidy(() => void net.predict(Xb));
      expect(memory()).toEqual(before);
      for (let i = 0; i < 10; i++) net.predict(Xb);
      expect(memory().arrays).toBe(before.arrays + 10);
      expect(memory().bytes).toBe(before.bytes + 10 * 400 * 8);
    }));
});

describe.each(BACKENDS)('leakedBy() on %s', (backend) => {
  it('names what a function left alive, not what it returned or disposed', () =>
    onBackend(backend, () => {
      const { X } = loadPlanarDataset();
      const net = new NeuralNetwork({ layerDims: [2, 4, 1], seed: 2, backend });
      const Xb = toBackend(X, backend);
      const dropped = leakedBy(() => {
        net.predict(Xb);
      });
      expect(dropped.map((a) => (a as NDArray).shape)).toEqual([[1, 400]]);
      expect(leakedBy(() => net.predict(Xb).dispose())).toEqual([]);
      const kept = leakedBy(() => ({ p: net.predict(Xb) }));
      expect(kept).toEqual([]);
      const model = leakedBy(() => {
        new NeuralNetwork({ layerDims: [2, 1], backend });
      });
      expect(model).toHaveLength(1);
      expect(model[0]).toBeInstanceOf(NeuralNetwork);
      for (const v of [...dropped, ...model]) v.dispose();
    }));
});

describe('vecnet info and the environment', () => {
  async function run(...argv: string[]) {
    let out = '';
    let err = '';
    const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
    return { code, out, err };
  }

  it('prints the version, backend, build, threads and memory on one line', async () => {
    const r = await run('info', '--backend', 'wasm');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^vecnet \d+\.\d+\.\d+: backend wasm \((simd128|relaxed-simd), \d+ threads?, \d+\.\d MB linear memory\), \d+ live arrays \(\d+ bytes\)\n$/,
    );
    const js = await run('info', '--backend', 'vectorized');
    expect(js.out).toMatch(/backend vectorized \(JavaScript typed arrays, 1 thread\)/);
  });

  it('VECNET_BACKEND and VECNET_WASM_BUILD with a bad value are usage errors (exit 2)', async () => {
    for (const [name, value, message] of [
      ['VECNET_BACKEND', 'gpu', "VECNET_BACKEND must be one of loop, vectorized, wasm, got 'gpu'"],
      ['VECNET_WASM_BUILD', 'avx', "VECNET_WASM_BUILD must be one of simd128, relaxed-simd, got 'avx'"],
    ]) {
      process.env[name] = value;
      try {
        const r = await run('info');
        expect(r.code).toBe(2);
        expect(r.err).toBe(`vecnet: ${message}\n`);
      } finally {
        delete process.env[name];
      }
    }
  });

  it('VECNET_BACKEND chooses the backend a program starts on; a bad one is an error naming it', () => {
    ensureDist();
    const script = "import('./dist/src/index.js').then((v) => console.log(JSON.stringify(v.backendInfo())))";
    const env = (extra: Record<string, string>) => ({ ...process.env, ...extra });
    const out = execFileSync(process.execPath, ['-e', script], {
      cwd: root,
      env: env({ VECNET_BACKEND: 'vectorized' }),
    }).toString();
    expect(JSON.parse(out).backend).toBe('vectorized');
    const built = JSON.parse(
      execFileSync(process.execPath, ['-e', script], {
        cwd: root,
        env: env({ VECNET_WASM_BUILD: 'simd128' }),
      }).toString(),
    );
    expect(built).toMatchObject({ backend: 'wasm', build: 'simd128' });
    expect(() =>
      execFileSync(process.execPath, ['-e', script], {
        cwd: root,
        env: env({ VECNET_BACKEND: 'gpu' }),
        stdio: 'pipe',
      }),
    ).toThrow(/VECNET_BACKEND must be one of loop, vectorized, wasm, got 'gpu'/);
  });

  it('a backend that fails to load is reported, not silently replaced', () => {
    ensureDist();
    const script = "import('./dist/src/index.js').then((v) => console.log(JSON.stringify(v.backendInfo())))";
    const r = spawnSync(process.execPath, ['-e', script], {
      cwd: root,
      env: { ...process.env, VECNET_WASM_BUILD: 'relaxed-simd' },
    });
    const info = JSON.parse(r.stdout.toString());
    if (relaxedSimdSupported()) {
      expect(info).toMatchObject({ backend: 'wasm', build: 'relaxed-simd' });
    } else {
      // Node 20: no relaxed SIMD without a flag; the warning says why the next backend runs
      expect(info.backend).toBe('vectorized');
      expect(r.stderr.toString()).toContain(
        'vecnet: the wasm backend could not be loaded (wasm backend: this JavaScript engine does not support relaxed SIMD',
      );
    }
  });
});
