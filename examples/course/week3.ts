/**
 * Course 1, week 3, "Planar data classification with one hidden layer", as the notebook writes it,
 * with `vecnet/course`: the flower data set, `nn_model(X, Y, 4, 10000, true)` (it seeds np.random
 * with 3), then the accuracy of `predict`.
 *
 * Run: npm run example -- course/week3
 *
 * Expected output: the notebook's, which NumPy prints for the same code. The run is chaotic at this
 * learning rate: from about iteration 7000 the summation order of the products shows in the printed
 * digits (NumPy itself prints 0.220635, 0.219402, 0.218483 there with OpenBLAS; vecnet's backends
 * print 0.2206.., 0.2194.., 0.2185..), so the lines from 7000 on are compared to 1e-3.
 *
 *   The size of the input layer is: n_x = 2
 *   The size of the hidden layer is: n_h = 4
 *   The size of the output layer is: n_y = 1
 *   Cost after iteration 0: 0.693162
 *   Cost after iteration 1000: 0.258625
 *   Cost after iteration 2000: 0.239334
 *   Cost after iteration 3000: 0.230802
 *   Cost after iteration 4000: 0.225528
 *   Cost after iteration 5000: 0.221845
 *   Cost after iteration 6000: 0.219094
 *   Cost after iteration 7000: 0.220635
 *   Cost after iteration 8000: 0.219402
 *   Cost after iteration 9000: 0.218483
 *   Accuracy: 90%
 */
import { layer_sizes, nn_model, np, week3 } from '../../src/course-entry.js';
import { loadPlanarDataset } from '../../src/index.js';

const { X, Y } = loadPlanarDataset();
const [n_x, n_h, n_y] = layer_sizes(X, Y);
console.log(`The size of the input layer is: n_x = ${n_x}`);
console.log(`The size of the hidden layer is: n_h = ${n_h}`);
console.log(`The size of the output layer is: n_y = ${n_y}`);

const parameters = nn_model(X, Y, 4, 10000, true);
const predictions = week3.predict(parameters, X);
// float((np.dot(Y, predictions.T) + np.dot(1 - Y, 1 - predictions.T)) / float(Y.size) * 100)
const notPredicted = np.subtract(1, predictions) as typeof predictions;
const right = np.add(np.dot(Y, predictions.T), np.dot(np.subtract(1, Y), notPredicted.T));
console.log(`Accuracy: ${Math.trunc(((np.squeeze(right) as number) / Y.size) * 100)}%`);
