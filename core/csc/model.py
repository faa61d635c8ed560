"""The image-specific CSC model and its training on windows sampled from the coarse map.

:class:`PatchNet` classifies a pixel from the ``patch x patch`` window centred on it:
``patch // 2`` unpadded 3 x 3 convolutions shrink the window to one pixel, then 1 x 1
layers (an MLP on the features) give the class scores. Patch 1 is therefore an MLP on
the pixel's bands. Because nothing is padded and nothing pools, the same network run on
a whole block of the image gives, at every pixel, exactly what it gives for that
pixel's window alone: inference is fully convolutional.

Training holds out a fifth of the samples (per class) for early stopping, weighs every
class alike in the loss, and shows each batch of windows in one of its eight orientations
(flips and quarter turns), so that a CNN learns what surfaces look like rather than the
shapes of the coarse map's blocks.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from ..engine.protocol import EngineError, Reporter
from ..training.early_stopping import EarlyStopping

PATCH_SIZES = (1, 3, 5, 7, 15)
WIDTH = 32  # channels of the 3 x 3 convolutions
HIDDEN = 64  # units of the 1 x 1 layers


class PatchNet(nn.Module):
    """Class scores of a pixel from its centred ``patch x patch`` window (odd ``patch``)."""

    def __init__(self, bands: int, classes: int, patch: int, width: int = WIDTH, hidden: int = HIDDEN) -> None:
        super().__init__()
        if patch < 1 or patch % 2 == 0:
            raise ValueError("patch must be odd and at least 1")
        self.patch = patch
        layers: list[nn.Module] = []
        channels = bands
        for _ in range(patch // 2):
            layers += [nn.Conv2d(channels, width, 3), nn.BatchNorm2d(width), nn.ReLU(inplace=True)]
            channels = width
        layers += [
            nn.Conv2d(channels, hidden, 1), nn.ReLU(inplace=True),
            nn.Conv2d(hidden, hidden, 1), nn.ReLU(inplace=True),
            nn.Conv2d(hidden, classes, 1),
        ]
        self.layers = nn.Sequential(*layers)

    @property
    def halo(self) -> int:
        """Pixels the window reaches on each side of its centre."""
        return self.patch // 2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(n, bands, h, w)`` -> ``(n, classes, h - patch + 1, w - patch + 1)``."""
        return self.layers(x)

    def for_inference(self) -> "PatchNet":
        """A copy in eval mode with each batch normalisation folded into the convolution before it:
        the same function, one pass less over every feature map."""
        from copy import deepcopy

        from torch.nn.utils.fusion import fuse_conv_bn_eval

        net = deepcopy(self).eval()
        layers = list(net.layers)
        fused: list[nn.Module] = []
        for layer in layers:
            if isinstance(layer, nn.BatchNorm2d) and fused and isinstance(fused[-1], nn.Conv2d):
                fused[-1] = fuse_conv_bn_eval(fused[-1], layer)
            else:
                fused.append(layer)
        net.layers = nn.Sequential(*fused)
        return net


@dataclass(frozen=True)
class Normalisation:
    """Per-band mean and standard deviation the windows are scaled with."""

    mean: np.ndarray  # (bands,) float32
    std: np.ndarray

    @classmethod
    def of(cls, windows: np.ndarray) -> "Normalisation":
        """From sampled windows ``(n, bands, size, size)``."""
        data = windows.astype(np.float64)
        mean = data.mean(axis=(0, 2, 3))
        std = data.std(axis=(0, 2, 3))
        return cls(mean.astype(np.float32), np.where(std > 0, std, 1.0).astype(np.float32))

    def apply(self, data: np.ndarray, axis: int) -> np.ndarray:
        """``data`` scaled band by band; the bands run along ``axis``."""
        shape = [1] * data.ndim
        shape[axis] = -1
        return ((data.astype(np.float32) - self.mean.reshape(shape)) / self.std.reshape(shape)).astype(np.float32)


@dataclass
class TrainResult:
    """The trained network (best epoch) and what happened on the way."""

    net: PatchNet
    history: list[dict] = field(default_factory=list)
    best_epoch: int = 0
    stopped_early: bool = False
    held_out: tuple[np.ndarray, np.ndarray] = (np.empty(0, np.int64), np.empty(0, np.int64))  # (truth, pred)
    seconds: float = 0.0


