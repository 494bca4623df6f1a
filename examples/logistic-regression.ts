/**
 * Course 1, week 2: "Logistic Regression with a Neural Network mindset" — cat vs non-cat.
 *
 * Loads the course's .h5 files, prints their shapes, flattens and scales the images (/255), trains
 * logistic regression from w = 0, b = 0 with learning rate 0.005 for 2000 iterations, and prints the
 * train and test accuracy, then the notebook's learning-rate comparison.
 *
 * Run: npm run example -- logistic-regression [train_catvnoncat.h5 test_catvnoncat.h5]
 *      (default paths: datasets/*.h5; the example says where to get them when missing)
 *
 * Expected output (the notebook's values; vecnet computes the same float64 arithmetic, so the costs
 * agree to the printed digits — the files are not in this repository, so this is not checked in CI):
 *
 *   Number of training examples: m_train = 209
 *   Number of testing examples: m_test = 50
 *   Height/Width of each image: num_px = 64
 *   Each image is of size: (64, 64, 3)
 *   train_set_x shape: (209, 64, 64, 3)
 *   train_set_y shape: (1, 209)
 *   test_set_x shape: (50, 64, 64, 3)
 *   test_set_y shape: (1, 50)
 *   train_set_x_flatten shape: (12288, 209)
 *   test_set_x_flatten shape: (12288, 50)
 *   Cost after iteration 0: 0.693147
 *   Cost after iteration 100: 0.584508
 *   Cost after iteration 200: 0.466949
 *   ...
 *   Cost after iteration 1900: 0.140872
 *   Cost after iteration 1999: ...
 *   train accuracy: 99.04306220095694 %
 *   test accuracy: 70 %
 *   learning rate is: 0.01 / 0.001 / 0.0001, each with its train and test accuracy
 */
import { LogisticRegression, scale } from '../src/index.js';
import { loadCatData } from './_cat-data.js';

const { train, test } = await loadCatData(process.argv.slice(2));
const [num_px] = train.exampleShape;
const mTrain = train.X.shape[1];
const mTest = test.X.shape[1];
console.log(`Number of training examples: m_train = ${mTrain}`);
console.log(`Number of testing examples: m_test = ${mTest}`);
console.log(`Height/Width of each image: num_px = ${num_px}`);
console.log(`Each image is of size: (${train.exampleShape.join(', ')})`);
console.log(`train_set_x shape: (${[mTrain, ...train.exampleShape].join(', ')})`);
console.log(`train_set_y shape: (${train.Y.shape.join(', ')})`);
console.log(`test_set_x shape: (${[mTest, ...test.exampleShape].join(', ')})`);
console.log(`test_set_y shape: (${test.Y.shape.join(', ')})`);
// loadH5Dataset already flattened each image in C order: train_set_x_orig.reshape(m, -1).T
console.log(`train_set_x_flatten shape: (${train.X.shape.join(', ')})`);
console.log(`test_set_x_flatten shape: (${test.X.shape.join(', ')})`);

const trainX = scale(train.X, 1 / 255); // train_set_x_flatten / 255.
const testX = scale(test.X, 1 / 255);

const accuracy = (model: LogisticRegression, X = trainX, Y = train.Y) => 100 * model.accuracy(X, Y);
const model = new LogisticRegression();
model.fit(trainX, train.Y, { learningRate: 0.005, iterations: 2000, printEvery: 100 });
console.log(`train accuracy: ${accuracy(model)} %`);
console.log(`test accuracy: ${accuracy(model, testX, test.Y)} %`);

// "Choice of learning rate"
for (const lr of [0.01, 0.001, 0.0001]) {
  const m = new LogisticRegression();
  m.fit(trainX, train.Y, { learningRate: lr, iterations: 1500 });
  console.log(`learning rate is: ${lr}`);
  console.log(`train accuracy: ${accuracy(m)} %`);
  console.log(`test accuracy: ${accuracy(m, testX, test.Y)} %`);
  console.log('-------------------------------------------------------');
  m.dispose();
}
