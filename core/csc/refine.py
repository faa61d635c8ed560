"""CNN-Supervised Classification of one image from a coarse map (the ``csc_refine`` job).

Three passes over the image, each strip by strip or block by block, so memory does not
grow with the image: (1) sample training pixels from the coarse map
(:mod:`.sampling`), (2) cut their windows out of the image, then train the image's
own :class:`.model.PatchNet`; (3) classify every pixel fully convolutionally
(:mod:`.inference`), modal-filter, write the refined class raster, and count the
coarse and refined maps against VALIDATION. Metrics (CSV) and a report (HTML) follow.
"""
from __future__ import annotations

import math
import os
import time
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..classes import write_class_legend
from ..engine.cli import checked_as
from ..engine.protocol import EngineError, Reporter

if TYPE_CHECKING:  # torch is imported only when a job runs
    from .model import Normalisation, PatchNet, TrainResult
    from .sampling import Samples

STRIP = 256  # rows per strip in the sampling passes
PREVIEW = 800  # report panels' longest side, pixels
MIN_SAMPLES = 10


@dataclass(frozen=True)
class Settings:
    patch: int
    samples_per_class: int
    epochs: int
    patience: int
    modal_radius: int
    seed: int

    @property
    def halo(self) -> int:
        return self.patch // 2


def job_settings(job: dict) -> Settings:
    """The job's numbers, checked; a one-line EngineError for any out of range."""
    patch = job["patch_size"]
    if patch % 2 == 0:
        raise EngineError(f"PATCH_SIZE must be odd (1, 3, 5, 7, 15, ...), not {patch}.")
    return Settings(patch, job["samples_per_class"], job["epochs"], job["patience"], job["modal_filter"], job["seed"])


def class_table(coarse, values: list[int]) -> dict[int, tuple[str, tuple[int, int, int]]]:
    """Name and colour of each class value: COARSE's own where it has them; otherwise SEE_ICE's
    seven surface classes, matched by name when COARSE names its classes, else by value."""
    from ..classes import SURFACE_CLASSES, hex_rgb

    known = {c.value: c for c in coarse.classes(values)}
    by_name = {name: rgb for name, rgb in SURFACE_CLASSES.values()}
    palette = list(by_name.values())
    table = {}
    for v in values:
        default_name, default_rgb = SURFACE_CLASSES.get(v, (f"class {v}", palette[(v - 1) % len(palette)]))
        c = known.get(v)
        name = c.name if c is not None and c.name != f"class {v}" else default_name
        colour = hex_rgb(c.color) if c is not None and c.color else by_name.get(name.lower(), default_rgb)
        table[v] = (name, colour)
    return table


# --- reading ------------------------------------------------------------------------


def read_block(ds, bands: list[int], rows: tuple[int, int], cols: tuple[int, int], margin: int):
    """``(image float32 (bands, h, w), valid, inside)`` of rows x cols grown by ``margin`` on each
    side, mirrored beyond the image's edges; ``inside`` marks pixels inside the image."""
    from rasterio.windows import Window

    from ..geo.raster import valid_pixels
    from .inference import mirrored

    r0, r1 = rows[0] - margin, rows[1] + margin
    c0, c1 = cols[0] - margin, cols[1] + margin
    rr0, rr1, cc0, cc1 = max(r0, 0), min(r1, ds.height), max(c0, 0), min(c1, ds.width)
    window = Window(cc0, rr0, cc1 - cc0, rr1 - rr0)
    data = ds.read(bands, window=window).astype(np.float32)
    valid = valid_pixels(ds, bands, window, data)
    data = np.where(valid, data, np.float32(0))  # NaN never reaches a patch
    pads = (rr0 - r0, r1 - rr1, cc0 - c0, c1 - cc1)
    inside = np.zeros((r1 - r0, c1 - c0), dtype=bool)
    inside[pads[0]: pads[0] + data.shape[1], pads[2]: pads[2] + data.shape[2]] = True
    return mirrored(data, *pads), mirrored(valid[None], *pads)[0], inside


def _window(r0: int, r1: int, c0: int, c1: int):
    from rasterio.windows import Window

    return Window(c0, r0, c1 - c0, r1 - r0)


