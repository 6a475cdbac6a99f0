#!/usr/bin/env python3
"""Puts Ember's benchmark figures beside PyTorch's: reads DIR/ember.1..RUNS and DIR/torch.1..RUNS (the name=value
lines of examples/bench.sh and of torch_bench.py / torch_gpu_bench.py, whose names carry a `torch_` prefix), and
prints per figure the median of each side and the ratio ember/torch. Higher is better for Ember except: *_acc_*
figures, printed as the difference in points; memory (*_mb) and time (*_s) figures, where lower is better (the
ratio is still ember/torch). Non-numeric values (device and GPU names) and thread counts are not compared.
Used by examples/bench-vs-torch.sh (CPU) and examples/bench-gpu.sh (GPU).

Usage: compare.py DIR RUNS"""
import statistics
import sys

SKIP = ("threads",)


def read(out, side, runs):
    vals = {}
    for r in range(1, runs + 1):
        try:
            lines = open(f"{out}/{side}.{r}").readlines()
        except FileNotFoundError:
            continue  # a run cut short: compare what there is
        for line in lines:
            if "=" in line:
                k, v = line.strip().split("=", 1)
                try:
                    x = float(v)
                except ValueError:
                    continue  # names and versions
                vals.setdefault(k.removeprefix("torch_"), []).append(x)
    return vals


def lower_is_better(k):
    return k.endswith("_mb") or k.endswith("_s")


def main(argv):
    if len(argv) != 3:
        raise SystemExit(__doc__)
    out, runs = argv[1], int(argv[2])
    e, t = read(out, "ember", runs), read(out, "torch", runs)
    print("# median of %d runs each" % runs)
    for k in e:
        if k in t and k not in SKIP:
            me, mt = statistics.median(e[k]), statistics.median(t[k])
            if "_acc_" in k or k.endswith("_acc"):
                print(f"{k}: ember={me:.4f} torch={mt:.4f} diff_points={(me - mt) * 100:+.2f}")
            else:
                ratio = f"{me / mt:.3f}" if mt != 0 else "n/a"
                note = " (lower is better)" if lower_is_better(k) else ""
                print(f"{k}: ember={me:.1f} torch={mt:.1f} ratio={ratio}{note}")
    missing = [k for k in t if k not in e and k not in SKIP]
    if missing:
        print("# torch only: " + ", ".join(missing))


if __name__ == "__main__":
    main(sys.argv)
