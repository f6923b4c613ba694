"""numpy side of tests/bench/compare.ts: reads one JSON request per line, answers seconds per call.

Each request is {"task": name, "args": {...}, "iters": k}; set-up (random data, MNIST from the
file the Deno side wrote) is cached per (task, args) so only the computation is timed.
"""
import json
import sys
import time

import numpy as np

rng = np.random.default_rng(0)
cache = {}


def softmax_epoch(X, labels, batch=100, lr=0.5):
    n, d = X.shape
    W = np.zeros((d, 10))
    b = np.zeros(10)
    Y = np.eye(10)[labels]
    for s in range(0, n, batch):
        Xb, Yb = X[s:s + batch], Y[s:s + batch]
        z = Xb @ W + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        G = (p - Yb) / len(Xb)
        W -= lr * (Xb.T @ G)
        b -= lr * G.sum(axis=0)
    return W


def setup(task, a):
    if task == "matmul":
        A, B = rng.standard_normal((a["n"], a["n"])), rng.standard_normal((a["n"], a["n"]))
        return lambda: A @ B
    if task == "kron":
        A, B = rng.standard_normal((a["p"], a["p"])), rng.standard_normal((a["p"], a["p"]))
        return lambda: np.kron(A, B)
    if task == "outer":
        g, x = rng.standard_normal(a["n"]), rng.standard_normal(a["n"])
        return lambda: np.outer(g, x)
    if task == "jacobian":  # dense ∂(W x)/∂W, shape [m, m, n], J[i, i, :] = x
        m, n = a["m"], a["n"]
        x = rng.standard_normal(n)

        def jac():
            J = np.zeros((m, m, n))
            J[np.arange(m), np.arange(m), :] = x
            return J
        return jac
    if task == "grad_lsq":  # ∂/∂W ½‖W x − t‖² = (W x − t) xᵀ
        n = a["n"]
        W, x, t = rng.standard_normal((n, n)), rng.standard_normal(n), rng.standard_normal(n)

        def g():
            r = W @ x - t
            return 0.5 * r @ r, np.outer(r, x)
        return g
    if task == "grad_mlp":  # ½‖tanh(X W1) W2 − Y‖² / batch, gradients for W1 and W2
        X = rng.standard_normal((a["batch"], a["d"]))
        W1 = rng.standard_normal((a["d"], a["h"])) * 0.05
        W2 = rng.standard_normal((a["h"], a["o"])) * 0.05
        Y = rng.standard_normal((a["batch"], a["o"]))

        def g():
            H = np.tanh(X @ W1)
            R = (H @ W2 - Y) / len(X)
            gW2 = H.T @ R
            gW1 = X.T @ ((R @ W2.T) * (1 - H * H))
            return gW1, gW2
        return g
    if task == "mnist":
        raw = np.fromfile(a["file"], dtype=np.float64)
        n = a["n"]
        X = raw[: n * 784].reshape(n, 784)
        labels = raw[n * 784:].astype(np.int64)
        return lambda: softmax_epoch(X, labels)
    raise ValueError(task)


for line in sys.stdin:
    req = json.loads(line)
    if req.get("task") == "info":
        cfg = {}
        try:
            from threadpoolctl import threadpool_info
            cfg = threadpool_info()
        except ImportError:
            pass
        print(json.dumps({"numpy": np.__version__, "threadpool": cfg}), flush=True)
        continue
    key = json.dumps([req["task"], req["args"]], sort_keys=True)
    if key not in cache:
        cache[key] = setup(req["task"], req["args"])
    f = cache[key]
    t0 = time.perf_counter()
    for _ in range(req["iters"]):
        f()
    print(json.dumps((time.perf_counter() - t0) / req["iters"]), flush=True)
