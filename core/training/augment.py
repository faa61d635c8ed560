"""Data augmentation on batches of tensors (on the training device), sample by sample.

* ``flip``: horizontal and vertical flips;
* ``rotate``: quarter turns (tiles are square);
* ``brightness``: brightness and contrast jitter of the normalised values;
* ``speckle``: SAR-like multiplicative speckle (log-normal with the spread of a few-look
  gamma speckle), applied to the physical values, i.e. ``value * s`` before normalising.

NoData pixels stay 0 (the normalised NoData value) and unlabelled.
"""
from __future__ import annotations

from typing import Sequence

import torch

from ..choices import AUGMENTATIONS as KINDS  # the names TRAIN's AUGMENT accepts

BRIGHTNESS = 0.2  # +- shift, in standard deviations
CONTRAST = 0.2  # +- relative scale
SPECKLE_PROBABILITY = 0.3
SPECKLE_LOOKS = (3.0, 12.0)  # equivalent number of looks, drawn per sample


class Augmenter:
    """Random augmentations of a batch; draws come from the generator passed in."""

    def __init__(self, kinds: Sequence[str], band_mean: Sequence[float], band_std: Sequence[float]) -> None:
        unknown = sorted(set(kinds) - set(KINDS))
        if unknown:
            raise ValueError(f"unknown augmentation(s) {unknown}")
        self.kinds = frozenset(kinds)
        # value = x * std + mean, so value * s in normalised units is x * s + (mean / std) * (s - 1)
        self.offset = torch.tensor([m / s for m, s in zip(band_mean, band_std, strict=False)], dtype=torch.float32)

    def __call__(self, x: torch.Tensor, y: torch.Tensor, valid: torch.Tensor | None,
                 gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """``x`` (B, C, T, T) normalised, ``y`` (B, T, T) class indices, ``valid`` (B, T, T) or None."""
        if not self.kinds:
            return x, y, valid
        b, dev = x.shape[0], x.device

        def draw(*shape: int) -> torch.Tensor:
            return torch.rand(*shape, generator=gen, device=gen.device).to(dev)

        if "flip" in self.kinds:
            for dim, flip in ((3, draw(b) < 0.5), (2, draw(b) < 0.5)):
                if flip.any():
                    x, y = _where(flip, x.flip(dim), x), _where(flip, y.flip(dim - 1), y)
                    valid = None if valid is None else _where(flip, valid.flip(dim - 1), valid)
        if "rotate" in self.kinds:
            turns = (draw(b) * 4).long().clamp_(max=3)
            for k in (1, 2, 3):
                sel = turns == k
                if sel.any():
                    x[sel] = torch.rot90(x[sel], k, (2, 3))
                    y[sel] = torch.rot90(y[sel], k, (1, 2))
                    if valid is not None:
                        valid[sel] = torch.rot90(valid[sel], k, (1, 2))
        if "speckle" in self.kinds:
            apply = draw(b) < SPECKLE_PROBABILITY
            if apply.any():
                lo, hi = SPECKLE_LOOKS
                looks = lo + (hi - lo) * draw(b)
                sigma = torch.sqrt(torch.log1p(1.0 / looks))[:, None, None, None]
                z = torch.randn(b, 1, x.shape[2], x.shape[3], generator=gen, device=gen.device).to(dev)
                s = torch.exp(sigma * z - sigma**2 / 2)  # mean 1
                speckled = x * s + self.offset.to(dev)[None, :, None, None] * (s - 1)
                x = _where(apply, speckled, x)
        if "brightness" in self.kinds:
            contrast = 1 + CONTRAST * (2 * draw(b) - 1)
            shift = BRIGHTNESS * (2 * draw(b) - 1)
            x = x * contrast[:, None, None, None] + shift[:, None, None, None]
        if valid is not None and {"speckle", "brightness"} & self.kinds:
            x = x * valid[:, None].to(x.dtype)
        return x, y, valid


def _where(cond: torch.Tensor, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Per-sample choice between ``a`` and ``b`` (``cond`` has one bool per sample)."""
    return torch.where(cond.view(-1, *([1] * (a.dim() - 1))), a, b)

