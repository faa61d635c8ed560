"""Vector I/O without QGIS: GeoJSON and GeoPackage in, GeoPackage line layers out.

Geometries are GeoJSON-like dicts (``{"type": ..., "coordinates": ...}``, 2-D); a
layer's CRS is a rasterio CRS, or None for pixel units / unknown. GeoPackages are read
and written with Python's sqlite3 (OGC GeoPackage 1.2: ``gpkg_spatial_ref_sys``,
``gpkg_contents``, ``gpkg_geometry_columns``, GeoPackage binary geometries), so the
engine needs neither GDAL's vector drivers nor QGIS. A QGIS-style source
``path.gpkg|layername=fronts`` picks one layer of a GeoPackage.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from ..engine.protocol import EngineError, Reporter
from .raster import atomic_output
from .wkb import bounds, from_gpkg_blob, to_gpkg_blob

GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
GPKG_USER_VERSION = 10200  # GeoPackage 1.2
#: Column types a written layer may use.
FIELD_TYPES = ("TEXT", "REAL", "INTEGER", "DATE")
#: srs_id of GeoPackage's "undefined Cartesian" CRS (pixel units).
UNDEFINED_CARTESIAN = -1
_CUSTOM_SRS_ID = 100000
LINE_TYPES = ("LineString", "MultiLineString")
POLYGON_TYPES = ("Polygon", "MultiPolygon")


@dataclass
class Feature:
    """A geometry (None when the feature has none) and its attributes."""

    geometry: dict | None
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class VectorLayer:
    """Features with their field names and CRS (None: pixel units or unknown)."""

    features: list[Feature]
    crs: Any = None
    fields: list[str] = field(default_factory=list)
    name: str = ""

    def field_named(self, name: str) -> str | None:
        """The field called ``name``, whatever its case; None when there is none."""
        return {f.lower(): f for f in self.fields}.get(name.lower())

    def lines(self) -> list[np.ndarray]:
        """Every line part of every feature (:func:`line_parts`), as (N, 2) float arrays."""
        return [part for feature in self.features for part in line_parts(feature.geometry)]


# ----------------------------------------------------------------------------- reading


def _split_source(source: str | os.PathLike) -> tuple[Path, str | None]:
    """``path|layername=name`` -> (path, name)."""
    text = str(source)
    if "|" not in text:
        return Path(text), None
    path, *options = text.split("|")
    name = None
    for option in options:
        key, _, value = option.partition("=")
        if key.strip().lower() == "layername":
            name = value.strip()
    return Path(path), name


def _is_sqlite(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(16) == b"SQLite format 3\x00"


def read_vector(source: str | os.PathLike, label: str = "INPUT") -> VectorLayer:
    """Read a GeoJSON file or a GeoPackage layer; every problem is a one-line EngineError."""
    path, layer_name = _split_source(source)
    if not path.exists():
        raise EngineError(f"{label} {path} does not exist.")
    if path.is_dir():
        raise EngineError(f"{label} {path} is a folder, not a vector file.")
    try:
        if _is_sqlite(path):
            return _read_gpkg(path, layer_name, label)
        return _read_geojson(path, label)
    except OSError as exc:
        raise EngineError(f"Cannot read {label} {path}: {exc.strerror or exc}") from None


def _crs_from_geojson(data: dict, label: str):
    member = data.get("crs")
    if not isinstance(member, dict):
        return None
    name = (member.get("properties") or {}).get("name")
    if not name:
        return None
    from rasterio.crs import CRS
    from rasterio.errors import CRSError

    try:
        return CRS.from_user_input(name)
    except CRSError:
        raise EngineError(f"{label} has a CRS that cannot be read: {name}.") from None


def _read_geojson(path: Path, label: str) -> VectorLayer:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise EngineError(f"{label} {path} is neither GeoJSON nor a GeoPackage ({exc}).") from None
    if not isinstance(data, dict) or "type" not in data:
        raise EngineError(f"{label} {path} is not GeoJSON.")
    if data["type"] == "FeatureCollection":
        items = data.get("features") or []
    elif data["type"] == "Feature":
        items = [data]
    else:
        items = [{"type": "Feature", "geometry": data, "properties": {}}]
    features, names = [], {}
    for item in items:
        if not isinstance(item, dict):
            continue
        properties = item.get("properties") or {}
        names.update(dict.fromkeys(properties))
        geometry = item.get("geometry")
        features.append(Feature(geometry if isinstance(geometry, dict) and geometry.get("type") else None,
                                dict(properties)))
    return VectorLayer(features, _crs_from_geojson(data, label), list(names), data.get("name") or path.stem)


def _crs_from_gpkg(db: sqlite3.Connection, srs_id: int, label: str):
    if srs_id in (UNDEFINED_CARTESIAN, 0):
        return None
    row = db.execute(
        "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
        (srs_id,),
    ).fetchone()
    if row is None:
        raise EngineError(f"{label}: CRS {srs_id} is missing from gpkg_spatial_ref_sys.")
    from rasterio.crs import CRS
    from rasterio.errors import CRSError

    organization, code, definition = row
    try:
        if str(organization).upper() == "EPSG" and code:
            return CRS.from_epsg(int(code))
        if definition and str(definition).strip().lower() != "undefined":
            return CRS.from_wkt(str(definition))
    except CRSError:
        raise EngineError(f"{label}: CRS {srs_id} ({organization}:{code}) cannot be read.") from None
    return None


def _read_gpkg(path: Path, layer_name: str | None, label: str) -> VectorLayer:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise EngineError(f"Cannot open {label} {path}: {exc}") from None
    try:
        try:
            tables = db.execute(
                "SELECT g.table_name, g.column_name, g.srs_id FROM gpkg_geometry_columns g "
                "JOIN gpkg_contents c ON c.table_name = g.table_name WHERE c.data_type = 'features' "
                "ORDER BY g.table_name"
            ).fetchall()
        except sqlite3.Error:
            raise EngineError(f"{label} {path} is an SQLite file but not a GeoPackage.") from None
        if layer_name is not None:
            tables = [t for t in tables if t[0] == layer_name]
            if not tables:
                raise EngineError(f"{label} {path} has no feature layer named {layer_name!r}.")
        if not tables:
            raise EngineError(f"{label} {path} holds no feature layer.")
        if len(tables) > 1:
            listed = ", ".join(t[0] for t in tables)
            raise EngineError(
                f"{label} {path} holds several layers ({listed}); pick one as {path}|layername=NAME."
            )
        table, column, srs_id = tables[0]
        crs = _crs_from_gpkg(db, srs_id, label)
        info = db.execute(f'PRAGMA table_info("{table}")').fetchall()
        key = next((c[1] for c in info if c[5] == 1), None)
        names = [c[1] for c in info if c[1] not in (column, key)]
        quoted = ", ".join(f'"{n}"' for n in [column, *names])
        features = []
        for row in db.execute(f'SELECT {quoted} FROM "{table}"'):
            blob, values = row[0], row[1:]
            geometry = from_gpkg_blob(blob) if blob is not None else None
            features.append(Feature(geometry, dict(zip(names, values, strict=False))))
    except sqlite3.Error as exc:
        raise EngineError(f"Cannot read {label} {path}: {exc}") from None
    finally:
        db.close()
    return VectorLayer(features, crs, names, table)


# ----------------------------------------------------------------------------- geometries


def line_parts(geometry: dict | None) -> list[np.ndarray]:
    """The parts of a (Multi)LineString as (N, 2) float arrays; other types give none."""
    if not geometry or geometry.get("type") not in LINE_TYPES:
        return []
    parts = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
    out = []
    for part in parts:
        array = np.asarray(part, dtype=float)
        if array.ndim == 2 and len(array) >= 2:
            out.append(array[:, :2])
    return out


def of_types(features: Sequence[Feature], types: tuple[str, ...]) -> list[Feature]:
    """The features with a non-empty geometry of one of ``types`` (e.g. POLYGON_TYPES)."""
    return [f for f in features if f.geometry and f.geometry["type"] in types and f.geometry.get("coordinates")]


def polygons(layer: VectorLayer, label: str) -> list[dict]:
    """The layer's (Multi)Polygon geometries, or a one-line EngineError when it has none."""
    found = [f.geometry for f in of_types(layer.features, POLYGON_TYPES) if f.geometry is not None]
    if not found:
        raise EngineError(f"{label} has no polygons.")
    return found


