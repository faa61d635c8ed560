"""The ``preview`` command: a PNG of an image beside its class raster, for people to look at."""
from __future__ import annotations

import numpy as np

from .cli import Command, Param
from .protocol import EngineError, Reporter

MAX_SIDE = 1200  # preview pixels per panel side


def stretch(image: np.ndarray, low: float = 2, high: float = 98) -> np.ndarray:
    """Per-band percentile stretch of (bands, h, w) to uint8, ignoring zeros and NaNs."""
    out = np.zeros(image.shape, dtype=np.uint8)
    for i, band in enumerate(image.astype(np.float32)):
        valid = np.isfinite(band) & (band != 0)
        if not valid.any():
            continue
        lo, hi = np.percentile(band[valid], [low, high])
        out[i] = (np.clip((band - lo) / max(hi - lo, 1e-12), 0, 1) * 255).astype(np.uint8)
    return out


def rgb_of(image: np.ndarray, band_names: list[str]) -> np.ndarray:
    """(h, w, 3) natural colour where red/green/blue bands are named, else the first band in grey."""
    names = [n.lower() for n in band_names]
    if all(c in names for c in ("red", "green", "blue")):
        picked = image[[names.index(c) for c in ("red", "green", "blue")]]
    else:
        picked = image[[0, 0, 0]]
    return np.moveaxis(stretch(picked), 0, -1)


def colorize(classes: np.ndarray, colormap: dict[int, tuple]) -> np.ndarray:
    """(h, w, 3) colours of a class raster from its colour table (no data black)."""
    lut = np.zeros((256, 3), dtype=np.uint8)
    for value, rgba in colormap.items():
        lut[int(value)] = rgba[:3]
    lut[0] = 0
    return lut[classes]


def _read_preview(path: str, label: str, resampling):
    from .raster import open_raster

    with open_raster(path, label) as ds:
        scale = max(1.0, max(ds.width, ds.height) / MAX_SIDE)
        shape = (ds.count, max(1, round(ds.height / scale)), max(1, round(ds.width / scale)))
        data = ds.read(out_shape=shape, resampling=resampling)
        names = [d or "" for d in ds.descriptions]
        colormap = ds.colormap(1) if ds.count == 1 and ds.dtypes[0] == "uint8" and _has_colormap(ds) else None
    return data, names, colormap


def _has_colormap(ds) -> bool:
    try:
        ds.colormap(1)
        return True
    except ValueError:
        return False


def _run(job: dict, reporter: Reporter) -> dict:
    from rasterio.enums import Resampling
    from skimage.io import imsave
    from skimage.transform import resize

    image, names, _ = _read_preview(job["input"], "INPUT", Resampling.average)
    panels = [rgb_of(image, names)]
    if job.get("classes"):
        classes, _, colormap = _read_preview(job["classes"], "CLASSES", Resampling.nearest)
        if colormap is None:
            raise EngineError("CLASSES has no colour table; is it a class raster?")
        colours = colorize(classes[0], colormap)
        if colours.shape[:2] != panels[0].shape[:2]:
            colours = resize(colours, panels[0].shape[:2], order=0, preserve_range=True).astype(np.uint8)
        panels.append(colours)
    gap = np.full((panels[0].shape[0], 8, 3), 255, dtype=np.uint8)
    figure = np.concatenate([p for panel in panels for p in (panel, gap)][:-1], axis=1)
    imsave(job["output"], figure, check_contrast=False)
    reporter.progress(100)
    return {"output": job["output"], "size": [int(figure.shape[1]), int(figure.shape[0])]}


COMMAND = Command(
    name="preview",
    help="Write a PNG of a raster (2-98 % stretch) beside its class raster in the class colours.",
    run=_run,
    params=(
        Param("input", "image raster", required=True),
        Param("classes", "optional class raster with a colour table"),
        Param("output", "PNG file to write", required=True),
    ),
)
