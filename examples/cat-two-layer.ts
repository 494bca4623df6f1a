/**
 * Course 1, week 4, part 2: "Deep Neural Network for Image Classification: Application" — the
 * two-layer model LINEAR -> RELU -> LINEAR -> SIGMOID with n_h = 7.
 *
 * Weights as the notebook's initialize_parameters (dnn_app_utils_v3): seed 1, randn * 0.01
 * (init `small`); learning rate 0.0075, 2500 iterations, the cost printed every 100.
 *
 * Run: npm run example -- cat-two-layer [train_catvnoncat.h5 test_catvnoncat.h5]
 *
 * Expected output (the notebook's values; not checked in CI since the .h5 files are not in the
 * repository; vecnet prints costs with 6 decimals):
 *
 *   Cost after iteration 0: 0.693050       (notebook: 0.6930497356599888)
 *   Cost after iteration 100: 0.646432     (notebook: 0.6464320953428849)
 *   Cost after iteration 200: 0.632514     (notebook: 0.6325140647912677)
 *   ...
 *   Cost after iteration 2499: 0.044215    (notebook: 0.04421498215868956)
 *   train accuracy: 1                      (notebook: 0.9999999999999998)
 *   test accuracy: 0.72
 */
import { NeuralNetwork, scale } from '../src/index.js';
import { loadCatData } from './_cat-data.js';

const { train, test } = await loadCatData(process.argv.slice(2));
const trainX = scale(train.X, 1 / 255);
const testX = scale(test.X, 1 / 255);
const nx = trainX.shape[0]; // 12288

const model = new NeuralNetwork({
  layerDims: [nx, 7, 1],
  hidden: 'relu',
  output: 'sigmoid',
  init: 'small',
  seed: 1,
});
model.fit(trainX, train.Y, { learningRate: 0.0075, iterations: 2500, printEvery: 100 });
console.log(`train accuracy: ${model.accuracy(trainX, train.Y)}`);
console.log(`test accuracy: ${model.accuracy(testX, test.Y)}`);