def in_crs(layer: VectorLayer, crs, label: str, reporter: Reporter | None = None) -> VectorLayer:
    """The layer in ``crs``: reprojected when both CRSs are known and differ.

    A layer without a CRS is taken to be in ``crs`` already (the QGIS algorithms hand
    the engine layers already reprojected to the raster's CRS). A layer with a CRS for a
    raster without one keeps its coordinates, with a warning.
    """
    if layer.crs is None or crs is None:
        if layer.crs is not None and reporter is not None:
            reporter.warning(
                f"{label} has a CRS ({layer.crs.to_string()}) but the raster has none: "
                "its coordinates are used as pixel coordinates."
            )
        return layer
    if layer.crs == crs:
        return layer
    from rasterio.warp import transform_geom

    try:
        features = [
            Feature(transform_geom(layer.crs, crs, f.geometry) if f.geometry else None, f.properties)
            for f in layer.features
        ]
    except Exception as exc:  # noqa: BLE001 - PROJ errors have many types
        raise EngineError(
            f"Cannot reproject {label} from {layer.crs.to_string()} to {crs.to_string()}: {exc}") from None
    return VectorLayer([_plain(f) for f in features], crs, layer.fields, layer.name)


def layer_bounds(layer: VectorLayer) -> tuple[float, float, float, float] | None:
    """``(minx, miny, maxx, maxy)`` of every geometry of the layer; None when it has none."""
    boxes = [b for b in (bounds(f.geometry) for f in layer.features if f.geometry) if b is not None]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _mirrored(coords: Any) -> Any:
    if len(coords) and isinstance(coords[0], (int, float, np.floating, np.integer)):
        return [coords[0], -coords[1], *coords[2:]]
    return [_mirrored(c) for c in coords]


