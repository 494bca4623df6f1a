// `vecnet/course`'s course-2 functions against NumPy (test/fixtures/gen_course2.py runs the
// notebooks' own code): every function on every backend, arrays to 1e-12 relative plus 1e-14
// absolute; the initialisers and the mini-batches' columns bit for bit (they only draw and copy).
import { describe, expect, it } from 'vitest';
import * as course from '../src/course/index.js';
import { NDArray } from '../src/index.js';
import fixture from './fixtures/course2.json' with { type: 'json' };
import { BACKENDS, onBackend } from './helpers/backends.js';

interface Arr {
  shape: number[];
  values: number[];
}
type Dict = Record<string, NDArray>;

const isArr = (x: unknown): x is Arr => typeof x === 'object' && x !== null && 'shape' in x && 'values' in x;
const arr = (a: Arr) => course.np.reshape(course.np.array(a.values), a.shape);
const dict = (d: Record<string, Arr>): Dict =>
  Object.fromEntries(Object.entries(d).map(([k, v]) => [k, arr(v)]));

function expectArr(got: unknown, want: Arr, path: string, rtol = 1e-12, atol = 1e-14): void {
  expect(got, path).toBeInstanceOf(NDArray);
  const g = got as NDArray;
  expect(g.shape, `${path} shape`).toEqual(want.shape);
  const data = g.data;
  want.values.forEach((w, i) => {
    if (!(Math.abs(data[i] - w) <= atol + rtol * Math.abs(w)))
      expect.fail(`${path}[${i}] = ${data[i]}, NumPy ${w}`);
  });
}

function expectDict(got: Dict, want: Record<string, Arr | unknown>, path: string, rtol?: number): void {
  for (const [k, w] of Object.entries(want)) if (isArr(w)) expectArr(got[k], w, `${path}.${k}`, rtol);
}

describe.each(BACKENDS)('course 2 on %s', (backend) => {
  const run = <T>(fn: () => T) => onBackend(backend, fn);

  it('random_mini_batches: the notebook’s shuffle and cut, column for column', () =>
    run(() => {
      const f = fixture.random_mini_batches;
      const batches = course.random_mini_batches(arr(f.X), arr(f.Y), f.mini_batch_size, f.seed);
      expect(batches.map(([x]) => x.shape[1])).toEqual([64, 64, 20]);
      batches.forEach(([x, y], k) => {
        expectArr(x, f.batches[k][0] as Arr, `batch ${k} X`, 0, 0);
        expectArr(y, f.batches[k][1] as Arr, `batch ${k} Y`, 0, 0);
      });
      expect(() => course.random_mini_batches(arr(f.X), [[1, 0]], 64)).toThrow('must share m');
      expect(() => course.random_mini_batches(arr(f.X), arr(f.Y), 0)).toThrow(
        'mini_batch_size must be a positive integer',
      );
    }));

  it('initialize_velocity, update_parameters_with_momentum', () =>
    run(() => {
      const f = fixture.momentum;
      const params = dict(f.parameters);
      const v0 = course.initialize_velocity(params);
      expect(Object.keys(v0).sort()).toEqual(['dW1', 'dW2', 'db1', 'db2']);
      expect(v0.dW2.shape).toEqual([3, 3]);
      expect(Array.from(v0.dW2.data).every((x) => x === 0)).toBe(true);
      const [p, v] = course.update_parameters_with_momentum(
        params,
        dict(f.grads),
        dict(f.v),
        f.beta,
        f.learning_rate,
      );
      expectDict(p, f.new_parameters, 'parameters');
      expectDict(v, f.new_v, 'v');
      expectDict(params, f.parameters, 'inputs unchanged', 0);
    }));

  it('initialize_adam, update_parameters_with_adam', () =>
    run(() => {
      const f = fixture.adam;
      const [v0, s0] = course.initialize_adam(dict(f.parameters));
      expect(Object.keys(v0).sort()).toEqual(Object.keys(s0).sort());
      const [p, v, s, vc, sc] = course.update_parameters_with_adam(
        dict(f.parameters),
        dict(f.grads),
        dict(f.v),
        dict(f.s),
        f.t,
        f.learning_rate,
      );
      expectDict(p, f.new_parameters, 'parameters');
      expectDict(v, f.new_v, 'v');
      expectDict(s, f.new_s, 's');
      expectDict(vc, f.v_corrected, 'v_corrected');
      expectDict(sc, f.s_corrected, 's_corrected');
      expect(() => course.update_parameters_with_adam(dict(f.parameters), dict(f.grads), v, s, 0)).toThrow(
        't must be a positive integer',
      );
      expect(() => course.update_parameters_with_adam(dict(f.parameters), {}, v, s, 1)).toThrow(
        "grads has no array 'dW1'",
      );
    }));

  it('update_lr, schedule_lr_decay', () => {
    for (const [lr0, e, rate, want] of fixture.update_lr) expect(course.update_lr(lr0, e, rate)).toBe(want);
    for (const [lr0, e, rate, interval, want] of fixture.schedule_lr_decay) {
      expect(course.schedule_lr_decay(lr0, e, rate, interval)).toBe(want);
    }
    expect(course.schedule_lr_decay(0.5, 2000, 0.3)).toBe(0.5 / (1 + 0.3 * 2));
  });

  it('initialize_parameters_he: NumPy’s weights bit for bit', () =>
    run(() => {
      const f = fixture.initialize_parameters_he;
      expectDict(course.initialize_parameters_he(f.layers_dims), f.parameters, 'parameters', 0);
    }));

  it('compute_cost_with_regularization, backward_propagation_with_regularization', () =>
    run(() => {
      const f = fixture.regularization;
      const params = dict(f.parameters);
      const [A3, cache] = course.course2.forward_propagation(arr(f.X), params);
      expectArr(A3, f.A3, 'A3');
      const cost = course.compute_cost_with_regularization(A3, arr(f.Y), params, f.lambd);
      expect(Math.abs(cost - f.cost)).toBeLessThan(1e-12 * Math.abs(f.cost));
      const grads = course.backward_propagation_with_regularization(arr(f.X), arr(f.Y), cache, f.grads_lambd);
      expectDict(grads, f.grads, 'grads');
    }));

  it('forward and backward propagation with dropout: the notebook’s masks (seed 1 on every call)', () =>
    run(() => {
      const f = fixture.dropout;
      const params = dict(f.parameters);
      const [A3, cache] = course.forward_propagation_with_dropout(arr(f.X), params, f.keep_prob);
      expectArr(A3, f.A3, 'A3');
      expectArr(cache[1], f.D1, 'D1', 0, 0);
      expectArr(cache[6], f.D2, 'D2', 0, 0);
      // the same masks again: the notebook reseeds np.random with 1 on every forward pass
      const [again] = course.forward_propagation_with_dropout(arr(f.X), params, f.keep_prob);
      expectArr(again, f.A3, 'A3 again');
      const grads = course.backward_propagation_with_dropout(arr(f.X), arr(f.Y), cache, f.grads_keep_prob);
      expectDict(grads, f.grads, 'grads');
    }));
});
