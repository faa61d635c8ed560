"""The learning-rate range test (fastai's ``lr_find``): train a few steps while the
learning rate grows exponentially, record the smoothed loss, and pick a rate from the
curve. The network's and optimiser's states are restored afterwards."""
from __future__ import annotations

import copy
import math
from dataclasses import asdict, dataclass
from typing import Callable, Iterator

import torch

START_LR = 1e-7
END_LR = 10.0
SMOOTHING = 0.98
DIVERGED = 4.0  # stop when the smoothed loss exceeds this many times its minimum
FALLBACK_LR = 1e-3


@dataclass
class LrFindResult:
    lrs: list[float]
    losses: list[float]  # smoothed
    valley: float | None
    steepest: float | None
    suggestion: float
    how: str

    def to_json(self) -> dict:
        return asdict(self)


def valley(lrs: list[float], losses: list[float]) -> float | None:
    """fastai's ``valley``: the longest stretch of falling loss; a rate two thirds down it."""
    n = len(losses)
    if n < 5:
        return None
    run = [1] * n
    best_start, best_end = 0, 0
    for i in range(1, n):
        for j in range(i):
            if losses[i] < losses[j] and run[i] < run[j] + 1:
                run[i] = run[j] + 1
        if run[i] > run[best_end]:
            best_end = i
            best_start = best_end - run[best_end]
    third = (best_end - best_start) / 3
    index = best_start + int(third) + int(third / 2)
    return float(lrs[min(max(index, 0), n - 1)])


def steepest(lrs: list[float], losses: list[float]) -> float | None:
    """The rate where the loss falls fastest (per log-rate)."""
    if len(losses) < 3:
        return None
    logs = [math.log10(lr) for lr in lrs]
    slopes = [(losses[i + 1] - losses[i - 1]) / (logs[i + 1] - logs[i - 1]) for i in range(1, len(losses) - 1)]
    i = min(range(len(slopes)), key=slopes.__getitem__)
    return float(lrs[i + 1]) if slopes[i] < 0 else None


def lr_find(net: torch.nn.Module, optimizer: torch.optim.Optimizer, step: Callable[[], torch.Tensor],
            steps: int, on_step: Callable[[int], None] | None = None) -> LrFindResult:
    """Run the test: ``step()`` trains on the next batch at the optimiser's current rate
    (forward, backward, optimiser step) and returns the loss. States are restored at the end."""
    saved_net = copy.deepcopy(net.state_dict())
    saved_opt = copy.deepcopy(optimizer.state_dict())
    ratio = (END_LR / START_LR) ** (1 / max(1, steps - 1))
    lrs, smoothed = [], []
    average, best = 0.0, math.inf
    try:
        net.train()
        for i in range(steps):
            lr = START_LR * ratio**i
            for group in optimizer.param_groups:
                group["lr"] = lr
            optimizer.zero_grad(set_to_none=True)
            loss = float(step())
            if on_step is not None:
                on_step(i)
            if not math.isfinite(loss):
                break
            average = SMOOTHING * average + (1 - SMOOTHING) * loss
            value = average / (1 - SMOOTHING ** (i + 1))
            lrs.append(lr)
            smoothed.append(value)
            best = min(best, value)
            if i > 5 and value > DIVERGED * best:
                break
    finally:
        net.load_state_dict(saved_net)
        optimizer.load_state_dict(saved_opt)
        optimizer.zero_grad(set_to_none=True)
    v, s = valley(lrs, smoothed), steepest(lrs, smoothed)
    if v is not None:
        suggestion, how = v, "valley"
    elif s is not None:
        suggestion, how = s, "steepest descent"
    else:
        suggestion, how = FALLBACK_LR, "fallback (the loss curve had no falling stretch)"
    return LrFindResult(lrs, smoothed, v, s, suggestion, how)


def cycle(make: Callable[[], Iterator]) -> Iterator:
    """Endless iteration over fresh iterators from ``make``."""
    while True:
        empty = True
        for item in make():
            empty = False
            yield item
        if empty:
            return
