#!/usr/bin/env python3
"""PyTorch reference for Ember's GPU benchmark (`DEVICE=cuda examples/bench.sh`, ../shared/PROTOCOL.md): the
same work on the same GPU, the same figure names with a `torch_` prefix, so that examples/bench-gpu.sh can put
them side by side. It mirrors torch_bench.py (the CPU reference) with the model on the GPU and, like Ember, each
batch gathered on the host and moved with `.to(device)`; eager mode, no torch.compile.

- gemm: torch.mm of float32 N x N at N in 1024, 4096, 8192 with torch.backends.cuda.matmul.allow_tf32 False
  (`gemm_<N>_gflops`), then True (`gemm_tf32_<N>_gflops`). Per N: one warm-up call, 3 timed calls that set the
  round length (as many calls as take about 0.2 s, 3 to 5000), then the best of 5 rounds, each between two
  torch.cuda.synchronize() calls. Ember's GpuBench times Ember's matmul by the same rule.
- mlp, cnn, infer, lstm: as torch_bench.py. Training runs in float32 with TF32 off for both matmul and cuDNN
  convolutions (PyTorch's default lets cuDNN use TF32; Ember's TF32 switch is off too) unless TF32=1, which turns
  it on for both libraries here and in Ember. infer moves the test set to the GPU once, untimed.
- memory after the mlp: torch_gpu_mem_reserved_e1_mb / _e3_mb (after the first and third epochs), then
  torch_gpu_mem_allocated_mb, torch_gpu_mem_reserved_mb, torch_gpu_mem_peak_mb (PyTorch's caching allocator).

Env: WORKLOADS (gemm,mlp,infer,cnn,lstm), QUICK=1, FMNIST_DIR, THREADS (host threads, default 2), TF32 (0),
LSTM_TEXT (the GPL-3 text; default /usr/share/common-licenses/GPL-3), TORCH_DEVICE (cuda; `cpu` runs the same
code on the CPU, a smoke test of this script where there is no GPU).
Reads the IDX .gz files itself; needs only torch (no numpy, no torchvision)."""
import gzip
import math
import os
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_models import CharLstm, cnn_model, mlp_model  # noqa: E402

THREADS = int(os.environ.get("THREADS", "2"))
torch.set_num_threads(THREADS)
QUICK = os.environ.get("QUICK") == "1"
TF32 = os.environ.get("TF32") == "1"
DEVICE = torch.device(os.environ.get("TORCH_DEVICE", "cuda"))
CUDA = DEVICE.type == "cuda"


def log(*a):
    print("torch_gpu_bench:", *a, file=sys.stderr, flush=True)


def out(name, value):
    print(f"torch_{name}={value:.3f}", flush=True)


def sync():
    if CUDA:
        torch.cuda.synchronize(DEVICE)


def set_tf32(on):
    torch.backends.cuda.matmul.allow_tf32 = on
    torch.backends.cudnn.allow_tf32 = on


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return torch.frombuffer(bytearray(data), dtype=torch.uint8, offset=4 + 4 * ndim).reshape(dims)


def fmnist():
    candidates = [os.environ.get("FMNIST_DIR"), "/usr/share/datasets/fashion-mnist",
                  "examples/data/fashion-mnist-sample"]
    for d in candidates:
        if d and os.path.exists(os.path.join(d, "train-images-idx3-ubyte.gz")):
            def load(kind):
                x = idx(os.path.join(d, f"{kind}-images-idx3-ubyte.gz")).to(torch.float32) / 255.0
                y = idx(os.path.join(d, f"{kind}-labels-idx1-ubyte.gz")).to(torch.int64)
                return x.contiguous(), y.contiguous()
            log("data from", d)
            return load("train"), load("t10k")
    raise SystemExit("torch_gpu_bench: Fashion-MNIST not found (FMNIST_DIR)")


