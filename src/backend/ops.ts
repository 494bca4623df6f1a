export { BinaryOp, LossOp, ReduceOp, UnaryOp } from '../../assembly/ops.js';
