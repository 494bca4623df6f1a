import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFormatError } from '../src/core/errors.js';
import { loadPlanarDataset } from '../src/data/planar.js';
import { LogisticRegression } from '../src/nn/logistic-regression.js';
import { fromModelFile, loadModel, parameterData, saveModel, toModelFile } from '../src/nn/model-file.js';
import { NeuralNetwork } from '../src/nn/neural-network.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vecnet-io-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (a: Float64Array | Float32Array) =>
  Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

function trainedNet(dtype: 'float64' | 'float32' = 'float64') {
  const { X, Y } = loadPlanarDataset({ dtype });
  const net = new NeuralNetwork({ layerDims: [2, 4, 1], hidden: 'tanh', init: 'small', seed: 2, dtype });
  net.fit(X, Y, { learningRate: 1.2, iterations: 300 });
  return { net, X, Y };
}

describe('saveModel / loadModel', () => {
  it('a trained NeuralNetwork round-trips bit for bit and predicts the same', async () => {
    const { net, X, Y } = trainedNet();
    const path = join(dir, 'net.json');
    await saveModel(net, path, { classes: ['red', 'blue'] });
    const { model, metadata, architecture } = await loadModel(path);
    expect(model).toBeInstanceOf(NeuralNetwork);
    expect(architecture).toEqual({
      type: 'NeuralNetwork',
      layerDims: [2, 4, 1],
      hidden: 'tanh',
      output: 'sigmoid',
      leakySlope: 0.01,
      init: 'small',
      seed: 2,
    });
    expect(metadata.classes).toEqual(['red', 'blue']);
    expect(metadata.createdBy).toMatch(/^vecnet /);
    const a = parameterData(net);
    const b = parameterData(model);
    expect(Object.keys(b)).toEqual(['W1', 'b1', 'W2', 'b2']);
    for (const k of Object.keys(a)) expect(bytes(b[k])).toEqual(bytes(a[k]));
    expect(Array.from(model.predictProba(X).data)).toEqual(Array.from(net.predictProba(X).data));
    expect(model.accuracy(X, Y)).toBe(net.accuracy(X, Y));
  });

  it('float32 networks and LogisticRegression round-trip exactly', async () => {
    const { net } = trainedNet('float32');
    const path = join(dir, 'net32.json');
    await saveModel(net, path);
    const back = (await loadModel(path)).model as NeuralNetwork;
    expect(back.dtype).toBe('float32');
    for (const [k, v] of Object.entries(parameterData(net)))
      expect(bytes(parameterData(back)[k])).toEqual(bytes(v));

    const { X, Y } = loadPlanarDataset();
    const lr = new LogisticRegression();
    lr.fit(X, Y, { learningRate: 0.5, iterations: 50 });
    const lrPath = join(dir, 'lr.json');
    await saveModel(lr, lrPath);
    const loaded = await loadModel(lrPath);
    expect(loaded.architecture).toEqual({ type: 'LogisticRegression', nx: 2 });
    const lr2 = loaded.model as LogisticRegression;
    expect(lr2).toBeInstanceOf(LogisticRegression);
    expect(bytes(lr2.parameters.w.data)).toEqual(bytes(lr.parameters.w.data));
    expect(bytes(lr2.parameters.b.data)).toEqual(bytes(lr.parameters.b.data));
    expect(Array.from(lr2.predictProba(X).data)).toEqual(Array.from(lr.predictProba(X).data));
  });

  it('toModelFile / fromModelFile work without a file system (JSON text or object)', () => {
    const { net } = trainedNet();
    const doc = toModelFile(net);
    const fromText = fromModelFile(JSON.stringify(doc)).model;
    const fromObject = fromModelFile(JSON.parse(JSON.stringify(doc))).model;
    for (const m of [fromText, fromObject]) {
      for (const [k, v] of Object.entries(parameterData(net)))
        expect(bytes(parameterData(m)[k])).toEqual(bytes(v));
    }
  });

  it('corrupt files give clear errors naming the file, and no model', async () => {
    const { net } = trainedNet();
    const path = join(dir, 'good.json');
    await saveModel(net, path);
    const text = readFileSync(path, 'utf8');
    const cases: [string, string, RegExp][] = [
      [
        'truncated.json',
        text.slice(0, Math.floor(text.length * 0.6)),
        /the file is truncated or is not JSON/,
      ],
      ['empty.json', '', /the file is empty/],
      ['edited.json', text.replace('"hidden": "tanh"', '"hidden": "relu"'), /checksum mismatch/],
      [
        'version.json',
        text.replace('"version": 1', '"version": 7'),
        /unsupported model format version 7 \(written by a newer vecnet\)/,
      ],
      ['foreign.json', '{"weights": [1, 2, 3]}', /not a vecnet model file/],
    ];
    // flip one bit inside W1's base64 data
    const at = text.indexOf('"data": "') + 12;
    const flipped = text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ 1) + text.slice(at + 1);
    cases.push(['bitflip.json', flipped, /checksum mismatch|not valid base64/]);
    for (const [name, content, pattern] of cases) {
      const p = join(dir, name);
      writeFileSync(p, content);
      const err = await loadModel(p).catch((e) => e);
      expect(err, name).toBeInstanceOf(ModelFormatError);
      expect(err.message.startsWith(`${p}: `), err.message).toBe(true);
      expect(err.message).toMatch(pattern);
    }
    const missing = await loadModel(join(dir, 'missing.json')).catch((e) => e);
    expect(missing.message).toBe(`${join(dir, 'missing.json')}: no such file`);
  });

  it('saving leaves no temporary file and overwrites atomically', async () => {
    const { net } = trainedNet();
    const path = join(dir, 'sub', 'model.json');
    await saveModel(net, path);
    await saveModel(net, path);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['model.json']);
    expect(() => toModelFile(new LogisticRegression())).toThrow('call fit(X, Y) first');
    const disposed = new NeuralNetwork({ layerDims: [2, 1] });
    disposed.dispose();
    expect(() => toModelFile(disposed)).toThrow('toModelFile: the model was disposed');
  });

  it('typed loaders (for NeuralNetwork.load / fromJSON) check the model type and free a wrong one', async () => {
    const { net } = trainedNet();
    const path = join(dir, 'typed.json');
    await saveModel(net, path);
    const loaded = await NeuralNetwork.load(path);
    expect(bytes(parameterData(loaded).W2)).toEqual(bytes(parameterData(net).W2));
    const copy = NeuralNetwork.fromJSON(JSON.parse(JSON.stringify(toModelFile(net))));
    expect(copy).toBeInstanceOf(NeuralNetwork);
    const wrong = await LogisticRegression.load(path).catch((e) => e);
    expect(wrong).toBeInstanceOf(ModelFormatError);
    expect(wrong.message).toBe(`${path}: holds a NeuralNetwork, not a LogisticRegression`);
    expect(() => LogisticRegression.fromJSON(toModelFile(net))).toThrow(
      'model JSON: holds a NeuralNetwork, not a LogisticRegression',
    );
  });
});
