"""Vector I/O without QGIS (core/geo/vector.py, core/geo/wkb.py) and acquisition dates (core/geo/dates.py)."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
import struct

import numpy as np
import pytest
from rasterio.crs import CRS

from glacier_terminus.core.engine.protocol import EngineError
from glacier_terminus.core.geo.dates import acquisition_date, decimal_year, parse_date
from glacier_terminus.core.geo.vector import Feature, in_crs, line_parts, polygons, read_vector, write_gpkg, write_lines
from glacier_terminus.core.geo.wkb import from_gpkg_blob, from_wkb, to_wkb

FIELDS = [("source", "TEXT"), ("date", "DATE"), ("length_m", "REAL"), ("method", "TEXT"), ("pieces", "INTEGER")]
LINE = np.array([[-199000.0, -2203000.0], [-198500.5, -2203400.25], [-198000.0, -2203100.0]])


NSIDC_NORTH = CRS.from_epsg(3413)


def write_sample(path, crs=NSIDC_NORTH):
    props = {"source": "LC08_x.tif", "date": dt.date(2014, 8, 1), "length_m": 1234.5, "method": "zone boundary",
             "pieces": 2}
    return write_lines(path, [(LINE, props), (LINE[::-1] + 10, {"source": "b", "length_m": float("nan")})], crs, FIELDS)


# --- GeoPackage ----------------------------------------------------------------------------


def test_geopackage_round_trip(tmp_path):
    path = write_sample(tmp_path / "fronts.gpkg")
    layer = read_vector(path)
    assert layer.crs == CRS.from_epsg(3413)
    assert layer.fields == [name for name, _ in FIELDS]
    assert len(layer.features) == 2
    first, second = layer.features
    np.testing.assert_array_equal(line_parts(first.geometry)[0], LINE)
    assert first.properties == {"source": "LC08_x.tif", "date": "2014-08-01", "length_m": 1234.5,
                                "method": "zone boundary", "pieces": 2}
    assert second.properties["length_m"] is None and second.properties["date"] is None  # NaN and missing: NULL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fronts.gpkg"], "no temporary or journal file left"


def test_geopackage_tables_follow_the_standard(tmp_path):
    path = write_sample(tmp_path / "fronts.gpkg")
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 10200
        srs = {r[0]: r for r in db.execute("SELECT srs_id, organization, organization_coordsys_id, definition "
                                           "FROM gpkg_spatial_ref_sys")}
        assert {-1, 0, 4326, 3413} <= set(srs)
        assert srs[3413][1] == "EPSG" and "Polar Stereographic" in srs[3413][3]
        contents = db.execute("SELECT table_name, data_type, srs_id, min_x, max_y FROM gpkg_contents").fetchall()
        assert contents == [("fronts", "features", 3413, LINE[:, 0].min(), LINE[:, 1].max() + 10)]
        columns = db.execute("SELECT * FROM gpkg_geometry_columns").fetchall()
        assert columns == [("fronts", "geom", "LINESTRING", 3413, 0, 0)]
        blob = db.execute("SELECT geom FROM fronts ORDER BY fid").fetchone()[0]
    finally:
        db.close()
    assert blob[:2] == b"GP" and struct.unpack("<i", blob[4:8])[0] == 3413
    minx, maxx, miny, maxy = struct.unpack("<4d", blob[8:40])
    assert (minx, maxx, miny, maxy) == (LINE[:, 0].min(), LINE[:, 0].max(), LINE[:, 1].min(), LINE[:, 1].max())
    assert from_gpkg_blob(blob) == {"type": "LineString", "coordinates": LINE.tolist()}


def test_pixel_units_and_empty_layers(tmp_path):
    path = write_lines(tmp_path / "px.gpkg", [(np.array([[0.5, 0.5], [10.5, 3.5]]), {"source": "a.png"})], None,
                       FIELDS)
    layer = read_vector(path)
    assert layer.crs is None and layer.features[0].properties["source"] == "a.png"
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT srs_id FROM gpkg_geometry_columns").fetchone()[0] == -1
    empty = read_vector(write_lines(tmp_path / "empty.gpkg", [], CRS.from_epsg(3413), FIELDS))
    assert empty.features == [] and empty.crs == CRS.from_epsg(3413) and empty.fields == [n for n, _ in FIELDS]


def test_qgis_and_gdal_open_the_geopackage(tmp_path):
    ogr = pytest.importorskip("osgeo.ogr")
    qgis_core = pytest.importorskip("qgis.core")
    path = write_sample(tmp_path / "fronts.gpkg")
    ds = ogr.Open(str(path))
    layer = ds.GetLayer(0)
    assert layer.GetSpatialRef().GetAuthorityCode(None) == "3413"
    assert layer.GetFeatureCount() == 2
    ds = None
    vl = qgis_core.QgsVectorLayer(str(path), "fronts", "ogr")
    assert vl.isValid()
    assert vl.crs().authid() == "EPSG:3413"
    assert vl.featureCount() == 2
    assert qgis_core.QgsWkbTypes.geometryType(vl.wkbType()) == qgis_core.QgsWkbTypes.LineGeometry
    types = {f.name(): f.typeName().lower() for f in vl.fields()}
    assert types["date"] == "date" and types["length_m"] == "real" and types["source"] == "string"
    feature = next(vl.getFeatures())
    assert feature["date"].toString("yyyy-MM-dd") == "2014-08-01"
    assert feature.geometry().asPolyline()[1].x() == pytest.approx(LINE[1, 0])


def test_failed_write_leaves_nothing_and_keeps_an_existing_file(tmp_path):
    target = write_sample(tmp_path / "fronts.gpkg")
    before = target.read_bytes()
    bad = [Feature({"type": "GeometryCollection", "geometries": []}, {})]
    with pytest.raises(EngineError, match="GeometryCollection"):
        write_gpkg(target, bad, None, FIELDS)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fronts.gpkg"]
    with pytest.raises(EngineError, match="does not exist"):
        write_sample(tmp_path / "missing" / "fronts.gpkg")


def test_reads_geopackages_written_by_gdal(tmp_path):
    ogr = pytest.importorskip("osgeo.ogr")
    osr = pytest.importorskip("osgeo.osr")
    path = tmp_path / "gdal.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32622)
    for name, wkt in (("fjord", "MULTIPOLYGON (((0 0,10 0,10 5,0 5,0 0),(1 1,2 1,2 2,1 1)))"),
                      ("lines", "LINESTRING Z (0 0 1,5 5 2,9 1 3)")):
        layer = ds.CreateLayer(name, srs, ogr.wkbUnknown)
        layer.CreateField(ogr.FieldDefn("name", ogr.OFTString))
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("name", name)
        feature.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        layer.CreateFeature(feature)
    ds = None
    with pytest.raises(EngineError, match=r"several layers \(fjord, lines\).*layername=NAME"):
        read_vector(path, "MASK")
    mask = read_vector(f"{path}|layername=fjord", "MASK")
    assert mask.crs == CRS.from_epsg(32622)
    (shape,) = polygons(mask, "MASK")
    assert shape["type"] == "MultiPolygon" and shape["coordinates"][0][1][1] == [2.0, 1.0]
    lines = read_vector(f"{path}|layername=lines")
    np.testing.assert_array_equal(line_parts(lines.features[0].geometry)[0], [[0, 0], [5, 5], [9, 1]])
    assert lines.features[0].properties == {"name": "lines"}
    with pytest.raises(EngineError, match="no feature layer named 'nope'"):
        read_vector(f"{path}|layername=nope")


@pytest.mark.parametrize("wkt", [
    "LINESTRING (1 2,3 4.5)",
    "MULTILINESTRING ((1 2,3 4),(5 6,7 8,9 10))",
    "POLYGON ((0 0,4 0,4 4,0 0))",
    "MULTIPOLYGON (((0 0,4 0,4 4,0 0)),((10 10,12 10,12 12,10 10)))",
    "LINESTRING ZM (1 2 3 4,5 6 7 8)",
    "MULTILINESTRING M ((1 2 3,4 5 6))",
])
def test_wkb_matches_gdal(wkt):
    ogr = pytest.importorskip("osgeo.ogr")
    geometry = ogr.CreateGeometryFromWkt(wkt)
    flat = geometry.Clone()
    flat.FlattenTo2D()
    expected = json.loads(flat.ExportToJson())
    for data in (geometry.ExportToIsoWkb(ogr.wkbNDR), geometry.ExportToIsoWkb(ogr.wkbXDR), geometry.ExportToWkb()):
        parsed = from_wkb(bytes(data))
        assert parsed["type"] == expected["type"]
        np.testing.assert_allclose(np.concatenate(list(_flat(parsed["coordinates"]))),
                                   np.concatenate(list(_flat(expected["coordinates"]))))
    if "Z" not in wkt and " M" not in wkt:
        assert to_wkb(expected) == bytes(geometry.ExportToIsoWkb(ogr.wkbNDR))


def _flat(coords):
    if isinstance(coords[0], (int, float)):
        yield np.asarray(coords[:2], dtype=float)
        return
    for c in coords:
        yield from _flat(c)


# --- GeoJSON and CRS -------------------------------------------------------------------------


def test_geojson_with_a_crs_is_reprojected_on_request(tmp_path):
    from rasterio.warp import transform

    lon, lat = [-50.0, -49.5], [69.1, 69.2]
    path = tmp_path / "mask.geojson"
    path.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": [{"type": "Feature", "properties": {"id": 7},
                      "geometry": {"type": "LineString", "coordinates": [[lon[0], lat[0]], [lon[1], lat[1]]]}},
                     {"type": "Feature", "properties": {"id": 8}, "geometry": None}],
    }))
    layer = read_vector(path)
    assert layer.crs is not None and layer.crs.is_geographic and layer.fields == ["id"]
    assert layer.features[1].geometry is None
    projected = in_crs(layer, CRS.from_epsg(3413), "MASK")
    xs, ys = transform("EPSG:4326", "EPSG:3413", lon, lat)
    np.testing.assert_allclose(line_parts(projected.features[0].geometry)[0], np.c_[xs, ys], atol=1e-6)
    assert projected.crs == CRS.from_epsg(3413) and projected.features[0].properties == {"id": 7}
    assert in_crs(layer, None, "MASK") is layer  # no raster CRS: coordinates kept


@pytest.mark.parametrize("content, message", [
    ("not json at all", "neither GeoJSON nor a GeoPackage"),
    ("[1, 2]", "is not GeoJSON"),
])
def test_unreadable_vectors_fail_clearly(tmp_path, content, message):
    path = tmp_path / "bad.geojson"
    path.write_text(content)
    with pytest.raises(EngineError, match=message):
        read_vector(path, "FRONTS")
    with pytest.raises(EngineError, match="FRONTS .* does not exist"):
        read_vector(tmp_path / "nowhere.gpkg", "FRONTS")


def test_polygons_requires_polygons(tmp_path):
    path = tmp_path / "lines.geojson"
    path.write_text(json.dumps({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}))
    with pytest.raises(EngineError, match="^MASK has no polygons.$"):
        polygons(read_vector(path), "MASK")


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("LC08_L1TP_020007_20140801_20170420_01_T1_B2", "2014-08-01"),
    ("/data/LC08_L1TP_020007_20140801_20170420_01_T1_B2_Subset.png", "2014-08-01"),
    ("LE07_L1GT_021006_20011015_20170203_01_T2_B2_Front.png", "2001-10-15"),
    ("LT05_L1TP_008011_19850702_20161004_01_T1.tif", "1985-07-02"),
    ("LC09_L2SP_231012_20220601_20220603_02_T1_SR_B4.TIF", "2022-06-01"),
    ("LC80200072014213LGN00_B2.TIF", "2014-08-01"),
    ("S2A_MSIL1C_20190812T150721_N0208_R082_T22WEV_20190812T183218.SAFE", "2019-08-12"),
    ("S2B_MSIL2A_20200105T151709_N0213_R125_T22WEV_20200105T172015_B04.jp2", "2020-01-05"),
    ("S1A_IW_GRDH_1SDH_20190812T093243_20190812T093308_028518_0338FC_6D2F.zip", "2019-08-12"),
    ("classes_2021-03-05.tif", "2021-03-05"),
    ("jakobshavn_20150704_front.gpkg", "2015-07-04"),
    ("scene.tif", None),
    ("tile_12345678.tif", None),
    ("", None),
])
def test_acquisition_dates_from_file_names(name, expected):
    found = acquisition_date(name)
    assert (found.isoformat() if found else None) == expected


@pytest.mark.parametrize("value, expected", [
    ("2014-08-01", "2014-08-01"), ("2014/08/01", "2014-08-01"), ("2014-08-01T10:20:00Z", "2014-08-01"),
    ("20140801", "2014-08-01"), (20140801, "2014-08-01"), (dt.date(2014, 8, 1), "2014-08-01"),
    (dt.datetime(2014, 8, 1, 12), "2014-08-01"), (2014.0, "2014-01-01"), ("2014.5", "2014-07-02"),
    ("", None), (None, None), ("yesterday", None), ("2014-13-01", None),
])
def test_parse_date(value, expected):
    found = parse_date(value)
    assert (found.isoformat() if found else None) == expected


def test_decimal_year():
    assert decimal_year(dt.date(2014, 1, 1)) == 2014.0
    assert decimal_year(dt.date(2016, 12, 31)) == pytest.approx(2016 + 365 / 366)
