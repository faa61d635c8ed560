"""A PNG of an image (with front lines drawn on it) beside its class raster, for people to look at."""
from __future__ import annotations

import numpy as np

from ..classes import colorize
from ..engine.cli import checked_as
from ..engine.protocol import EngineError, Reporter

MAX_SIDE = 1200  # preview pixels per panel side, at most
MIN_SIDE = 600  # small rasters are enlarged (by a whole factor) to about this
#: Colours of the drawn lines: fronts (predicted) and reference (manual) fronts.
LINE_COLOURS = {"reference": (0, 230, 255), "fronts": (255, 40, 40)}  # drawn in this order


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


def display_bands(band_names: list[str]) -> list[int]:
    """Indices (from 0) of the bands a picture shows: red, green, blue when named, else the first band."""
    names = [(n or "").lower() for n in band_names]
    if all(c in names for c in ("red", "green", "blue")):
        return [names.index(c) for c in ("red", "green", "blue")]
    return [0]


def stretched_rgb(bands: np.ndarray) -> np.ndarray:
    """(h, w, 3) uint8 of three bands (natural colour) or one (grey), each stretched 2-98 %."""
    picked = stretch(bands)
    return np.moveaxis(np.repeat(picked, 3, axis=0) if len(picked) == 1 else picked, 0, -1)


def rgb_of(image: np.ndarray, band_names: list[str]) -> np.ndarray:
    """(h, w, 3) natural colour where red/green/blue bands are named, else the first band in grey."""
    return stretched_rgb(image[display_bands(band_names)])


def preview_factor(height: int, width: int) -> float:
    """Preview pixels per raster pixel: large rasters shrink to MAX_SIDE, small ones grow
    by a whole factor towards MIN_SIDE."""
    side = max(height, width)
    if side > MAX_SIDE:
        return MAX_SIDE / side
    return float(max(1, MIN_SIDE // side))


def _read_preview(path: str, label: str, resampling):
    """``(data, band names, colour table or None, transform, factor)`` of a raster, at preview size; the
    transform is the one its fronts are in (:func:`..geo.raster.grid_transform`)."""
    from ..geo.raster import colormap_or_none, grid_transform, open_raster, quiet_georeferencing

    with quiet_georeferencing(), open_raster(path, label) as ds:
        factor = preview_factor(ds.height, ds.width)
        shape = (ds.count, max(1, round(ds.height * factor)), max(1, round(ds.width * factor)))
        if factor > 1:
            resampling = type(resampling).nearest
        data = ds.read(out_shape=shape, resampling=resampling)
        names = [d or "" for d in ds.descriptions]
        colormap = colormap_or_none(ds) if ds.count == 1 and ds.dtypes[0] == "uint8" else None
        transform = grid_transform(ds)  # where the fronts of a raster without georeferencing lie too
    return data, names, colormap, transform, factor


def draw_lines(panel: np.ndarray, lines: list[np.ndarray], transform, factor: float,
               colour: tuple[int, int, int], width: int = 2) -> None:
    """Draw map-coordinate lines onto an (h, w, 3) preview panel, in place."""
    from skimage.draw import disk, line

    from ..geo.lines import map_to_pixel

    h, w = panel.shape[:2]
    for xy in lines:
        rc = (map_to_pixel(xy, transform) + 0.5) * factor - 0.5
        for (r0, c0), (r1, c1) in zip(rc[:-1], rc[1:], strict=False):
            rr, cc = line(int(round(r0)), int(round(c0)), int(round(r1)), int(round(c1)))
            for r, c in zip(rr, cc, strict=False):
                dr, dc = disk((r, c), width / 2 + 0.5, shape=(h, w))
                panel[dr, dc] = colour


@checked_as("preview")
def preview_job(job: dict, reporter: Reporter) -> dict:
    from rasterio.enums import Resampling
    from skimage.io import imsave
    from skimage.transform import resize

    image, names, _, transform, factor = _read_preview(job["input"], "INPUT", Resampling.average)
    panels = [rgb_of(image, names)]
    drawn = {}
    for key, colour in LINE_COLOURS.items():
        if job.get(key):
            from ..geo.vector import read_vector

            lines = read_vector(job[key], key.upper()).lines()
            draw_lines(panels[0], lines, transform, factor, colour)
            drawn[key] = len(lines)
    if job.get("classes"):
        classes, _, colormap, _, _ = _read_preview(job["classes"], "CLASSES", Resampling.nearest)
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
    return {"output": job["output"], "size": [int(figure.shape[1]), int(figure.shape[0])], "lines": drawn}
