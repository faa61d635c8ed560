"""The training loss: class-weighted cross-entropy plus Dice, so that thin classes (fronts)
weigh as much as they matter rather than as much as they cover."""
from __future__ import annotations

from typing import Sequence

import torch

IGNORE = 255  # label index of unlabelled and NoData pixels
MAX_WEIGHT = 100.0


def class_weights(pixels: Sequence[int], scheme: str, roles: Sequence[str] = ()) -> list[float]:
    """Cross-entropy weights from pixel counts: ``none`` (all 1), ``sqrt`` (inverse square
    root of the frequency) or ``inverse`` (inverse frequency), mean 1; or ``front`` (the
    classes whose role in ``roles`` is front get the inverse square root of their share of an
    average class's pixels, the zones 1). Capped at 100."""
    n = len(pixels)
    if scheme == "none" or n == 0:
        return [1.0] * n
    total = float(sum(pixels))
    rarity = [total / (n * max(p, 1)) for p in pixels]  # an average class's pixels over this class's
    if scheme == "front":
        if "front" not in roles:
            raise ValueError("front needs a class whose role is front")
        return [min(MAX_WEIGHT, max(1.0, q**0.5)) if r == "front" else 1.0 for q, r in zip(rarity, roles, strict=True)]
    power = {"sqrt": 0.5, "inverse": 1.0}[scheme]
    raw = [q**power for q in rarity]
    mean = sum(raw) / n
    return [min(MAX_WEIGHT, w / mean) for w in raw]


class SegmentationLoss(torch.nn.Module):
    """``CE(weights) + dice_weight * (1 - Dice)``, ignoring :data:`IGNORE` pixels.

    Dice is the soft Dice of segmentation-models-pytorch, averaged over the classes
    present in the batch.
    """

    def __init__(self, weights: Sequence[float], dice_weight: float) -> None:
        super().__init__()
        from segmentation_models_pytorch.losses import DiceLoss

        self.weights: torch.Tensor
        self.register_buffer("weights", torch.tensor(list(weights), dtype=torch.float32))
        self.dice_weight = float(dice_weight)
        self.dice = DiceLoss(mode="multiclass", from_logits=True, ignore_index=IGNORE)

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        logits = logits.float()
        if not (target != IGNORE).any():
            return logits.sum() * 0.0  # keeps the graph; nothing to learn from this batch
        loss = torch.nn.functional.cross_entropy(logits, target, weight=self.weights, ignore_index=IGNORE)
        if self.dice_weight:
            loss = loss + self.dice_weight * self.dice(logits, target)
        return loss
