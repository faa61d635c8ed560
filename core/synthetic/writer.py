"""Writing a synthetic scene: its image and truths as tiled GeoTIFFs strip by strip, its front as
GeoJSON, each through :func:`..geo.raster.atomic_output`; and the ``synthetic`` job."""
from __future__ import annotations

import contextlib
import json
import os
import time
import warnings
from dataclasses import asdict
from typing import Any

import numpy as np

from ..classes import SURFACE_CLASSES, write_class_legend
from ..engine.cli import checked_as
from ..engine.protocol import EngineError, Reporter
from ..geo.raster import atomic_output
from .scenes import REFLECTANCE_SCALE, ZONE_CLASSES, SceneSpec, image_pixels, surface_pixels, zones_from_surface


def _crs_and_units(spec: SceneSpec):
    """rasterio CRS (or None) and the CRS's linear unit in metres (None if not linear)."""
    if spec.crs is None:
        return None, None
    from rasterio.crs import CRS
    from rasterio.errors import CRSError

    try:
        crs = CRS.from_user_input(spec.crs)
    except CRSError as exc:
        raise EngineError(f"Unknown CRS {spec.crs!r}: {exc}") from None
    metres = None
    if crs.is_projected:
        try:
            metres = float(crs.linear_units_factor[1])
        except Exception:  # noqa: BLE001 - units are optional information
            metres = None
    return crs, metres


