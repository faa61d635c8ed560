"""Extract calving-front lines from a class or probability raster (the ``extract_front`` job).

Reads the raster (whole: finding the largest ocean component is a global operation),
decides which classes are ocean / glacier / front, runs one of the routes of
:mod:`.trace`, then smooths, measures, filters and simplifies the lines and writes
them as a GeoPackage in the raster's CRS (attributes ``source``, ``date``, ``length_m``,
``method``, ``length_px``, ``mean_prob``).
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from ..engine.cli import checked_as
from ..engine.protocol import EngineError, Reporter

if TYPE_CHECKING:
    from ..classes import ClassRoles

#: The layer the fronts are written to; an OUTPUT GeoPackage keeps its other layers.
FRONTS_LAYER = "fronts"

#: Value of the ``method`` attribute for each route.
METHOD_NAMES = {"front_class": "front class", "zone_boundary": "zone boundary", "active_contour": "active contour",
                "between_walls": "between walls", "between_rock": "between rock"}
FIELDS = (
    ("source", "TEXT"),
    ("date", "DATE"),
    ("length_m", "REAL"),
    ("method", "TEXT"),
    ("length_px", "REAL"),
    ("mean_prob", "REAL"),
)
#: Defaults in cells for the lengths left empty.
DEFAULT_MIN_LENGTH_CELLS = 10.0
DEFAULT_SIMPLIFY_CELLS = 0.5
DEFAULT_JOIN_CELLS = 10.0


@dataclass
class Raster:
    """What extraction needs from INPUT: classes (or front probability), validity, grid."""

    classes: np.ndarray | None  # uint8/int class values, None for a single probability band
    probabilities: dict[int, np.ndarray]  # class value -> float32 (NaN where no data)
    valid: np.ndarray
    transform: Any  # affine.Affine
    crs: Any  # rasterio CRS, or None
    names: dict[int, str]  # class names from the raster's tags


def _probability_bands(descriptions, names: dict[int, str], count: int) -> list[int]:
    """The class value of each band of a probability raster (``p(name)`` descriptions, else 1..n)."""
    by_name = {n.lower(): v for v, n in names.items()}
    values = []
    for i, d in enumerate(descriptions or [None] * count, start=1):
        text = (d or "").strip()
        if text.lower().startswith("p(") and text.endswith(")") and text[2:-1].lower() in by_name:
            values.append(by_name[text[2:-1].lower()])
        else:
            values.append(i)
    if len(set(values)) != len(values):
        values = list(range(1, count + 1))
    return values


def read_probabilities(path: str, label: str, shape, names: dict[int, str]) -> dict[int, np.ndarray]:
    """Per-class probabilities (NaN for no data) of a float raster on the given grid."""
    from ..geo.raster import open_raster, quiet_georeferencing

    with quiet_georeferencing(), open_raster(path, label) as ds:
        if (ds.height, ds.width) != shape:
            raise EngineError(
                f"{label} is {ds.width} x {ds.height} px but INPUT is {shape[1]} x {shape[0]}: "
                "it must be on INPUT's grid."
            )
        if not np.issubdtype(np.dtype(ds.dtypes[0]), np.floating):
            raise EngineError(f"{label} must hold probabilities (float bands), not {ds.dtypes[0]}.")
        data = ds.read(masked=True).astype(np.float32).filled(np.nan)
        values = _probability_bands(ds.descriptions, names, ds.count)
    return {v: data[i] for i, v in enumerate(values)}


def read_input(path: str) -> Raster:
    """INPUT as classes (integer band 1) or per-class probabilities (float bands)."""
    from ..classes import class_names_from_tags
    from ..geo.raster import open_raster, quiet_georeferencing

    with quiet_georeferencing(), open_raster(path, "INPUT") as ds:
        names = class_names_from_tags(ds.tags(), ds.tags(1))
        transform, crs = ds.transform, ds.crs
        dtype = np.dtype(ds.dtypes[0])
        floating = np.issubdtype(dtype, np.floating)
        if not floating:
            classes = ds.read(1)
            valid = ds.read_masks(1) > 0
            return Raster(classes, {}, valid, transform, crs, names)
        data = ds.read(masked=True).astype(np.float32).filled(np.nan)
        values = _probability_bands(ds.descriptions, names, ds.count)
    valid = np.all(np.isfinite(data), axis=0)
    probabilities = {v: data[i] for i, v in enumerate(values)}
    if len(values) == 1:
        return Raster(None, probabilities, valid, transform, crs, names)
    lut = np.array(values)
    classes = lut[np.argmax(np.where(np.isfinite(data), data, -np.inf), axis=0)].astype(np.int32)
    return Raster(classes, probabilities, valid, transform, crs, names)


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


def _mask_inside(job: dict, raster: Raster, reporter: Reporter) -> np.ndarray | None:
    """Pixels inside MASK's polygons (reprojected to INPUT's CRS when they carry a CRS)."""
    if not job.get("mask"):
        return None
    from rasterio.features import geometry_mask

    from ..geo.vector import in_crs, polygons, read_vector

    layer = in_crs(read_vector(job["mask"], "MASK"), raster.crs, "MASK", reporter)
    shapes = polygons(layer, "MASK")
    inside = geometry_mask(shapes, out_shape=raster.valid.shape, transform=raster.transform, invert=True)
    if not inside.any():
        raise EngineError("MASK does not overlap INPUT.")
    return inside


def _zone_masks(raster: Raster, roles, method: str,
                probabilities: dict[int, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Ocean and glacier masks. The pixels of a front class (a model of zones and front) go to the
    zone they are likelier to be, ocean or glacier, when the probabilities are there; else to the
    glacier, whose edge the front is."""
    label = METHOD_NAMES[method]
    if raster.classes is None:
        raise EngineError(
            f"INPUT is a single probability band: {label} needs a class raster or one probability band per class."
        )
    if not roles.ocean:
        raise EngineError(
            f"No class of INPUT is ocean (classes: {roles.describe()}): {label} needs OCEAN_CLASSES."
        )
    if not roles.glacier:
        raise EngineError(
            f"No class of INPUT is glacier (classes: {roles.describe()}): {label} needs GLACIER_CLASSES."
        )
    ocean = np.isin(raster.classes, roles.ocean) & raster.valid
    glacier = np.isin(raster.classes, roles.glacier) & raster.valid
    if roles.front is not None and roles.front not in roles.ocean + roles.glacier:
        front = (raster.classes == roles.front) & raster.valid
        given = probabilities or {}
        sea = [given[v] for v in roles.ocean if v in given]
        ice = [given[v] for v in roles.glacier if v in given]
        to_sea = front & (np.sum(sea, axis=0) > np.sum(ice, axis=0)) if sea and ice else np.zeros_like(front)
        ocean |= to_sea
        glacier |= front & ~to_sea
    return ocean, glacier


