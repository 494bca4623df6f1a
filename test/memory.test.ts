// The facade's memory rules on the wasm backend, where a leak is visible: the allocator's live bytes.
import { describe, expect, it } from 'vitest';
import { backendByName } from '../src/backend/registry.js';
import type { WasmBackend } from '../src/backend/wasm/index.js';
import { array, type NDArray, setBackend, tidy, zeros } from '../src/index.js';
import { onBackend } from './helpers/backends.js';

const wasm = () => backendByName('wasm') as WasmBackend;

describe('wasm memory through the NDArray API', () => {
  it('100,000 create/op/dispose cycles leave live bytes where they started', () =>
    onBackend('wasm', () => {
      const x = array([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      // warm the scalar slots and any lazily reserved areas first
      x.mul(2).dispose();
      const start = wasm().stats();
      for (let i = 0; i < 100_000; i++) {
        const y = x.mul(2);
        const t = x.T;
        const w = y.add(t.T);
        const z = w.sum(0, true);
        for (const a of [y, t, w, z]) a.dispose();
      }
      expect(wasm().stats().liveBytes).toBe(start.liveBytes);
      expect(wasm().stats().liveBuffers).toBe(start.liveBuffers);
      x.dispose();
    }));

  it('10,000 tidy scopes leave live bytes where they started', () =>
    onBackend('wasm', () => {
      const x = zeros([4, 5]);
      tidy(() => x.add(1).exp().sum());
      const start = wasm().stats();
      let kept: NDArray | undefined;
      for (let i = 0; i < 10_000; i++) {
        kept?.dispose();
        kept = tidy(() => {
          const a = x.add(i).tanh();
          const b = a.matmul(a.T);
          return b.sum(1, true).reshape(-1);
        });
      }
      expect(kept!.shape).toEqual([4]);
      kept!.dispose();
      expect(wasm().stats().liveBytes).toBe(start.liveBytes);
      x.dispose();
    }));

  it('results stay right when memory grows between ops', () =>
    onBackend('wasm', () => {
      const a = array([1, 2, 3]);
      const b = a.mul(2);
      const capacity = wasm().stats().capacityBytes;
      const big = zeros([Math.ceil(capacity / 8) + 1024]); // forces memory.grow
      expect(wasm().stats().capacityBytes).toBeGreaterThan(capacity);
      expect(a.add(b).toArray()).toEqual([3, 6, 9]);
      big.dispose();
      a.dispose();
      b.dispose();
    }));

  it('use after dispose throws on every path', () => {
    setBackend('wasm');
    const a = zeros([2]);
    a.dispose();
    expect(() => a.data).toThrow('array was disposed');
    expect(() => a.sum()).toThrow('array was disposed');
    expect(() => zeros([2]).add(a)).toThrow('array was disposed');
  });
});
