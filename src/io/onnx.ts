// ONNX export: a dense network as an ONNX model (a protobuf ModelProto; pbf writes the wire format,
// the few messages it needs are written here by their field numbers from onnx.proto).
//
// The graph takes "X" of shape [N, n_x] (samples as rows, the convention of ONNX runtimes) and
// gives "Y" of shape [N, n_y]. Layer l is Gemm(H, W_l, b_l) with transB = 1 (H·W_lᵀ + b_l, W_l
// stored as vecnet holds it, (n_l, n_{l-1})), then its activation: Relu, Tanh, Sigmoid, nothing for
// linear, Softmax(axis 1) for a softmax output; leaky ReLU as Max(x, α·x) for 0 <= α <= 1 (ONNX
// Runtime has LeakyRelu in float32 only) and Where(x > 0, x, α·x) otherwise. Opset 13, float32 or
// float64 throughout.

import { PbfWriter } from 'pbf';

/** The ONNX opset the exported graphs use. */
export const ONNX_OPSET = 13;
/** The IR version that goes with opset 13. */
const IR_VERSION = 7;

/** What an ONNX export needs: the architecture and the parameters in vecnet's layout. */
export interface OnnxNetwork {
  layerDims: readonly number[];
  hidden: 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'linear';
  output: 'sigmoid' | 'softmax' | 'linear';
  leakySlope: number;
  dtype: 'float32' | 'float64';
  /** W1, b1, W2, b2, … as C-order values: W[l] (n_l, n_{l-1}), b[l] (n_l). */
  parameters: ReadonlyMap<string, Float32Array | Float64Array>;
  producerVersion: string;
}

// onnx.proto's TensorProto.DataType and AttributeProto.AttributeType values
const FLOAT = 1;
const DOUBLE = 11;
const ATTR_INT = 2;

type Writer = PbfWriter;

const str = (w: Writer, field: number, s: string) => w.writeStringField(field, s);
const int = (w: Writer, field: number, n: number) => w.writeVarintField(field, n);
/** A nested message: field, then its length-delimited body written by `body`. */
function message(w: Writer, field: number, body: (w: Writer) => void): void {
  w.writeMessage(field, (_: undefined, inner: Writer) => body(inner), undefined);
}

interface Node {
  op: string;
  inputs: string[];
  output: string;
  /** integer attributes (the graph needs no others) */
  attributes?: { name: string; int: number }[];
}

function writeNode(w: Writer, node: Node, index: number): void {
  message(w, 1, (n) => {
    for (const i of node.inputs) str(n, 1, i);
    str(n, 2, node.output);
    str(n, 3, `${node.op}_${index}`);
    str(n, 4, node.op);
    for (const a of node.attributes ?? []) {
      message(n, 5, (m) => {
        str(m, 1, a.name);
        int(m, 3, a.int);
        int(m, 20, ATTR_INT);
      });
    }
  });
}

/** A TensorProto initializer with its values as little-endian raw_data. */
function writeInitializer(
  w: Writer,
  name: string,
  dims: number[],
  values: ArrayLike<number>,
  dtype: string,
): void {
  const f32 = dtype === 'float32';
  const bytes = new Uint8Array(values.length * (f32 ? 4 : 8));
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    if (f32) view.setFloat32(4 * i, values[i], true);
    else view.setFloat64(8 * i, values[i], true);
  }
  message(w, 5, (t) => {
    for (const d of dims) int(t, 1, d);
    int(t, 2, f32 ? FLOAT : DOUBLE);
    str(t, 8, name);
    t.writeBytesField(9, bytes);
  });
}

/** A graph input or output: a tensor of the dtype, shape [N, n]. */
function writeValueInfo(w: Writer, field: number, name: string, n: number, dtype: string): void {
  message(w, field, (v) => {
    str(v, 1, name);
    message(v, 2, (type) => {
      message(type, 1, (tensor) => {
        int(tensor, 1, dtype === 'float32' ? FLOAT : DOUBLE);
        message(tensor, 2, (shape) => {
          message(shape, 1, (d) => str(d, 2, 'N'));
          message(shape, 1, (d) => int(d, 1, n));
        });
      });
    });
  });
}

