"""PyTorch peer for Flatland's benchmark workloads W1-W5, idiomatic fast PyTorch on the CPU.

Run through bench/peers/setup.sh's virtual environment:

    bench/peers/.venv/bin/python bench/peers/torch_peer.py --json
    bench/peers/.venv/bin/python bench/peers/torch_peer.py --workload W2 --json

Workloads (float32, `torch.set_num_threads(2)` unless --threads says otherwise):

  W1  Fashion-MNIST, mlp:256,256 (784-256-256-10, ReLU), K = 16 agents on a ring with Metropolis
      weights (self 1/3, each neighbour 1/3), diffusion ATC with B = 64 per agent, one epoch:
          psi_k = w_k - mu * grad Q(w_k; batch_k)           (adapt: one SGD step per agent)
          w_k   = sum_l a_lk psi_l                          (combine: W <- A^T Psi, A symmetric)
      One epoch processes 60000 samples in total, i.e. floor(60000 / (K B)) iterations.
  W2  as W1 with B = 16 (overhead-bound).
  W3  lenet5 (conv 6@5x5 pad 2, ReLU, maxpool 2, conv 16@5x5, ReLU, maxpool 2, fc 120, ReLU,
      fc 84, ReLU, fc 10), K = 8, B = 32; a fixed number of iterations (W3_ITERATIONS), not a
      whole epoch: samples/s is a rate, so the epoch time is 60000 / samples_per_s.
  W4  Hessian-vector products per second for mlp:256,256 on the first 2048 training samples
      (mean cross-entropy), three forms: PyHessian's (gradient graph built once with
      create_graph=True, each HVP one autograd.grad over the retained graph), full double
      backprop (gradient graph rebuilt per HVP), and torch.func jvp(grad) forward-over-reverse.
  W5  seconds to the top Hessian eigenvalue within 1e-3 relative on the same 2048 samples by
      PyHessian-style power iteration, v <- Hv / |Hv|, lambda = v.Hv: the time of the first HVP
      from which the estimate stays within 1e-3 of the value after 300 HVPs (an oracle stop;
      PyHessian's own stop, |lambda - lambda_prev| / (|lambda_prev| + 1e-6) < 1e-3, comes
      earlier with a larger error and is reported beside it). The time includes building the
      gradient graph but not one untimed warm-up HVP (first calls pay one-off setup costs).

W4 and W5 use a model trained briefly, untimed: 200 SGD steps, batch 128, lr 0.1, seed 0, from
PyTorch's default initialisation, batches drawn from a seeded permutation of the 60000 samples.

W1-W3 time everything after WARMUP_ITERATIONS untimed iterations, including batch gathering
from a per-epoch permutation; every agent starts from its own default initialisation; the
step size is LEARNING_RATE. Two variants each: `loop` (one nn.Module and torch.optim.SGD per
agent in a Python loop; all agents' parameters are views into one (K, P) buffer so the combine
is one matmul) and `vmap` (torch.func.functional_call + grad + vmap over stacked parameters,
combine by a matmul with the K x K matrix per tensor). `samples_per_s` is the whole timed run's
rate for the faster variant; `median_iteration_samples_per_s` (K B / median iteration time, per
variant) is given beside it because it is much less sensitive to other load on the machine.
"""

import argparse
import gzip
import json
import os
import sys
import time
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, grad, jvp, stack_module_state, vmap

# torch.func.jvp loads PyTorch's own jvp decompositions through the deprecated torch.jit.script.
warnings.filterwarnings("ignore", message="`torch.jit.script` is deprecated", category=FutureWarning)

DATA_DIR = "/usr/share/datasets/fashion-mnist"
LEARNING_RATE = 0.05
WARMUP_ITERATIONS = 3
W3_ITERATIONS = 60
HVP_SAMPLES = 2048
W4_HVPS = 20
W5_TOLERANCE = 1e-3
W5_REFERENCE_HVPS = 300
TRAIN_STEPS, TRAIN_BATCH, TRAIN_LR, TRAIN_SEED = 200, 128, 0.1, 0

WORKLOADS = {
    "W1": dict(model="mlp:256,256", agents=16, batch=64),
    "W2": dict(model="mlp:256,256", agents=16, batch=16),
    "W3": dict(model="lenet5", agents=8, batch=32),
}


# MARK: - Data


