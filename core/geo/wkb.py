"""Well-known binary (WKB) and GeoPackage geometry blobs, to and from GeoJSON-like dicts.

Only what vector layers of this project need: points, lines and polygons, single and
multi. Reading accepts ISO (``+1000`` Z, ``+2000`` M, ``+3000`` ZM) and extended
(flag bits) WKB and drops Z and M; writing gives 2-D little-endian ISO WKB.
"""
from __future__ import annotations

import struct
from typing import Any

import numpy as np

from ..engine.protocol import EngineError

_CODES = {
    "Point": 1,
    "LineString": 2,
    "Polygon": 3,
    "MultiPoint": 4,
    "MultiLineString": 5,
    "MultiPolygon": 6,
    "GeometryCollection": 7,
}
_NAMES = {v: k for k, v in _CODES.items()}
#: Bytes of a GeoPackage header envelope, by its indicator (bits 1-3 of the flags).
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


# ----------------------------------------------------------------------------- writing


def _points(coords: Any) -> bytes:
    array = np.asarray(coords, dtype="<f8")
    array = array.reshape(len(array), -1)[:, :2] if array.size else np.zeros((0, 2), dtype="<f8")
    return struct.pack("<I", len(array)) + np.ascontiguousarray(array).tobytes()


def _body(kind: str, coords: Any) -> bytes:
    if kind == "Point":
        return struct.pack("<2d", float(coords[0]), float(coords[1]))
    if kind == "LineString":
        return _points(coords)
    if kind == "Polygon":
        return struct.pack("<I", len(coords)) + b"".join(_points(ring) for ring in coords)
    part = kind[len("Multi"):]
    return struct.pack("<I", len(coords)) + b"".join(to_wkb({"type": part, "coordinates": c}) for c in coords)


def to_wkb(geometry: dict) -> bytes:
    """2-D little-endian ISO WKB of a GeoJSON-like geometry dict."""
    kind = geometry["type"]
    if kind not in _CODES or kind == "GeometryCollection":
        raise EngineError(f"Cannot write a {kind} geometry.")
    return struct.pack("<BI", 1, _CODES[kind]) + _body(kind, geometry["coordinates"])


def bounds(geometry: dict) -> tuple[float, float, float, float] | None:
    """``(minx, miny, maxx, maxy)`` of a geometry dict; None when it has no coordinates."""
    if "coordinates" not in geometry:
        return None
    flat = np.asarray(list(_flatten(geometry["coordinates"])), dtype=float).reshape(-1, 2)
    if flat.size == 0:
        return None
    return float(flat[:, 0].min()), float(flat[:, 1].min()), float(flat[:, 0].max()), float(flat[:, 1].max())


def _flatten(coords: Any):
    if len(coords) and isinstance(coords[0], (int, float, np.floating, np.integer)):
        yield coords[:2]
        return
    for c in coords:
        yield from _flatten(c)


def to_gpkg_blob(geometry: dict, srs_id: int) -> bytes:
    """A GeoPackage geometry blob: ``GP`` header with an xy envelope, then the WKB."""
    box = bounds(geometry)
    if box is None:
        flags = 0b00010001  # little endian, no envelope, empty
        return b"GP" + struct.pack("<BBi", 0, flags, srs_id) + to_wkb(geometry)
    minx, miny, maxx, maxy = box
    flags = 0b00000011  # little endian, envelope [minx, maxx, miny, maxy]
    return b"GP" + struct.pack("<BBi4d", 0, flags, srs_id, minx, maxx, miny, maxy) + to_wkb(geometry)


# ----------------------------------------------------------------------------- reading


class _Reader:
    def __init__(self, data: bytes, offset: int = 0) -> None:
        self.data, self.pos = data, offset

    def take(self, fmt: str) -> tuple:
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.data):
            raise EngineError("Truncated WKB geometry.")
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return values

    def points(self, order: str, dims: int) -> list[list[float]]:
        (n,) = self.take(order + "I")
        size = 8 * dims * n
        if self.pos + size > len(self.data):
            raise EngineError("Truncated WKB geometry.")
        array = np.frombuffer(self.data, dtype=order + "f8", count=dims * n, offset=self.pos).reshape(n, dims)
        self.pos += size
        return array[:, :2].astype(float).tolist()

    def geometry(self) -> dict:
        (byte_order,) = self.take("B")
        order = "<" if byte_order == 1 else ">"
        (code,) = self.take(order + "I")
        dims = 2
        if code & 0xE0000000:  # extended WKB: Z, M and SRID flags
            dims += bool(code & 0x80000000) + bool(code & 0x40000000)
            if code & 0x20000000:
                self.take(order + "I")
            code &= 0x0FFFFFFF
        else:
            dims += {0: 0, 1: 1, 2: 1, 3: 2}.get(code // 1000, 0)
            code %= 1000
        kind = _NAMES.get(code)
        if kind is None:
            raise EngineError(f"Unsupported WKB geometry type {code}.")
        if kind == "Point":
            values = self.take(order + f"{dims}d")
            return {"type": kind, "coordinates": [values[0], values[1]]}
        if kind == "LineString":
            return {"type": kind, "coordinates": self.points(order, dims)}
        if kind == "Polygon":
            (n,) = self.take(order + "I")
            return {"type": kind, "coordinates": [self.points(order, dims) for _ in range(n)]}
        (n,) = self.take(order + "I")
        parts = [self.geometry() for _ in range(n)]
        if kind == "GeometryCollection":
            return {"type": kind, "geometries": parts}
        return {"type": kind, "coordinates": [p["coordinates"] for p in parts]}


def from_wkb(data: bytes, offset: int = 0) -> dict:
    """A GeoJSON-like dict (2-D coordinates) of WKB bytes starting at ``offset``."""
    return _Reader(bytes(data), offset).geometry()


def from_gpkg_blob(blob: bytes) -> dict | None:
    """The geometry dict of a GeoPackage geometry blob; None for an empty geometry."""
    blob = bytes(blob)
    if len(blob) < 8 or blob[:2] != b"GP":
        raise EngineError("Not a GeoPackage geometry blob.")
    flags = blob[3]
    envelope = (flags >> 1) & 0b111
    if envelope not in _ENVELOPE_BYTES:
        raise EngineError("Bad GeoPackage geometry header.")
    if flags & 0b00100000:
        raise EngineError("Extended GeoPackage geometries are not supported.")
    if flags & 0b00010000:
        return None
    return from_wkb(blob, 8 + _ENVELOPE_BYTES[envelope])


__all__ = ["to_wkb", "from_wkb", "to_gpkg_blob", "from_gpkg_blob", "bounds"]