def _front_probability(raster: Raster, probabilities: dict[int, np.ndarray], roles, label: str) -> np.ndarray | None:
    """The front's probability (INPUT's single band, its front band, or PROBABILITIES' front band);
    None for a class raster without PROBABILITIES."""
    if raster.classes is None:  # one probability band: the front's
        (p,) = raster.probabilities.values()
        return p
    if roles.front is None:
        raise EngineError(
            f"No class of INPUT is the front (classes: {roles.describe()}): {label} needs FRONT_CLASS, "
            "or use METHOD zone_boundary."
        )
    if roles.front in raster.probabilities:
        return raster.probabilities[roles.front]
    return probabilities.get(roles.front)


def _front_mask(raster: Raster, probabilities: dict[int, np.ndarray], roles, threshold: float,
                grow: float | None) -> np.ndarray:
    """Front pixels: the front class (or front probability >= ``threshold``), grown through the
    connected pixels whose front probability is at least ``grow`` (hysteresis) when it is given."""
    from .trace import grown

    p = _front_probability(raster, probabilities, roles, "front class")
    if raster.classes is None or roles.front in raster.probabilities:
        assert p is not None, "a probability INPUT holds the front's probability"
        seeds = p >= threshold
    else:  # a class raster: its front pixels, grown through PROBABILITIES' front band
        seeds = raster.classes == roles.front
    seeds &= raster.valid
    if grow is None:
        return seeds
    if p is None:
        raise EngineError("GROW_THRESHOLD needs the front's probability: give PROBABILITIES or a probability INPUT.")
    return grown(seeds, (p >= grow) & raster.valid)