def read_idx(path):
    """Reads a gzipped IDX file (big-endian header: magic, then one uint32 per dimension)."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims))
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_fashion_mnist():
    """Returns the 60000 training images as (N, 1, 28, 28) float32 in [0, 1] and labels int64."""
    images = read_idx(os.path.join(DATA_DIR, "train-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(DATA_DIR, "train-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(labels.astype(np.int64))
    return x.contiguous(), y


# MARK: - Models and topology


def make_model(name):
    """mlp:256,256 takes (B, 1, 28, 28) and flattens; lenet5 keeps the image shape."""
    if name == "mlp:256,256":
        return nn.Sequential(
            nn.Flatten(),
            nn.Linear(784, 256), nn.ReLU(),
            nn.Linear(256, 256), nn.ReLU(),
            nn.Linear(256, 10),
        )
    if name == "lenet5":
        return nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(400, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10),
        )
    raise ValueError(f"model {name!r} is not one of mlp:256,256, lenet5")


def ring_metropolis(k):
    """Ring combination matrix with Metropolis weights a_lk = 1 / (1 + max(n_l, n_k)) = 1/3.

    Every node has degree 2, so the self-weight 1 - 2/3 is also 1/3; A is symmetric and doubly
    stochastic, hence the combine W <- A^T Psi is A @ Psi.
    """
    a = torch.zeros(k, k)
    for i in range(k):
        for j in (i - 1, i, i + 1):
            a[i, j % k] = 1.0 / 3.0
    return a


# MARK: - Diffusion ATC (W1-W3)


def epoch_batches(x, y, agents, batch, iterations, seed):
    """Yields (K, B, ...) batches: iteration i takes K*B consecutive indices of one permutation."""
    n = x.shape[0]
    generator = torch.Generator().manual_seed(seed)
    permutation = torch.randperm(n, generator=generator)
    per_iteration = agents * batch
    for i in range(iterations):
        start = (i * per_iteration) % (n - per_iteration + 1)
        index = permutation[start : start + per_iteration]
        yield x[index].view(agents, batch, *x.shape[1:]), y[index].view(agents, batch)


class LoopDiffusion:
    """One nn.Module and SGD optimizer per agent; parameters live in rows of one (K, P) buffer."""

    def __init__(self, model, agents, combination):
        self.models = [make_model(model) for _ in range(agents)]
        sizes = [p.numel() for p in self.models[0].parameters()]
        self.flat = torch.empty(agents, sum(sizes))
        self.mixed = torch.empty_like(self.flat)
        for k, m in enumerate(self.models):
            offset = 0
            for p, size in zip(m.parameters(), sizes):
                row = self.flat[k, offset : offset + size]
                row.copy_(p.detach().reshape(-1))
                p.data = row.view_as(p)
                offset += size
        self.optimizers = [torch.optim.SGD(m.parameters(), lr=LEARNING_RATE) for m in self.models]
        self.combination = combination

    def step(self, xb, yb):
        for k, (m, opt) in enumerate(zip(self.models, self.optimizers)):
            opt.zero_grad()
            F.cross_entropy(m(xb[k]), yb[k]).backward()
            opt.step()
        torch.mm(self.combination, self.flat, out=self.mixed)
        self.flat.copy_(self.mixed)


class VmapDiffusion:
    """torch.func: per-agent gradients by vmap(grad(loss)) over stacked (K, ...) parameters."""

    def __init__(self, model, agents, combination):
        models = [make_model(model) for _ in range(agents)]
        params, _ = stack_module_state(models)
        self.params = {name: p.detach() for name, p in params.items()}
        base = make_model(model).to("meta")

        def loss(p, xb, yb):
            return F.cross_entropy(functional_call(base, p, (xb,)), yb)

        self.gradients = vmap(grad(loss))
        self.combination = combination

    def step(self, xb, yb):
        grads = self.gradients(self.params, xb, yb)
        k = self.combination.shape[0]
        for name, p in self.params.items():
            adapted = p.sub_(grads[name], alpha=LEARNING_RATE).view(k, -1)
            self.params[name] = (self.combination @ adapted).view_as(p)


VARIANTS = {"loop": LoopDiffusion, "vmap": VmapDiffusion}


def run_diffusion(name, data, only_variant=None):
    spec = WORKLOADS[name]
    x, y = data
    agents, batch = spec["agents"], spec["batch"]
    if name == "W3":
        iterations = W3_ITERATIONS
    else:
        iterations = x.shape[0] // (agents * batch)
    combination = ring_metropolis(agents)
    rates, medians = {}, {}
    for variant, cls in VARIANTS.items():
        if only_variant and variant != only_variant:
            continue
        torch.manual_seed(0)
        engine = cls(spec["model"], agents, combination)
        for xb, yb in epoch_batches(x, y, agents, batch, WARMUP_ITERATIONS, seed=1):
            engine.step(xb, yb)
        stamps = [time.perf_counter()]
        for xb, yb in epoch_batches(x, y, agents, batch, iterations, seed=0):
            engine.step(xb, yb)
            stamps.append(time.perf_counter())
        durations = sorted(b - a for a, b in zip(stamps, stamps[1:]))
        rates[variant] = iterations * agents * batch / (stamps[-1] - stamps[0])
        medians[variant] = agents * batch / durations[len(durations) // 2]
    best = max(rates, key=rates.get)
    return {
        "samples_per_s": rates[best],
        "variant": best,
        "variants": rates,
        "median_iteration_samples_per_s": medians,
        "iterations": iterations,
        "samples": iterations * agents * batch,
        **spec,
    }


# MARK: - Hessian (W4, W5)


def trained_mlp(data):
    """mlp:256,256 after TRAIN_STEPS SGD steps (batch TRAIN_BATCH, lr TRAIN_LR, seed TRAIN_SEED)."""
    x, y = data
    torch.manual_seed(TRAIN_SEED)
    model = make_model("mlp:256,256")
    optimizer = torch.optim.SGD(model.parameters(), lr=TRAIN_LR)
    generator = torch.Generator().manual_seed(TRAIN_SEED)
    permutation = torch.randperm(x.shape[0], generator=generator)
    for step in range(TRAIN_STEPS):
        index = permutation[step * TRAIN_BATCH : (step + 1) * TRAIN_BATCH]
        optimizer.zero_grad()
        F.cross_entropy(model(x[index]), y[index]).backward()
        optimizer.step()
    return model


class HessianProducts:
    """Hessian-vector products of the mean cross-entropy on fixed samples, in three forms."""

    def __init__(self, model, x, y):
        self.model, self.x, self.y = model, x, y
        self.params = [p for p in model.parameters()]
        self.names = [name for name, _ in model.named_parameters()]
        self.retained = None

    def _gradient(self):
        loss = F.cross_entropy(self.model(self.x), self.y)
        return torch.autograd.grad(loss, self.params, create_graph=True)

    def retained_graph(self, v):
        """PyHessian: the gradient graph is built once; each Hv is one backward through it."""
        if self.retained is None:
            self.retained = self._gradient()
        return torch.autograd.grad(self.retained, self.params, grad_outputs=v, retain_graph=True)

    def double_backprop(self, v):
        """Full double backprop: gradient with create_graph=True, then grad of g.v."""
        return torch.autograd.grad(self._gradient(), self.params, grad_outputs=v)

    def func_jvp_grad(self, v):
        """Forward-over-reverse: jvp of torch.func.grad along v."""
        if not hasattr(self, "_grad_fn"):
            model, x, y, names = self.model, self.x, self.y, self.names

            def loss(*p):
                return F.cross_entropy(functional_call(model, dict(zip(names, p)), (x,)), y)

            self._grad_fn = grad(loss, argnums=tuple(range(len(names))))
        primals = tuple(p.detach() for p in self.params)
        return jvp(self._grad_fn, primals, tuple(v))[1]


HVP_FORMS = ("retained_graph", "double_backprop", "func_jvp_grad")


def hessian_setup(data):
    model = trained_mlp(data)
    x, y = data
    return HessianProducts(model, x[:HVP_SAMPLES], y[:HVP_SAMPLES])


def random_direction(products, seed):
    generator = torch.Generator().manual_seed(seed)
    return [torch.randn(p.shape, generator=generator) for p in products.params]


def run_hvp_rate(data):
    rates = {}
    for form in HVP_FORMS:
        products = hessian_setup(data)
        hvp = getattr(products, form)
        v = random_direction(products, seed=0)
        hvp(v)  # warm-up; for retained_graph this also builds the graph, as PyHessian does once
        start = time.perf_counter()
        for _ in range(W4_HVPS):
            hvp(v)
        rates[form] = W4_HVPS / (time.perf_counter() - start)
    best = max(rates, key=rates.get)
    return {"hvps_per_s": rates[best], "variant": best, "variants": rates,
            "samples": HVP_SAMPLES, "hvps": W4_HVPS}


def power_trace(hvp, v, count):
    """PyHessian's eigenvalues(top_n=1) iteration, v <- Hv / |Hv| with lambda = v.Hv, run for
    `count` HVPs: returns [(seconds since the start, lambda)] after each HVP."""
    def normalize(vs):
        norm = torch.sqrt(sum((t * t).sum() for t in vs))
        return [t / (norm + 1e-6) for t in vs]

    v = normalize(v)
    trace = []
    start = time.perf_counter()
    for _ in range(count):
        hv = hvp(v)
        estimate = sum((h * t).sum() for h, t in zip(hv, v)).item()
        v = normalize(hv)
        trace.append((time.perf_counter() - start, estimate))
    return trace


def run_top_eigenvalue(data):
    """Seconds until power iteration's estimate is within W5_TOLERANCE of lambda_max for good.

    PyHessian stops when two successive estimates differ by less than the tolerance, but power
    iteration converges slowly when lambda_2 is close to lambda_max, and on this spectrum that
    stop comes while the estimate is still about 1.5e-3 away. So the run goes on for
    W5_REFERENCE_HVPS products; the last estimate is the reference, and the time reported is
    that of the first HVP from which every estimate stays within tolerance of it: an oracle
    stop, the least time any stopping rule for this iteration could take. PyHessian's own stop
    is reported beside it."""
    products = hessian_setup(data)
    v = random_direction(products, seed=0)
    products.double_backprop(v)  # untimed warm-up of the kernels; builds and drops its own graph
    trace = power_trace(products.retained_graph, v, W5_REFERENCE_HVPS)
    reference = trace[-1][1]
    error = [abs(e - reference) / abs(reference) for _, e in trace]
    within = len(trace)
    while within > 0 and error[within - 1] <= W5_TOLERANCE:
        within -= 1
    pyhessian = next((i for i in range(1, len(trace))
                      if abs(trace[i][1] - trace[i - 1][1]) / (abs(trace[i - 1][1]) + 1e-6) < W5_TOLERANCE), len(trace) - 1)
    return {"seconds": trace[within][0], "hvps": within + 1, "eigenvalue": trace[within][1],
            "reference_eigenvalue": reference,
            "reference_change": abs(trace[-1][1] - trace[-2][1]) / abs(reference),
            "pyhessian_stop": {"seconds": trace[pyhessian][0], "hvps": pyhessian + 1,
                               "eigenvalue": trace[pyhessian][1], "relative_error": error[pyhessian]},
            "tolerance": W5_TOLERANCE, "variant": "retained_graph", "samples": HVP_SAMPLES}


# MARK: - Command line


RUNNERS = {
    "W1": lambda data, variant: run_diffusion("W1", data, variant),
    "W2": lambda data, variant: run_diffusion("W2", data, variant),
    "W3": lambda data, variant: run_diffusion("W3", data, variant),
    "W4": lambda data, variant: run_hvp_rate(data),
    "W5": lambda data, variant: run_top_eigenvalue(data),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=sorted(RUNNERS), help="run one workload (default: all)")
    parser.add_argument("--variant", choices=sorted(VARIANTS), help="W1-W3: run one variant only")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads (default 2)")
    parser.add_argument("--json", action="store_true", help="print one JSON object keyed by workload")
    args = parser.parse_args()
    if args.threads < 1:
        parser.error(f"--threads {args.threads} is not a positive integer")

    torch.set_num_threads(args.threads)
    torch.set_grad_enabled(True)
    data = load_fashion_mnist()
    names = [args.workload] if args.workload else sorted(RUNNERS)
    results = {}
    for name in names:
        result = RUNNERS[name](data, args.variant)
        result["threads"] = args.threads
        results[name] = result
        if not args.json:
            print(name, json.dumps(result, sort_keys=True), flush=True)
    if args.json:
        json.dump(results, sys.stdout, indent=2, sort_keys=True)
        print()


if __name__ == "__main__":
    main()
