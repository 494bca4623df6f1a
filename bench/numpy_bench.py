#!/usr/bin/env python3
"""NumPy side of vecnet's benchmark suite (bench/run.ts starts it as a subprocess).

Protocol, one JSON object per line: first this script prints {"info": {...}} (NumPy version, BLAS,
threads); then for each request {"id", "spec", "dtype", "budget", "predictedMs"} read on stdin it
runs the workload described by spec (see bench/workloads.ts) and prints {"stats": {...}} (per-call
milliseconds), {"skipped": reason} or {"error": message}. EOF on stdin ends it.

The timing mirrors bench/harness.ts: a cold probe call, batching of short calls, warm-up, then samples
until both the time budget and the minimum sample count are reached. Element-wise ops write into
preallocated `out=` arrays (NumPy at its best); training is the course notebooks' code as written.
"""
import json
import math
import os
import sys
import time

import numpy as np

T_CRIT = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262,
          10: 2.228, 15: 2.131, 20: 2.086, 30: 2.042, 60: 2.0, 120: 1.98}


def t_crit(df):
    if df <= 0:
        return T_CRIT[1]
    best = max(k for k in T_CRIT if k <= df)
    return T_CRIT[best] if df < 120 else 1.96


def rand(n, seed, lo=-1.0, hi=1.0):
    return np.random.RandomState(seed).uniform(lo, hi, n)


def blas_info():
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        return {"name": blas.get("name"), "version": blas.get("version"),
                "config": blas.get("openblas configuration")}
    except Exception as err:  # older NumPy: no mode="dicts"
        return {"name": "unknown", "error": str(err)}


def prepare(spec, dtype):
    dt = np.float32 if dtype == "float32" else np.float64
    kind = spec["kind"]
    if kind == "dot":
        a, b = rand(spec["n"], 1).astype(dt), rand(spec["n"], 2).astype(dt)
        return lambda: np.dot(a, b)
    if kind == "gemm":
        M, N, K = spec["M"], spec["N"], spec["K"]
        a = rand(M * K, 1).astype(dt).reshape((K, M) if spec["transA"] else (M, K))
        b = rand(K * N, 2).astype(dt).reshape((N, K) if spec["transB"] else (K, N))
        A = a.T if spec["transA"] else a
        B = b.T if spec["transB"] else b
        c = np.empty((M, N), dt)
        return lambda: np.matmul(A, B, out=c)
    if kind == "bias_add":
        z = rand(spec["n"] * spec["m"], 1).astype(dt).reshape(spec["n"], spec["m"])
        bias = rand(spec["n"], 2).astype(dt).reshape(spec["n"], 1)
        out = np.empty_like(z)
        return lambda: np.add(z, bias, out=out)
    if kind in ("unary", "unary_grad"):
        n, op = spec["n"], spec["op"]
        x = rand(n, 1, -4, 4).astype(dt)
        dy = rand(n, 2).astype(dt)
        out = np.empty_like(x)
        tmp = np.empty_like(x)

        def sigmoid(dst):
            np.negative(x, out=dst)
            np.exp(dst, out=dst)
            dst += 1
            np.reciprocal(dst, out=dst)

        if kind == "unary":
            if op == "sigmoid":
                return lambda: sigmoid(out)
            if op == "tanh":
                return lambda: np.tanh(x, out=out)
            return lambda: np.maximum(x, 0, out=out)

        if op == "sigmoid":
            def run():  # noqa: F811
                sigmoid(tmp)  # s
                np.subtract(1, tmp, out=out)  # 1 - s
                np.multiply(out, tmp, out=out)
                np.multiply(out, dy, out=out)
            return run
        if op == "tanh":
            def run():
                np.tanh(x, out=tmp)
                np.multiply(tmp, tmp, out=out)
                np.subtract(1, out, out=out)
                np.multiply(out, dy, out=out)
            return run

        def run():  # the course's relu_backward
            np.copyto(out, dy)
            out[x <= 0] = 0
        return run
    if kind == "sum":
        x = rand(spec["rows"] * spec["cols"], 1).astype(dt).reshape(spec["rows"], spec["cols"])
        out = np.empty((1, spec["cols"]) if spec["axis"] == 0 else (spec["rows"], 1), dt)
        return lambda: np.sum(x, axis=spec["axis"], keepdims=True, out=out)
    if kind == "train":
        return trainer(spec, dt)
    if kind == "course":
        return course_run(spec, dt)
    raise ValueError(f"unknown workload kind {kind}")


