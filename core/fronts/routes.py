"""The routes from a class raster to front paths (Extract Calving Front's METHOD), one registered
function each (:data:`ROUTES`), and the masks and probabilities they draw on."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np

from ..engine.protocol import EngineError, Reporter
from ..geo.raster import extent_text
from .inputs import Raster, Settings

if TYPE_CHECKING:
    from ..classes import ClassRoles

#: Value of the ``method`` attribute for each route.
METHOD_NAMES = {"front_class": "front class", "zone_boundary": "zone boundary", "active_contour": "active contour",
                "between_walls": "between walls", "between_rock": "between rock",
                "supported_boundary": "zone boundary near the front class"}


def zone_masks(raster: Raster, roles, method: str,
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


def front_probability(raster: Raster, probabilities: dict[int, np.ndarray], roles, label: str) -> np.ndarray | None:
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


def front_mask(raster: Raster, probabilities: dict[int, np.ndarray], roles, threshold: float,
                grow: float | None) -> np.ndarray:
    """Front pixels: the front class (or front probability >= ``threshold``), grown through the
    connected pixels whose front probability is at least ``grow`` (hysteresis) when it is given."""
    from .trace import grown

    p = front_probability(raster, probabilities, roles, "front class")
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


def wall_masks(job: dict, raster: Raster, reporter: Reporter) -> tuple[np.ndarray, np.ndarray]:
    """The pixels each of WALLS' two lines runs through (reprojected to INPUT's CRS when they carry one)."""
    from rasterio.features import rasterize

    from ..geo.vector import read_vector

    if not job.get("walls"):
        raise EngineError("METHOD between_walls needs WALLS: a line layer with a line along each side of the fjord.")
    layer = raster.layer_on_grid(read_vector(job["walls"], "WALLS"), "WALLS", reporter)
    lines = layer.lines()
    if len(lines) != 2:
        raise EngineError(f"WALLS must hold two lines, one along each side of the fjord, not {len(lines)}.")
    masks = []
    for k, line in enumerate(lines, start=1):
        shape = {"type": "LineString", "coordinates": line.tolist()}
        mask = rasterize([(shape, 1)], out_shape=raster.valid.shape, transform=raster.transform, fill=0,
                         all_touched=True, dtype="uint8") > 0
        if not (mask & raster.valid).any():
            where = extent_text(raster.transform, raster.valid.shape[0], raster.valid.shape[1], raster.crs)
            raise EngineError(f"WALLS line {k} does not cross INPUT (outside it, or only over NoData); INPUT covers "
                              f"{where}.")
        masks.append(mask)
    if (masks[0] & masks[1]).any():
        raise EngineError("WALLS' two lines touch: each must run along its own side of the fjord.")
    return masks[0], masks[1]


def _between_walls(job: dict, raster: Raster, probabilities: dict[int, np.ndarray], roles,
                   reporter: Reporter) -> list[np.ndarray]:
    from .trace import front_between_walls

    p = front_probability(raster, probabilities, roles, "between walls")
    if p is None:
        raise EngineError("METHOD between_walls needs the front's probability: give PROBABILITIES or a "
                          "probability INPUT.")
    wall_a, wall_b = wall_masks(job, raster, reporter)
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

    p = front_probability(raster, probabilities, roles, "between rock")
    if p is None or raster.classes is None:
        raise EngineError("METHOD between_rock needs a class raster and the front's probability: give PROBABILITIES.")
    if not roles.rock:
        raise EngineError(f"No class of INPUT is rock (classes: {roles.describe()}): between rock needs a model "
                          f"with a rock class.")
    front = front_mask(raster, probabilities, roles, 0.5, grow)
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

    mask = front_mask(r.raster, r.probabilities, r.roles, r.threshold, r.grow)
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

    ocean, glacier = zone_masks(r.raster, r.roles, "zone_boundary", r.probabilities)
    return front_from_zones(ocean, glacier), ocean, glacier


@route("supported_boundary")
def _route_supported_boundary(r: RouteInput) -> RouteResult:
    from .trace import front_from_supported_zones

    ocean, glacier = zone_masks(r.raster, r.roles, "supported_boundary", r.probabilities)
    front = front_mask(r.raster, r.probabilities, r.roles, r.threshold, r.grow)
    return front_from_supported_zones(ocean, glacier, front, r.settings.join_px), ocean, glacier


@route("active_contour")
def _route_active_contour(r: RouteInput) -> RouteResult:
    from .trace import front_by_active_contour

    ocean, glacier = zone_masks(r.raster, r.roles, "active_contour", r.probabilities)
    paths = front_by_active_contour(ocean, glacier, iterations=r.settings.iterations, buffer=r.settings.buffer)
    return paths, ocean, glacier


def line_confidence(raster: Raster, probabilities: dict[int, np.ndarray], roles, method: str,
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
