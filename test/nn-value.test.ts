// The scalar computation graph: the course's worked examples, and every op's forward and backward
// against closed forms and centred differences (1e-6 relative, as micrograd's own tests).
import { describe, expect, it } from 'vitest';
import { Value } from '../src/nn/index.js';

describe('Value', () => {
  it("redoes the course's J = 3(a + bc) example", () => {
    const a = new Value(5, 'a');
    const b = new Value(3, 'b');
    const c = new Value(2, 'c');
    const u = b.mul(c); // u = bc = 6
    const v = a.add(u); // v = a + u = 11
    const J = v.mul(3); // J = 3v = 33
    expect([u.data, v.data, J.data]).toEqual([6, 11, 33]);
    J.backward();
    expect([v.grad, u.grad]).toEqual([3, 3]);
    expect([a.grad, b.grad, c.grad]).toEqual([3, 6, 9]); // dJ/db = 3c, dJ/dc = 3b
    J.backward(); // old gradients are cleared, not accumulated
    expect([a.grad, b.grad, c.grad]).toEqual([3, 6, 9]);
  });

  it('gives dz = a - y for logistic regression, and dw = x·dz', () => {
    for (const [x1, x2, w1, w2, bias, y] of [
      [1, 2, 0.5, -0.3, 0.1, 1],
      [-1.5, 0.7, 2, 1, -0.4, 0],
    ]) {
      const w = [new Value(w1), new Value(w2)];
      const b = new Value(bias);
      const z = w[0].mul(x1).add(w[1].mul(x2)).add(b);
      const a = z.sigmoid();
      // L(a, y) = -(y log a + (1 - y) log(1 - a))
      const L = a
        .log()
        .mul(y)
        .add(
          new Value(1)
            .sub(a)
            .log()
            .mul(1 - y),
        )
        .neg();
      L.backward();
      const dz = a.data - y;
      expect(z.grad).toBeCloseTo(dz, 14);
      expect(w[0].grad).toBeCloseTo(x1 * dz, 14);
      expect(w[1].grad).toBeCloseTo(x2 * dz, 14);
      expect(b.grad).toBeCloseTo(dz, 14);
    }
  });

  it('differentiates every op (against centred differences)', () => {
    const ops: [string, (x: Value, y: Value) => Value][] = [
      ['add', (x, y) => x.add(y)],
      ['sub', (x, y) => x.sub(y)],
      ['mul', (x, y) => x.mul(y)],
      ['div', (x, y) => x.div(y)],
      ['pow', (x) => x.pow(3)],
      ['exp', (x) => x.exp()],
      ['log', (x) => x.log()],
      ['tanh', (x) => x.tanh()],
      ['sigmoid', (x) => x.sigmoid()],
      ['relu', (x) => x.relu()],
      ['neg', (x) => x.neg()],
      ['composite', (x, y) => x.mul(y).tanh().add(x.div(y).exp()).sigmoid().log()],
    ];
    const h = 1e-6;
    for (const [name, f] of ops) {
      for (const [x0, y0] of [
        [0.7, 1.3],
        [2.1, -0.6],
      ]) {
        const x = new Value(x0);
        const y = new Value(y0);
        const out = f(x, y);
        out.backward();
        const fx = (dx: number, dy: number) => f(new Value(x0 + dx), new Value(y0 + dy)).data;
        const gx = (fx(h, 0) - fx(-h, 0)) / (2 * h);
        const gy = (fx(0, h) - fx(0, -h)) / (2 * h);
        expect(Math.abs(x.grad - gx), `${name} d/dx at ${x0}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(gx)));
        if (name !== 'pow' && name !== 'exp' && name !== 'log' && name !== 'tanh' && name !== 'neg') {
          expect(Math.abs(y.grad - gy), `${name} d/dy`).toBeLessThan(1e-6 * Math.max(1, Math.abs(gy)));
        }
      }
    }
  });

  it('accumulates through shared nodes and handles deep graphs', () => {
    const x = new Value(3);
    const y = x.mul(x).add(x); // x² + x
    y.backward();
    expect(x.grad).toBe(7);
    let v = new Value(1);
    const leaf = v;
    for (let i = 0; i < 20000; i++) v = v.add(1); // no recursion: no stack overflow
    v.backward();
    expect(leaf.grad).toBe(1);
    expect(new Value(-800).sigmoid().data).toBe(0); // no overflow
    expect(new Value(800).sigmoid().data).toBe(1);
    expect(String(new Value(2, 'w'))).toBe('Value(w=2, grad=0)');
    expect(() => new Value('1' as never)).toThrow('Value: data must be a number, got string');
  });
});
