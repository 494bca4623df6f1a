import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogisticRegression, loadPlanarDataset, ModelFormatError, NeuralNetwork } from '../src/index.js';

describe('model save/load methods', () => {
  const { X, Y } = loadPlanarDataset();

  it('NeuralNetwork round-trips through save/load and toJSON/fromJSON bit for bit', async () => {
    const net = new NeuralNetwork({
      layerDims: [2, 4, 1],
      hidden: 'tanh',
      output: 'sigmoid',
      init: 'small',
      seed: 2,
    });
    net.fit(X, Y, { learningRate: 1.2, iterations: 50 });
    const path = join(mkdtempSync(join(tmpdir(), 'vecnet-')), 'net.json');
    await net.save(path);
    const loaded = await NeuralNetwork.load(path);
    expect(loaded.predictProba(X).data).toEqual(net.predictProba(X).data);
    const copy = NeuralNetwork.fromJSON(JSON.parse(JSON.stringify(net)));
    expect(copy.parameters.W1.data).toEqual(net.parameters.W1.data);
    const edited = JSON.parse(JSON.stringify(net));
    edited.model.layerDims[1] = 5;
    expect(() => NeuralNetwork.fromJSON(edited)).toThrow(ModelFormatError);
  });

  it('LogisticRegression round-trips too', async () => {
    const lr = new LogisticRegression();
    lr.fit(X, Y, { learningRate: 0.1, iterations: 20 });
    const path = join(mkdtempSync(join(tmpdir(), 'vecnet-')), 'lr.json');
    await lr.save(path);
    const loaded = await LogisticRegression.load(path);
    expect(loaded.predictProba(X).data).toEqual(lr.predictProba(X).data);
    expect(LogisticRegression.fromJSON(lr.toJSON()).parameters.w.data).toEqual(lr.parameters.w.data);
  });
});
