// Saving and loading models: the versioned, checksummed JSON format (format.ts) and the Node file
// helpers. saveModel/loadModel import node:fs lazily, so this module is safe to import in a browser.
export { decodeBase64, encodeBase64 } from './base64.js';
export { ModelFormatError } from './errors.js';
export {
  type Architecture,
  decodeModelFile,
  encodeModelFile,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelFile,
  type ModelMetadata,
  type ModelRecord,
  type Preprocessing,
  parseModelFile,
} from './format.js';
export {
  fromModelFile,
  type LoadedModel,
  type LoadOptions,
  loadLogisticRegression,
  loadModel,
  loadNeuralNetwork,
  logisticRegressionFromJSON,
  neuralNetworkFromJSON,
  parameterData,
  type SavableModel,
  saveModel,
  toModelFile,
} from './model.js';
export { sha256 } from './sha256.js';
