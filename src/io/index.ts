// The model file layer: vecnet's versioned, checksummed JSON format as pure data (format.ts: a
// ModelRecord of plain parameter arrays in, a ModelFile document out, and back, every field checked;
// metadata.ts: the facts stored beside the weights), its helpers (base64, sha256, json-guard), and the
// Node file access (files.ts); and the ONNX export of a network (onnx.ts). It knows no model class: the models of nn/ turn themselves into
// records. It may import core/ only.
export { decodeBase64, encodeBase64 } from './base64.js';
export { readModelFile, writeModelFile } from './files.js';
export {
  type Architecture,
  decodeModelFile,
  encodeModelFile,
  INLINE_WEIGHTS_MAX_BYTES,
  type InitName,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelFile,
  type ModelRecord,
  type ParameterRecord,
  parseModelFile,
  parseModelJson,
} from './format.js';
export type { ModelMetadata, Preprocessing } from './metadata.js';
export { encodeOnnx, ONNX_OPSET, type OnnxNetwork } from './onnx.js';
export { sha256 } from './sha256.js';
