#!/usr/bin/env python3
"""PyTorch reference for Ember's CPU benchmark workloads (../shared/PROTOCOL.md): the same work, the
same data, the same figure names with a `torch_` prefix, so that examples/bench-vs-torch.sh can put
them side by side. Env: THREADS (default 2), WORKLOADS (mlp,cnn,infer,lstm,gemm), QUICK=1, FMNIST_DIR.
Batches are taken by indexing the whole training tensor with a shuffled permutation (the fastest
PyTorch idiom; a per-sample DataLoader would be slower and flatter Ember)."""
import gzip
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_models import CharLstm, cnn_model, mlp_model  # noqa: E402

THREADS = int(os.environ.get("THREADS", "2"))
torch.set_num_threads(THREADS)
QUICK = os.environ.get("QUICK") == "1"


def log(*a):
    print("torch_bench:", *a, file=sys.stderr, flush=True)


def out(name, value):
    print(f"torch_{name}={value:.3f}", flush=True)


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def fmnist():
    candidates = [os.environ.get("FMNIST_DIR"), "/usr/share/datasets/fashion-mnist",
                  "examples/data/fashion-mnist-sample"]
    for d in candidates:
        if d and os.path.exists(os.path.join(d, "train-images-idx3-ubyte.gz")):
            def load(kind):
                x = idx(os.path.join(d, f"{kind}-images-idx3-ubyte.gz")).astype(np.float32) / 255.0
                y = idx(os.path.join(d, f"{kind}-labels-idx1-ubyte.gz")).astype(np.int64)
                return torch.from_numpy(x.copy()), torch.from_numpy(y.copy())
            log("data from", d)
            return load("train"), load("t10k")
    raise SystemExit("torch_bench: Fashion-MNIST not found")


def accuracy(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 1024):
            correct += (model(x[i:i + 1024]).argmax(1) == y[i:i + 1024]).sum().item()
    model.train()
    return correct / len(x)


class Stepper:
    def __init__(self, model, x, y, seed):
        self.model, self.x, self.y = model, x, y
        self.opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        self.gen = torch.Generator().manual_seed(seed)
        self.perm, self.pos = None, 0

    def batch(self):
        if self.perm is None or self.pos + 64 > len(self.perm):  # drop the last partial batch
            self.perm, self.pos = torch.randperm(len(self.x), generator=self.gen), 0
        i = self.perm[self.pos:self.pos + 64]
        self.pos += 64
        return self.x[i], self.y[i]

    def step(self):
        xb, yb = self.batch()
        self.opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(self.model(xb), yb)
        loss.backward()
        self.opt.step()
        return loss


def mlp(train, test):
    torch.manual_seed(0)
    x, y = train[0].reshape(-1, 784), train[1]
    model = mlp_model()
    s = Stepper(model, x, y, 42)
    steps_per_epoch = len(x) // 64
    if QUICK:
        steps_per_epoch = 20
    for _ in range(50 if not QUICK else 5):
        s.step()
    t = time.perf_counter()
    for _ in range(steps_per_epoch):
        s.step()
    first = steps_per_epoch * 64 / (time.perf_counter() - t)
    for _ in range(steps_per_epoch):
        s.step()
    t = time.perf_counter()
    for _ in range(steps_per_epoch):
        s.step()
    third = steps_per_epoch * 64 / (time.perf_counter() - t)
    out("mlp_train_sps", first)
    out("mlp_train_sps_steady", third)
    out("mlp_acc_e3", accuracy(model, test[0].reshape(-1, 784), test[1]))
    return model


def infer(train, test, model=None):
    if model is None:
        torch.manual_seed(0)
        model = mlp_model()
    x = test[0].reshape(-1, 784)
    model.eval()
    with torch.no_grad():
        def one():
            for i in range(0, len(x), 1024):
                model(x[i:i + 1024])
        one()
        times = []
        for _ in range(5):
            t = time.perf_counter()
            one()
            times.append(time.perf_counter() - t)
    out("infer_sps", len(x) / (sum(times) / len(times)))


def cnn(train, test):
    torch.manual_seed(0)
    x, y = train[0].reshape(-1, 1, 28, 28), train[1]
    model = cnn_model()
    s = Stepper(model, x, y, 42)
    warm, timed = (20, 300) if not QUICK else (2, 5)
    for _ in range(warm):
        s.step()
    t = time.perf_counter()
    for _ in range(timed):
        s.step()
    out("cnn_train_sps", timed * 64 / (time.perf_counter() - t))
    epoch = len(x) // 64 if not QUICK else warm + timed
    for _ in range(epoch - warm - timed):
        s.step()
    out("cnn_acc_e1", accuracy(model, test[0].reshape(-1, 1, 28, 28), test[1]))


def lstm(train=None, test=None):
    path = "/usr/share/common-licenses/GPL-3"
    text = open(path, encoding="utf-8").read()
    chars = sorted(set(text))
    ids = torch.tensor([chars.index(c) for c in text], dtype=torch.int64)
    torch.manual_seed(0)
    model = CharLstm(len(chars))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(42)
    seq, batch = 64, 32

    def step():
        starts = torch.randint(0, len(ids) - seq - 1, (batch,), generator=gen)
        offs = starts[:, None] + torch.arange(seq + 1)[None, :]
        chunk = ids[offs]
        opt.zero_grad(set_to_none=True)
        logits = model(chunk[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, len(chars)), chunk[:, 1:].reshape(-1))
        loss.backward()
        opt.step()
        return loss

    warm, timed = (10, 100) if not QUICK else (2, 5)
    for _ in range(warm):
        step()
    t = time.perf_counter()
    for _ in range(timed):
        loss = step()
    out("lstm_train_tps", timed * batch * seq / (time.perf_counter() - t))
    log("lstm loss after", warm + timed, "steps:", float(loss))


def gemm(train=None, test=None):
    for n in (256, 1024, 2048):
        a, b = torch.rand(n, n), torch.rand(n, n)
        for _ in range(3):
            torch.mm(a, b)
        best = min(timeit(lambda: torch.mm(a, b)) for _ in range(5))
        out(f"gemm_{n}_gflops", 2 * n ** 3 / best / 1e9)


def timeit(f):
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


def main():
    wanted = os.environ.get("WORKLOADS", "mlp,cnn,infer,lstm").split(",")
    print(f"torch_version={torch.__version__.split('+')[0]}")
    print(f"torch_threads={torch.get_num_threads()}")
    train = test = None
    if any(w in wanted for w in ("mlp", "cnn", "infer")):
        train, test = fmnist()
    model = None
    for w in wanted:
        log("running", w)
        if w == "mlp":
            model = mlp(train, test)
        elif w == "infer":
            infer(train, test, model)
        elif w in ("cnn", "lstm", "gemm"):
            globals()[w](train, test)
        else:
            raise SystemExit(f"torch_bench: unknown workload {w}")


if __name__ == "__main__":
    main()