def _chip(labels, ds, r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
    """Class values of ``labels`` on INPUT's pixels rows x cols."""
    from rasterio.windows import transform as window_transform

    window = _window(r0, r1, c0, c1)
    return labels.chip(window, (r1 - r0, c1 - c0), window_transform(window, ds.transform))


def sample_pixels(ds, bands: list[int], coarse, settings: Settings, reporter: Reporter) -> Samples:
    """Pass 1: stratified samples of the coarse map where the whole window is valid image."""
    from ..geo.raster import valid_pixels
    from .sampling import StratifiedSample, strip_eligible

    h = settings.halo
    sampler = StratifiedSample(settings.samples_per_class, settings.seed)
    for r0 in range(0, ds.height, STRIP):
        reporter.check_cancelled()
        r1 = min(r0 + STRIP, ds.height)
        top, bottom = min(h, r0), min(h, ds.height - r1)
        window = _window(r0 - top, r1 + bottom, 0, ds.width)
        valid = valid_pixels(ds, bands, window)
        labels = _chip(coarse, ds, r0, r1, 0, ds.width)
        sampler.add(labels, strip_eligible(valid, labels, h, top, bottom), r0)
        reporter.progress(10.0 * r1 / ds.height)
    return sampler.result()


def sample_windows(ds, bands: list[int], samples, halo: int, reporter: Reporter) -> np.ndarray:
    """Pass 2: the samples' windows ``(n, bands, patch, patch)``, float32, strip by strip."""
    from .sampling import patch_windows

    size = 2 * halo + 1
    windows = np.empty((len(samples), len(bands), size, size), dtype=np.float32)
    for r0 in range(0, ds.height, STRIP):
        reporter.check_cancelled()
        r1 = min(r0 + STRIP, ds.height)
        lo, hi = np.searchsorted(samples.rows, [r0, r1])
        if hi > lo:
            top = max(r0 - halo, 0)
            data = ds.read(bands, window=_window(top, min(r1 + halo, ds.height), 0, ds.width))
            windows[lo:hi] = patch_windows(data, samples.rows[lo:hi] - top, samples.cols[lo:hi], halo)
        reporter.progress(10.0 + 5.0 * r1 / ds.height)
    return windows


# --- the job ------------------------------------------------------------------------


class Previews:
    """Every ``step``-th pixel of the image and maps, collected block by block for the report."""

    def __init__(self, height: int, width: int, bands: int) -> None:
        self.step = max(1, math.ceil(max(height, width) / PREVIEW))
        shape = (math.ceil(height / self.step), math.ceil(width / self.step))
        self.image = np.zeros((bands, *shape), dtype=np.float32)
        self.maps = {name: np.zeros(shape, dtype=np.uint8) for name in ("validation", "coarse", "refined")}

    def add(self, r0: int, c0: int, image: np.ndarray | None = None, **maps: np.ndarray) -> None:
        s = self.step
        dr, dc = -r0 % s, -c0 % s  # first row / column of the block on the preview grid
        pr, pc = (r0 + dr) // s, (c0 + dc) // s
        pairs: list[tuple[np.ndarray, np.ndarray | None]] = [(self.image, image)]
        pairs += [(self.maps[k], v) for k, v in maps.items()]
        for target, data in pairs:
            if data is None:
                continue
            part = data[..., dr::s, dc::s]
            target[..., pr: pr + part.shape[-2], pc: pc + part.shape[-1]] = part


def _report_rows(confusions: dict, values: list[int], names: dict[int, str], reference: str) -> tuple[list, dict]:
    from .class_metrics import report_rows

    rows, weighted = [], {}
    for map_name, confusion in confusions.items():
        report = confusion.report(values)
        weighted[map_name] = report["weighted avg"]["f1-score"]
        rows += [{"reference": reference, **r} for r in report_rows(report, names, map_name)]
    return rows, weighted


@dataclass
class Learnt:
    """What the image taught its own network: the classes, their legend, the samples, the input
    normalisation and the trained network."""

    values: list[int]
    table: dict[int, tuple[str, tuple[int, int, int]]]
    samples: Samples
    norm: Normalisation
    trained: TrainResult
    net: PatchNet

    @property
    def names(self) -> dict[int, str]:
        return {v: n for v, (n, _) in self.table.items()}


def learn(ds, bands: list[int], coarse, settings: Settings, device: str, reporter: Reporter) -> Learnt:
    """Sample the coarse map's classes on the image, cut their windows and train the image's network."""
    from .model import Normalisation, train_patch_net

    samples = sample_pixels(ds, bands, coarse, settings, reporter)
    values = sorted(samples.eligible)
    table = class_table(coarse, values)
    names = {v: n for v, (n, _) in table.items()}
    if not values:
        raise EngineError(f"COARSE has no class on INPUT's valid pixels away from the image's edge "
                          f"(windows of {settings.patch} x {settings.patch} px): nothing to learn.")
    if len(values) == 1:
        raise EngineError(f"COARSE has one class only ({values[0]} {names[values[0]]}) on INPUT's valid "
                          "pixels: nothing to learn; CSC needs at least two classes.")
    few = [f"{v} {names[v]} ({n})" for v, n in samples.eligible.items() if n < MIN_SAMPLES]
    if few:
        reporter.warning(f"Classes with fewer than {MIN_SAMPLES} pixels to sample: {', '.join(few)}.")
    reporter.info(f"{len(samples)} samples of {len(values)} classes: "
                  + ", ".join(f"{v} {names[v]} {min(n, settings.samples_per_class)}"
                              for v, n in samples.eligible.items()) + ".")
    windows = sample_windows(ds, bands, samples, settings.halo, reporter)
    norm = Normalisation.of(windows)
    windows = norm.apply(windows, axis=1)
    index_of = np.zeros(256, dtype=np.int64)
    index_of[values] = np.arange(len(values))
    trained = train_patch_net(windows, index_of[samples.classes], len(values), settings.epochs,
                              settings.patience, device, reporter, seed=settings.seed, progress=(15.0, 60.0))
    del windows
    reporter.info(f"Trained {len(trained.history)} epoch(s) in {trained.seconds:.1f} s; best epoch "
                  f"{trained.best_epoch}" + (" (stopped early)." if trained.stopped_early else "."))
    return Learnt(values, table, samples, norm, trained, trained.net.for_inference())


def write_refined(ds, bands: list[int], coarse, validation, learnt: Learnt, settings: Settings, device: str,
                  path, reporter: Reporter) -> tuple[dict, Previews]:
    """Classify the image block by block into the class raster at ``path``; the confusions of the
    coarse and refined maps against VALIDATION (empty without it) and the report's previews."""
    import rasterio

    from ..geo.raster import GTIFF_PROFILE
    from ..reports.preview import display_bands
    from .class_metrics import Confusion
    from .inference import blocks, classify_block

    lut = np.array(learnt.values, dtype=np.uint8)
    margin = settings.halo + settings.modal_radius
    confusions = {"coarse": Confusion(), "refined": Confusion()} if validation else {}
    rgb_bands = display_bands(list(ds.descriptions))
    previews = Previews(ds.height, ds.width, len(rgb_bands))
    profile = {**GTIFF_PROFILE, "width": ds.width, "height": ds.height, "count": 1, "dtype": "uint8",
               "nodata": 0, "crs": ds.crs, "transform": ds.transform}
    block_list = blocks(ds.height, ds.width)
    with rasterio.open(path, "w", **profile) as dst:
        write_class_legend(dst, learnt.table, method="csc", patch_size=str(settings.patch))
        for i, (r0, r1, c0, c1) in enumerate(block_list, start=1):
            reporter.check_cancelled()
            image, valid, inside = read_block(ds, bands, (r0, r1), (c0, c1), margin)
            raw = image[rgb_bands, margin: margin + r1 - r0, margin: margin + c1 - c0]
            inner = valid[margin: margin + r1 - r0, margin: margin + c1 - c0]
            refined = classify_block(learnt.net, learnt.norm.apply(image, axis=0), valid, inside, lut,
                                     settings.modal_radius, device)
            dst.write(refined, 1, window=_window(r0, r1, c0, c1))
            maps = {"refined": refined, "coarse": _chip(coarse, ds, r0, r1, c0, c1)}
            if validation:
                maps["validation"] = _chip(validation, ds, r0, r1, c0, c1)
                confusions["coarse"].add(maps["validation"], maps["coarse"], inner)
                confusions["refined"].add(maps["validation"], refined, inner)
            previews.add(r0, c0, np.where(inner, raw, np.nan), **maps)
            reporter.progress(60.0 + 38.0 * i / len(block_list))
    return confusions, previews


def measured(confusions: dict, coarse, learnt: Learnt) -> tuple[list, dict, dict]:
    """The metric rows, the weighted F1 per map and the legend of every class met: against VALIDATION's
    labels when ``confusions`` holds them, else the refined classes of the held-out coarse samples."""
    from .class_metrics import Confusion

    if confusions:
        if not any(c.total for c in confusions.values()):
            raise EngineError("VALIDATION has no labelled pixel on INPUT's valid pixels.")
        truth_values = np.flatnonzero(confusions["refined"].counts.sum(axis=1)).tolist()
        table = class_table(coarse, sorted(set(learnt.values) | set(truth_values)))
        names = {v: n for v, (n, _) in table.items()}
        rows, weighted = _report_rows(confusions, learnt.values, names, "validation")
        return rows, weighted, table
    held = Confusion()
    lut = np.array(learnt.values, dtype=np.uint8)
    truth, predicted = learnt.trained.held_out
    held.add(lut[truth][None], lut[predicted][None])
    rows, weighted = _report_rows({"refined": held}, learnt.values, learnt.names, "held-out coarse samples")
    return rows, weighted, learnt.table


@checked_as("csc_refine")
def refine_job(job: dict, reporter: Reporter) -> dict:
    """The ``csc_refine`` command: open the inputs, learn, write the refined map, measure, report."""
    from ..data.labels import open_labels
    from ..geo.raster import atomic_output, open_raster, quiet_georeferencing
    from ..reports.pages import csv_text, write_files
    from ..segmentation.inference import pick_device

    started = time.perf_counter()
    settings = job_settings(job)
    device = pick_device(job["device"])
    with ExitStack() as stack:
        stack.enter_context(quiet_georeferencing())
        ds = stack.enter_context(open_raster(job["input"], "INPUT"))
        bands = list(range(1, ds.count + 1))
        coarse = open_labels(str(job["coarse"]), ds, job["class_field"], None, "COARSE")
        stack.callback(coarse.close)
        if coarse.regridded:
            reporter.warning(coarse.regridded + ".")
        validation = None
        if job["validation"]:
            validation = open_labels(str(job["validation"]), ds, job["validation_field"] or job["class_field"],
                                     None, "VALIDATION")
            stack.callback(validation.close)
            if validation.regridded:
                reporter.warning(validation.regridded + ".")

        learnt = learn(ds, bands, coarse, settings, device, reporter)
        output = os.path.abspath(job["output"])
        confusions, previews = write_refined(ds, bands, coarse, validation, learnt, settings, device,
                                             stack.enter_context(atomic_output(output)), reporter)
        rows, weighted, table = measured(confusions, coarse, learnt)
        names = {v: n for v, (n, _) in table.items()}
        outputs = {}
        if job["output_metrics"]:
            from .class_metrics import COLUMNS

            outputs[os.path.abspath(job["output_metrics"])] = csv_text(rows, ("reference", *COLUMNS), 4)
        summary = {
            "output": output, "classes": {str(v): names[v] for v in learnt.values},
            "samples": {str(v): min(n, settings.samples_per_class) for v, n in learnt.samples.eligible.items()},
            "epochs": len(learnt.trained.history), "best_epoch": learnt.trained.best_epoch,
            "weighted_f1": {k: round(v, 4) for k, v in weighted.items()},
            "reference": "validation" if validation else "held-out coarse samples",
            "device": device, "seconds": round(time.perf_counter() - started, 2),
        }
        if job["report"]:
            from .report import report_html

            outputs[os.path.abspath(job["report"])] = report_html(
                job, settings, summary, previews, table, rows, learnt.trained.history)
        write_files(outputs)
    reporter.progress(100.0)
    summary["outputs"] = sorted(outputs)
    return summary