def _wall_masks(job: dict, raster: Raster, reporter: Reporter) -> tuple[np.ndarray, np.ndarray]:
    """The pixels each of WALLS' two lines runs through (reprojected to INPUT's CRS when they carry one)."""
    from rasterio.features import rasterize

    from ..geo.vector import in_crs, read_vector

    if not job.get("walls"):
        raise EngineError("METHOD between_walls needs WALLS: a line layer with a line along each side of the fjord.")
    layer = in_crs(read_vector(job["walls"], "WALLS"), raster.crs, "WALLS", reporter)
    lines = layer.lines()
    if len(lines) != 2:
        raise EngineError(f"WALLS must hold two lines, one along each side of the fjord, not {len(lines)}.")
    masks = []
    for k, line in enumerate(lines, start=1):
        shape = {"type": "LineString", "coordinates": line.tolist()}
        mask = rasterize([(shape, 1)], out_shape=raster.valid.shape, transform=raster.transform, fill=0,
                         all_touched=True, dtype="uint8") > 0
        if not (mask & raster.valid).any():
            raise EngineError(f"WALLS line {k} does not cross INPUT (outside it, or only over NoData).")
        masks.append(mask)
    if (masks[0] & masks[1]).any():
        raise EngineError("WALLS' two lines touch: each must run along its own side of the fjord.")
    return masks[0], masks[1]


def _between_walls(job: dict, raster: Raster, probabilities: dict[int, np.ndarray], roles,
                   reporter: Reporter) -> list[np.ndarray]:
    from .trace import front_between_walls

    p = _front_probability(raster, probabilities, roles, "between walls")
    if p is None:
        raise EngineError("METHOD between_walls needs the front's probability: give PROBABILITIES or a "
                          "probability INPUT.")
    wall_a, wall_b = _wall_masks(job, raster, reporter)
    path = front_between_walls(np.where(raster.valid, p, np.nan), wall_a, wall_b)
    if path is None:
        reporter.warning("WALLS cannot be joined through INPUT's valid pixels: no front between them.")
        return []
    return [path]


def _between_rock(raster: Raster, probabilities: dict[int, np.ndarray], roles, grow: float | None) -> list[np.ndarray]:
    """The least-cost path through the front probability from the rock on one side of the fjord to
    the rock on the other (walls from the model's rock class, near the front class); the front
    class's own line where there are not two such pieces of rock."""
    from .trace import front_between_walls, front_from_class, rock_walls

    p = _front_probability(raster, probabilities, roles, "between rock")
    if p is None or raster.classes is None:
        raise EngineError("METHOD between_rock needs a class raster and the front's probability: give PROBABILITIES.")
    if not roles.rock:
        raise EngineError(f"No class of INPUT is rock (classes: {roles.describe()}): between rock needs a model "
                          f"with a rock class.")
    front = _front_mask(raster, probabilities, roles, 0.5, grow)
    walls = rock_walls(np.isin(raster.classes, roles.rock) & raster.valid, front)
    if walls is None:
        return front_from_class(front)
    path = front_between_walls(np.where(raster.valid, p, np.nan), *walls)
    return [path] if path is not None else front_from_class(front)


@dataclass
class RouteInput:
    """What a route turns into front paths: the raster, its probabilities and class roles, the
    job (for WALLS) and the probability thresholds."""

    job: dict
    raster: Raster
    probabilities: dict[int, np.ndarray]
    roles: ClassRoles
    threshold: float
    grow: float | None
    settings: "Settings"
    reporter: Reporter


#: A route: RouteInput -> (pixel paths, the ocean and glacier masks it drew them between, or None).
RouteResult = tuple[list[np.ndarray], np.ndarray | None, np.ndarray | None]
ROUTES: dict[str, Callable[[RouteInput], RouteResult]] = {}


def route(name: str):
    """Register the function that draws METHOD ``name``'s front paths."""
    def register(function: Callable[[RouteInput], RouteResult]) -> Callable[[RouteInput], RouteResult]:
        ROUTES[name] = function
        return function
    return register


@route("front_class")
def _route_front_class(r: RouteInput) -> RouteResult:
    from .trace import front_from_class

    mask = _front_mask(r.raster, r.probabilities, r.roles, r.threshold, r.grow)
    return front_from_class(mask, max_gap=r.settings.join_px), None, None


@route("between_walls")
def _route_between_walls(r: RouteInput) -> RouteResult:
    return _between_walls(r.job, r.raster, r.probabilities, r.roles, r.reporter), None, None


@route("between_rock")
def _route_between_rock(r: RouteInput) -> RouteResult:
    return _between_rock(r.raster, r.probabilities, r.roles, r.grow), None, None