/** The nodes and the extra constants of one activation applied to `x`, its result named `out`. */
function activationNodes(
  act: OnnxNetwork['hidden'] | 'softmax',
  x: string,
  out: string,
  slope: string,
  slopeValue: number,
): Node[] {
  switch (act) {
    case 'relu':
      return [{ op: 'Relu', inputs: [x], output: out }];
    case 'tanh':
      return [{ op: 'Tanh', inputs: [x], output: out }];
    case 'sigmoid':
      return [{ op: 'Sigmoid', inputs: [x], output: out }];
    case 'softmax':
      return [{ op: 'Softmax', inputs: [x], output: out, attributes: [{ name: 'axis', int: 1 }] }];
    case 'linear':
      return [{ op: 'Identity', inputs: [x], output: out }];
    case 'leakyRelu': {
      const scaled = `${x}_scaled`;
      const mul: Node = { op: 'Mul', inputs: [x, slope], output: scaled };
      if (slopeValue >= 0 && slopeValue <= 1) return [mul, { op: 'Max', inputs: [x, scaled], output: out }];
      const positive = `${x}_positive`;
      return [
        mul,
        { op: 'Greater', inputs: [x, 'zero'], output: positive },
        { op: 'Where', inputs: [positive, x, scaled], output: out },
      ];
    }
  }
}

/**
 * The ONNX ModelProto bytes of a network (see the file comment for the graph).
 *
 * @example encodeOnnx(network).length // a few hundred bytes plus the weights
 */
export function encodeOnnx(net: OnnxNetwork): Uint8Array {
  const { layerDims, dtype } = net;
  const L = layerDims.length - 1;
  const nodes: Node[] = [];
  let h = 'X';
  for (let l = 1; l <= L; l++) {
    const z = `Z${l}`;
    nodes.push({
      op: 'Gemm',
      inputs: [h, `W${l}`, `b${l}`],
      output: z,
      attributes: [{ name: 'transB', int: 1 }],
    });
    const act = l < L ? net.hidden : net.output;
    const a = l === L ? 'Y' : `A${l}`;
    nodes.push(...activationNodes(act, z, a, 'leaky_slope', net.leakySlope));
    h = a;
  }
  const usesSlope = nodes.some((n) => n.inputs.includes('leaky_slope'));
  const usesZero = nodes.some((n) => n.inputs.includes('zero'));
  const w = new PbfWriter();
  int(w, 1, IR_VERSION);
  str(w, 2, 'vecnet');
  str(w, 3, net.producerVersion);
  message(w, 7, (g) => {
    nodes.forEach((node, i) => {
      writeNode(g, node, i);
    });
    str(g, 2, 'vecnet');
    for (let l = 1; l <= L; l++) {
      const W = net.parameters.get(`W${l}`);
      const b = net.parameters.get(`b${l}`);
      if (!W || !b) throw new TypeError(`encodeOnnx: parameters has no W${l} or b${l}`);
      writeInitializer(g, `W${l}`, [layerDims[l], layerDims[l - 1]], W, dtype);
      writeInitializer(g, `b${l}`, [layerDims[l]], b, dtype);
    }
    if (usesSlope) writeInitializer(g, 'leaky_slope', [], [net.leakySlope], dtype);
    if (usesZero) writeInitializer(g, 'zero', [], [0], dtype);
    str(g, 10, `vecnet ${net.layerDims.join('-')} ${net.hidden} → ${net.output}; X [N, n_x] → Y [N, n_y]`);
    writeValueInfo(g, 11, 'X', layerDims[0], dtype);
    writeValueInfo(g, 12, 'Y', layerDims[L], dtype);
  });
  message(w, 8, (o) => {
    str(o, 1, '');
    int(o, 2, ONNX_OPSET);
  });
  return w.finish();
}
