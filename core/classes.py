"""Classes: their roles (ocean, glacier, front, rock) from a model package, a raster's tags or names;
their colours; and the legend a class raster carries (written by :func:`write_class_legend`, read by
:func:`class_names_from_tags`).

Class rasters carry a colour table and the tag ``classes`` (JSON ``{value: name}``); rasters
from elsewhere may name classes in band tags ``class_<value>`` instead, which are read too. A model
package's classes carry explicit roles. Names map to roles by keywords (``open
water``, ``iceberg water``, ``melange`` -> ocean; ``glacier ice``, ``snow on ice`` ->
glacier; ``snow on rock`` -> rock; ``front`` -> front).
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .engine.protocol import EngineError

#: Class-name keywords of each role, tried in this order (the first role with a keyword in the name
#: wins): the front first; rock before ice and water, so "snow on rock" and "rock glacier" are rock;
#: ocean before glacier, so "iceberg water" and "ice melange" are ocean. The one guesser of roles
#: from names, for tile export, training and front extraction alike.
ROLE_WORDS = (
    ("front", ("front", "terminus", "calving")),
    ("no_information", ("no information", "no data", "nodata")),
    ("rock", ("rock", "land", "bedrock", "nunatak", "terrain")),
    ("ocean", ("ocean", "water", "sea", "melange", "mélange", "fjord", "iceberg")),
    ("glacier", ("glacier", "ice", "snow", "firn")),
    ("background", ("background",)),
)


#: The colour of a class whose colour cannot be read.
GREY = (128, 128, 128)
#: SEE_ICE's seven surface classes (the synthetic scenes' truth, CSC Refine's default legend):
#: value -> (name, (r, g, b)). 0 is no data.
SURFACE_CLASSES: dict[int, tuple[str, tuple[int, int, int]]] = {
    1: ("open water", (20, 50, 130)),
    2: ("iceberg water", (90, 160, 230)),
    3: ("melange", (150, 135, 190)),
    4: ("glacier ice", (160, 215, 240)),
    5: ("snow on ice", (245, 250, 255)),
    6: ("snow on rock", (195, 195, 200)),
    7: ("rock", (115, 85, 55)),
}


def role_of(name: str) -> str:
    """The role a class name suggests (:data:`ROLE_WORDS`; ``other`` when none does)."""
    lowered = name.lower()
    return next((role for role, words in ROLE_WORDS if any(w in lowered for w in words)), "other")


@dataclass(frozen=True)
class ClassRoles:
    """Class values by role, and the names they were found under (value -> name)."""

    names: dict[int, str]
    ocean: tuple[int, ...] = ()
    glacier: tuple[int, ...] = ()
    front: int | None = None
    rock: tuple[int, ...] = ()

    def describe(self) -> str:
        return ", ".join(f"{v} {n}" for v, n in sorted(self.names.items())) or "unknown"


def class_names_from_tags(tags: dict, band_tags: dict) -> dict[int, str]:
    """``{value: name}`` from a raster's tags, the one reader of both conventions: the JSON
    ``classes`` tag (the dataset's, else band 1's), and for values it does not name the
    ``class_<value>`` tags (band 1's, else the dataset's)."""
    names: dict[int, str] = {}
    for source in (band_tags, tags):  # the dataset's tags override band 1's
        for key, value in source.items():
            if key.lower().startswith("class_") and key[6:].isdigit():
                names[int(key[6:])] = str(value)
    for source in (band_tags, tags):
        try:
            names.update({int(k): str(v) for k, v in json.loads(source.get("classes") or "{}").items()})
        except (ValueError, TypeError, AttributeError):
            continue
    return names


def roles_from_names(names: dict[int, str]) -> ClassRoles:
    roles = {v: role_of(n) for v, n in names.items()}
    fronts = [v for v, r in roles.items() if r == "front"]
    return ClassRoles(
        names=dict(names),
        ocean=tuple(sorted(v for v, r in roles.items() if r == "ocean")),
        glacier=tuple(sorted(v for v, r in roles.items() if r == "glacier")),
        front=fronts[0] if fronts else None,
        rock=tuple(sorted(v for v, r in roles.items() if r == "rock")),
    )


def resolve_roles(
    known: ClassRoles,
    ocean: list[int] | None,
    glacier: list[int] | None,
    front: int | None,
) -> ClassRoles:
    """Explicit OCEAN_CLASSES / GLACIER_CLASSES / FRONT_CLASS override what ``known`` says."""
    def values(given, label: str) -> tuple[int, ...] | None:
        if not given:
            return None
        out = []
        for v in given:
            try:
                number = float(v)
            except (TypeError, ValueError):
                raise EngineError(f"{label} must list class values (integers), not {v!r}.") from None
            if not number.is_integer() or not 0 <= number <= 255:
                raise EngineError(f"{label} must list class values from 0 to 255, not {v!r}.")
            out.append(int(number))
        return tuple(sorted(set(out)))

    ocean_v = values(ocean, "OCEAN_CLASSES")
    glacier_v = values(glacier, "GLACIER_CLASSES")
    front_v = None
    if front is not None and front != "":
        front_v = (values([front], "FRONT_CLASS") or (None,))[0]
    roles = ClassRoles(
        names=known.names,
        ocean=ocean_v if ocean_v is not None else known.ocean,
        glacier=glacier_v if glacier_v is not None else known.glacier,
        front=front_v if front_v is not None else known.front,
        rock=known.rock,
    )
    overlap = set(roles.ocean) & set(roles.glacier)
    if overlap:
        raise EngineError(f"Class {min(overlap)} cannot be both ocean and glacier (OCEAN_CLASSES, GLACIER_CLASSES).")
    return roles


def hex_rgb(color: str, default: tuple[int, int, int] | None = None) -> tuple[int, int, int]:
    """``"#rrggbb"`` -> ``(r, g, b)``; ``default`` for anything else, or ValueError without one."""
    c = (color or "").lstrip("#")
    try:
        return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)
    except ValueError:
        if default is None:
            raise
        return default


def colorize(classes: np.ndarray, colormap: dict[int, tuple]) -> np.ndarray:
    """(h, w, 3) colours of a class raster from its colour table (no data black)."""
    lut = np.zeros((256, 3), dtype=np.uint8)
    for value, rgba in colormap.items():
        lut[int(value)] = rgba[:3]
    lut[0] = 0
    return lut[classes]


def write_class_legend(dst, classes: Mapping[int, tuple[str, tuple[int, int, int]]], description: str = "class",
                       **tags: str) -> None:
    """The one writer of a class raster's legend, on band 1 of the open rasterio dataset ``dst``: the
    colour table (0, no data, transparent), the band's description and the ``classes`` tag (JSON
    ``{value: name}``), with any further dataset ``tags``."""
    dst.write_colormap(1, {0: (0, 0, 0, 0), **{int(v): (*rgb, 255) for v, (_, rgb) in classes.items()}})
    dst.set_band_description(1, description)
    dst.update_tags(classes=json.dumps({str(v): name for v, (name, _) in classes.items()}), **tags)


__all__ = ["ClassRoles", "role_of", "class_names_from_tags", "roles_from_names", "resolve_roles",
           "GREY", "SURFACE_CLASSES", "hex_rgb", "colorize", "write_class_legend"]