def forward_backward(params, X, Y, L, hidden):
    """The course's L-layer forward with caches, the cross-entropy summed from the logits, and the
    backward pass: the gradients dW1, db1, … (dW = dZ·A_prevᵀ / m) and the cost's sum."""
    m = X.shape[1]
    A, caches = X, []
    for l in range(1, L + 1):
        Z = np.dot(params[f"W{l}"], A) + params[f"b{l}"]
        caches.append((A, Z))
        if l == L:
            A = 1 / (1 + np.exp(-Z))
        elif hidden == "relu":
            A = np.maximum(0, Z)
        else:
            A = np.tanh(Z)
    ZL = caches[-1][1]
    cost = np.sum(np.log1p(np.exp(-np.abs(ZL))) + np.maximum(ZL, 0) - Y * ZL)
    dZ = A - Y
    grads = {}
    for l in range(L, 0, -1):
        A_prev, _ = caches[l - 1]
        grads[f"dW{l}"] = np.dot(dZ, A_prev.T) / m
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        if l > 1:
            dA = np.dot(params[f"W{l}"].T, dZ)
            Zp = caches[l - 2][1]
            if hidden == "relu":
                dZ = np.array(dA, copy=True)
                dZ[Zp <= 0] = 0
            else:
                dZ = dA * (1 - np.power(np.tanh(Zp), 2))
    return cost, grads


def trainer(spec, dt):
    """The course's L-layer model: forward with caches, cross-entropy, backward, update."""
    if spec["model"] == "deep_adam":
        return adam_epochs(spec, dt)
    dims, m, chunk, lr = spec["dims"], spec["m"], spec["chunk"], spec["learningRate"]
    L = len(dims) - 1
    X, Y = random_xy(spec, dt)
    rng = np.random.RandomState(1)
    params = {}
    for l in range(1, L + 1):
        scale = 0.0 if spec["model"] == "logreg" else 0.01 if spec["model"] == "planar" else 1 / np.sqrt(dims[l - 1])
        params[f"W{l}"] = (rng.randn(dims[l], dims[l - 1]) * scale).astype(dt)
        params[f"b{l}"] = np.zeros((dims[l], 1), dt)
    hidden = spec["hidden"]

    def step():
        cost, grads = forward_backward(params, X, Y, L, hidden)
        for k in params:
            params[k] = params[k] - lr * grads["d" + k]
        return float(cost / m)

    def run():
        last = 0.0
        for _ in range(chunk):
            last = step()
        if math.isnan(last):
            raise RuntimeError("numpy: training diverged (cost NaN)")
    return run


def adam_epochs(spec, dt):
    """Epochs of the course-2 model(): random_mini_batches with seed + 1 per epoch, then per batch the
    forward pass, the cost, the backward pass and update_parameters_with_adam (t counting updates)."""
    dims, m, chunk, lr, size = spec["dims"], spec["m"], spec["chunk"], spec["learningRate"], spec["miniBatchSize"]
    L = len(dims) - 1
    X, Y = course_data(spec, dt)
    rng = np.random.RandomState(3)
    params, v, s = {}, {}, {}
    for l in range(1, L + 1):
        params[f"W{l}"] = (rng.randn(dims[l], dims[l - 1]) * np.sqrt(2.0 / dims[l - 1])).astype(dt)
        params[f"b{l}"] = np.zeros((dims[l], 1), dt)
    for k, p in params.items():
        v["d" + k] = np.zeros(p.shape, dt)
        s["d" + k] = np.zeros(p.shape, dt)
    state = {"t": 0, "seed": 10}
    beta1, beta2, epsilon = 0.9, 0.999, 1e-8

    def random_mini_batches(seed):
        np.random.seed(seed)
        permutation = list(np.random.permutation(m))
        shuffled_X = X[:, permutation]
        shuffled_Y = Y[:, permutation].reshape((1, m))
        return [(shuffled_X[:, k:k + size], shuffled_Y[:, k:k + size]) for k in range(0, m, size)]

    def step(bX, bY):
        cost, grads = forward_backward(params, bX, bY, L, "relu")
        state["t"] += 1
        t = state["t"]
        for k in params:
            g = grads["d" + k]
            v["d" + k] = beta1 * v["d" + k] + (1 - beta1) * g
            v_corrected = v["d" + k] / (1 - np.power(beta1, t))
            s["d" + k] = beta2 * s["d" + k] + (1 - beta2) * np.power(g, 2)
            s_corrected = s["d" + k] / (1 - np.power(beta2, t))
            params[k] = params[k] - lr * v_corrected / (np.sqrt(s_corrected) + epsilon)
        return cost

    def run():
        for _ in range(chunk):
            state["seed"] += 1
            cost_total = 0.0
            for bX, bY in random_mini_batches(state["seed"]):
                cost_total += step(bX, bY)
            if math.isnan(cost_total / m):
                raise RuntimeError("numpy: Adam diverged (cost NaN)")
    return run


