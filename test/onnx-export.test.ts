// ONNX export, checked by running the exported model in ONNX Runtime (onnxruntime-web's wasm build,
// in Node): every hidden activation with every output, both dtypes, against predictProba
// (transposed: ONNX takes samples as rows). Tolerances, relative to max(1, |value|): float64 1e-14
// (measured ~1e-16), float32 1e-6 (measured ~1e-7): ONNX Runtime's own GEMM and activations round
// differently, and vecnet's relaxed-SIMD build fuses its multiply-adds.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import {
  array,
  type DType,
  LogisticRegression,
  loadModel,
  loadToyDataset,
  NeuralNetwork,
  oneHot,
  RandomState,
  saveModel,
} from '../src/index.js';
import type { Activation, OutputActivation } from '../src/nn/index.js';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

const HIDDEN: [Activation, number][] = [
  ['relu', 0.01],
  ['tanh', 0.01],
  ['sigmoid', 0.01],
  ['linear', 0.01],
  ['leakyRelu', 0.01],
  ['leakyRelu', 1.5],
];
const OUTPUTS: OutputActivation[] = ['sigmoid', 'softmax', 'linear'];

/** Runs the model bytes in ONNX Runtime on X (n_x, m); returns Y [m, n_y] and its dims. */
async function runOnnx(bytes: Uint8Array, X: ReturnType<typeof array>, dtype: DType) {
  const session = await ort.InferenceSession.create(bytes);
  expect(session.inputNames).toEqual(['X']);
  expect(session.outputNames).toEqual(['Y']);
  const rows = X.T.copy();
  const data = dtype === 'float32' ? Float32Array.from(rows.data) : Float64Array.from(rows.data);
  const out = await session.run({ X: new ort.Tensor(dtype, data, [X.shape[1], X.shape[0]]) });
  return out.Y;
}

describe.each(['float64', 'float32'] as const)('toONNX in %s', (dtype) => {
  const tol = dtype === 'float64' ? 1e-14 : 1e-6;
  for (const output of OUTPUTS) {
    it.each(HIDDEN)(
      `hidden %s (slope %f), output ${output}: ONNX Runtime gives predictProba`,
      async (hidden, slope) => {
        const classes = output === 'softmax' ? 3 : 1;
        const net = new NeuralNetwork({
          layerDims: [4, 6, 5, classes],
          hidden,
          output,
          leakySlope: slope,
          dtype,
          init: 'he',
          seed: 5,
        });
        // a few steps, so the biases are not zero
        const rs = new RandomState(2);
        const m = 9;
        const X = array(rs.randnData(4 * m), { shape: [4, m], dtype });
        const labels = Array.from({ length: m }, (_, j) => j % classes);
        const Y =
          output === 'softmax'
            ? oneHot(labels, classes, { dtype })
            : array([labels.map((j) => j % 2)], { dtype });
        net.fit(X, Y, { iterations: 3, learningRate: 0.01 });
        const got = await runOnnx(net.toONNX(), X, dtype);
        expect(got.dims).toEqual([m, classes]);
        expect(got.type).toBe(dtype);
        const want = net.predictProba(X).T.copy().data;
        const values = got.data as Float32Array | Float64Array;
        for (let i = 0; i < want.length; i++) {
          if (!(Math.abs(values[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i])))) {
            expect.fail(`Y[${i}] = ${values[i]}, vecnet ${want[i]}`);
          }
        }
        net.dispose();
      },
    );
  }

  it('a logistic regression exports as one Gemm and a Sigmoid', async () => {
    const rs = new RandomState(4);
    const X = array(rs.randnData(3 * 6), { shape: [3, 6], dtype });
    const Y = array([[1, 0, 1, 1, 0, 0]], { dtype });
    const clf = new LogisticRegression({ dtype });
    clf.fit(X, Y, { iterations: 20, learningRate: 0.5 });
    const got = await runOnnx(clf.toONNX(), X, dtype);
    const want = clf.predictProba(X).data;
    (got.data as Float64Array).forEach((v, i) => {
      expect(Math.abs(v - want[i])).toBeLessThanOrEqual(tol); // probabilities: |value| <= 1
    });
    expect(() => new LogisticRegression().toONNX()).toThrow('call fit(X, Y) first');
  });
});

describe('vecnet export', () => {
  const work = mkdtempSync(join(tmpdir(), 'vecnet-onnx-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
    return { code, out, err };
  };

  it('writes a saved model as ONNX that ONNX Runtime runs to the model’s predictions', async () => {
    const { X, Y } = loadToyDataset('moons', { seed: 1 });
    const net = new NeuralNetwork({ layerDims: [2, 5, 1], hidden: 'leakyRelu', init: 'he' });
    net.fit(X, Y, { iterations: 50, learningRate: 0.3 });
    await saveModel(net, join(work, 'model.json'));
    const r = await run(
      'export',
      join(work, 'model.json'),
      '--format',
      'onnx',
      '-o',
      join(work, 'm', 'model.onnx'),
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^Wrote .*model\.onnx \(ONNX opset 13, \d+ bytes\): input "X" \[N, n_x\], output "Y" \[N, n_y\]\n$/,
    );
    const { model } = await loadModel(join(work, 'model.json'));
    const got = await runOnnx(new Uint8Array(readFileSync(join(work, 'm', 'model.onnx'))), X, 'float64');
    const want = model.predictProba(X).data;
    (got.data as Float64Array).forEach((v, i) => {
      expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-14);
    });
    const missing = await run('export', join(work, 'nope.json'), '-o', join(work, 'x.onnx'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('nope.json: no such file');
    const format = await run('export', join(work, 'model.json'), '--format', 'pb', '-o', 'x');
    expect(format.code).toBe(2);
    expect(format.err).toContain("argument 'pb' is invalid. Allowed choices are onnx.");
  });
});