@route("zone_boundary")
def _route_zone_boundary(r: RouteInput) -> RouteResult:
    from .trace import front_from_zones

    ocean, glacier = _zone_masks(r.raster, r.roles, "zone_boundary", r.probabilities)
    return front_from_zones(ocean, glacier), ocean, glacier


@route("active_contour")
def _route_active_contour(r: RouteInput) -> RouteResult:
    from .trace import front_by_active_contour

    ocean, glacier = _zone_masks(r.raster, r.roles, "active_contour", r.probabilities)
    paths = front_by_active_contour(ocean, glacier, iterations=r.settings.iterations, buffer=r.settings.buffer)
    return paths, ocean, glacier


def _confidence(raster: Raster, probabilities: dict[int, np.ndarray], roles, method: str,
                ocean: np.ndarray | None, glacier: np.ndarray | None) -> np.ndarray | None:
    """The per-pixel probability averaged along lines (NaN where it does not apply)."""
    if not probabilities:
        return None
    if method in ("front_class", "between_walls", "between_rock"):
        if raster.classes is None:
            return next(iter(probabilities.values()))
        return probabilities.get(roles.front)
    conf = np.full(raster.valid.shape, np.nan, dtype=np.float32)
    for mask, values in ((ocean, roles.ocean), (glacier, roles.glacier)):
        bands = [probabilities[v] for v in values if v in probabilities]
        if bands and mask is not None:
            conf[mask] = np.sum(bands, axis=0)[mask]
    return conf


@dataclass(frozen=True)
class Settings:
    """Lengths of a job in the raster's terms: metres with a CRS, pixels without."""

    units: str  # "m" or "px"
    scale: tuple[float, float]  # metres (or 1) per map unit, x and y
    cell: float  # metres (or pixels) per pixel
    min_length: float
    tolerance: float  # simplification, metres (or pixels)
    join_px: float  # front class: largest gap joined, pixels
    sigma: float  # smoothing, pixels
    iterations: int
    buffer: float


def _or_cells(length: float | None, cells: float, cell: float) -> float:
    """A length the job gives, else ``cells`` cells of ``cell`` (the defaults of the lengths)."""
    return float(cells) * cell if length is None else length


def job_settings(job: dict, raster: Raster, reporter: Reporter) -> Settings:
    """Units, cell size and the job's lengths with their defaults (in cells) filled in."""
    from ..geo.lines import metres_per_unit

    h, w = raster.valid.shape
    t = raster.transform
    lat = (t * (w / 2, h / 2))[1] if raster.crs is not None and raster.crs.is_geographic else None
    scale = metres_per_unit(raster.crs, lat)
    units = "m" if scale is not None else "px"
    scale = scale or (1.0, 1.0)
    cell = math.sqrt(abs(t.a * t.e - t.b * t.d)) * math.sqrt(scale[0] * scale[1])
    if units == "px":
        reporter.warning("INPUT has no CRS: working in pixel units (MIN_LENGTH, SIMPLIFY, JOIN_DISTANCE in pixels).")
    return Settings(
        units=units,
        scale=scale,
        cell=cell,
        min_length=_or_cells(job["min_length"], job.get("min_length_cells") or DEFAULT_MIN_LENGTH_CELLS, cell),
        tolerance=_or_cells(job["simplify"], DEFAULT_SIMPLIFY_CELLS, cell),
        join_px=_or_cells(job["join_distance"], DEFAULT_JOIN_CELLS, cell) / cell,
        sigma=job["smoothing"],
        iterations=job["iterations"],
        buffer=job["buffer"],
    )


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


@checked_as("extract_front")
def extract_front_job(job: dict, reporter: Reporter) -> dict:
    """The ``extract_front`` command: validate, extract, write the GeoPackage atomically."""
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
    inside = _mask_inside(job, raster, reporter)
    if inside is not None:
        raster.valid = raster.valid & inside
    reporter.progress(10)
    reporter.check_cancelled()

    paths, ocean, glacier = ROUTES[method](RouteInput(job, raster, probabilities, roles, threshold, grow, settings,
                                                      reporter))
    if keep == "main":
        paths = main_front(paths, within=settings.join_px)
    reporter.progress(70)
    reporter.check_cancelled()

    source = job.get("source") or os.path.basename(str(job["input"]))
    date = date or acquisition_date(source) or acquisition_date(job["input"])
    confidence = _confidence(raster, probabilities, roles, method, ocean, glacier)
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
