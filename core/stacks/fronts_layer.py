"""The stack's GeoPackage: one feature per scene (its front's pieces as one MultiLineString, or none), in date
order, written by a run or by the merge of shards' outputs alike."""
from __future__ import annotations

import datetime as dt
import os
from typing import Any

from ..engine.protocol import EngineError

#: The layer of the stack's fronts (the same name as Extract Calving Front's).
LAYER = "fronts"
#: The fields of a scene's feature; ``status`` is front, no front or failed (``message`` says why).
FIELDS = (
    ("source", "TEXT"),
    ("date", "DATE"),
    ("status", "TEXT"),
    ("method", "TEXT"),
    ("length_m", "REAL"),
    ("length_px", "REAL"),
    ("mean_prob", "REAL"),
    ("pieces", "INTEGER"),
    ("message", "TEXT"),
)
STATUSES = ("front", "no front", "failed")


def scene_order(result: dict) -> tuple:
    """Results sort by date (undated last), then by scene name, as the scenes do."""
    day = result.get("date")
    return (day is None, str(day or ""), result["source"])


def scene_feature(result: dict):
    """A scene's result (a journal record) as a feature."""
    from ..geo.vector import Feature

    lines = result.get("lines") or []
    geometry = {"type": "MultiLineString", "coordinates": lines} if lines else None
    return Feature(geometry, {name: result.get(name) for name, _ in FIELDS})


def write_stack_fronts(output: str | os.PathLike, results: list[dict], crs, description: str) -> None:
    """Write the scenes' results, sorted, as OUTPUT's fronts layer (atomically)."""
    from ..geo.vector import write_gpkg

    features = [scene_feature(r) for r in sorted(results, key=scene_order)]
    write_gpkg(output, features, crs, FIELDS, layer=LAYER, geometry_type="MULTILINESTRING", description=description)


def read_stack_fronts(path: str, label: str) -> tuple[list[dict], Any]:
    """The scene results of a stack GeoPackage (a run's or a shard's output) and its CRS."""
    from ..geo.vector import line_parts, read_vector

    layer = read_vector(f"{path}|layername={LAYER}", label)
    missing = [name for name, _ in FIELDS if layer.field_named(name) is None]
    if missing:
        raise EngineError(f"{label} {os.path.basename(path)} is not the output of Map Calving Fronts "
                          f"(no field {', '.join(missing)}).")
    results = []
    for f in layer.features:
        result = {name: f.properties.get(layer.field_named(name) or name) for name, _ in FIELDS}
        if isinstance(result["date"], (dt.date, dt.datetime)):
            result["date"] = result["date"].isoformat()[:10]
        result["lines"] = [part.tolist() for part in line_parts(f.geometry)]
        results.append(result)
    return results, layer.crs
