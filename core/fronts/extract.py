"""Extract calving-front lines from a class or probability raster (the ``extract_front`` job).

Reads the raster (whole: finding the largest ocean component is a global operation),
decides which classes are ocean / glacier / front, runs one of the routes of
:mod:`.routes`, then smooths, measures, filters and simplifies the lines and writes
them as a GeoPackage in the raster's CRS (attributes ``source``, ``date``, ``length_m``,
``method``, ``length_px``, ``mean_prob``).
"""
from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING

import numpy as np

from ..engine.cli import checked_as
from ..engine.protocol import EngineError, Reporter
from .inputs import Raster, Settings, job_settings, read_input, read_probabilities
from .routes import METHOD_NAMES, ROUTES, RouteInput, line_confidence

if TYPE_CHECKING:
    pass

#: The layer the fronts are written to; an OUTPUT GeoPackage keeps its other layers.
FRONTS_LAYER = "fronts"

FIELDS = (
    ("source", "TEXT"),
    ("date", "DATE"),
    ("length_m", "REAL"),
    ("method", "TEXT"),
    ("length_px", "REAL"),
    ("mean_prob", "REAL"),
)


def _roles(job: dict, raster: Raster):
    from ..classes import ClassRoles, resolve_roles, roles_from_names
    from ..segmentation.package import roles_from_package

    if job.get("model"):
        known = roles_from_package(job["model"])
    elif raster.names:
        known = roles_from_names(raster.names)
    else:
        known = ClassRoles({})
    return resolve_roles(known, job.get("ocean_classes"), job.get("glacier_classes"), job.get("front_class"))


def _pick_method(requested: str, roles, raster: Raster, walls: bool) -> str:
    if requested != "auto":
        return requested
    if walls:
        return "between_walls"
    if raster.classes is None or roles.front is not None:
        return "front_class"
    return "zone_boundary"


def recorded_route(job: dict) -> dict:
    """The front-extraction route recorded by the model INPUT came from: MODEL's model.json, else
    the class raster's tag (written by classify); {} when neither records one."""
    from ..geo.raster import open_raster, quiet_georeferencing
    from ..segmentation.package import load_package, route_from_tags

    if job.get("model"):
        return dict(load_package(job["model"]).front_extraction)
    with quiet_georeferencing(), open_raster(job["input"], "INPUT") as ds:
        return route_from_tags(ds.tags())


def with_route(job: dict, reporter: Reporter) -> dict:
    """The job with METHOD auto and the settings left empty taken from the recorded route (given
    settings win); unchanged for another METHOD, with WALLS, or without a route."""
    if job["method"] != "auto" or job["walls"]:
        return job
    route = recorded_route(job)
    if not route:
        return job
    filled = dict(job, method=route["method"])
    # growing and the mean-probability filter read the probabilities: only with PROBABILITIES
    for key in ("keep", *(("grow_threshold", "min_mean_prob") if job.get("probabilities") else ())):
        if filled.get(key) in (None, "") and route.get(key) is not None:
            filled[key] = route[key]
    if filled.get("min_length") in (None, "") and route.get("min_length_cells") is not None:
        filled["min_length_cells"] = route["min_length_cells"]
    shown = ("grow_threshold", "keep", "min_mean_prob", "min_length_cells")
    chosen = ", ".join(f"{k.upper()} {filled[k]}" for k in shown
                       if filled.get(k) not in (None, "") and filled.get(k) == route.get(k))
    reporter.info(f"METHOD auto: the model's recorded route, {METHOD_NAMES[route['method']]}"
                  + (f" ({chosen})" if chosen else "") + ".")
    return filled


