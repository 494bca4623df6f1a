/**
 * Course 1, week 3: "Planar data classification with one hidden layer".
 *
 * The flower data set, a logistic-regression baseline, the [2, 4, 1] tanh network (learning rate
 * 1.2, 10,000 iterations, init `small` from seed 2 as the notebook's initialize_parameters), and the
 * hidden-layer-size sweep (5,000 iterations each, re-seeded for every size).
 *
 * Run: npm run example -- planar        (the pictures: `vecnet train` writes out/*.svg)
 *
 * The notebook fits its baseline with sklearn's LogisticRegressionCV; here it is the course's own
 * gradient-descent logistic regression (w = 0, learning rate 1.2), which ends at the same 47 %.
 *
 * Expected output (wasm backend, float64). Late costs depend on summation order in their last digits:
 * the run is chaotic near iteration 8000, where the notebook prints 0.219471 and 0.218612, and its
 * sweep ends 90.0 % (20 units) and 90.25 % (50 units):
 *
 *   The shape of X is: (2, 400)
 *   The shape of Y is: (1, 400)
 *   I have m = 400 training examples!
 *   Accuracy of logistic regression: 47 % (percentage of correctly labelled datapoints)
 *   Cost after iteration 0: 0.693048
 *   Cost after iteration 1000: 0.288083
 *   Cost after iteration 2000: 0.254385
 *   Cost after iteration 3000: 0.233864
 *   Cost after iteration 4000: 0.226792
 *   Cost after iteration 5000: 0.222644
 *   Cost after iteration 6000: 0.219731
 *   Cost after iteration 7000: 0.217504
 *   Cost after iteration 8000: 0.219421
 *   Cost after iteration 9000: 0.218548
 *   Cost after iteration 9999: 0.217904
 *   Accuracy: 90 %
 *   Accuracy for 1 hidden units: 67.5 %
 *   Accuracy for 2 hidden units: 67.25 %
 *   Accuracy for 3 hidden units: 90.75 %
 *   Accuracy for 4 hidden units: 90.5 %
 *   Accuracy for 5 hidden units: 91.25 %
 *   Accuracy for 20 hidden units: 90.5 %
 *   Accuracy for 50 hidden units: 90.75 %
 */
import { LogisticRegression, loadPlanarDataset, NeuralNetwork } from '../src/index.js';

const { X, Y } = loadPlanarDataset();
console.log(`The shape of X is: (${X.shape.join(', ')})`);
console.log(`The shape of Y is: (${Y.shape.join(', ')})`);
console.log(`I have m = ${X.shape[1]} training examples!`);

// the baseline: a linear decision boundary cannot separate the petals
const clf = new LogisticRegression();
clf.fit(X, Y, { learningRate: 1.2, iterations: 10000 });
console.log(
  `Accuracy of logistic regression: ${Math.round(clf.accuracy(X, Y) * 100)} % (percentage of correctly labelled datapoints)`,
);

// nn_model(X, Y, n_h = 4, num_iterations = 10000, print_cost = True)
const net = new NeuralNetwork({
  layerDims: [2, 4, 1],
  hidden: 'tanh',
  output: 'sigmoid',
  init: 'small',
  seed: 2,
});
net.fit(X, Y, { learningRate: 1.2, iterations: 10000, printEvery: 1000 });
console.log(`Accuracy: ${Math.trunc(net.accuracy(X, Y) * 100)} %`); // the notebook's '%d'

// tuning the hidden layer size: the notebook's loop over n_h, 5000 iterations each
for (const nh of [1, 2, 3, 4, 5, 20, 50]) {
  const model = new NeuralNetwork({ layerDims: [2, nh, 1], hidden: 'tanh', init: 'small', seed: 2 });
  model.fit(X, Y, { learningRate: 1.2, iterations: 5000 });
  console.log(`Accuracy for ${nh} hidden units: ${Number((model.accuracy(X, Y) * 100).toFixed(2))} %`);
  model.dispose();
}
