export { BinaryOp, ReduceOp, UnaryOp } from '../../assembly/ops.js';
