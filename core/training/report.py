"""The HTML training report: one self-contained file with its figures embedded.

Loss and metric curves per epoch, the learning-rate range test, a grid of (augmented)
training tiles with their labels, ground truth beside prediction on validation tiles,
and per-class precision / recall / F1 / IoU / Dice of the best epoch.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..classes import GREY, hex_rgb
from ..engine.protocol import EngineError
from ..geo.raster import atomic_output
from ..reports.pages import figure_png, html_page, html_table, new_figure, png_img
from ..reports.preview import rgb_of
from .losses import IGNORE

#: The summary row that names the training data.
DATASETS_ROW = "Datasets"


@dataclass
class ReportData:
    name: str
    config: Any  # TrainConfig
    classes: list  # DatasetClass
    band_names: list[str]
    history: list[dict]
    best_epoch: int
    lr: float
    lr_find: Any  # LrFindResult or None
    split: Any  # Split
    weights: list[float]
    device: str
    batch_sample: tuple[np.ndarray, np.ndarray]  # images (N, C, T, T) normalised, labels (N, T, T)
    results: tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]  # images, truth, prediction
    results_are_validation: bool
    seconds: float


def _img(fig, alt: str) -> str:
    return png_img(figure_png(fig), alt)


def _lut(classes: list) -> np.ndarray:
    """Class index -> RGB (IGNORE -> black)."""
    lut = np.zeros((256, 3), dtype=np.uint8)
    for i, c in enumerate(classes):
        lut[i] = hex_rgb(c.color, GREY)
    return lut


def _overlay(image_rgb: np.ndarray, labels: np.ndarray, lut: np.ndarray, alpha: float = 0.45) -> np.ndarray:
    out = image_rgb.astype(np.float32)
    labelled = labels != IGNORE
    out[labelled] = (1 - alpha) * out[labelled] + alpha * lut[labels[labelled]]
    return out.astype(np.uint8)


def curves_figure(history: list[dict], best_epoch: int, class_names: list[str]):
    epochs = [h["epoch"] for h in history]
    fig = new_figure(11, 3.6)
    ax = fig.add_subplot(1, 2, 1)
    ax.plot(epochs, [h["train_loss"] for h in history], "o-", label="training")
    if any("valid_loss" in h for h in history):
        ax.plot(epochs, [h.get("valid_loss") for h in history], "o-", label="validation")
    ax.axvline(best_epoch, color="grey", ls=":", label=f"best epoch ({best_epoch})")
    ax.set(xlabel="epoch", ylabel="loss", title="Loss")
    ax.legend()
    ax = fig.add_subplot(1, 2, 2)
    if any("mean_iou" in h for h in history):
        for key, label in (("mean_iou", "mean IoU"), ("mean_f1", "mean F1"), ("accuracy", "accuracy")):
            ax.plot(epochs, [h[key] for h in history], "o-", label=label)
        for name in class_names:
            ax.plot(epochs, [h["per_class"][name]["f1"] for h in history], "--", label=f"F1 {name}")
        ax.set_ylim(0, 1)
        ax.legend(fontsize="small")
    else:
        ax.text(0.5, 0.5, "no validation", ha="center", va="center", transform=ax.transAxes)
    ax.axvline(best_epoch, color="grey", ls=":")
    ax.set(xlabel="epoch", title="Validation metrics")
    return fig


def lr_figure(result):
    fig = new_figure(6, 3.6)
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(result.lrs, result.losses)
    ax.set_xscale("log")
    for value, label, style in ((result.valley, "valley", "o"), (result.steepest, "steepest", "s")):
        if value is not None:
            i = int(np.argmin(np.abs(np.log(np.array(result.lrs)) - np.log(value))))
            ax.plot([result.lrs[i]], [result.losses[i]], style, label=f"{label} {value:.1e}")
    ax.set(xlabel="learning rate", ylabel="smoothed loss", title=f"Learning-rate range test: {result.suggestion:.1e}")
    ax.legend()
    return fig


def batch_figure(images: np.ndarray, labels: np.ndarray, band_names: list[str], lut: np.ndarray):
    n = len(images)
    cols = min(4, n)
    rows = int(np.ceil(n / cols))
    fig = new_figure(2.6 * cols, 2.6 * rows + 0.4)
    for i in range(n):
        ax = fig.add_subplot(rows, cols, i + 1)
        ax.imshow(_overlay(rgb_of(images[i], band_names), labels[i], lut))
        ax.axis("off")
    fig.suptitle("Training tiles (augmented) with their labels")
    return fig


def results_figure(images: np.ndarray, truth: np.ndarray, pred: np.ndarray, band_names: list[str],
                   lut: np.ndarray, validation: bool):
    n = len(images)
    fig = new_figure(8, 2.7 * n + 0.4)
    for i in range(n):
        rgb = rgb_of(images[i], band_names)
        shown = np.where(truth[i] == IGNORE, IGNORE, pred[i])  # NoData / unlabelled stay black
        for j, (panel, title) in enumerate(((rgb, "image"), (lut[truth[i]], "ground truth"),
                                            (lut[shown], "prediction"))):
            ax = fig.add_subplot(n, 3, 3 * i + j + 1)
            ax.imshow(panel, interpolation="nearest")
            ax.axis("off")
            if i == 0:
                ax.set_title(title)
    fig.suptitle(f"{'Validation' if validation else 'Training'} tiles: ground truth and prediction (best epoch)")
    return fig


def _table(rows: list[list], header: list[str]) -> str:
    """An HTML table of list rows under ``header`` (values as given)."""
    return html_table([dict(zip(header, r, strict=False)) for r in rows], header)


def _fmt(v) -> str:
    return "" if v is None else f"{v:.4f}" if isinstance(v, float) else str(v)


def render(data: ReportData) -> str:
    """The report's HTML."""
    cfg, split = data.config, data.split
    names = [c.name for c in data.classes]
    lut = _lut(data.classes)
    best = data.history[data.best_epoch - 1]
    held = split.validation_sources
    held_text = ", ".join(held[:12]) + (" ..." if len(held) > 12 else "")
    summary = [
        ["Model", data.name], ["Architecture", cfg.architecture],
        [DATASETS_ROW, "; ".join(str(Path(d).absolute()) for d in cfg.datasets)],
        ["Split", split.how],
        ["Training", f"{len(split.train)} tiles from {len(split.train_sources)} image(s)"],
        ["Validation", f"{len(split.validation)} tiles from {len(held)} image(s): {held_text}"],
        ["Epochs", f"{len(data.history)} of {cfg.epochs} run; best epoch {data.best_epoch} (by {cfg.monitor})"],
        ["Batch size", cfg.batch_size], ["Peak learning rate", f"{data.lr:.2e}"],
        ["Augmentation", ", ".join(cfg.augment) or "none"],
        ["Loss", f"cross-entropy ({cfg.class_weighting} class weights) + {cfg.dice_weight:g} x Dice"],
        ["Device", data.device], ["Time", f"{data.seconds:.0f} s"],
    ]
    parts = [_table(summary, ["", "value"])]
    parts.append("<h2>Loss and metrics per epoch</h2>")
    parts.append(_img(curves_figure(data.history, data.best_epoch, names), "loss and metric curves"))
    if "per_class" in best:
        rows = [[n, *(_fmt(best["per_class"][n][k]) for k in ("precision", "recall", "f1", "iou", "dice")),
                 best["per_class"][n]["support"], f"{w:.3f}"] for n, w in zip(names, data.weights, strict=False)]
        parts.append(f"<h2>Per-class validation metrics (epoch {data.best_epoch})</h2>")
        parts.append(_table(rows, ["class", "precision", "recall", "F1", "IoU", "Dice (soft)", "pixels",
                                   "loss weight"]))
        parts.append(f"<p>Accuracy {_fmt(best['accuracy'])}, mean IoU {_fmt(best['mean_iou'])}, mean F1 "
                     f"{_fmt(best['mean_f1'])}, validation loss {_fmt(best['valid_loss'])}.</p>")
    if data.lr_find is not None and data.lr_find.lrs:
        parts.append("<h2>Learning-rate range test</h2>")
        parts.append(_img(lr_figure(data.lr_find), "learning-rate range test"))
    images, labels = data.batch_sample
    if len(images):
        parts.append("<h2>A training batch</h2>")
        parts.append(_img(batch_figure(images, labels, data.band_names, lut), "training tiles"))
    shown, truth, pred = data.results
    if shown is not None and truth is not None and pred is not None and len(shown):
        parts.append("<h2>Ground truth and prediction</h2>")
        parts.append(_img(results_figure(shown, truth, pred, data.band_names, lut, data.results_are_validation),
                          "ground truth and prediction"))
    swatch = "display:inline-block;width:1em;height:1em;margin:0 4px 0 12px;vertical-align:middle;border:1px solid #888"
    legend = "".join(f'<span style="{swatch};background:{html.escape(c.color)}"></span>{html.escape(c.name)} '
                     for c in data.classes)
    parts.append(f"<p>Classes: {legend}</p>")
    rows = [[h["epoch"], _fmt(h["train_loss"]), _fmt(h.get("valid_loss")), _fmt(h.get("mean_iou")),
             _fmt(h.get("mean_f1")), f"{h['lr']:.2e}", h["seconds"], h["tiles_per_second"]] for h in data.history]
    parts.append("<h2>History</h2>")
    parts.append(_table(rows, ["epoch", "train loss", "valid loss", "mean IoU", "mean F1", "learning rate",
                               "seconds", "tiles/s"]))
    return html_page(f"Training report: {data.name}", parts)


def write_report(path: Path, data: ReportData) -> Path:
    """Render and write the report atomically."""
    text = render(data)
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


def rename_datasets(path: Path, description: str) -> Path:
    """Rewrite a written report's datasets row to ``description`` (atomically): a shipped package
    names the data it was trained on, not the folders of the machine that trained it."""
    row = re.compile(rf"(<tr><td>{DATASETS_ROW}</td><td>)[^<]*(</td></tr>)")
    text, found = row.subn(lambda m: m.group(1) + html.escape(description) + m.group(2),
                           path.read_text(encoding="utf-8"), count=1)
    if not found:
        raise EngineError(f"{path} has no {DATASETS_ROW} row: not a training report.")
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path
