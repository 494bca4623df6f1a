/**
 * Course 1, week 4, "Deep Neural Network for Image Classification: Application", as the notebook
 * writes it, with `vecnet/course`: `L_layer_model` on the cat pictures with layers_dims
 * [12288, 20, 7, 5, 1], learning rate 0.0075, 2500 iterations, then `predict` on both sets.
 *
 * Run: npm run example -- course/week4 [train_catvnoncat.h5 test_catvnoncat.h5]
 *
 * The notebook prints the lines below. The cat files are not in this repository, so this script's
 * output is not checked in CI; test/course.test.ts checks the same functions against NumPy on seeded
 * data, on every backend.
 *
 *   Cost after iteration 0: 0.7717493284237686
 *   Cost after iteration 100: 0.6720534400822914
 *   ...
 *   Cost after iteration 2499: 0.08843994344170202
 *   Accuracy: 0.9856459330143539
 *   Accuracy: 0.8
 */
import { L_layer_model, np, predict } from '../../src/course-entry.js';
import { loadCatData } from '../_cat-data.js';

const { train, test } = await loadCatData(process.argv.slice(2));
const train_x = np.divide(train.X, 255);
const test_x = np.divide(test.X, 255);
const layers_dims = [12288, 20, 7, 5, 1];

const [parameters, costs] = L_layer_model(train_x, train.Y, layers_dims, 0.0075, 2500, true);
console.log(`costs recorded: ${costs.length}`);
predict(train_x, train.Y, parameters);
predict(test_x, test.Y, parameters);
