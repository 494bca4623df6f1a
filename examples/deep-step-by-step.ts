/**
 * Course 1, week 4, part 1: "Building your Deep Neural Network: Step by Step".
 *
 * Every helper of the notebook, called on the notebook's test cases (testCases_v4a: each one seeds
 * NumPy and draws its arrays with `randn` in argument order; vecnet's RandomState draws the same
 * numbers), printing what the notebook prints.
 *
 * Run: npm run example -- deep-step-by-step
 *
 * Expected output (identical to NumPy's, checked with test/fixtures-style NumPy code; 8 decimals):
 *
 *   initialize_parameters(3, 2, 1)
 *   W1 = [0.01624345 -0.00611756 -0.00528172] [-0.01072969 0.00865408 -0.02301539]
 *   W2 = [0.01744812 -0.00761207]
 *   initialize_parameters_deep([5, 4, 3])
 *   W1 = [0.01788628 0.00436510 0.00096497 -0.01863493 -0.00277388] [-0.00354759 -0.00082741 -0.00627001 -0.00043818 -0.00477218] [-0.01313865 0.00884622 0.00881318 0.01709573 0.00050034] [-0.00404677 -0.00545360 -0.01546477 0.00982367 -0.01101068]
 *   W2 = [-0.01185047 -0.00205650 0.01486148 0.00236716] [-0.01023785 -0.00712993 0.00625245 -0.00160513] [-0.00768836 -0.00230031 0.00745056 0.01976111]
 *   linear_forward
 *   Z = [3.26295337 -1.23429987]
 *   linear_activation_forward
 *   A (sigmoid) = [0.96890023 0.11013289]
 *   A (relu) = [3.43896131 0.00000000]
 *   L_model_forward
 *   AL = [0.03921668 0.70498921 0.19734387 0.04728177]
 *   compute_cost
 *   cost = 0.2797765635793422
 *   linear_backward
 *   dA_prev = [-1.15171336 0.06718465 -0.32046960 2.09812712] [0.60345879 -3.72508701 5.81700741 -3.84326836] [-0.43195520 -1.30987417 1.72354705 0.05070578] [-0.38981415 0.60811244 -1.25938424 1.47191593] [-2.52214926 2.67882552 -0.67947465 1.48119548]
 *   dW = [0.07313866 -0.09767150 -0.87585828 0.73763362 0.00785716] [0.85508818 0.37530413 -0.59912655 0.71278189 -0.58931808] [0.97913304 -0.24376494 -0.08839671 0.55151192 -0.10290907]
 *   db = [-0.14713786] [-0.11313155] [-0.13209101]
 *   linear_activation_backward
 *   dA_prev (sigmoid) = [0.11017994 0.01105339] [0.09466817 0.00949723] [-0.05743092 -0.00576154]
 *   dW (sigmoid) = [0.10266786 0.09778551 -0.01968084]
 *   db (sigmoid) = [-0.05729622]
 *   dA_prev (relu) = [0.44090989 0.00000000] [0.37883606 0.00000000] [-0.22982280 0.00000000]
 *   dW (relu) = [0.44513824 0.37371418 -0.10478989]
 *   db (relu) = [-0.20837892]
 *   L_model_backward
 *   dW1 = [0.41010002 0.07807203 0.13798444 0.10502167] [0.00000000 0.00000000 0.00000000 0.00000000] [0.05283652 0.01005865 0.01777766 0.01353080]
 *   db1 = [-0.22007063] [0.00000000] [-0.02835349]
 *   dA1 = [0.12913162 -0.44014127] [-0.14175655 0.48317296] [0.01663708 -0.05670698]
 *   update_parameters
 *   W1 = [-0.41766037 0.03154396 -2.12055268 1.61461376] [-1.69455768 -0.80786517 0.52649982 -1.18152259] [-0.93919099 -0.76688589 0.56680356 2.31911371]
 *   b1 = [-0.18159729] [-0.87444869] [0.52778567]
 *   W2 = [-0.63320415 -0.15509388 1.12481550]
 *   b2 = [-0.66344958]
 */
import {
  array,
  computeCost,
  initializeParameters,
  initializeParametersDeep,
  type LayerCache,
  linearActivationBackward,
  linearActivationForward,
  linearBackward,
  linearForward,
  modelBackward,
  modelForward,
  type NDArray,
  RandomState,
  updateParameters,
} from '../src/index.js';

/** Prints `name = [row] [row] ...` with 8 decimals (the notebook's NumPy print, on one line). */
function show(name: string, a: NDArray): void {
  const [rows, cols] = a.shape;
  const v = a.data;
  const out: string[] = [];
  for (let i = 0; i < rows; i++) {
    out.push(
      `[${Array.from(v.slice(i * cols, (i + 1) * cols), (x) => (x === 0 ? 0 : x).toFixed(8)).join(' ')}]`,
    );
  }
  console.log(`${name} = ${out.join(' ')}`);
}

