"""Reading the GeoJSON files algorithms hand to the engine (features in the raster's CRS)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .protocol import EngineError

POLYGONS = ("Polygon", "MultiPolygon")
LINES = ("LineString", "MultiLineString")


@dataclass(frozen=True)
class Feature:
    """One GeoJSON feature: its geometry (a GeoJSON dict) and properties."""

    geometry: dict
    properties: dict = field(default_factory=dict)


def read_features(path: str, label: str) -> list[Feature]:
    """Every feature with a non-empty geometry of a GeoJSON file (FeatureCollection,
    Feature or bare geometry); ``label`` names the parameter in messages."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise EngineError(f"Cannot read {label} {path}: {exc}") from None
    if not isinstance(data, dict):
        raise EngineError(f"{label} {path} is not a GeoJSON object.")
    items: list[Any] = data["features"] if isinstance(data.get("features"), list) else [data]
    features = []
    for item in items:
        if not isinstance(item, dict):
            continue
        geometry = item.get("geometry", item) if item.get("type") == "Feature" else item
        if not isinstance(geometry, dict) or not geometry.get("coordinates"):
            continue
        properties = item.get("properties") if item.get("type") == "Feature" else None
        features.append(Feature(geometry, dict(properties or {})))
    return features


def of_types(features: list[Feature], types: tuple[str, ...]) -> list[Feature]:
    """The features whose geometry type is one of ``types``."""
    return [f for f in features if f.geometry.get("type") in types]