def in_qgis_pixels(layer: VectorLayer, target: tuple[float, float, float, float] | None, label: str,
                   reporter: Reporter | None = None) -> VectorLayer:
    """A layer without CRS for a place without CRS (``target``: a raster's extent as QGIS places it, or the
    other layer's bounds) in QGIS's pixel coordinates (y 0 to -height, :data:`.raster.UNGEOREFERENCED`).
    A layer that misses ``target`` but would lie on it mirrored in y is in the other convention (y 0 to
    +height: GDAL's default transform, and this plugin's outputs before it followed QGIS): mirrored, with
    a warning. Anything else is returned as it is."""
    if layer.crs is not None or target is None:
        return layer
    box = layer_bounds(layer)
    if box is None or _overlap(box, target):
        return layer
    flipped = (box[0], -box[3], box[2], -box[1])
    if not _overlap(flipped, target):
        return layer
    if reporter is not None:
        reporter.warning(f"{label} lies at y {box[1]:g} to {box[3]:g}, but QGIS draws a raster without "
                         f"georeferencing at y {target[1]:g} to {target[3]:g}: its y values were read as pixel rows "
                         "counted downwards and turned to QGIS's coordinates (y = -row).")
    features = [Feature({**f.geometry, "coordinates": _mirrored(f.geometry["coordinates"])}
                        if f.geometry and "coordinates" in f.geometry else f.geometry, f.properties)
                for f in layer.features]
    return VectorLayer(features, None, layer.fields, layer.name)


def _plain(feature: Feature) -> Feature:
    """A feature whose geometry holds plain lists (transform_geom returns its own mapping)."""
    if feature.geometry is None:
        return feature
    geometry = json.loads(json.dumps(dict(feature.geometry)))
    return Feature(geometry, feature.properties)


# ----------------------------------------------------------------------------- writing


def _srs_row(crs) -> tuple[int, str, str, int, str]:
    """(srs_id, srs_name, organization, organization_coordsys_id, definition) of a CRS."""
    if crs is None:
        return UNDEFINED_CARTESIAN, "Undefined cartesian SRS", "NONE", UNDEFINED_CARTESIAN, "undefined"
    epsg = crs.to_epsg()
    wkt = crs.to_wkt()
    title = wkt.split('"')[1] if '"' in wkt else "custom"
    if epsg is not None:
        return int(epsg), title, "EPSG", int(epsg), wkt
    return _CUSTOM_SRS_ID, title, "NONE", _CUSTOM_SRS_ID, wkt


def _sql_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "DATE":
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()[:10]
        return str(value) or None
    if kind == "REAL":
        value = float(value)
        return None if not math.isfinite(value) else value
    if kind == "INTEGER":
        return int(value)
    return str(value)


_CORE_DDL = (
    """CREATE TABLE gpkg_spatial_ref_sys (
        srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)""",
    """CREATE TABLE gpkg_contents (
        table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
        description TEXT DEFAULT '',
        last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""",
    """CREATE TABLE gpkg_geometry_columns (
        table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT uk_gc_table_name UNIQUE (table_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""",
)
_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
    'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",'
    '0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],'
    'AUTHORITY["EPSG","4326"]]'
)


def _is_geopackage(path: Path) -> bool:
    """True for a SQLite file with GeoPackage's table of contents."""
    try:
        if not _is_sqlite(path):
            return False
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return db.execute("SELECT 1 FROM sqlite_master WHERE name = 'gpkg_contents'").fetchone() is not None
        finally:
            db.close()
    except (OSError, sqlite3.Error):
        return False


