// The bottom layer: the vocabulary every other layer shares. Element types (dtype.ts), shape
// arithmetic with NumPy's broadcasting rule and notation (shape.ts), every error class vecnet
// throws (errors.ts), the size limits it checks (limits.ts) and text made safe to print (text.ts).
// It imports nothing of vecnet.
export * from './dispose.js';
export * from './dtype.js';
export * from './env.js';
export * from './errors.js';
export * from './limits.js';
export * from './shape.js';
export * from './text.js';
export { VERSION } from './version.js';