def accuracy(model, x, y):
    """Batches of 1024 moved to the device, predictions read back (as Ember's GPU accuracy does)."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 1024):
            pred = model(x[i:i + 1024].to(DEVICE)).argmax(1).cpu()
            correct += (pred == y[i:i + 1024]).sum().item()
    return correct / len(x)


class Stepper:
    """x, y stay on the host; each batch is gathered there and moved with .to(device)."""

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
        return self.x[i].to(DEVICE), self.y[i].to(DEVICE)

    def step(self):
        xb, yb = self.batch()
        self.opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(self.model(xb), yb)
        loss.backward()
        self.opt.step()
        return loss

    def timed(self, n):
        sync()
        t = time.perf_counter()
        for _ in range(n):
            self.step()
        sync()
        return time.perf_counter() - t


def reserved_mb():
    return torch.cuda.memory_reserved(DEVICE) / 1048576.0 if CUDA else 0.0


def mlp(train, test):
    torch.manual_seed(0)
    x, y = train[0].reshape(-1, 784), train[1]
    model = mlp_model().to(DEVICE)
    s = Stepper(model, x, y, 42)
    steps_per_epoch = 20 if QUICK else len(x) // 64
    for _ in range(5 if QUICK else 50):
        s.step()
    first = steps_per_epoch * 64 / s.timed(steps_per_epoch)
    if CUDA:
        out("gpu_mem_reserved_e1_mb", reserved_mb())
    for _ in range(steps_per_epoch):
        s.step()
    third = steps_per_epoch * 64 / s.timed(steps_per_epoch)
    if CUDA:
        out("gpu_mem_reserved_e3_mb", reserved_mb())
    out("mlp_train_sps", first)
    out("mlp_train_sps_steady", third)
    out("mlp_acc_e3", accuracy(model, test[0].reshape(-1, 784), test[1]))
    if CUDA:
        sync()
        out("gpu_mem_allocated_mb", torch.cuda.memory_allocated(DEVICE) / 1048576.0)
        out("gpu_mem_reserved_mb", reserved_mb())
        out("gpu_mem_peak_mb", torch.cuda.max_memory_allocated(DEVICE) / 1048576.0)
    return model


def infer(train, test, model=None):
    if model is None:
        torch.manual_seed(0)
        model = mlp_model().to(DEVICE)
    x = test[0].reshape(-1, 784).to(DEVICE)
    model.eval()
    with torch.no_grad():
        def one():
            for i in range(0, len(x), 1024):
                model(x[i:i + 1024])
            sync()
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
    model = cnn_model().to(DEVICE)
    s = Stepper(model, x, y, 42)
    warm, timed = (2, 5) if QUICK else (20, 300)
    for _ in range(warm):
        s.step()
    out("cnn_train_sps", timed * 64 / s.timed(timed))
    epoch = warm + timed if QUICK else len(x) // 64
    for _ in range(epoch - warm - timed):
        s.step()
    out("cnn_acc_e1", accuracy(model, test[0].reshape(-1, 1, 28, 28), test[1]))


def lstm(train=None, test=None):
    path = os.environ.get("LSTM_TEXT") or "/usr/share/common-licenses/GPL-3"
    text = open(path, encoding="utf-8").read()
    chars = sorted(set(text))
    ids = torch.tensor([chars.index(c) for c in text], dtype=torch.int64)
    torch.manual_seed(0)
    model = CharLstm(len(chars)).to(DEVICE)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(42)
    seq, batch = 64, 32

    def step():
        starts = torch.randint(0, len(ids) - seq - 1, (batch,), generator=gen)
        offs = starts[:, None] + torch.arange(seq + 1)[None, :]
        chunk = ids[offs]
        inputs, targets = chunk[:, :-1].to(DEVICE), chunk[:, 1:].to(DEVICE)
        opt.zero_grad(set_to_none=True)
        logits = model(inputs)
        loss = F.cross_entropy(logits.reshape(-1, len(chars)), targets.reshape(-1))
        loss.backward()
        opt.step()
        return loss

    warm, timed = (2, 5) if QUICK else (10, 100)
    for _ in range(warm):
        step()
    sync()
    t = time.perf_counter()
    for _ in range(timed):
        loss = step()
    sync()
    out("lstm_train_tps", timed * batch * seq / (time.perf_counter() - t))
    log("lstm loss after", warm + timed, "steps:", float(loss))


def mm_seconds(a, b):
    """Seconds per torch.mm call by GpuBench's rule (see the module docstring)."""
    def rounds(reps):
        sync()
        t = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b)
        sync()
        return (time.perf_counter() - t) / reps
    torch.mm(a, b)
    probe = rounds(3)
    reps = 2 if QUICK else int(max(3, min(5000, math.ceil(0.2 / probe))))
    return min(rounds(reps) for _ in range(5))


def gemm(train=None, test=None):
    gen = torch.Generator().manual_seed(1)
    for n in ((1024,) if QUICK else (1024, 4096, 8192)):
        a = torch.rand(n, n, generator=gen).to(DEVICE)
        b = torch.rand(n, n, generator=gen).to(DEVICE)
        flops = 2.0 * n ** 3
        set_tf32(False)
        out(f"gemm_{n}_gflops", flops / mm_seconds(a, b) / 1e9)
        set_tf32(True)
        out(f"gemm_tf32_{n}_gflops", flops / mm_seconds(a, b) / 1e9)
        set_tf32(False)
        del a, b


def main():
    if CUDA and not torch.cuda.is_available():
        raise SystemExit("torch_gpu_bench: no CUDA device visible to PyTorch " + torch.__version__)
    wanted = os.environ.get("WORKLOADS", "gemm,mlp,infer,cnn,lstm").split(",")
    print(f"torch_version={torch.__version__.split('+')[0]}")
    print(f"torch_device={DEVICE}")
    if CUDA:
        print(f"torch_gpu_name={torch.cuda.get_device_name(DEVICE)}")
        log("CUDA", torch.version.cuda, "cuDNN", torch.backends.cudnn.version())
    print(f"torch_threads={torch.get_num_threads()}")
    log("training with TF32", "on" if TF32 else "off")
    train = test = None
    if any(w in wanted for w in ("mlp", "cnn", "infer")):
        train, test = fmnist()
    model = None
    for w in wanted:
        log("running", w, "on", DEVICE)
        set_tf32(TF32)
        if w == "mlp":
            model = mlp(train, test)
        elif w == "infer":
            infer(train, test, model)
        elif w in ("cnn", "lstm", "gemm"):
            globals()[w](train, test)
        else:
            raise SystemExit(f"torch_gpu_bench: unknown workload {w}")
    set_tf32(False)


if __name__ == "__main__":
    main()
