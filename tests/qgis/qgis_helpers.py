"""What the qgis_process tests share: the binary, running an algorithm, reading results with
QGIS's GDAL and OGR (``osgeo``), writing vector inputs. Fixtures are in ``conftest.py``."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import PLUGIN_DIR
from osgeo import gdal, ogr, osr

QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"


DEFAULT_MODEL = PLUGIN_DIR / "models" / "default"
#: Skips a module when QGIS is not installed.
needs_qgis_process = pytest.mark.skipif(
    not Path(QGIS_PROCESS).is_file(), reason="qgis_process.bin is not installed (QGIS 3.22+: `sudo make qgis`)"
)


EXTRACT = "glacierterminus:extractcalvingfront"


EVALUATE = "glacierterminus:evaluatefronts"


TERMINUS = "glacierterminus:terminuschange"


def read(path) -> tuple:
    """(array (bands, rows, cols), dataset info) read with QGIS's GDAL."""
    ds = gdal.Open(str(path))
    assert ds is not None, path
    info = {
        "size": (ds.RasterXSize, ds.RasterYSize),
        "count": ds.RasterCount,
        "transform": ds.GetGeoTransform(),
        "wkt": ds.GetProjection(),
        "dtype": gdal.GetDataTypeName(ds.GetRasterBand(1).DataType),
        "colors": ds.GetRasterBand(1).GetColorTable() is not None,
    }
    data = ds.ReadAsArray()
    ds = None
    return (data if data.ndim == 3 else data[None]), info


def same_crs(wkt_a: str, wkt_b: str) -> bool:
    """Whether two WKT strings name the same CRS (OSR's IsSame)."""
    a, b = osr.SpatialReference(), osr.SpatialReference()
    a.ImportFromWkt(wkt_a)
    b.ImportFromWkt(wkt_b)
    return bool(a.IsSame(b))


def run(qgis_process, alg, **params):
    """Run an algorithm with ``--json``: (CompletedProcess, results dict or None)."""
    done = qgis_process("--json", "run", alg, "--", *[f"{k}={v}" for k, v in params.items()])
    return done, (json.loads(done.stdout)["results"] if done.returncode == 0 else None)


def assert_failed_cleanly(done, folder: Path, before: list, *phrases: str):
    """A failed run that left ``folder`` as it was (``before``: its names) and says each phrase."""
    text = done.stdout + done.stderr
    assert done.returncode != 0, text
    assert sorted(p.name for p in folder.iterdir()) == before, "an output or partial file was left behind"
    for phrase in phrases:
        assert phrase in text, f"{phrase!r} not in:\n{text}"


def to_wgs84(points):
    """EPSG:3413 points in WGS84 (with QGIS's transform)."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject

    transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:3413"),
                                       QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    return [[p.x(), p.y()] for p in (transform.transform(QgsPointXY(x, y)) for x, y in points)]


def write_geojson(path: Path, geometry: dict, properties=None, epsg=4326) -> Path:
    """One feature as GeoJSON with a named CRS."""
    path.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}},
        "features": [{"type": "Feature", "properties": properties or {}, "geometry": geometry}],
    }))
    return path


def read_lines(path) -> list:
    """(x list, properties) of every feature of a vector file, read with OGR."""
    ds = ogr.Open(str(path))
    layer = ds.GetLayer(0)
    out = []
    for feature in layer:
        geometry = feature.GetGeometryRef()
        xs = [geometry.GetPoint(i)[0] for i in range(geometry.GetPointCount())]
        out.append((xs, feature.items()))
    srs = layer.GetSpatialRef()
    code = srs.GetAuthorityCode(None) if srs is not None else None
    ds = None
    return out, code


def model_classes(model_dir: Path) -> set:
    """The class values a model package declares."""
    meta = json.loads((model_dir / "model.json").read_text(encoding="utf-8"))
    return {int(c["value"]) for c in meta["classes"]}
