// The wasm backend's memory: allocator invariants, leaks, growth in the middle of a computation,
// out-of-memory errors, loading. Use-after-free is the facade's business and not tested here.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { LoopBackend } from '../src/backend/loop.js';
import { BinaryOp, ReduceOp, UnaryOp } from '../src/backend/ops.js';
import {
  createWasmBackend,
  createWasmBackendSync,
  type WasmBackend,
  type WasmBuffer,
  wasmSimdSupported,
} from '../src/backend/wasm/index.js';
import { rng } from './helpers/rng.js';

describe('loading', () => {
  it('detects SIMD and loads synchronously and asynchronously', async () => {
    expect(wasmSimdSupported()).toBe(true);
    const sync = createWasmBackendSync();
    expect(sync.name).toBe('wasm');
    const async = await createWasmBackend();
    expect(async.name).toBe('wasm');
    // separate instances have separate memories
    expect(async.memory).not.toBe(sync.memory);
  });

  it('without SIMD, loading fails with an error that names vectorized', async () => {
    vi.resetModules();
    const validate = vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    try {
      const fresh = await import('../src/backend/wasm/index.js');
      expect(fresh.wasmSimdSupported()).toBe(false);
      expect(() => fresh.createWasmBackendSync()).toThrow(/does not support WebAssembly SIMD.*'vectorized'/);
      await expect(fresh.createWasmBackend()).rejects.toThrow(/vectorized/);
    } finally {
      validate.mockRestore();
      vi.resetModules();
    }
  });

  it('accepts the binary as bytes or a path', async () => {
    const path = new URL('../build/vecnet.wasm', import.meta.url);
    const fromBytes = createWasmBackendSync({ source: readFileSync(path) });
    const fromUrl = await createWasmBackend({ source: path });
    for (const backend of [fromBytes, fromUrl]) {
      const b = backend.alloc('float32', 3);
      backend.fill(b, 0, 3, 2.5);
      expect(Array.from(backend.view(b))).toEqual([2.5, 2.5, 2.5]);
    }
    expect(() => createWasmBackendSync({ source: '/nonexistent/vecnet.wasm' })).toThrow(/not found/);
  });

  it('fetches the binary over HTTP (the browser path: fetch + compileStreaming)', async () => {
    const bytes = readFileSync(new URL('../build/vecnet.wasm', import.meta.url));
    const server = createServer((req, res) => {
      if (req.url === '/vecnet.wasm') {
        res.writeHead(200, { 'content-type': 'application/wasm' });
        res.end(bytes);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const backend = await createWasmBackend({ source: `http://127.0.0.1:${port}/vecnet.wasm` });
      const b = backend.alloc('float64', 2);
      backend.fill(b, 0, 2, -1);
      expect(Array.from(backend.view(b))).toEqual([-1, -1]);
      await expect(createWasmBackend({ source: `http://127.0.0.1:${port}/missing.wasm` })).rejects.toThrow(
        /404/,
      );
    } finally {
      server.close();
    }
  });

  it('rejects buffers of another backend', () => {
    const a = createWasmBackendSync();
    const b = createWasmBackendSync();
    const foreign = new LoopBackend().alloc('float64', 4);
    expect(() => a.view(foreign)).toThrow(TypeError);
    expect(() => a.fill(b.alloc('float64', 4), 0, 4, 1)).toThrow(/another backend/);
  });
});

describe('allocator', () => {
  it('hands out 16-byte aligned, zero-filled, disjoint blocks, also when reusing dirty ones', () => {
    const wasm = createWasmBackendSync();
    const r = rng(1);
    const live: WasmBuffer[] = [];
    for (let i = 0; i < 2000; i++) {
      if (live.length > 0 && r() < 0.45) {
        const [b] = live.splice(Math.floor(r() * live.length), 1);
        wasm.view(b).fill(Number.NaN); // dirty it before returning it
        wasm.free(b);
        continue;
      }
      const dtype = r() < 0.5 ? 'float32' : 'float64';
      const b = wasm.alloc(dtype, Math.floor(r() * (r() < 0.1 ? 20000 : 300)));
      expect(b.byteOffset % 16).toBe(0);
      expect(wasm.view(b).every((v) => v === 0)).toBe(true);
      live.push(b);
    }
    const ranges = live
      .map((b) => [b.byteOffset, b.byteOffset + Math.max(16, b.length * (b.dtype === 'float32' ? 4 : 8))])
      .sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBeGreaterThanOrEqual(ranges[i - 1][1]);
    for (const b of live) wasm.free(b);
    expect(wasm.stats().liveBytes).toBe(0);
  });

  it('coalesces freed neighbours so a larger block fits where they were', () => {
    const wasm = createWasmBackendSync();
    const a = wasm.alloc('float64', 100);
    const b = wasm.alloc('float64', 100);
    const c = wasm.alloc('float64', 100);
    const guard = wasm.alloc('float64', 1); // keeps a..c below the top of the heap
    wasm.free(a);
    wasm.free(c);
    wasm.free(b); // merges with both neighbours at once
    const big = wasm.alloc('float64', 300);
    expect(big.byteOffset).toBe(a.byteOffset);
    wasm.free(big);
    wasm.free(guard);
    expect(wasm.stats()).toMatchObject({ liveBytes: 0, liveBuffers: 0 });
  });

  it('rejects a double free', () => {
    const wasm = createWasmBackendSync();
    const a = wasm.alloc('float32', 8);
    wasm.free(a);
    expect(() => wasm.free(a)).toThrow(/buffer was freed/);
  });
});

describe('leaks', () => {
  it('100,000 alloc / fill / op / free cycles leave the live bytes where they started', () => {
    const wasm = createWasmBackendSync();
    const start = wasm.stats();
    const r = rng(7);
    // a few long-lived buffers interleave with the short-lived ones, so frees happen out of order
    const keep: WasmBuffer[] = [];
    for (let i = 0; i < 100_000; i++) {
      const dtype = i % 2 === 0 ? 'float64' : 'float32';
      const n = 1 + Math.floor(r() * 257);
      const x = wasm.alloc(dtype, n);
      const y = wasm.alloc(dtype, n);
      wasm.fill(x, 0, n, 0.5);
      wasm.unary(UnaryOp.Sigmoid, y, 0, x, 0, n, 0, 0);
      wasm.binary(BinaryOp.Add, y, 0, y, 0, [1], x, 0, [1], [n]);
      if (i % 1000 === 0) keep.push(x);
      else wasm.free(x);
      if (keep.length > 5) wasm.free(keep.shift()!);
      wasm.free(y);
    }
    for (const b of keep) wasm.free(b);
    const end = wasm.stats();
    expect(end.liveBytes).toBe(start.liveBytes);
    expect(end.liveBuffers).toBe(start.liveBuffers);
    // and the heap did not creep: everything fits in a few MiB
    expect(end.capacityBytes).toBeLessThanOrEqual(8 * 1024 * 1024);
  });
});

describe('growth', () => {
  it('memory grows between two ops and the results stay right', () => {
    const wasm: WasmBackend = createWasmBackendSync({ initialBytes: 2 * 1024 * 1024 });
    const n = 1000;
    const a = wasm.alloc('float64', n);
    const b = wasm.alloc('float64', n);
    const av = wasm.view(a);
    const bv = wasm.view(b);
    for (let i = 0; i < n; i++) {
      av[i] = i;
      bv[i] = 2 * i + 1;
    }
    const sum = wasm.alloc('float64', n);
    wasm.binary(BinaryOp.Add, sum, 0, a, 0, [1], b, 0, [1], [n]);
    const capacity = wasm.stats().capacityBytes;

    // more than the whole current memory: must grow, which detaches every earlier view
    const big = wasm.alloc('float32', capacity / 2);
    expect(wasm.stats().capacityBytes).toBeGreaterThan(capacity);
    expect(av.byteLength).toBe(0);
    wasm.fill(big, 0, big.length, 1);

    const prod = wasm.alloc('float64', n);
    wasm.binary(BinaryOp.Mul, prod, 0, sum, 0, [1], a, 0, [1], [n]);
    const total = wasm.alloc('float64', 1);
    wasm.reduce(ReduceOp.Sum, total, 0, prod, 0, 1, n, 1);
    const pv = wasm.view(prod);
    for (let i = 0; i < n; i++) expect(pv[i]).toBe((3 * i + 1) * i);
    // Σ (3i² + i) for i < n
    expect(wasm.view(total)[0]).toBe(((n - 1) * n * (2 * n - 1)) / 2 + ((n - 1) * n) / 2);
    const bigView = wasm.view(big);
    expect(bigView[0] + bigView[bigView.length - 1]).toBe(2);
  });

  it('allocation failure is a RangeError naming the requested and available bytes', () => {
    const wasm = createWasmBackendSync({ initialBytes: 2 * 1024 * 1024, maxBytes: 8 * 1024 * 1024 });
    const keep = wasm.alloc('float64', 100_000); // 800 kB
    let error: unknown;
    try {
      wasm.alloc('float64', 1_000_000); // 8 MB: more than the limit leaves
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toMatch(/requested 8000000 bytes, at most \d+ bytes available/);
    // the failed request changed nothing: a fitting one still succeeds
    const ok = wasm.alloc('float64', 100_000);
    wasm.free(ok);
    wasm.free(keep);
    expect(wasm.stats().liveBytes).toBe(0);
  });
});
