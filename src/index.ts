// vecnet's public API: everything a user imports comes from here.

export * from './data/index.js';
export * from './io/index.js';
export * from './ndarray/index.js';
export * from './nn/index.js';
export { RandomState, type ShapeArgs } from './random/random-state.js';