def split_held_out(labels: np.ndarray, fraction: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(train, held-out) indices, stratified: ``fraction`` of each class held out, at least one
    sample of a class with two or more."""
    train, held = [], []
    for value in np.unique(labels):
        index = rng.permutation(np.flatnonzero(labels == value))
        n = int(round(fraction * len(index))) if len(index) > 1 else 0
        n = max(n, 1) if len(index) > 1 and fraction > 0 else n
        held.append(index[:n])
        train.append(index[n:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(held))


def _loss_and_predictions(net: PatchNet, x: torch.Tensor, y: torch.Tensor, batch: int) -> tuple[float, np.ndarray]:
    net.eval()
    total, predictions = 0.0, []
    with torch.no_grad():
        for start in range(0, len(y), batch):
            scores = net(x[start: start + batch]).flatten(1)
            total += float(nn.functional.cross_entropy(scores, y[start: start + batch], reduction="sum"))
            predictions.append(scores.argmax(1).cpu().numpy())
    return total / max(len(y), 1), np.concatenate(predictions) if predictions else np.empty(0, np.int64)


def dihedral(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """The batch of windows in one of the eight orientations (flips and quarter turns), drawn at random."""
    k = int(torch.randint(8, (1,), generator=generator))
    if k & 4:
        x = x.transpose(2, 3)
    return torch.flip(x, [d for d, bit in ((2, 1), (3, 2)) if k & bit]) if k & 3 else x


def batch_bounds(count: int, batch: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each batch of ``count`` samples; a lone last sample joins the batch before
    it (batch normalisation cannot train on one sample)."""
    starts = list(range(0, count, batch))
    if len(starts) > 1 and count - starts[-1] == 1:
        starts.pop()
    return list(zip(starts, [*starts[1:], count], strict=True))


def train_patch_net(windows: np.ndarray, labels: np.ndarray, classes: int, epochs: int, patience: int,
                    device: str, reporter: Reporter, seed: int = 0, held_out: float = 0.2, batch: int = 128,
                    learning_rate: float = 3e-3, progress: tuple[float, float] = (0.0, 100.0),
                    augment: bool = True) -> TrainResult:
    """Train a :class:`PatchNet` on normalised windows ``(n, bands, patch, patch)`` and class
    indices ``0..classes-1``; early stopping on the held-out part's loss (``patience`` 0: never)."""
    started = time.perf_counter()
    if epochs < 1:
        raise EngineError(f"EPOCHS must be at least 1, not {epochs}.")
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    train_index, held_index = split_held_out(labels, held_out, rng)
    if len(train_index) < 2:
        raise EngineError(f"{len(train_index)} training sample(s) left after holding out validation samples: "
                          f"CSC Refine needs at least 2.")
    patch = windows.shape[-1]
    net = PatchNet(windows.shape[1], classes, patch).to(device)
    x = torch.from_numpy(windows).to(device)
    y = torch.from_numpy(labels.astype(np.int64)).to(device)
    x_train, y_train = x[train_index], y[train_index]
    x_held, y_held = x[held_index], y[held_index]
    # Each class weighs the same in the loss, whatever its number of samples.
    counts = torch.bincount(y_train, minlength=classes).float()
    weight = torch.where(counts > 0, counts.sum() / (classes * counts.clamp(min=1)), torch.zeros_like(counts))
    optimiser = torch.optim.AdamW(net.parameters(), lr=learning_rate, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=learning_rate, total_steps=epochs * len(batch_bounds(len(train_index), batch)))
    stopping = EarlyStopping("valid_loss" if len(held_index) else "train_loss", patience)
    result = TrainResult(net)
    best_state = None
    generator = torch.Generator(device="cpu").manual_seed(seed)
    low, high = progress
    for epoch in range(1, epochs + 1):
        net.train()
        order = torch.randperm(len(train_index), generator=generator).to(device)
        total = 0.0
        for start, end in batch_bounds(len(order), batch):
            reporter.check_cancelled()
            pick = order[start:end]
            scores = net(dihedral(x_train[pick], generator) if augment else x_train[pick]).flatten(1)
            loss = nn.functional.cross_entropy(scores, y_train[pick], weight=weight.to(device))
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
            scheduler.step()
            total += float(loss.detach()) * len(pick)
        entry = {"epoch": epoch, "train_loss": total / len(order)}
        if len(held_index):
            entry["valid_loss"], predicted = _loss_and_predictions(net, x_held, y_held, 4 * batch)
            entry["valid_accuracy"] = float(np.mean(predicted == labels[held_index]))
        result.history.append(entry)
        if stopping.update(entry):
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
        reporter.progress(low + (high - low) * epoch / epochs)
        if stopping.stopped:
            break
    if stopping.diverged and best_state is None:
        raise EngineError("Training diverged (the loss is not a number); try fewer EPOCHS or more samples.")
    if best_state is not None:
        net.load_state_dict(best_state)
    net.eval()
    result.best_epoch, result.stopped_early = stopping.best_epoch, stopping.stopped and not stopping.diverged
    if len(held_index):
        _, predicted = _loss_and_predictions(net, x_held, y_held, 4 * batch)
        result.held_out = (labels[held_index].astype(np.int64), predicted.astype(np.int64))
    result.seconds = time.perf_counter() - started
    return result


__all__ = ["PATCH_SIZES", "PatchNet", "Normalisation", "TrainResult", "split_held_out", "train_patch_net"]