console.log('initialize_parameters(3, 2, 1)');
const p1 = initializeParameters(3, 2, 1, { seed: 1 });
show('W1', p1.W1);
show('W2', p1.W2);

console.log('initialize_parameters_deep([5, 4, 3])');
const p2 = initializeParametersDeep([5, 4, 3], { seed: 3, init: 'small' });
show('W1', p2.W1);
show('W2', p2.W2);

{
  console.log('linear_forward');
  const rs = new RandomState(1);
  const [A, W, b] = [rs.randn(3, 2), rs.randn(1, 3), rs.randn(1, 1)];
  show('Z', linearForward(A, W, b).Z);
}
{
  console.log('linear_activation_forward');
  const rs = new RandomState(2);
  const [APrev, W, b] = [rs.randn(3, 2), rs.randn(1, 3), rs.randn(1, 1)];
  show('A (sigmoid)', linearActivationForward(APrev, W, b, 'sigmoid').A);
  show('A (relu)', linearActivationForward(APrev, W, b, 'relu').A);
}
{
  console.log('L_model_forward');
  const rs = new RandomState(6);
  const X = rs.randn(5, 4);
  const parameters = {
    W1: rs.randn(4, 5),
    b1: rs.randn(4, 1),
    W2: rs.randn(3, 4),
    b2: rs.randn(3, 1),
    W3: rs.randn(1, 3),
    b3: rs.randn(1, 1),
  };
  show('AL', modelForward(X, parameters, { hidden: 'relu' }).AL);
}

console.log('compute_cost');
console.log(`cost = ${computeCost(array([[0.8, 0.9, 0.4]]), array([[1, 1, 0]]))}`);

{
  console.log('linear_backward');
  const rs = new RandomState(1);
  const dZ = rs.randn(3, 4);
  const [APrev, W, b] = [rs.randn(5, 4), rs.randn(3, 5), rs.randn(3, 1)];
  const { dAPrev, dW, db } = linearBackward(dZ, { APrev, W, b });
  show('dA_prev', dAPrev);
  show('dW', dW);
  show('db', db);
}
{
  console.log('linear_activation_backward');
  const rs = new RandomState(2);
  const dA = rs.randn(1, 2);
  const [APrev, W, b, Z] = [rs.randn(3, 2), rs.randn(1, 3), rs.randn(1, 1), rs.randn(1, 2)];
  for (const activation of ['sigmoid', 'relu'] as const) {
    const cache: LayerCache = {
      linearCache: { APrev, W, b },
      activationCache: Z,
      activation,
      leakySlope: 0.01,
    };
    const g = linearActivationBackward(dA, cache, activation);
    show(`dA_prev (${activation})`, g.dAPrev);
    show(`dW (${activation})`, g.dW);
    show(`db (${activation})`, g.db);
  }
}
{
  console.log('L_model_backward');
  const rs = new RandomState(3);
  const AL = rs.randn(1, 2);
  const Y = array([[1, 0]]);
  const [A1, W1, b1, Z1] = [rs.randn(4, 2), rs.randn(3, 4), rs.randn(3, 1), rs.randn(3, 2)];
  const [A2, W2, b2, Z2] = [rs.randn(3, 2), rs.randn(1, 3), rs.randn(1, 1), rs.randn(1, 2)];
  const caches: LayerCache[] = [
    { linearCache: { APrev: A1, W: W1, b: b1 }, activationCache: Z1, activation: 'relu', leakySlope: 0.01 },
    {
      linearCache: { APrev: A2, W: W2, b: b2 },
      activationCache: Z2,
      activation: 'sigmoid',
      leakySlope: 0.01,
    },
  ];
  const grads = modelBackward(AL, Y, caches);
  show('dW1', grads.dW1);
  show('db1', grads.db1);
  show('dA1', grads.dA1);
}
{
  console.log('update_parameters');
  const rs = new RandomState(2);
  const parameters = { W1: rs.randn(3, 4), b1: rs.randn(3, 1), W2: rs.randn(1, 3), b2: rs.randn(1, 1) };
  const grads = { dW1: rs.randn(3, 4), db1: rs.randn(3, 1), dW2: rs.randn(1, 3), db2: rs.randn(1, 1) };
  const updated = updateParameters(parameters, grads, 0.1);
  show('W1', updated.W1);
  show('b1', updated.b1);
  show('W2', updated.W2);
  show('b2', updated.b2);
}
