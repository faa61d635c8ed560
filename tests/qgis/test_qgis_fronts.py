"""Headless QGIS: Extract Calving Front, Evaluate Fronts and Terminus Change through
``qgis_process.bin`` with the real engine (same set-up as tests/test_qgis_process.py).

Scenes come from the engine's ``synthetic`` command (zone raster and true front); vector
files are written as GeoJSON or read back with QGIS's OGR (``osgeo``).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from helpers import synthetic
from osgeo import gdal
from qgis_helpers import (
    EVALUATE,
    EXTRACT,
    TERMINUS,
    assert_failed_cleanly,
    needs_qgis_process,
    read_lines,
    run,
    to_wgs84,
    write_geojson,
)

pytestmark = needs_qgis_process

WIDTH, HEIGHT, CELL = 200, 160, 30.0
ORIGIN = (-200000.0, -2200000.0)  # the synthetic scenes' upper-left corner (EPSG:3413)


@pytest.fixture(scope="module")
def scenes(tmp_path_factory, qgis_env):  # noqa: F811, ARG001 - skips with qgis_env
    """Two synthetic zone rasters (front at 0.4 and 0.5 of the height) and their true fronts."""
    folder = tmp_path_factory.mktemp("fronts")
    made = {}
    for fraction, day in ((0.4, "20140801"), (0.5, "20150805")):
        name = f"LC08_L1TP_020007_{day}_20170420_01_T1"
        zones, front = folder / f"{name}_zones.tif", folder / f"truth_{day}.geojson"
        synthetic(folder / f"{name}.tif", width=WIDTH, height=HEIGHT, seed=4, front_fraction=fraction,
                  zones=zones, front=front)
        made[day] = (zones, front)
    return made


# --- the toolbox --------------------------------------------------------------------------------


@pytest.mark.parametrize("alg, names", [
    (EXTRACT, ("INPUT", "METHOD", "PROBABILITIES", "MODEL", "OCEAN_CLASSES", "GLACIER_CLASSES", "FRONT_CLASS",
               "THRESHOLD", "MIN_LENGTH", "SMOOTHING", "SIMPLIFY", "JOIN_DISTANCE", "ITERATIONS", "BUFFER", "MASK",
               "WALLS", "MIN_MEAN_PROB", "PIXEL_SIZE", "DATE", "OUTPUT", "FRONT_COUNT", "TOTAL_LENGTH")),
    (EVALUATE, ("PREDICTED", "REFERENCE", "RASTER", "CELL_SIZE", "PIXEL_SIZE", "MATCH", "MATCH_FIELD", "OUTPUT",
                "OUTPUT_HTML", "MEAN_DISTANCE", "MEAN_OF_IMAGE_MEANS", "MEDIAN_DISTANCE", "MISSING_PREDICTIONS",
                "EVALUATED", "UNITS")),
    (TERMINUS, ("FRONTS", "DATE_FIELD", "REFERENCE", "METHOD", "REVERSE", "REFERENCE_FRONTS", "PIXEL_SIZE", "OUTPUT",
                "OUTPUT_PLOT", "OUTPUT_HTML", "MEASURED", "TOTAL_CHANGE")),
    ("glacierterminus:mapcalvingfronts", (
        "INPUTS", "MODEL", "SHIPPED_MODEL", "BANDS", "TTA", "FLOW", "METHOD", "KEEP", "PIXEL_SIZE", "REFERENCE",
        "OUTPUT_TABLE", "OUTPUT_PLOT", "OUTPUT_HTML", "OUTPUT", "RASTERS", "SCENES", "FRONTS", "FAILED")),
], ids=["extract", "evaluate", "terminus", "map-fronts"])
def test_help_explains_every_parameter_and_output(qgis_process, alg, names):  # noqa: F811
    done = qgis_process("help", alg)
    assert done.returncode == 0, done.stderr
    description, _, listing = done.stdout.partition("Arguments")
    for name in names:
        assert re.search(rf"\b{name}\b", description), f"the help text does not explain {name}"
        assert f"{name}:" in listing, f"{name} is not a parameter or output"


# --- the chain: extract -> evaluate -> terminus change --------------------------------------------


def test_extract_evaluate_and_measure_terminus_change(qgis_process, scenes, tmp_path):  # noqa: F811
    fronts = {}
    for day, (zones, _) in scenes.items():
        out = tmp_path / f"front_{day}.gpkg"
        done, results = run(qgis_process, EXTRACT, INPUT=zones, OUTPUT=out, METHOD="zone_boundary")
        assert done.returncode == 0, done.stdout + done.stderr
        assert Path(results["OUTPUT"]) == out and results["FRONT_COUNT"] >= 1
        lines, epsg = read_lines(out)
        assert epsg == "3413"
        props = lines[0][1]
        assert props["method"] == "zone boundary" and props["length_m"] > 100 * CELL
        assert props["date"].replace("/", "-") == f"{day[:4]}-{day[4:6]}-{day[6:]}"
        fronts[day] = out

    # Against the true front: well within a pixel.
    day = "20140801"
    done, results = run(qgis_process, EVALUATE, PREDICTED=fronts[day], REFERENCE=scenes[day][1],
                        RASTER=scenes[day][0], OUTPUT=tmp_path / "errors.csv", OUTPUT_HTML=tmp_path / "errors.html")
    assert done.returncode == 0, done.stdout + done.stderr
    assert results["UNITS"] == "m" and results["EVALUATED"] == 1 and results["MISSING_PREDICTIONS"] == 0
    assert 0 <= results["MEAN_DISTANCE"] < CELL / 2
    assert (tmp_path / "errors.csv").read_text().startswith("key,status,mean")
    assert "data:image/png;base64," in (tmp_path / "errors.html").read_text()

    # Both fronts in one layer, then the box method with a box drawn in EPSG:4326.
    merged = tmp_path / "fronts.gpkg"
    done = qgis_process("--json", "run", "native:mergevectorlayers", "--", f"LAYERS={fronts['20140801']}",
                           f"LAYERS={fronts['20150805']}", f"OUTPUT={merged}")
    assert done.returncode == 0, done.stderr
    x0, y0 = ORIGIN
    left, right = x0 + 0.3 * WIDTH * CELL, x0 + 0.7 * WIDTH * CELL
    top, bottom = y0 - 0.15 * HEIGHT * CELL, y0 - 0.85 * HEIGHT * CELL
    ring = [(left, top), (right, top), (right, bottom), (left, bottom)]
    dense = [(a[0] + (b[0] - a[0]) * t / 20, a[1] + (b[1] - a[1]) * t / 20)
             for a, b in zip(ring, ring[1:] + ring[:1], strict=False) for t in range(20)]
    box = write_geojson(tmp_path / "box.geojson", {"type": "Polygon", "coordinates": [to_wgs84(dense + dense[:1])]})
    done, results = run(qgis_process, TERMINUS, FRONTS=merged, REFERENCE=box, OUTPUT=tmp_path / "t.csv",
                        OUTPUT_PLOT=tmp_path / "t.png", OUTPUT_HTML=tmp_path / "t.html")
    assert done.returncode == 0, done.stdout + done.stderr
    assert results["MEASURED"] == 2
    # The front moved 0.1 of the height down-fjord: 16 px of 30 m; within a pixel.
    assert abs(results["TOTAL_CHANGE"] - 0.1 * HEIGHT * CELL) < CELL
    rows = (tmp_path / "t.csv").read_text().splitlines()
    assert rows[0] == "date,decimal_year,position_m,change_m,rate_m_per_yr,fronts,coverage"
    assert rows[1].startswith("2014-08-01,") and rows[2].startswith("2015-08-05,")
    assert (tmp_path / "t.png").read_bytes().startswith(b"\x89PNG")


def test_mask_in_another_crs_is_reprojected(qgis_process, scenes, tmp_path):  # noqa: F811
    zones, _ = scenes["20140801"]
    x0, y0 = ORIGIN
    mid = x0 + WIDTH * CELL / 2
    ring = [(x0, y0), (mid, y0), (mid, y0 - HEIGHT * CELL), (x0, y0 - HEIGHT * CELL)]
    dense = [(a[0] + (b[0] - a[0]) * t / 20, a[1] + (b[1] - a[1]) * t / 20)
             for a, b in zip(ring, ring[1:] + ring[:1], strict=False) for t in range(20)]
    mask = write_geojson(tmp_path / "left_half.geojson", {"type": "Polygon",
                                                          "coordinates": [to_wgs84(dense + dense[:1])]})
    out = tmp_path / "masked.gpkg"
    done, results = run(qgis_process, EXTRACT, INPUT=zones, MASK=mask, OUTPUT=out)
    assert done.returncode == 0, done.stdout + done.stderr
    lines, epsg = read_lines(out)
    xs = [x for line, _ in lines for x in line]
    assert epsg == "3413" and max(xs) <= mid + CELL, "a front outside the mask"
    assert min(xs) < mid - 20 * CELL, "the front inside the mask is missing"


def fjord_with_walls(folder):
    """A front probability raster (EPSG:3413) seen in the middle of the fjord only (row 80), and fjord
    walls at columns 20 and 180 in its CRS: (raster, [wall, wall])."""
    p = np.full((HEIGHT, WIDTH), 0.001, dtype=np.float32)
    p[79:82, 60:140] = 0.9
    raster = folder / "p.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(raster), WIDTH, HEIGHT, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((ORIGIN[0], CELL, 0.0, ORIGIN[1], 0.0, -CELL))
    ds.SetProjection("EPSG:3413")
    ds.GetRasterBand(1).WriteArray(p)
    ds = None
    x0, y0 = ORIGIN
    return raster, [[(x0 + (c + 0.5) * CELL, y0 - r * CELL) for r in (10, 150)] for c in (20, 180)]


def test_front_between_fjord_walls_in_another_crs(qgis_process, tmp_path):  # noqa: F811
    raster, walls = fjord_with_walls(tmp_path)
    x0 = ORIGIN[0]
    path = tmp_path / "walls.geojson"
    path.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}},
        "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "LineString",
                                                                         "coordinates": to_wgs84(w)}}
                     for w in walls],
    }))
    out = tmp_path / "walls.gpkg"
    done, results = run(qgis_process, EXTRACT, INPUT=raster, WALLS=path, MIN_MEAN_PROB=0.2, OUTPUT=out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert results["FRONT_COUNT"] == 1
    (xs, properties), = read_lines(out)[0]
    assert properties["method"] == "between walls"
    assert min(xs) < x0 + 22 * CELL and max(xs) > x0 + 178 * CELL, "from wall to wall"


def test_walls_in_the_rasters_crs_but_without_a_crs_member_are_not_taken_for_degrees(qgis_process, tmp_path):
    """A GeoJSON file without 'crs' is read by QGIS as WGS 84; walls whose coordinates cannot be degrees
    are taken in the raster's CRS, with a warning, instead of being "reprojected" off the raster."""
    raster, walls = fjord_with_walls(tmp_path)
    x0 = ORIGIN[0]
    path = tmp_path / "walls.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": w}} for w in walls]}))
    done, results = run(qgis_process, EXTRACT, INPUT=raster, WALLS=path, MIN_MEAN_PROB=0.2, OUTPUT=tmp_path / "f.gpkg")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "cannot be longitudes and latitudes" in done.stdout + done.stderr
    (xs, _), = read_lines(tmp_path / "f.gpkg")[0]
    assert min(xs) < x0 + 22 * CELL and max(xs) > x0 + 178 * CELL, "from wall to wall"