def gpkg_layers(path: str | os.PathLike) -> list[str]:
    """The names of a GeoPackage's layers (its table of contents), in order."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in db.execute("SELECT table_name FROM gpkg_contents ORDER BY rowid")]
    finally:
        db.close()


def check_gpkg_output(path: str | os.PathLike) -> bool:
    """Whether a GeoPackage is already at ``path`` (its other layers will be kept); a file there
    that is not a GeoPackage is refused with a one-line EngineError, before any work."""
    if Path(path).is_dir():
        raise EngineError(f"{path} is a folder, not a GeoPackage file.")
    if not Path(path).is_file():
        return False
    if not _is_geopackage(Path(path)):
        raise EngineError(f"{path} exists and is not a GeoPackage: choose another file name.")
    return True


def _drop_layer(db: sqlite3.Connection, layer: str) -> None:
    """Remove layer ``layer`` (its table, spatial index and entries) from an open GeoPackage."""
    db.execute(f'DROP TABLE IF EXISTS "rtree_{layer}_geom"')
    db.execute(f'DROP TABLE IF EXISTS "{layer}"')
    for table in ("gpkg_extensions", "gpkg_geometry_columns", "gpkg_contents"):
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
            db.execute(f"DELETE FROM {table} WHERE lower(table_name) = lower(?)", (layer,))


def write_gpkg(
    path: str | os.PathLike,
    features: Sequence[Feature],
    crs,
    fields: Sequence[tuple[str, str]],
    layer: str = "fronts",
    geometry_type: str = "LINESTRING",
    description: str = "",
) -> Path:
    """Write features as layer ``layer`` of a GeoPackage, atomically (temporary name, then renamed).

    An existing GeoPackage at ``path`` keeps its other layers (the new layer is added, or replaces
    the one of the same name); an existing file that is not a GeoPackage is refused, not replaced.

    ``fields`` are ``(name, type)`` pairs, type one of :data:`FIELD_TYPES`; each feature's
    properties are looked up by those names (missing ones are NULL). ``crs`` is a rasterio
    CRS, or None for pixel units (GeoPackage's undefined Cartesian CRS). An empty
    ``features`` gives a valid layer without features.
    """
    for name, kind in fields:
        if kind not in FIELD_TYPES:
            raise EngineError(f"Unknown field type {kind} for field {name}.")
    srs_id, srs_name, organization, code, definition = _srs_row(crs)
    boxes = [b for b in (bounds(f.geometry) for f in features if f.geometry) if b is not None]
    extent = (
        (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        if boxes else (None, None, None, None)
    )
    columns = ", ".join(f'"{name}" {kind}' for name, kind in fields)
    existing = check_gpkg_output(path)
    with atomic_output(path) as tmp:
        if existing:
            shutil.copyfile(path, tmp)
        db = sqlite3.connect(tmp)
        try:
            db.execute("PRAGMA journal_mode = OFF")
            if existing:
                _drop_layer(db, layer)
            else:
                db.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
                for ddl in _CORE_DDL:
                    db.execute(ddl)
            srs_rows = {
                4326: ("WGS 84 geodetic", 4326, "EPSG", 4326, _WGS84_WKT, "longitude/latitude on WGS 84"),
                -1: ("Undefined cartesian SRS", -1, "NONE", -1, "undefined",
                     "undefined cartesian coordinate reference system"),
                0: ("Undefined geographic SRS", 0, "NONE", 0, "undefined",
                    "undefined geographic coordinate reference system"),
            }
            if srs_id not in srs_rows:
                srs_rows[srs_id] = (srs_name, srs_id, organization, code, definition, "")
            db.executemany("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
                           list(srs_rows.values()))
            db.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
                "min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?)",
                (layer, layer, description, *extent, srs_id),
            )
            db.execute(
                "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)", (layer, geometry_type, srs_id)
            )
            db.execute(
                f'CREATE TABLE "{layer}" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {geometry_type}'
                + (f", {columns})" if columns else ")")
            )
            placeholders = ", ".join("?" for _ in range(len(fields) + 1))
            names = ", ".join(["geom", *(f'"{n}"' for n, _ in fields)])
            db.executemany(
                f'INSERT INTO "{layer}" ({names}) VALUES ({placeholders})',
                [
                    (
                        to_gpkg_blob(f.geometry, srs_id) if f.geometry else None,
                        *(_sql_value(f.properties.get(n), kind) for n, kind in fields),
                    )
                    for f in features
                ],
            )
            db.commit()
        finally:
            db.close()
    return Path(path)


def write_lines(path: str | os.PathLike, lines: Iterable[tuple[np.ndarray, dict]], crs,
                fields: Sequence[tuple[str, str]], layer: str = "fronts", description: str = "") -> Path:
    """Write ``(coordinates (N, 2), attributes)`` pairs as a LineString GeoPackage layer."""
    features = [
        Feature({"type": "LineString", "coordinates": np.asarray(xy, dtype=float).tolist()}, dict(props))
        for xy, props in lines
    ]
    return write_gpkg(path, features, crs, fields, layer, "LINESTRING", description)


__all__ = [
    "Feature",
    "of_types",
    "VectorLayer",
    "read_vector",
    "line_parts",
    "polygons",
    "in_crs",
    "in_qgis_pixels",
    "layer_bounds",
    "check_gpkg_output",
    "gpkg_layers",
    "write_gpkg",
    "write_lines",
    "FIELD_TYPES",
]
