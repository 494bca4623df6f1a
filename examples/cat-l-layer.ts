/**
 * Course 1, week 4, part 2: "Deep Neural Network for Image Classification: Application" — the
 * L-layer model [12288, 20, 7, 5, 1], [LINEAR -> RELU] x 3 -> LINEAR -> SIGMOID, and "test with your
 * own image".
 *
 * Weights as the notebook's initialize_parameters_deep (dnn_app_utils_v3): seed 1 once, then
 * randn(n_l, n_{l-1}) / sqrt(n_{l-1}) layer by layer (init `scaled`); learning rate 0.0075,
 * 2500 iterations. Saves the trained model to out/cat-model.json (vecnet's model format), which
 * `vecnet predict --model out/cat-model.json --image my_cat.jpg` also reads.
 *
 * Run: npm run example -- cat-l-layer [train_catvnoncat.h5 test_catvnoncat.h5] [--image my_cat.jpg]
 *
 * Expected output (the notebook's values; not checked in CI since the .h5 files are not in the
 * repository; vecnet prints costs with 6 decimals):
 *
 *   Cost after iteration 0: 0.771749       (notebook: 0.7717493284237686)
 *   Cost after iteration 100: 0.672053     (notebook: 0.6720534400822914)
 *   Cost after iteration 200: 0.648263     (notebook: 0.6482632048575212)
 *   ...
 *   train accuracy: 0.985645933014         (notebook: 0.9856459330143539)
 *   test accuracy: 0.8
 *   saved out/cat-model.json
 *   my_cat.jpg: y = 1, the model predicts a "cat" picture (p = ...)      (with --image)
 */
import { loadImageColumn, NeuralNetwork, saveModel, scale } from '../src/index.js';
import { flag, loadCatData } from './_cat-data.js';

const args = process.argv.slice(2);
const { train, test } = await loadCatData(args);
const trainX = scale(train.X, 1 / 255);
const testX = scale(test.X, 1 / 255);
const layerDims = [trainX.shape[0], 20, 7, 5, 1];

const model = new NeuralNetwork({ layerDims, hidden: 'relu', output: 'sigmoid', init: 'scaled', seed: 1 });
model.fit(trainX, train.Y, { learningRate: 0.0075, iterations: 2500, printEvery: 100 });
console.log(`train accuracy: ${model.accuracy(trainX, train.Y)}`);
console.log(`test accuracy: ${model.accuracy(testX, test.Y)}`);

await saveModel(model, 'out/cat-model.json', {
  classes: train.classes,
  inputShape: train.exampleShape,
  preprocessing: { type: 'scale', factor: 1 / 255 },
});
console.log('saved out/cat-model.json');

// "Test with your own image": resize to 64x64x3, flatten, /255, predict
const image = flag(args, '--image');
if (image) {
  const [h, w] = train.exampleShape;
  const x = scale(await loadImageColumn(image, w, h), 1 / 255);
  const p = model.predictProba(x).get(0, 0);
  const label = p > 0.5 ? 1 : 0;
  console.log(
    `${image}: y = ${label}, the model predicts a "${train.classes[label] ?? label}" picture (p = ${p.toFixed(4)})`,
  );
}