# --- bad input: a clear message and no output ------------------------------------------------------


def test_zone_boundary_without_an_ocean_class_fails(qgis_process, tmp_path):  # noqa: F811
    # A class raster without class names, all glacier: nothing says which class is ocean.
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "no_ocean.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 30, 20, 1, gdal.GDT_Byte)
    ds.SetGeoTransform((ORIGIN[0], CELL, 0, ORIGIN[1], 0, -CELL))
    ds.GetRasterBand(1).WriteArray(np.full((20, 30), 2, dtype=np.uint8))
    ds = None
    before = sorted(p.name for p in tmp_path.iterdir())
    done, _ = run(qgis_process, EXTRACT, INPUT=path, METHOD="zone_boundary", GLACIER_CLASSES="2",
                  OUTPUT=tmp_path / "g.gpkg")
    assert_failed_cleanly(done, tmp_path, before, "No class of INPUT is ocean", "OCEAN_CLASSES")


def test_fronts_without_a_date_field_fail(qgis_process, tmp_path):  # noqa: F811
    line = {"type": "LineString", "coordinates": [[-199000, -2203000], [-198000, -2203100]]}
    fronts = write_geojson(tmp_path / "undated.geojson", line, {"name": "front"}, epsg=3413)
    box = write_geojson(tmp_path / "box.geojson", {"type": "Polygon", "coordinates": [[
        [-199500, -2202000], [-197500, -2202000], [-197500, -2204000], [-199500, -2204000], [-199500, -2202000]]]},
        epsg=3413)
    before = sorted(p.name for p in tmp_path.iterdir())
    done, _ = run(qgis_process, TERMINUS, FRONTS=fronts, REFERENCE=box, OUTPUT=tmp_path / "t.csv",
                  OUTPUT_HTML=tmp_path / "t.html")
    assert_failed_cleanly(done, tmp_path, before, "FRONTS has no date field 'date' (its fields: name)",
                          "set DATE_FIELD")


def test_bad_class_list_and_output_type_fail(qgis_process, scenes, tmp_path):  # noqa: F811
    zones, _ = scenes["20140801"]
    before = sorted(p.name for p in tmp_path.iterdir())
    done, _ = run(qgis_process, EXTRACT, INPUT=zones, OCEAN_CLASSES="ocean", OUTPUT=tmp_path / "f.gpkg")
    assert_failed_cleanly(done, tmp_path, before, "OCEAN_CLASSES must list class values like 1,2")
    done, _ = run(qgis_process, EVALUATE, PREDICTED=tmp_path / "nowhere.gpkg", REFERENCE=scenes["20140801"][1],
                  OUTPUT=tmp_path / "e.csv")
    assert_failed_cleanly(done, tmp_path, before, "PREDICTED")
