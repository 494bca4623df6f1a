// Random numbers: RandomState, a bit-exact port of NumPy's legacy generator (MT19937 with NumPy's
// seeding, doubles, polar Gaussian and its cache, integers, permutation and shuffle), with a
// correctly rounded log so Gaussians match glibc's NumPy. It may import core/ and ndarray/.
export { RandomState, type ShapeArgs } from './random-state.js';