def _front_geojson(spec: SceneSpec, crs, metres: float | None) -> dict:
    px = spec.front_line_px()
    coords = spec.front_line_map()
    seg = np.hypot(*np.diff(coords, axis=0).T).sum() if len(coords) > 1 else 0.0
    seg_px = np.hypot(*np.diff(px, axis=0).T).sum() if len(px) > 1 else 0.0
    digits = 3 if spec.crs is not None else 4
    collection: dict[str, Any] = {"type": "FeatureCollection", "name": "synthetic_front"}
    if crs is not None:
        epsg = crs.to_epsg()
        if epsg is not None:
            collection["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}}
    collection["features"] = [
        {
            "type": "Feature",
            "properties": {
                "source": f"synthetic seed={spec.seed}",
                "date": None,
                "method": "synthetic truth",
                "length_m": round(float(seg) * metres, 3) if metres else None,
                "length_px": round(float(seg_px), 3),
                "kind": spec.kind,
                "seed": spec.seed,
                "width": spec.width,
                "height": spec.height,
                "cell_size": spec.cell_size,
                "crs": spec.crs,
                "front_fraction": spec.front_fraction,
            },
            "geometry": {
                "type": "LineString",
                "coordinates": [[round(float(x), digits), round(float(y), digits)] for x, y in coords],
            },
        }
    ]
    return collection


def write_scene(
    spec: SceneSpec,
    image_path: str,
    surface_path: str | None = None,
    zones_path: str | None = None,
    front_path: str | None = None,
    block: int = 1024,
    reporter: Reporter | None = None,
) -> dict:
    """Write the scene's image (and optional truth) as tiled GeoTIFFs, strip by strip.

    The image is uncompressed (uint16 x 4 optical or float32 x 1 SAR); the surface
    (7 classes) and zone (3 classes) rasters are deflate-compressed uint8 with nodata 0
    and a colour table; ``front_path`` gets the true front as a GeoJSON LineString in map
    coordinates. ``block`` is the strip height in rows (rounded to a multiple of 256).
    Files are written under temporary names and renamed when complete (:func:`atomic_output`). Returns the paths
    written, the spec, pixel counts per surface class and the time taken.
    """
    import rasterio
    from rasterio.windows import Window

    started = time.perf_counter()
    outputs = {"image": image_path, "surface": surface_path, "zones": zones_path, "front": front_path}
    given = {k: os.path.abspath(v) for k, v in outputs.items() if v}
    if not image_path:
        raise EngineError("An image path is required.")
    if len(set(given.values())) != len(given):
        raise EngineError("The image, surface, zones and front outputs must be different files.")
    crs, metres = _crs_and_units(spec)
    strip = max(256, (int(block) + 255) // 256 * 256)
    chunk_cols = max(256, (4 * 1024 * 1024 // strip) // 256 * 256)

    base = dict(
        driver="GTiff",
        width=spec.width,
        height=spec.height,
        crs=crs,
        transform=spec.transform,
        tiled=True,
        blockxsize=256,
        blockysize=256,
        BIGTIFF="IF_SAFER",
    )
    image_profile = dict(base, count=len(spec.bands), dtype=spec.dtype, interleave="pixel")
    truth_profile = dict(base, count=1, dtype="uint8", nodata=0, compress="deflate", predictor=2)
    counts = np.zeros(8, dtype=np.int64)
    total = spec.width * spec.height
    done = 0
    with contextlib.ExitStack() as written:  # each output renamed into place at the end, or removed
        temps = {k: str(written.enter_context(atomic_output(v))) for k, v in given.items()}
        with contextlib.ExitStack() as stack:
            stack.enter_context(rasterio.Env(GDAL_CACHEMAX=256))
            if crs is None:
                stack.enter_context(warnings.catch_warnings())
                warnings.simplefilter("ignore", rasterio.errors.NotGeoreferencedWarning)
            dst_image = stack.enter_context(rasterio.open(temps["image"], "w", **image_profile))
            for i, name in enumerate(spec.bands, start=1):
                dst_image.set_band_description(i, name)
            if spec.kind == "optical":
                dst_image.update_tags(scale_factor=str(1.0 / REFLECTANCE_SCALE), quantity="reflectance")
            else:
                dst_image.update_tags(quantity="sigma0", units="linear", looks=str(spec.looks))
            dst_image.update_tags(synthetic=json.dumps(asdict(spec)))
            truth = []
            for key, classes, fn, desc in (
                ("surface", SURFACE_CLASSES, None, "surface class"),
                ("zones", ZONE_CLASSES, zones_from_surface, "zone"),
            ):
                if key in temps:
                    dst = stack.enter_context(rasterio.open(temps[key], "w", **truth_profile))
                    write_class_legend(dst, classes, desc)
                    truth.append((dst, fn))
            for r0 in range(0, spec.height, strip):
                nr = min(strip, spec.height - r0)
                rows = np.arange(r0, r0 + nr, dtype=np.int64)
                for c0 in range(0, spec.width, chunk_cols):
                    if reporter is not None:
                        reporter.check_cancelled()
                    ncol = min(chunk_cols, spec.width - c0)
                    cols = np.arange(c0, c0 + ncol, dtype=np.int64)
                    window = Window(c0, r0, ncol, nr)
                    surface = surface_pixels(spec, rows, cols)
                    counts += np.bincount(surface.ravel(), minlength=8)[:8]
                    for dst, fn in truth:
                        dst.write(surface if fn is None else fn(surface), 1, window=window)
                    dst_image.write(image_pixels(spec, rows, cols, surface), window=window)
                    del surface
                    done += nr * ncol
                    if reporter is not None:
                        reporter.progress(99.0 * done / total)
        if "front" in temps:
            with open(temps["front"], "w", encoding="utf-8") as f:
                json.dump(_front_geojson(spec, crs, metres), f)
    if reporter is not None:
        reporter.progress(100.0)
    return {
        **{k: given.get(k) for k in outputs},
        "spec": asdict(spec),
        "bands": list(spec.bands),
        "class_pixels": {SURFACE_CLASSES[v][0]: int(counts[v]) for v in SURFACE_CLASSES},
        "seconds": round(time.perf_counter() - started, 3),
    }


# ----------------------------------------------------------------------------- the job


@checked_as("synthetic")
def synthetic_job(job: dict, reporter: Reporter) -> dict:
    """The ``synthetic`` command: a scene from the job's settings, written with the truths asked for."""
    spec = SceneSpec(
        width=job["width"],
        height=job["height"],
        seed=job["seed"],
        kind=job["kind"],
        cell_size=job["cell_size"],
        crs=job["crs"],
        front_fraction=job["front_fraction"],
        looks=job["looks"],
    )
    reporter.info(
        f"Synthetic {spec.kind} scene {spec.width} x {spec.height} px, seed {spec.seed}, "
        f"{'CRS ' + spec.crs if spec.crs else 'no CRS'}."
    )
    return write_scene(
        spec,
        job["output"],
        surface_path=job.get("surface") or None,
        zones_path=job.get("zones") or None,
        front_path=job.get("front") or None,
        reporter=reporter,
    )
