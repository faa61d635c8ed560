"""Segmentation metrics from a confusion matrix: per-class precision, recall, F1, IoU,
plus the soft Dice of the predicted probabilities."""
from __future__ import annotations

import torch

from .losses import IGNORE


class MetricAccumulator:
    """Sums over batches: the confusion matrix and the soft-Dice terms, per class."""

    def __init__(self, n_classes: int, device: torch.device) -> None:
        self.n = n_classes
        self.confusion = torch.zeros(n_classes, n_classes, dtype=torch.float64, device=device)
        self.soft = torch.zeros(3, n_classes, dtype=torch.float64, device=device)  # sum p*t, sum p, sum t
        self.loss = torch.zeros(2, dtype=torch.float64, device=device)  # loss * tiles, tiles

    def add(self, logits: torch.Tensor, target: torch.Tensor, loss: torch.Tensor | None = None) -> None:
        logits = logits.float()
        keep = target != IGNORE
        pred = logits.argmax(1)
        t, p = target[keep], pred[keep]
        self.confusion += torch.bincount(t * self.n + p, minlength=self.n * self.n).view(self.n, self.n).double()
        prob = torch.softmax(logits, 1).permute(0, 2, 3, 1)[keep]  # (pixels, classes)
        onehot = torch.nn.functional.one_hot(t, self.n).double()
        self.soft[0] += (prob.double() * onehot).sum(0)
        self.soft[1] += prob.double().sum(0)
        self.soft[2] += onehot.sum(0)
        if loss is not None:
            self.loss[0] += float(loss) * target.shape[0]
            self.loss[1] += target.shape[0]

    def tensors(self) -> list[torch.Tensor]:
        """The sums to add up over processes."""
        return [self.confusion, self.soft, self.loss]


def summarise(acc: MetricAccumulator, names: list[str]) -> dict:
    """Loss, accuracy, mean IoU / F1 (over classes with pixels in the truth or the
    prediction) and a per-class table."""
    cm = acc.confusion.cpu()
    tp = cm.diag()
    truth, predicted = cm.sum(1), cm.sum(0)
    per_class, ious, f1s = {}, [], []
    inter, psum, tsum = (acc.soft[i].cpu() for i in range(3))
    for i, name in enumerate(names):
        t, p, hit = float(truth[i]), float(predicted[i]), float(tp[i])
        precision = hit / p if p else 0.0
        recall = hit / t if t else 0.0
        f1 = 2 * hit / (t + p) if t + p else 0.0
        iou = hit / (t + p - hit) if t + p - hit else 0.0
        dice = float(2 * inter[i] / (psum[i] + tsum[i])) if float(psum[i] + tsum[i]) else 0.0
        per_class[name] = {"precision": precision, "recall": recall, "f1": f1, "iou": iou, "dice": dice,
                           "support": int(t)}
        if t or p:
            ious.append(iou)
            f1s.append(f1)
    total = float(cm.sum())
    loss_sum, tiles = (float(v) for v in acc.loss.cpu())
    return {
        "loss": loss_sum / tiles if tiles else None,
        "accuracy": float(tp.sum()) / total if total else 0.0,
        "mean_iou": sum(ious) / len(ious) if ious else 0.0,
        "mean_f1": sum(f1s) / len(f1s) if f1s else 0.0,
        "per_class": per_class,
    }
