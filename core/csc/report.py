"""The CSC Refine report: the four-panel figure, the training curve and the metrics, as one HTML page."""
from __future__ import annotations

import html
import os

import numpy as np

from ..reports.pages import figure_png, html_page, html_table, new_figure, png_img


def _panels(previews, table: dict, weighted: dict, reference: str, patch: int) -> list[tuple[str, np.ndarray]]:
    from ..classes import colorize
    from ..reports.preview import stretched_rgb

    colours = {v: rgb for v, (_, rgb) in table.items()}

    def title(label: str, key: str) -> str:
        return f"{label} (weighted F1 {weighted[key]:.3f})" if key in weighted else label

    panels = [("Image (2-98 % stretch)", stretched_rgb(np.nan_to_num(previews.image, nan=0.0)))]
    if reference == "validation":
        panels.append(("Validation labels", colorize(previews.maps["validation"], colours)))
    panels.append((title("Coarse map", "coarse"), colorize(previews.maps["coarse"], colours)))
    panels.append((title(f"Refined, patch {patch}", "refined"), colorize(previews.maps["refined"], colours)))
    return panels


def figure_of_maps(previews, table: dict, weighted: dict, reference: str, patch: int):
    """Image, validation labels, coarse map and refined map side by side, with a class legend."""
    from matplotlib.patches import Patch

    panels = _panels(previews, table, weighted, reference, patch)
    h, w = previews.maps["refined"].shape
    cols = 2 if len(panels) == 4 else len(panels)
    rows = 2 if len(panels) == 4 else 1
    panel_w = 4.2
    fig = new_figure(panel_w * cols, rows * panel_w * h / max(w, 1) + 1.2)
    for i, (label, rgb) in enumerate(panels, start=1):
        ax = fig.add_subplot(rows, cols, i)
        ax.imshow(rgb, interpolation="nearest")
        ax.set_title(label, fontsize=9)
        ax.set_axis_off()
    handles = [Patch(color=tuple(c / 255 for c in rgb), label=f"{v} {name}") for v, (name, rgb) in table.items()]
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 4), fontsize=8, frameon=False)
    return fig


def figure_of_training(history: list[dict]):
    """Training and held-out loss per epoch."""
    fig = new_figure(6, 3)
    ax = fig.add_subplot()
    epochs = [e["epoch"] for e in history]
    ax.plot(epochs, [e["train_loss"] for e in history], label="training loss")
    if history and "valid_loss" in history[0]:
        ax.plot(epochs, [e["valid_loss"] for e in history], label="held-out loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy")
    ax.legend()
    return fig


def report_html(job: dict, settings, summary: dict, previews, table: dict, rows: list[dict],
                history: list[dict]) -> str:
    """The whole report page."""
    weighted = summary["weighted_f1"]
    reference = summary["reference"]
    setting_rows = [
        {"setting": "input", "value": os.path.basename(str(job["input"]))},
        {"setting": "coarse map", "value": os.path.basename(str(job["coarse"]))},
        {"setting": "patch size", "value": f"{settings.patch} px"},
        {"setting": "samples per class", "value": settings.samples_per_class},
        {"setting": "samples taken", "value": ", ".join(f"{k}: {v}" for k, v in summary["samples"].items())},
        {"setting": "epochs run (best)", "value": f"{summary['epochs']} ({summary['best_epoch']})"},
        {"setting": "modal filter radius", "value": f"{settings.modal_radius} px"},
        {"setting": "device", "value": summary["device"]},
        {"setting": "time", "value": f"{summary['seconds']:.1f} s"},
    ]
    note = ("Metrics against VALIDATION, on its labelled pixels where INPUT has data; a coarse pixel of class 0 "
            "(unknown) counts as wrong." if reference == "validation" else
            "No VALIDATION was given: the refined model is measured on the samples held out from training, "
            "whose labels come from the coarse map itself.")
    columns = ("map", "class", "name", "precision", "recall", "f1", "support")
    sections = [
        "<h2>Maps</h2>" + png_img(figure_png(figure_of_maps(previews, table, weighted, reference, settings.patch)),
                                  "image, validation, coarse and refined maps"),
        f"<h2>Metrics</h2><p class=\"note\">{html.escape(note)}</p>" + html_table(rows, columns, 3),
        "<h2>Training</h2>" + png_img(figure_png(figure_of_training(history)), "training curve"),
        "<h2>Settings</h2>" + html_table(setting_rows, ("setting", "value")),
    ]
    return html_page("CSC Refine report", sections)


__all__ = ["figure_of_maps", "figure_of_training", "report_html"]