def mask_inside(job: dict, raster: Raster, reporter: Reporter) -> np.ndarray | None:
    """Pixels inside MASK's polygons (reprojected to INPUT's CRS when they carry a CRS)."""
    if not job.get("mask"):
        return None
    from rasterio.features import geometry_mask

    from ..geo.raster import extent_text
    from ..geo.vector import polygons, read_vector

    layer = raster.layer_on_grid(read_vector(job["mask"], "MASK"), "MASK", reporter)
    shapes = polygons(layer, "MASK")
    inside = geometry_mask(shapes, out_shape=raster.valid.shape, transform=raster.transform, invert=True)
    if not inside.any():
        raise EngineError(f"MASK does not overlap INPUT, which covers "
                          f"{extent_text(raster.transform, raster.valid.shape[0], raster.valid.shape[1], raster.crs)}.")
    return inside


def finish_lines(paths: list[np.ndarray], transform, settings: Settings, confidence: np.ndarray | None,
                 attributes: dict) -> tuple[list[tuple[np.ndarray, dict]], int]:
    """Pixel paths -> smoothed, measured, filtered, simplified map lines with attributes, longest
    first; and the number of pieces dropped for being shorter than the minimum length."""
    from ..geo.lines import densify, length, pixel_to_map, sample_bilinear, simplify, smooth

    lines, dropped = [], 0
    for path in paths:
        spacing = float(np.mean(np.hypot(*np.diff(path, axis=0).T))) if len(path) > 1 else 1.0
        path = smooth(path, settings.sigma / max(spacing, 1e-6))
        xy = pixel_to_map(path, transform)
        metres = length(xy, settings.scale)
        if len(path) < 2 or metres < settings.min_length:
            dropped += 1
            continue
        mean_prob = None
        if confidence is not None:
            samples = sample_bilinear(confidence, densify(path, 0.5))
            if np.isfinite(samples).any():
                mean_prob = round(float(np.nanmean(samples)), 4)
        xy = simplify(xy, settings.tolerance / math.sqrt(settings.scale[0] * settings.scale[1]))
        lines.append((xy, {
            **attributes,
            "length_m": round(metres, 3) if settings.units == "m" else None,
            "length_px": round(metres / settings.cell, 3),
            "mean_prob": mean_prob,
        }))
    lines.sort(key=lambda item: -item[1]["length_px"])
    return lines, dropped


def nothing_to_trace(raster: Raster, roles, method: str) -> str | None:
    """Why a class raster holds nothing any front could be taken from (the front class route on a
    raster with no valid pixel of its front class and no ocean or glacier class for a zone boundary),
    or None. An empty front is then no finding but a wrong INPUT (a mask, a legend or a band)."""
    if method != "front_class" or raster.classes is None or roles.front is None or roles.ocean or roles.glacier:
        return None
    if np.any((raster.classes == roles.front) & raster.valid):
        return None
    name = roles.names.get(roles.front, "")
    return (f"INPUT has no pixel of its front class ({roles.front}{' ' + name if name else ''}) and no ocean or "
            "glacier class to take a zone boundary from: there is nothing to take a front from.")


@checked_as("extract_front")
def extract_front_job(job: dict, reporter: Reporter) -> dict:
    """The ``extract_front`` command: validate, extract, write the GeoPackage atomically. A class raster
    with nothing to take a front from (:func:`nothing_to_trace`) is refused."""
    return extract_fronts(job, reporter, refuse_nothing=True)


@checked_as("extract_front")
def extract_scene_front(job: dict, reporter: Reporter) -> dict:
    """As :func:`extract_front_job`, for one scene of a stack or of a model's measurement: a scene whose
    classes hold no front is one of their findings ("no front"), written as an empty layer with a warning."""
    return extract_fronts(job, reporter, refuse_nothing=False)


