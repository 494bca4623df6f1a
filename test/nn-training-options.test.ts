// fit beyond full-batch gradient descent, against NumPy (test/fixtures/gen_course2.py): shuffled
// mini-batches, momentum / RMSprop / Adam, learning-rate decay (per epoch and scheduled), L2,
// dropout and a softmax output, each a whole run whose per-epoch costs, learning rates and final
// parameters must match. Then validation data, early stopping, the options' checks and fitAsync.
// Tolerances: float64 costs and parameters 1e-9 relative (measured 2e-15 for the costs and 2e-14 for
// the parameters on every backend: the kernels sum in other orders than NumPy); float32 costs 1e-5
// relative to NumPy's float64 run (measured 4.6e-7: float32 rounding over a few hundred steps).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { array, type DType, tidy, zeros } from '../src/index.js';
import { NeuralNetwork, type OutputActivation, oneHot } from '../src/nn/index.js';
import { RandomState } from '../src/random/random-state.js';
import fixture from './fixtures/course2.json' with { type: 'json' };
import { BACKENDS, onBackend } from './helpers/backends.js';
import { expectClose } from './helpers/close.js';

interface Arr {
  shape: number[];
  values: number[];
}
interface RunSpec {
  layers_dims: number[];
  hidden: 'relu' | 'tanh';
  output?: OutputActivation;
  optimizer: 'gd' | 'momentum' | 'rmsprop' | 'adam';
  learning_rate: number;
  mini_batch_size?: number;
  epochs: number;
  decay_rate?: number;
  time_interval?: number;
  lambd?: number;
  keep_prob?: number;
}
const load = (a: Arr, dtype: DType = 'float64') =>
  array(Float64Array.from(a.values), { shape: a.shape, dtype });
const data = fixture.training;
const runs = data.runs as unknown as Record<
  string,
  { options: RunSpec; costs: number[]; learning_rates: number[]; parameters: Record<string, Arr> }
>;

/** The fixture's run as fit options of vecnet (the course's names mapped to vecnet's). */
function fitOptions(o: RunSpec) {
  return {
    optimizer: o.optimizer,
    learningRate: o.learning_rate,
    ...(o.mini_batch_size === undefined
      ? { iterations: o.epochs }
      : { epochs: o.epochs, miniBatchSize: o.mini_batch_size }),
    ...(o.decay_rate ? { decayRate: o.decay_rate } : {}),
    ...(o.time_interval ? { timeInterval: o.time_interval } : {}),
    ...(o.lambd ? { l2: o.lambd } : {}),
    ...(o.keep_prob ? { keepProb: o.keep_prob } : {}),
  };
}

function network(o: RunSpec, dtype: DType) {
  return new NeuralNetwork({
    layerDims: o.layers_dims,
    hidden: o.hidden,
    output: o.output ?? 'sigmoid',
    init: 'he',
    seed: 3,
    dtype,
  });
}

