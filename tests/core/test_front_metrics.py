"""Evaluate Fronts' engine (core/fronts/metrics.py, core/fronts/evaluate.py): hand-computed distances,
missing predictions, speed, pairing, reports and bad input."""
from __future__ import annotations

import base64
import csv
import json
import math
import re
import time

import numpy as np
import pytest
import rasterio
from rasterio.crs import CRS
from rasterio.transform import from_origin

from glacier_terminus.core.engine.cli import run_job
from glacier_terminus.core.engine.protocol import EngineError, SilentReporter
from glacier_terminus.core.fronts.evaluate import evaluate_fronts_job
from glacier_terminus.core.fronts.metrics import Grid, front_error, grid_for_lines, rasterise, summary
from glacier_terminus.core.geo.lines import pixel_to_map

CELL = 10.0
TRANSFORM = from_origin(0.0, 1000.0, CELL, CELL)  # 10 m cells, upper-left corner (0, 1000)
GRID = Grid(TRANSFORM, (100, 120), (1.0, 1.0), "m")


def row_line(row: float, col0: int, col1: int) -> np.ndarray:
    """A straight line along pixel row ``row`` from the centre of column col0 to col1, in map coordinates."""
    return pixel_to_map(np.array([[row, col0], [row, col1]]), TRANSFORM)


# --- hand-computed distances ----------------------------------------------------------------


def test_a_shifted_line_is_exactly_its_shift_away():
    reference = [row_line(50, 10, 90)]
    predicted = [row_line(53, 10, 90)]  # 3 px = 30 m south
    error = front_error("a", predicted, reference, GRID)
    assert error.predicted_px == error.reference_px == 81
    row = error.row()
    assert row["mean"] == row["median"] == row["max"] == pytest.approx(30.0)
    assert row["pred_to_ref_mean"] == row["ref_to_pred_mean"] == pytest.approx(30.0)
    assert row["predicted_length"] == row["reference_length"] == pytest.approx(800.0)


def test_a_short_shifted_line_by_hand():
    # Reference: columns 10..90 on row 50. Prediction: columns 10..50 on row 54 (40 m off).
    error = front_error("b", [row_line(54, 10, 50)], [row_line(50, 10, 90)], GRID)
    # predicted -> reference: 41 pixels, each 40 m; reference -> predicted: 41 pixels 40 m away,
    # then 40 pixels k = 1..40 columns past the prediction's end: sqrt((10 k)^2 + 40^2).
    beyond = [math.sqrt((10 * k) ** 2 + 40**2) for k in range(1, 41)]
    expected_ref = (41 * 40 + sum(beyond)) / 81
    expected_mean = (41 * 40 + 41 * 40 + sum(beyond)) / (41 + 81)
    row = error.row()
    assert row["pred_to_ref_mean"] == pytest.approx(40.0)
    assert row["ref_to_pred_mean"] == pytest.approx(expected_ref)
    assert row["mean"] == pytest.approx(expected_mean)
    assert row["max"] == pytest.approx(math.sqrt(400**2 + 40**2))
    assert row["median"] == pytest.approx(40.0)


def test_summary_counts_missing_predictions_and_averages_two_ways():
    a = front_error("a", [row_line(53, 10, 90)], [row_line(50, 10, 90)], GRID)  # 162 distances of 30 m
    b = front_error("b", [row_line(51, 10, 30)], [row_line(50, 10, 30)], GRID)  # 42 distances of 10 m
    stats = summary([a, b], missing=2)
    assert stats["images"] == 4 and stats["evaluated"] == 2 and stats["missing_predictions"] == 2
    assert stats["mean_distance"] == pytest.approx((162 * 30 + 42 * 10) / 204)
    assert stats["mean_of_image_means"] == pytest.approx(20.0)
    assert stats["median_distance"] == pytest.approx(30.0)
    assert summary([], missing=3)["mean_distance"] is None


def test_ten_thousand_pixel_fronts_in_well_under_a_second():
    cols = np.arange(10_000, dtype=float)
    rows = 100 + 40 * np.sin(cols / 300.0)
    grid = Grid(from_origin(0, 0, 30, 30), (200, 10_000), (1.0, 1.0), "m")
    reference = [pixel_to_map(np.c_[rows, cols], grid.transform)]
    predicted = [pixel_to_map(np.c_[rows + 2.0, cols], grid.transform)]
    assert len(rasterise(reference, grid)[0]) >= 10_000
    front_error("warm-up", predicted[:1], reference[:1], grid)
    started = time.perf_counter()
    error = front_error("big", predicted, reference, grid)
    seconds = time.perf_counter() - started
    assert seconds < 1.0, f"{seconds:.2f} s"
    assert error.reference_px >= 10_000
    assert 30.0 <= error.row()["mean"] <= 60.0  # 2 px vertically = 60 m, less where the line is steep