def extract_fronts(job: dict, reporter: Reporter, refuse_nothing: bool) -> dict:
    """Extract the fronts of a checked ``extract_front`` job and write its GeoPackage atomically."""
    from ..geo.dates import acquisition_date, parse_date
    from ..geo.vector import check_gpkg_output, gpkg_layers, write_lines
    from .trace import main_front

    output = job["output"]
    check_gpkg_output(output)
    job = with_route(job, reporter)
    threshold = job["threshold"]
    grow = job["grow_threshold"]
    if grow is not None and not 0 < grow <= threshold:
        raise EngineError(f"GROW_THRESHOLD must be in (0, THRESHOLD {threshold:g}], not {grow:g}.")
    min_prob = job["min_mean_prob"]
    keep = job["keep"] or "all"  # the recorded route's, else every piece
    date = parse_date(job["date"]) if job.get("date") else None
    if job.get("date") and date is None:
        raise EngineError(f"DATE {job['date']!r} is not a date (YYYY-MM-DD).")
    raster = read_input(job["input"])
    roles = _roles(job, raster)
    method = _pick_method(job["method"], roles, raster, bool(job["walls"]))
    if job.get("walls") and method != "between_walls":
        reporter.warning(f"WALLS are for METHOD between_walls: {METHOD_NAMES[method]} does not use them.")
    probabilities = raster.probabilities
    if job.get("probabilities"):
        probabilities = read_probabilities(job["probabilities"], "PROBABILITIES", raster.valid.shape, roles.names)
    settings = job_settings(job, raster, reporter)
    inside = mask_inside(job, raster, reporter)
    if inside is not None:
        raster.valid = raster.valid & inside
    nothing = nothing_to_trace(raster, roles, method) if refuse_nothing else None
    if nothing:
        raise EngineError(nothing)
    reporter.progress(10)
    reporter.check_cancelled()

    paths, ocean, glacier = ROUTES[method](RouteInput(job, raster, probabilities, roles, threshold, grow, settings,
                                                      reporter))
    if keep == "main":
        paths = main_front(paths, within=settings.join_px)
    reporter.progress(70)
    reporter.check_cancelled()

    source = job["source"] or raster.scene.get("source") or os.path.basename(str(job["input"]))
    date = (date or parse_date(raster.scene.get("acquisition_date")) or acquisition_date(source)
            or acquisition_date(job["input"]))
    if date is None:
        reporter.warning(f"No acquisition date for {source} (neither DATE, nor INPUT's tags, nor a date in its "
                         f"name): the fronts' date field is empty, and Terminus Change needs dates; give DATE.")
    confidence = line_confidence(raster, probabilities, roles, method, ocean, glacier)
    attributes = {"source": source, "date": date, "method": METHOD_NAMES[method]}
    if min_prob is not None and confidence is None:
        raise EngineError("MIN_MEAN_PROB needs the probabilities: give PROBABILITIES or a probability INPUT.")
    lines, dropped = finish_lines(paths, raster.transform, settings, confidence, attributes)
    if dropped:
        reporter.info(f"{dropped} piece(s) shorter than MIN_LENGTH ({settings.min_length:g} {settings.units}) dropped.")
    if min_prob is not None:
        sure = [line for line in lines if line[1]["mean_prob"] is not None and line[1]["mean_prob"] >= min_prob]
        if len(sure) < len(lines):
            reporter.info(f"{len(lines) - len(sure)} line(s) with a mean probability below MIN_MEAN_PROB "
                          f"({min_prob:g}) dropped.")
        lines = sure
    if not lines:
        reporter.warning(f"No calving front found in INPUT ({METHOD_NAMES[method]}): the output layer is empty.")
    write_lines(output, lines, raster.crs, FIELDS, layer=FRONTS_LAYER,
                description=f"Calving fronts of {source} ({METHOD_NAMES[method]})")
    reporter.progress(100)
    return {
        "output": str(output),
        "layer": FRONTS_LAYER,
        "layers": gpkg_layers(output),
        "method": method,
        "fronts": len(lines),
        "dropped": dropped,
        "length": round(sum(p["length_px"] for _, p in lines) * settings.cell, 3),
        "units": settings.units,
        "date": date.isoformat() if date else None,
        "classes": {"ocean": list(roles.ocean), "glacier": list(roles.glacier), "front": roles.front},
    }