def course_data(spec, dt):
    """X (n_x, m) and Y (1, m): the spec's raw float64 file (cat data) or random data of that shape."""
    nx, m = spec["dims"][0], spec["m"]
    if spec.get("data"):
        raw = np.fromfile(spec["data"], dtype="<f8")
        return raw[: nx * m].reshape(nx, m).astype(dt), raw[nx * m:].reshape(1, m).astype(dt)
    return random_xy(spec, dt)


def random_xy(spec, dt):
    """X (n_x, m) in [0, 1) (planar: [-4, 4)) and 0/1 labels Y (n_L, m), from fixed seeds."""
    dims, m = spec["dims"], spec["m"]
    lo, hi = (-4, 4) if spec["model"] == "planar" else (0, 1)
    X = rand(dims[0] * m, 7, lo, hi).astype(dt).reshape(dims[0], m)
    Y = (rand(dims[-1] * m, 11, 0, 1) >= 0.5).astype(dt).reshape(dims[-1], m)
    return X, Y


def course_run(spec, dt):
    """A complete run of the course's notebook code: its initialisation, forward, cost every
    iteration (kept every 100), backward (dA of every layer, as linear_backward returns it) and update."""
    X, Y = course_data(spec, dt)
    dims, iterations, lr, m = spec["dims"], spec["iterations"], spec["learningRate"], spec["m"]
    model = spec["model"]

    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    def cross_entropy(A, Y):
        return np.squeeze(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)

    def logreg():
        w, b = np.zeros((dims[0], 1), dt), 0.0
        costs = []
        for i in range(iterations):
            A = sigmoid(np.dot(w.T, X) + b)
            cost = cross_entropy(A, Y)
            dw = np.dot(X, (A - Y).T) / m
            db = np.sum(A - Y) / m
            w = w - lr * dw
            b = b - lr * db
            if i % 100 == 0:
                costs.append(cost)
        return costs

    def planar():
        np.random.seed(2)
        n_x, n_h, n_y = dims
        W1 = (np.random.randn(n_h, n_x) * 0.01).astype(dt)
        b1 = np.zeros((n_h, 1), dt)
        W2 = (np.random.randn(n_y, n_h) * 0.01).astype(dt)
        b2 = np.zeros((n_y, 1), dt)
        costs = []
        for i in range(iterations):
            Z1 = np.dot(W1, X) + b1
            A1 = np.tanh(Z1)
            Z2 = np.dot(W2, A1) + b2
            A2 = sigmoid(Z2)
            logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
            cost = float(np.squeeze(-np.sum(logprobs) / m))
            dZ2 = A2 - Y
            dW2 = np.dot(dZ2, A1.T) / m
            db2 = np.sum(dZ2, axis=1, keepdims=True) / m
            dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
            dW1 = np.dot(dZ1, X.T) / m
            db1 = np.sum(dZ1, axis=1, keepdims=True) / m
            W1, b1, W2, b2 = W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2
            if i % 1000 == 0:
                costs.append(cost)
        return costs

    def layers():
        np.random.seed(1)
        L = len(dims) - 1
        p = {}
        for l in range(1, L + 1):
            scale = 0.01 if model == "two_layer" else 1 / np.sqrt(dims[l - 1])
            p["W" + str(l)] = (np.random.randn(dims[l], dims[l - 1]) * scale).astype(dt)
            p["b" + str(l)] = np.zeros((dims[l], 1), dt)
        costs = []
        for i in range(iterations):
            A, caches = X, []
            for l in range(1, L + 1):
                A_prev = A
                Z = np.dot(p["W" + str(l)], A_prev) + p["b" + str(l)]
                A = sigmoid(Z) if l == L else np.maximum(0, Z)
                caches.append((A_prev, Z))
            cost = cross_entropy(A, Y)
            dA = -(np.divide(Y, A) - np.divide(1 - Y, 1 - A))
            grads = {}
            for l in range(L, 0, -1):
                A_prev, Z = caches[l - 1]
                if l == L:
                    s = sigmoid(Z)
                    dZ = dA * s * (1 - s)
                else:
                    dZ = np.array(dA, copy=True)
                    dZ[Z <= 0] = 0
                grads["dW" + str(l)] = np.dot(dZ, A_prev.T) / m
                grads["db" + str(l)] = np.sum(dZ, axis=1, keepdims=True) / m
                dA = np.dot(p["W" + str(l)].T, dZ)
            for l in range(1, L + 1):
                p["W" + str(l)] = p["W" + str(l)] - lr * grads["dW" + str(l)]
                p["b" + str(l)] = p["b" + str(l)] - lr * grads["db" + str(l)]
            if i % 100 == 0:
                costs.append(cost)
        return costs

    body = {"logreg": logreg, "planar": planar}.get(model, layers)

    def run():
        with np.errstate(all="ignore"):  # the notebooks' log may meet 0 on random data; timing goes on
            body()
    return run


