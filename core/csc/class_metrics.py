"""Per-class precision, recall, F1 and support of class maps against a truth, from confusion counts.

Maps are compared block by block (:class:`Confusion` adds each block's counts), so any
image size fits in memory. The report is scikit-learn's ``classification_report`` dict,
computed from the counts as sample weights: the same numbers as on the full arrays.
"""
from __future__ import annotations

import numpy as np

AVERAGES = ("macro avg", "weighted avg")


class Confusion:
    """Counts of (truth, predicted) value pairs over uint8 class maps; truth 0 is not counted."""

    def __init__(self) -> None:
        self.counts = np.zeros((256, 256), dtype=np.int64)

    def add(self, truth: np.ndarray, predicted: np.ndarray, where: np.ndarray | None = None) -> None:
        mask = truth > 0
        if where is not None:
            mask &= where
        pairs = truth[mask].astype(np.int64) * 256 + predicted[mask].astype(np.int64)
        self.counts += np.bincount(pairs, minlength=256 * 256).reshape(256, 256)

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    def report(self, values: list[int]) -> dict:
        """scikit-learn's classification report (``output_dict=True``) over class ``values`` and
        every class of the truth, plus ``accuracy`` (predictions of 0 = unclassified count as wrong)."""
        from sklearn.metrics import accuracy_score, classification_report

        truth, predicted = np.nonzero(self.counts)
        weight = self.counts[truth, predicted].astype(np.float64)
        labels = sorted(set(values) | set(truth.tolist()))
        report = classification_report(truth, predicted, labels=labels, sample_weight=weight, output_dict=True,
                                       zero_division=0)
        report.pop("micro avg", None)
        report["accuracy"] = float(accuracy_score(truth, predicted, sample_weight=weight))
        return report


def report_rows(report: dict, names: dict[int, str], map_name: str) -> list[dict]:
    """CSV rows of a report: one per class present in truth or prediction, then accuracy and the averages."""
    rows = []
    for key, stats in report.items():
        if key in AVERAGES or key == "accuracy":
            continue
        value = int(key)
        if stats["support"] == 0 and stats["precision"] == 0:
            continue  # neither in truth nor predicted
        rows.append({"map": map_name, "class": value, "name": names.get(value, f"class {value}"),
                     **_stats(stats)})
    rows.append({"map": map_name, "class": "", "name": "accuracy", "f1": report["accuracy"],
                 "support": int(round(report["weighted avg"]["support"]))})
    for key in AVERAGES:
        rows.append({"map": map_name, "class": "", "name": key, **_stats(report[key])})
    return rows


def _stats(stats: dict) -> dict:
    return {"precision": stats["precision"], "recall": stats["recall"], "f1": stats["f1-score"],
            "support": int(round(stats["support"]))}


COLUMNS = ("map", "class", "name", "precision", "recall", "f1", "support")

__all__ = ["Confusion", "report_rows", "COLUMNS", "AVERAGES"]
