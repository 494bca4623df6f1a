// The playground's settings in the URL: parsing, presets and the round trip (plain Node, no browser).
import { describe, expect, it } from 'vitest';
import {
  configFromQuery,
  configToQuery,
  DATASETS,
  DEFAULT_CONFIG,
  PRESETS,
  parseHidden,
  withPreset,
} from '../../demo/config.js';

describe('playground config', () => {
  it('defaults to the course flower: 4 tanh units, small init, seed 2, learning rate 1.2, on wasm', () => {
    expect(configFromQuery('')).toEqual({
      dataset: 'flower',
      hidden: [4],
      activation: 'tanh',
      init: 'small',
      seed: 2,
      learningRate: 1.2,
      backend: 'wasm',
      dtype: 'float64',
      iterations: 10_000,
    });
  });

  it('round-trips through the query string for every data set', () => {
    for (const dataset of DATASETS) {
      const config = {
        ...withPreset(DEFAULT_CONFIG, dataset),
        backend: 'loop' as const,
        dtype: 'float32' as const,
      };
      expect(configFromQuery(configToQuery(config))).toEqual(config);
    }
  });

  it("takes a data set's preset, then the query's overrides", () => {
    const config = configFromQuery('?dataset=spiral&lr=0.1&backend=vectorized&iterations=0');
    expect(config).toMatchObject({
      ...PRESETS.spiral,
      learningRate: 0.1,
      backend: 'vectorized',
      iterations: 0,
    });
  });

  it('ignores invalid values instead of failing', () => {
    const config = configFromQuery(
      '?dataset=nope&hidden=0,x&activation=softmax&lr=-1&seed=1.5&backend=gpu&dtype=int8',
    );
    expect(config).toEqual(DEFAULT_CONFIG);
  });

  it('parses hidden layer sizes', () => {
    expect(parseHidden('4')).toEqual([4]);
    expect(parseHidden(' 8, 8 ')).toEqual([8, 8]);
    expect(parseHidden('16 16 4')).toEqual([16, 16, 4]);
    for (const bad of ['', '0', '2.5', '-3', 'a', '257', '1,1,1,1,1,1,1'])
      expect(parseHidden(bad)).toBeUndefined();
  });
});