def stats(per_call, batch):
    xs = sorted(per_call)
    n = len(xs)
    mean = sum(xs) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1)) if n > 1 else 0.0
    rme = 100 * t_crit(n - 1) * sd / math.sqrt(n) / mean if n > 1 and mean > 0 else float("nan")
    pct = lambda p: float(np.percentile(xs, p))  # noqa: E731
    return {"median": pct(50), "mean": mean, "p75": pct(75), "p99": pct(99), "min": xs[0], "max": xs[-1],
            "samples": n, "batch": batch, "rme": None if math.isnan(rme) else rme}


def fmt_s(ms):
    return f"{ms / 1000:.1f} s" if ms >= 1000 else f"{ms:.0f} ms"


def measure(run, budget, predicted):
    cap = budget["capMs"]
    if predicted is not None and predicted > cap:
        return {"skipped": f"would take ~{fmt_s(predicted)} per call (cap {fmt_s(cap)})"}
    now = time.perf_counter
    t = now(); run(); first = (now() - t) * 1e3
    if first > cap:
        return {"stats": stats([first], 1), "note": f"1 sample: one call took {fmt_s(first)}, over the {fmt_s(cap)} cap"}
    if first < budget["slowMs"]:
        t = now(); run(); first = (now() - t) * 1e3
    batch = 1 if first >= budget["minSampleMs"] else min(100000, math.ceil(budget["minSampleMs"] / max(first, 1e-4)))
    slow = first >= budget["slowMs"]
    if not slow:  # warm-up
        end = now() + budget["timeMs"] / 5e3
        while now() < end:
            for _ in range(batch):
                run()
    samples, total = [], 0.0
    target_n = budget["slowSamples"] if slow else budget["minSamples"]
    target_t = 0 if slow else budget["timeMs"]
    while total < target_t or len(samples) < target_n:
        t = now()
        for _ in range(batch):
            run()
        dt = (now() - t) * 1e3
        total += dt
        samples.append(dt / batch)
    return {"stats": stats(samples, batch)}


def main():
    info = {
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "blas": blas_info(),
        "threads": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")},
        "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")},
    }
    print(json.dumps({"info": info}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            run = prepare(req["spec"], req["dtype"])
            reply = measure(run, req["budget"], req.get("predictedMs"))
        except Exception as err:  # reported in the table, the suite goes on
            reply = {"error": f"{type(err).__name__}: {err}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
