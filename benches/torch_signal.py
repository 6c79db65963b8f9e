#!/usr/bin/env python3
"""PyTorch on the CPU, one thread, on the signal nets of `benches/benches/signals.rs`: a training
step (forward, cross-entropy from the logits, backward, SGD at 0.01) of the BasicMotions conv1d
net and of the JapaneseVowels GRU net, at batch 1 and 64, `float32`.

    python3 -m venv target/venv-torch && target/venv-torch/bin/pip install torch
    target/venv-torch/bin/python benches/torch_signal.py            # prints a Markdown table

Not run by CI (no PyTorch there). Each figure is the fastest of `--samples` samples (default 100),
each the mean over enough steps to take about 1 ms, as divan reports its fastest sample; the
median is printed beside it. The batch is made once, outside the timing, as the Rust benchmarks
make theirs; every step trains the net in place.
"""
import argparse
import statistics
import time

import torch
from torch import nn

torch.set_num_threads(1)
torch.set_num_interop_threads(1)


class Motion(nn.Module):
    """conv1d(8, 5, relu, stride 2, padding 2), max_pool1d(2), conv1d(16, 5, relu, padding 2),
    global mean, dense(4): the logits (the softmax is in the loss)."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(6, 8, 5, stride=2, padding=2)
        self.p1 = nn.MaxPool1d(2)
        self.c2 = nn.Conv1d(8, 16, 5, padding=2)
        self.output = nn.Linear(16, 4)

    def forward(self, x):
        x = self.p1(torch.relu(self.c1(x)))
        x = torch.relu(self.c2(x)).mean(dim=2)
        return self.output(x)


class Vowels(nn.Module):
    """gru(24) over 29 steps of 12 features, its last state, dense(9): the logits."""

    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(12, 24, batch_first=True)
        self.output = nn.Linear(24, 9)

    def forward(self, x):
        # x: [batch, channels, steps], as the Rust nets read a signal; the GRU reads steps.
        _, h = self.gru(x.transpose(1, 2))
        return self.output(h[0])


def case(net, shape, classes, batch):
    torch.manual_seed(0)
    model = net()
    x = torch.rand(batch, *shape) * 2 - 1
    labels = torch.arange(batch) % classes
    sgd = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        sgd.zero_grad(set_to_none=False)
        loss = loss_fn(model(x), labels)
        loss.backward()
        sgd.step()
        return loss.item()

    return step


def measure(step, samples):
    for _ in range(20):
        step()
    start = time.perf_counter()
    runs = 0
    while time.perf_counter() - start < 0.02:
        step()
        runs += 1
    per_sample = max(1, int(runs * 0.001 / 0.02))
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(per_sample):
            step()
        times.append((time.perf_counter() - start) / per_sample)
    return min(times), statistics.median(times)


def show(seconds):
    ns = seconds * 1e9
    if ns < 1e3:
        return f"{ns:.1f} ns"
    return f"{ns / 1e3:.2f} µs" if ns < 1e6 else f"{ns / 1e6:.2f} ms"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=100)
    args = parser.parse_args()
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"interop {torch.get_num_interop_threads()}")
    print()
    print("| net | batch | step, fastest | step, median |")
    print("| --- | ---: | ---: | ---: |")
    for name, net, shape, classes in [("motion_conv1d", Motion, (6, 100), 4),
                                      ("vowels_gru", Vowels, (12, 29), 9)]:
        for batch in [1, 64]:
            fastest, median = measure(case(net, shape, classes, batch), args.samples)
            print(f"| {name} | {batch} | {show(fastest)} | {show(median)} |")


if __name__ == "__main__":
    main()