def test_grid_for_lines_covers_them_on_a_fixed_lattice():
    grid = grid_for_lines([np.array([[103.0, 57.0], [251.0, -12.0]])], 10.0, None)
    assert grid.units == "px" and grid.transform.c == 90.0 and grid.transform.f == 70.0
    pixels, off = rasterise([np.array([[103.0, 57.0], [251.0, -12.0]])], grid)
    assert off == 0 and len(pixels) >= 15


# --- the command --------------------------------------------------------------------------------


def geojson(path, features, epsg=3413):
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": None if line is None else
         {"type": "LineString", "coordinates": np.asarray(line).tolist()}}
        for line, props in features
    ]}
    if epsg:
        collection["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}}
    path.write_text(json.dumps(collection))
    return str(path)


def make_raster(path):
    profile = dict(driver="GTiff", width=120, height=100, count=1, dtype="uint8", crs="EPSG:3413",
                   transform=TRANSFORM)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.full((1, 100, 120), 128, dtype=np.uint8))
    return str(path)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_evaluate_pairs_by_date_and_counts_the_missing_prediction(tmp_path):
    reference = geojson(tmp_path / "ref.geojson", [
        (row_line(50, 10, 90), {"date": "2014-08-01", "source": "manual"}),
        (row_line(40, 10, 90), {"date": "2015/08/01", "source": "manual"}),
    ])
    predicted = geojson(tmp_path / "pred.geojson", [
        (row_line(53, 10, 50), {"date": "2014-08-01"}),  # two pieces of the 2014 front
        (row_line(53, 51, 90), {"date": "2014-08-01"}),
        (row_line(10, 10, 90), {"date": "2016-08-01"}),  # no reference for this one
    ])
    reporter = SilentReporter()
    result = evaluate_fronts_job({
        "predicted": predicted, "reference": reference, "output": str(tmp_path / "e.csv"),
        "output_html": str(tmp_path / "e.html"), "raster": make_raster(tmp_path / "r.tif"), "match": "auto",
    }, reporter)
    assert result["match"] == "date" and result["units"] == "m"
    assert result["images"] == 2 and result["evaluated"] == 1 and result["missing_predictions"] == 1
    assert result["unmatched_predictions"] == 1
    assert result["mean_distance"] == result["mean_of_image_means"] == pytest.approx(30.0)
    warnings = " ".join(reporter.of("warning"))
    assert "1 image(s) have no predicted front" in warnings and "no reference front" in warnings
    rows = {r["key"]: r for r in read_csv(tmp_path / "e.csv")}
    assert rows["2014-08-01"]["status"] == "ok" and float(rows["2014-08-01"]["mean"]) == pytest.approx(30.0)
    assert rows["2015-08-01"]["status"] == "no prediction" and rows["2015-08-01"]["mean"] == ""
    assert rows["2016-08-01"]["status"] == "no reference"
    page = (tmp_path / "e.html").read_text(encoding="utf-8")
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == 2 and all(base64.b64decode(i).startswith(b"\x89PNG") for i in images)
    assert "Error histogram" in page and "Worst fronts" in page and "10 m bins" in page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.csv", "e.html", "pred.geojson", "r.tif", "ref.geojson"]


def test_evaluate_without_raster_reprojects_the_reference(tmp_path):
    from rasterio.warp import transform

    ref_3413 = row_line(50, 10, 90)
    lon, lat = transform("EPSG:3413", "EPSG:4326", ref_3413[:, 0].tolist(), ref_3413[:, 1].tolist())
    reference = geojson(tmp_path / "ref.geojson", [(np.c_[lon, lat], {})], epsg=4326)
    predicted = geojson(tmp_path / "pred.geojson", [(row_line(53, 10, 90), {})])
    result = evaluate_fronts_job({"predicted": predicted, "reference": reference, "output": str(tmp_path / "e.csv"),
                                  "cell_size": 10.0, "match": "auto"}, SilentReporter())
    assert result["match"] == "all" and result["evaluated"] == 1
    assert result["mean_distance"] == pytest.approx(30.0, abs=0.5)


