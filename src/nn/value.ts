// A scalar computation graph with reverse-mode autodiff, micrograd style: each op builds its output
// and, right below, the closure that pushes the output's gradient back to its inputs. Enough to redo
// the course's computation-graph lessons (J = 3(a + bc); dz = a - y for logistic regression) and to
// check the vectorized backprop by hand.

/** A number or a Value; numbers become constant leaves. */
export type ValueLike = Value | number;

const lift = (x: ValueLike): Value => (x instanceof Value ? x : new Value(x));

/**
 * A scalar that remembers how it was computed. `backward()` fills `grad` of every value it depends on
 * with ∂(this)/∂(value).
 *
 * @example
 * const a = new Value(5, 'a'), b = new Value(3, 'b'), c = new Value(2, 'c');
 * const J = a.add(b.mul(c)).mul(3); // J = 3(a + bc) = 33
 * J.backward();
 * [a.grad, b.grad, c.grad];         // [3, 6, 9]
 */
export class Value {
  data: number;
  /** ∂(output)/∂(this) after the output's backward(); starts at 0. */
  grad = 0;
  readonly label: string;
  readonly op: string;
  readonly children: readonly Value[];
  private backwardStep: () => void = () => {};

  constructor(data: number, label = '', children: readonly Value[] = [], op = '') {
    if (typeof data !== 'number') throw new TypeError(`Value: data must be a number, got ${typeof data}`);
    this.data = data;
    this.label = label;
    this.children = children;
    this.op = op;
  }

  /** this + other. @example new Value(2).add(3).data // 5 */
  add(other: ValueLike): Value {
    const o = lift(other);
    const out = new Value(this.data + o.data, '', [this, o], '+');
    out.backwardStep = () => {
      this.grad += out.grad;
      o.grad += out.grad;
    };
    return out;
  }

  /** this · other. @example new Value(2).mul(3).data // 6 */
  mul(other: ValueLike): Value {
    const o = lift(other);
    const out = new Value(this.data * o.data, '', [this, o], '*');
    out.backwardStep = () => {
      this.grad += o.data * out.grad;
      o.grad += this.data * out.grad;
    };
    return out;
  }

  /** this^k for a constant exponent k. @example new Value(3).pow(2).data // 9 */
  pow(k: number): Value {
    const out = new Value(this.data ** k, '', [this], `**${k}`);
    out.backwardStep = () => {
      this.grad += k * this.data ** (k - 1) * out.grad;
    };
    return out;
  }

  /** e^this. @example new Value(0).exp().data // 1 */
  exp(): Value {
    const out = new Value(Math.exp(this.data), '', [this], 'exp');
    out.backwardStep = () => {
      this.grad += out.data * out.grad;
    };
    return out;
  }

  /** Natural logarithm. @example new Value(1).log().data // 0 */
  log(): Value {
    const out = new Value(Math.log(this.data), '', [this], 'log');
    out.backwardStep = () => {
      this.grad += out.grad / this.data;
    };
    return out;
  }

  /** tanh; its derivative 1 - tanh². @example new Value(0).tanh().data // 0 */
  tanh(): Value {
    const t = Math.tanh(this.data);
    const out = new Value(t, '', [this], 'tanh');
    out.backwardStep = () => {
      this.grad += (1 - t * t) * out.grad;
    };
    return out;
  }

  /** 1/(1 + e^-x) without overflow; its derivative s(1 - s). @example new Value(0).sigmoid().data // 0.5 */
  sigmoid(): Value {
    const x = this.data;
    const s = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    const out = new Value(s, '', [this], 'sigmoid');
    out.backwardStep = () => {
      this.grad += s * (1 - s) * out.grad;
    };
    return out;
  }

  /** max(0, x); derivative 1 for x > 0, else 0. @example new Value(-2).relu().data // 0 */
  relu(): Value {
    const out = new Value(this.data > 0 ? this.data : 0, '', [this], 'relu');
    out.backwardStep = () => {
      this.grad += (this.data > 0 ? 1 : 0) * out.grad;
    };
    return out;
  }

  // derived ops, built from the primitives above

  /** -this. @example new Value(2).neg().data // -2 */
  neg(): Value {
    return this.mul(-1);
  }

  /** this - other. @example new Value(5).sub(3).data // 2 */
  sub(other: ValueLike): Value {
    return this.add(lift(other).neg());
  }

  /** this / other. @example new Value(6).div(3).data // 2 */
  div(other: ValueLike): Value {
    return this.mul(lift(other).pow(-1));
  }

  /**
   * Sets `grad` of every value this one depends on to ∂(this)/∂(value): visits the graph in
   * reverse topological order, starting from d(this)/d(this) = 1. Unlike micrograd, the graph's old
   * gradients are cleared first, so calling it twice gives the same result.
   */
  backward(): void {
    const order = this.topologicalOrder();
    for (const v of order) v.grad = 0;
    this.grad = 1;
    for (let i = order.length - 1; i >= 0; i--) order[i].backwardStep();
  }

  /** Sets grad to 0 on this value and everything it depends on. */
  zeroGrad(): void {
    for (const v of this.topologicalOrder()) v.grad = 0;
  }

  /** Every value this one depends on, each after its children (iterative, so deep graphs do not overflow the stack). */
  private topologicalOrder(): Value[] {
    const order: Value[] = [];
    const visited = new Set<Value>();
    const stack: [Value, boolean][] = [[this, false]];
    while (stack.length > 0) {
      const [v, expanded] = stack.pop()!;
      if (expanded) {
        order.push(v);
        continue;
      }
      if (visited.has(v)) continue;
      visited.add(v);
      stack.push([v, true]);
      for (const c of v.children) if (!visited.has(c)) stack.push([c, false]);
    }
    return order;
  }

  toString(): string {
    return `Value(${this.label ? `${this.label}=` : ''}${this.data}, grad=${this.grad})`;
  }
}