describe.each(BACKENDS)('training options on %s', (backend) => {
  const run = <T>(fn: () => T) => onBackend(backend, () => tidy(fn));

  describe.each(Object.keys(runs))('the NumPy run %s', (name) => {
    const r = runs[name];
    const labels = (r.options.output === 'softmax' ? data.Y_softmax : data.Y) as Arr;

    it('float64: every epoch’s cost and learning rate, and the final parameters, within 1e-9', () =>
      run(() => {
        const net = network(r.options, 'float64');
        const h = net.fit(load(data.X as Arr), load(labels), fitOptions(r.options));
        expectClose(h.costs, r.costs, { rtol: 1e-9 });
        expectClose(h.learningRates, r.learning_rates, { rtol: 1e-15 });
        for (const [key, want] of Object.entries(r.parameters)) {
          const got = net.parameters[key as `W${number}`];
          expect(got.shape).toEqual(want.shape);
          expectClose(got.data, want.values, { rtol: 1e-9, atol: 1e-12 });
        }
        net.dispose();
      }));

    it('float32: the cost history follows NumPy’s within 1e-5', () =>
      run(() => {
        const net = network(r.options, 'float32');
        const h = net.fit(load(data.X as Arr, 'float32'), load(labels, 'float32'), fitOptions(r.options));
        expectClose(h.costs, r.costs, { rtol: 1e-5 });
        net.dispose();
      }));
  });

  it('reports validation cost and accuracy per epoch, equal to cost() and accuracy() after it', () =>
    run(() => {
      const X = load(data.X as Arr);
      const Y = load(data.Y as Arr);
      const spec = { layerDims: [4, 5, 1], hidden: 'relu' as const, init: 'he' as const, seed: 3 };
      const net = new NeuralNetwork(spec);
      const Xv = X.cols(150, X.shape[1]);
      const Yv = Y.cols(150, X.shape[1]);
      const seen: number[] = [];
      const h = net.fit(X, Y, {
        optimizer: 'adam',
        learningRate: 0.01,
        epochs: 5,
        miniBatchSize: 32,
        validationData: [Xv, Yv],
        onIteration: (_e, _c, info) => {
          seen.push(info.validationCost as number);
        },
      });
      expect(h.validation?.costs).toHaveLength(5);
      expect(h.validation?.accuracies).toHaveLength(5);
      expect(seen).toEqual(h.validation?.costs);
      expect(h.validation?.costs[4]).toBeCloseTo(net.cost(Xv, Yv), 12);
      expect(h.validation?.accuracies[4]).toBe(net.accuracy(Xv, Yv));
      // validationSplit holds out the last columns: the same as passing them, training on the rest
      const a = new NeuralNetwork(spec);
      const b = new NeuralNetwork(spec);
      const m = X.shape[1];
      const mv = Math.floor(m * 0.25);
      const ha = a.fit(X, Y, { iterations: 20, learningRate: 0.1, validationSplit: 0.25 });
      const hb = b.fit(X.cols(0, m - mv), Y.cols(0, m - mv), {
        iterations: 20,
        learningRate: 0.1,
        validationData: [X.cols(m - mv, X.shape[1]), Y.cols(m - mv, X.shape[1])],
      });
      expect(ha.costs).toEqual(hb.costs);
      expect(ha.validation).toEqual(hb.validation);
      for (const n of [net, a, b]) n.dispose();
    }));

  it('stops early after `patience` epochs without improvement and restores the best parameters', () =>
    run(() => {
      const X = load(data.X as Arr);
      const Y = load(data.Y as Arr);
      const spec = { layerDims: [4, 5, 1], hidden: 'relu' as const, init: 'he' as const, seed: 3 };
      // a learning rate so large that the validation cost soon rises
      const net = new NeuralNetwork(spec);
      const h = net.fit(X, Y, {
        iterations: 200,
        learningRate: 5,
        validationSplit: 0.3,
        earlyStopping: { patience: 3 },
      });
      expect(h.stoppedBy).toBe('earlyStopping');
      const costs = h.validation?.costs as number[];
      const best = h.bestEpoch as number;
      expect(costs).toHaveLength(best + 4);
      expect(Math.min(...costs)).toBe(costs[best]);
      const m = X.shape[1];
      const mv = Math.floor(m * 0.3);
      expect(net.cost(X.cols(m - mv, X.shape[1]), Y.cols(m - mv, X.shape[1]))).toBeCloseTo(costs[best], 12);
      net.dispose();
    }));

  it('trains a softmax output on one-hot labels; predict gives class indices', () =>
    run(() => {
      const X = load(data.X as Arr);
      const Y = load(data.Y_softmax as Arr);
      const net = new NeuralNetwork({
        layerDims: [4, 8, 3],
        hidden: 'tanh',
        output: 'softmax',
        init: 'xavier',
      });
      net.fit(X, Y, { optimizer: 'adam', learningRate: 0.02, epochs: 60, miniBatchSize: 32 });
      const p = net.predict(X);
      expect(p.shape).toEqual([1, X.shape[1]]);
      expect(net.accuracy(X, Y)).toBeGreaterThan(0.9);
      const probs = net.predictProba(X);
      expectClose(probs.sum(0).data, new Float64Array(X.shape[1]).fill(1), { rtol: 1e-14 });
      expect(() => net.fit(X, zeros([3, X.shape[1]]))).toThrow(
        'NeuralNetwork.fit: Y must be one-hot (classes, m) for a softmax output (see oneHot): column 0 holds',
      );
      net.dispose();
    }));

  it('saves and loads a softmax network; vecnet predict refuses it with the reason', async () => {
    const X = onBackend(backend, () => load(data.X as Arr));
    const Y = onBackend(backend, () => load(data.Y_softmax as Arr));
    const net = onBackend(
      backend,
      () => new NeuralNetwork({ layerDims: [4, 5, 3], output: 'softmax', init: 'he' }),
    );
    net.fit(X, Y, { iterations: 5, learningRate: 0.1 });
    const dir = mkdtempSync(join(tmpdir(), 'vecnet-softmax-'));
    try {
      await net.save(join(dir, 'model.json'));
      const back = await NeuralNetwork.load(join(dir, 'model.json'), { backend });
      expect(back.output).toBe('softmax');
      expect(Array.from(back.predictProba(X).data)).toEqual(Array.from(net.predictProba(X).data));
      let err = '';
      const code = await main(['predict', '--model', join(dir, 'model.json'), '--dataset', 'moons'], {
        out: () => {},
        err: (s) => void (err += s),
      });
      expect(code).toBe(2);
      expect(err).toContain(
        'has a softmax output over 3 classes; vecnet predict scores models with one output unit',
      );
      back.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      for (const x of [net, X, Y]) x.dispose();
    }
  });

  it('checks the new options before any work', () =>
    run(() => {
      const X = load(data.X as Arr);
      const Y = load(data.Y as Arr);
      const net = new NeuralNetwork({ layerDims: [4, 3, 1] });
      const fitWith = (o: object) => () => net.fit(X, Y, o);
      expect(fitWith({ optimizer: 'sgd' })).toThrow(
        "NeuralNetwork.fit: optimizer must be one of 'gd', 'momentum', 'rmsprop', 'adam', got sgd",
      );
      expect(fitWith({ epochs: 2, iterations: 3 })).toThrow('iterations counts full-batch steps');
      expect(fitWith({ miniBatchSize: 0 })).toThrow('miniBatchSize must be a positive integer, got 0');
      expect(fitWith({ keepProb: 0 })).toThrow('keepProb must be a number in (0, 1], got 0');
      expect(fitWith({ l2: -0.1 })).toThrow('l2 must be a non-negative finite number, got -0.1');
      expect(fitWith({ beta1: 1 })).toThrow('beta1 must be a number in [0, 1), got 1');
      expect(fitWith({ validationSplit: 1 })).toThrow('validationSplit must be a number in (0, 1), got 1');
      expect(fitWith({ validationSplit: 0.001 })).toThrow('leaves 0 for validation');
      expect(fitWith({ validationData: [X] })).toThrow('validationData must be a pair [Xv, Yv]');
      expect(
        fitWith({ validationData: [array(X.data.subarray(0, 3 * 211), { shape: [3, 211] }), Y] }),
      ).toThrow('NeuralNetwork.fit: validationData: X has shape (3,211), so n_x = 3, but layerDims[0] is 4');
      expect(fitWith({ earlyStopping: { patience: 0 } })).toThrow(
        'earlyStopping.patience must be a positive integer',
      );
      expect(fitWith({ decayRate: -1 })).toThrow('decayRate must be a non-negative finite number');
      expect(fitWith({ timeInterval: 0 })).toThrow('timeInterval must be a positive integer');
      expect(net.planBytes).toBe(0);
      net.dispose();
    }));

  it('an AbortSignal stops mini-batch training between batches; onIteration gets every epoch', async () => {
    const r = runs.adam_minibatch;
    const net = onBackend(backend, () => network(r.options, 'float64'));
    const X = onBackend(backend, () => load(data.X as Arr));
    const Y = onBackend(backend, () => load(data.Y as Arr));
    const controller = new AbortController();
    const seen: number[] = [];
    const h = await net.fitAsync(X, Y, {
      ...fitOptions(r.options),
      yieldEveryMs: 0,
      signal: controller.signal,
      onIteration: (epoch, _cost, info) => {
        seen.push(epoch);
        expect(info.learningRate).toBe(0.01);
        if (epoch === 2) controller.abort();
      },
    });
    expect(h.stoppedBy).toBe('signal');
    expect(seen).toEqual([0, 1, 2]);
    expect(h.costs).toHaveLength(3);
    expectClose(h.costs, r.costs.slice(0, 3), { rtol: 1e-9 });
    for (const x of [net, X, Y]) x.dispose();
  });

  it('fitAsync runs the same mini-batch Adam run as fit', async () => {
    const r = runs.adam_minibatch;
    const [a, b] = onBackend(backend, () => [network(r.options, 'float64'), network(r.options, 'float64')]);
    const X = onBackend(backend, () => load(data.X as Arr));
    const Y = onBackend(backend, () => load(data.Y as Arr));
    const sync = a.fit(X, Y, fitOptions(r.options));
    const async = await b.fitAsync(X, Y, { ...fitOptions(r.options), yieldEveryMs: 0 });
    expect(async.costs).toEqual(sync.costs);
    for (const x of [a, b, X, Y]) x.dispose();
  });
});

describe('oneHot', () => {
  it('encodes class indices as columns; rejects what is not a class', () => {
    expect(oneHot([2, 0, 1], 3).toArray()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(oneHot(array([[1, 1]]), 2, { dtype: 'float32' }).dtype).toBe('float32');
    expect(() => oneHot([3], 3)).toThrow('oneHot: labels[0] is 3, not a class index in [0, 3)');
    expect(() => oneHot([0.5], 3)).toThrow('labels[0] is 0.5');
    expect(() =>
      oneHot(
        array([
          [1, 2],
          [0, 1],
        ]),
        3,
      ),
    ).toThrow('labels must have shape (m,), (1, m) or (m, 1)');
    expect(() => oneHot([0], 0)).toThrow('classes must be a positive integer');
  });

  it('equals a one-hot from NumPy-drawn labels', () => {
    const labels = Array.from(new RandomState(3).randintData(0, 4, 50));
    const y = oneHot(labels, 4);
    expect(y.shape).toEqual([4, 50]);
    expect(Array.from(y.argmax(0).data)).toEqual(labels);
  });
});
