export { BinaryOp, LossOp, OptimizerOp, ReduceOp, UnaryOp } from '../../assembly/ops.js';