def test_pixel_units_and_one_to_one_pairing(tmp_path):
    reference = geojson(tmp_path / "ref.geojson", [(np.array([[0.5, 5.5], [40.5, 5.5]]), {}),
                                                    (np.array([[0.5, 20.5], [40.5, 20.5]]), {})], epsg=None)
    predicted = geojson(tmp_path / "pred.geojson", [(np.array([[0.5, 7.5], [40.5, 7.5]]), {}),
                                                    (None, {})], epsg=None)
    result = evaluate_fronts_job({"predicted": predicted, "reference": reference, "output": str(tmp_path / "e.csv"),
                                  "match": "order"}, SilentReporter())
    assert result["units"] == "px" and result["evaluated"] == 1 and result["missing_predictions"] == 1
    assert result["mean_distance"] == pytest.approx(2.0)


def test_report_on_a_raster_without_georeferencing(tmp_path):
    """A PNG-like raster (GDAL's default transform, y pixel size > 0) under the report's figures."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rasterio.errors.NotGeoreferencedWarning)
        with rasterio.open(tmp_path / "plain.tif", "w", driver="GTiff", width=60, height=40, count=1,
                           dtype="uint8") as dst:
            dst.write(np.full((1, 40, 60), 200, dtype=np.uint8))
    reference = geojson(tmp_path / "ref.geojson", [(np.array([[2.5, 10.5], [50.5, 10.5]]), {})], epsg=None)
    predicted = geojson(tmp_path / "pred.geojson", [(np.array([[2.5, 13.5], [50.5, 13.5]]), {})], epsg=None)
    result = evaluate_fronts_job({"predicted": predicted, "reference": reference, "raster": str(tmp_path / "plain.tif"),
                                  "output": str(tmp_path / "e.csv"), "output_html": str(tmp_path / "e.html"),
                                  "match": "all"}, SilentReporter())
    assert result["mean_distance"] == pytest.approx(3.0)
    assert "Worst fronts" in (tmp_path / "e.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("change, message", [
    ({"cell_size": 0.0}, "Give RASTER .* or CELL_SIZE"),
    ({"reference": "empty"}, "^REFERENCE has no lines.$"),
    ({"match": "date", "reference": "undated"}, "REFERENCE feature 1 has no date to match by"),
    ({"output": "e.txt"}, r"OUTPUT must be a CSV file \(.csv\)"),
    ({"output_html": "e.pdf"}, r"OUTPUT_HTML must be a HTML file \(.html or .htm\)"),
    ({"raster": "missing.tif"}, "RASTER .*missing.tif does not exist"),
], ids=["no-grid", "empty-reference", "undated", "csv", "html", "raster"])
def test_bad_input_fails_clearly_without_output(tmp_path, change, message):
    lines = {
        "good": geojson(tmp_path / "good.geojson", [(row_line(50, 10, 90), {"date": "2014-08-01"})]),
        "empty": geojson(tmp_path / "empty.geojson", []),
        "undated": geojson(tmp_path / "undated.geojson", [(row_line(50, 10, 90), {"source": "x.tif"})]),
    }
    job = {"predicted": lines["good"], "reference": lines["good"], "output": str(tmp_path / "e.csv"),
           "output_html": str(tmp_path / "e.html"), "cell_size": 10.0, "match": "auto"}
    for key, value in change.items():
        is_path = key in ("predicted", "reference", "output", "output_html", "raster")
        job[key] = lines.get(value, str(tmp_path / value)) if is_path else value
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(EngineError, match=message):
        run_job("evaluate_fronts", job)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_crs_of_a_geopackage_prediction_is_used(tmp_path):
    from glacier_terminus.core.geo.vector import write_lines

    pred = write_lines(tmp_path / "p.gpkg", [(row_line(52, 10, 90), {"date": "2014-08-01"})], CRS.from_epsg(3413),
                       [("date", "DATE")])
    reference = geojson(tmp_path / "ref.geojson", [(row_line(50, 10, 90), {"date": "2014-08-01"})])
    result = evaluate_fronts_job({"predicted": str(pred), "reference": reference, "output": str(tmp_path / "e.csv"),
                                  "cell_size": 10.0}, SilentReporter())
    assert result["match"] == "date" and result["mean_distance"] == pytest.approx(20.0)
