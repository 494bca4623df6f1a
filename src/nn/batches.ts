// Mini-batches as the course's random_mini_batches cuts them: per epoch, `np.random.seed(seed)`, a
// permutation of the m columns from `np.random.permutation(m)`, X and Y shuffled by it, then
// ⌊m / size⌋ complete batches of `size` columns and one partial batch of the rest. The shuffled
// columns are gathered once per epoch into arrays allocated once, stored batch after batch, each
// batch a contiguous (rows, batch) block that the training plan reads in place.
import type { Backend, Buffer } from '../backend/index.js';
import { NDArray, untracked } from '../ndarray/index.js';
import { RandomState } from '../random/index.js';

export class MiniBatches {
  /** Number of batches per epoch. */
  readonly count: number;
  readonly m: number;
  private readonly xs: NDArray;
  private readonly ys: NDArray;
  private readonly order: Float64Array;
  /** the permutation as element offsets of the source columns, in the backend (float64) */
  private readonly offsets: NDArray;
  private readonly rng = new RandomState(0);
  private readonly engine: Backend;

  constructor(
    private readonly X: NDArray,
    private readonly Y: NDArray,
    readonly size: number,
  ) {
    this.m = X.shape[1];
    this.count = Math.ceil(this.m / size);
    this.engine = X.engine;
    this.xs = untracked(() => NDArray.alloc([...X.shape], X.dtype, X.engine));
    this.ys = untracked(() => NDArray.alloc([...Y.shape], Y.dtype, Y.engine));
    this.order = new Float64Array(this.m);
    this.offsets = untracked(() => NDArray.alloc([this.m], 'float64', X.engine));
  }

  /** Bytes the shuffled copies take. */
  static bytesFor(X: NDArray, Y: NDArray): number {
    return (X.size + Y.size) * (X.dtype === 'float32' ? 4 : 8) + 8 * X.shape[1];
  }

  /** Columns of batch k. */
  columns(k: number): number {
    return Math.min(this.size, this.m - k * this.size);
  }

  /** The shuffled X and Y and the element offsets of batch k's blocks in them. */
  get xBuffer(): Buffer {
    return this.xs.storage.buffer;
  }
  get yBuffer(): Buffer {
    return this.ys.storage.buffer;
  }
  xOffset(k: number): number {
    return k * this.size * this.X.shape[0];
  }
  yOffset(k: number): number {
    return k * this.size * this.Y.shape[0];
  }

  /** Shuffles the columns as `np.random.seed(seed); np.random.permutation(m)` orders them. */
  shuffle(seed: number): void {
    const order = this.order;
    for (let i = 0; i < this.m; i++) order[i] = i;
    this.rng.seed(seed);
    this.rng.shuffleData(order);
    this.gather(this.X, this.xs);
    this.gather(this.Y, this.ys);
  }

  /** out's batch blocks from the columns of `from` in the shuffled order (Backend.gatherColumns). */
  private gather(from: NDArray, out: NDArray): void {
    const e = this.engine;
    const [rows] = from.shape;
    const [rs, cs] = from.strides;
    const offsets = this.offsets.storage.buffer;
    const view = e.view(offsets);
    for (let j = 0; j < this.m; j++) view[j] = from.offset + this.order[j] * cs;
    e.gatherColumns(out.storage.buffer, 0, from.storage.buffer, 0, offsets, 0, rows, rs, this.m, this.size);
  }

  dispose(): void {
    this.xs.dispose();
    this.ys.dispose();
    this.offsets.dispose();
  }
}
