/**
 * Course 1, week 2, "Logistic Regression with a Neural Network mindset", as the notebook writes it,
 * with `vecnet/course`: the cat pictures flattened and scaled, then `model(...)` with learning rate
 * 0.005 for 2000 iterations.
 *
 * Run: npm run example -- course/week2 [train_catvnoncat.h5 test_catvnoncat.h5]
 *
 * The notebook prints the lines below. The cat files are not in this repository, so this script's
 * output is not checked in CI; test/course.test.ts checks the same functions against NumPy on seeded
 * data, on every backend.
 *
 *   Cost after iteration 0: 0.693147
 *   Cost after iteration 100: 0.584508
 *   ...
 *   Cost after iteration 1900: 0.140872
 *   train accuracy: 99.04306220095694 %
 *   test accuracy: 70.0 %
 */
import { model, np } from '../../src/course-entry.js';
import { loadCatData } from '../_cat-data.js';

const { train, test } = await loadCatData(process.argv.slice(2));
// train_set_x_orig.reshape(m, -1).T / 255: loadH5Dataset already flattened each picture in C order
const train_set_x = np.divide(train.X, 255);
const test_set_x = np.divide(test.X, 255);
const train_set_y = train.Y;
const test_set_y = test.Y;

const logistic_regression_model = model(train_set_x, train_set_y, test_set_x, test_set_y, 2000, 0.005, true);
console.log(`costs recorded: ${logistic_regression_model.costs.length}`);
