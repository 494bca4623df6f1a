// The bottom layer: the vocabulary every other layer shares. Element types (dtype.ts), shape
// arithmetic with NumPy's broadcasting rule and notation (shape.ts), and every error class vecnet
// throws (errors.ts). It imports nothing of vecnet.
export * from './dtype.js';
export * from './errors.js';
export * from './shape.js';
export { VERSION } from './version.js';
