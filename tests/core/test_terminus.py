"""Terminus Change's engine (core/fronts/terminus.py, core/fronts/terminus_change.py): the box method on a
synthetic retreat series, centreline crossings, the time-series table and bad input."""
from __future__ import annotations

import csv
import datetime as dt
import json
import math

import numpy as np
import pytest
from helpers import write_classes, zones_of
from rasterio.crs import CRS

from glacier_terminus.core.engine.cli import run_job
from glacier_terminus.core.engine.protocol import EngineError, SilentReporter
from glacier_terminus.core.fronts.extract import extract_front_job
from glacier_terminus.core.fronts.terminus import box_position, centreline_position, polygon_area
from glacier_terminus.core.fronts.terminus_change import terminus_change_job
from glacier_terminus.core.geo.vector import line_parts, read_vector, write_lines
from glacier_terminus.core.synthetic import scenes as sy

FRACTIONS = (0.35, 0.45, 0.55)  # mean front at these fractions of the height: the front moves down-fjord
DATES = ("2014-08-01", "2015-07-20", "2016-08-03")
W, H = 320, 256


def spec_for(fraction: float) -> sy.SceneSpec:
    return sy.SceneSpec(W, H, seed=4, front_fraction=fraction)


def fjord_box(spec: sy.SceneSpec) -> np.ndarray:
    """A rectangle inside the fjord walls: columns 0.3 W to 0.7 W, rows 0.15 H (upstream) to 0.8 H."""
    (x0, y0), cell = spec.origin, spec.cell_size
    left, right = x0 + 0.3 * W * cell, x0 + 0.7 * W * cell
    top, bottom = y0 - 0.15 * H * cell, y0 - 0.8 * H * cell
    return np.array([[left, top], [right, top], [right, bottom], [left, bottom], [left, top]])


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    """Fronts extracted from three synthetic scenes with known front positions, and their truth."""
    folder = tmp_path_factory.mktemp("series")
    extracted, truth = [], []
    for fraction, day in zip(FRACTIONS, DATES, strict=False):
        spec = spec_for(fraction)
        raster = write_classes(folder / f"zones_{day}.tif", zones_of(spec), spec)
        extract_front_job({"input": str(raster), "output": str(folder / f"{day}.gpkg")}, SilentReporter())
        layer = read_vector(folder / f"{day}.gpkg")
        extracted.append([p for f in layer.features for p in line_parts(f.geometry)])
        truth.append([spec.front_line_map(0.25)])
    return folder, extracted, truth


# --- the box method -------------------------------------------------------------------------


def test_box_positions_match_the_known_retreat_within_a_pixel(series):
    _, extracted, truth = series
    box = fjord_box(spec_for(0.45))
    cell = 30.0
    measured = [box_position(box, lines) for lines in extracted]
    known = [box_position(box, lines) for lines in truth]
    assert all(p.coverage == 1.0 for p in measured + known)
    for got, expected in zip(measured, known, strict=False):
        assert abs(got.position - expected.position) < cell, "extracted vs true front"
    # The three scenes differ only in front_fraction: the front moves by exactly that much everywhere.
    for i in (1, 2):
        exact = (FRACTIONS[i] - FRACTIONS[0]) * H * cell
        assert abs((known[i].position - known[0].position) - exact) < 1e-6 * exact
        assert abs((measured[i].position - measured[0].position) - exact) < cell
    # Absolute: the true front's mean row below the box's upstream edge (row 0.15 H).
    spec = spec_for(0.45)
    cols = np.linspace(0.3 * W, 0.7 * W, 4001)[:-1] + 0.05 * W / 4000  # pixel/line columns across the box
    px = spec.front_line_px(0.1)
    rows = np.interp(cols - 0.5, px[:, 0], px[:, 1]) + 0.5
    assert known[1].position == pytest.approx((rows.mean() - 0.15 * H) * cell, abs=0.05 * cell)


def test_box_method_on_a_rotated_box_by_hand():
    angle = math.radians(30)
    along = np.array([math.cos(angle), math.sin(angle)])
    across = np.array([-along[1], along[0]])
    origin = np.array([5000.0, 2000.0])
    corners = [origin, origin + 200 * across, origin + 200 * across + 1000 * along, origin + 1000 * along, origin]
    ring = np.array(corners)
    assert polygon_area(ring) == pytest.approx(200_000)
    # A straight front across the fjord 400 m from the upstream end (and beyond the box's sides).
    straight = [np.array([origin + 400 * along - 50 * across, origin + 400 * along + 250 * across])]
    assert box_position(ring, straight).position == pytest.approx(400.0, abs=1e-6)
    assert box_position(ring, straight, reverse=True).position == pytest.approx(600.0, abs=1e-6)
    # A wavy front: u = 400 + 50 sin(2 pi v / 200) averages to 400 over the width.
    v = np.linspace(-10, 210, 2201)
    wavy = [origin + np.outer(400 + 50 * np.sin(2 * np.pi * v / 200), along) + np.outer(v, across)]
    assert box_position(ring, wavy).position == pytest.approx(400.0, abs=0.5)
    # A front that crosses only a third of the box gives no position.
    partial = [np.array([origin + 400 * along, origin + 400 * along + 60 * across])]
    found = box_position(ring, partial)
    assert found.position is None and found.coverage == pytest.approx(0.3, abs=0.01)


def test_centreline_crossing_by_hand():
    centreline = np.array([[0.0, 0.0], [0.0, -600.0], [300.0, -1000.0]])  # bends after 600 m
    across = [np.array([[-100.0, -300.0], [100.0, -300.0]])]
    assert centreline_position(centreline, across).position == pytest.approx(300.0)
    assert centreline_position(centreline, across, reverse=True).position == pytest.approx(800.0)  # 1100 - 300
    past_bend = [np.array([[0.0, -900.0], [400.0, -700.0]])]  # crosses the second segment
    found = centreline_position(centreline, past_bend)
    # y = -900 + x / 2 meets x = 300 t, y = -600 - 400 t at t = 300 / 550: 600 m + t * 500 m.
    assert found.position == pytest.approx(600.0 + 500.0 * 300.0 / 550.0)
    zigzag = [np.array([[-50.0, -200.0], [50.0, -250.0], [-50.0, -280.0]])]  # crosses twice: the first counts
    assert centreline_position(centreline, zigzag).position == pytest.approx(225.0)
    assert centreline_position(centreline, [np.array([[500.0, 0.0], [600.0, 0.0]])]).position is None


# --- the command -------------------------------------------------------------------------------


def write_fronts(path, series_lines, dates=DATES, field="date"):
    lines = [(line, {field: day, "source": f"front_{i}"})
             for i, (lines_, day) in enumerate(zip(series_lines, dates, strict=False)) for line in lines_]
    return write_lines(path, lines, CRS.from_epsg(3413), [(field, "DATE"), ("source", "TEXT")])


def write_reference(path, geometry, epsg=3413):
    path.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}},
        "features": [{"type": "Feature", "properties": {}, "geometry": geometry}],
    }))
    return str(path)


def read_table(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_terminus_change_table_plot_and_report(series, tmp_path):
    _, extracted, _ = series
    fronts = write_fronts(tmp_path / "fronts.gpkg", extracted[::-1], DATES[::-1])  # any order in the layer
    box = write_reference(tmp_path / "box.geojson", {"type": "Polygon",
                                                     "coordinates": [fjord_box(spec_for(0.45)).tolist()]})
    job = {"fronts": str(fronts), "reference": box, "output": str(tmp_path / "t.csv"),
           "output_plot": str(tmp_path / "t.png"), "output_html": str(tmp_path / "t.html")}
    result = terminus_change_job(job, SilentReporter())
    assert result["method"] == "box" and result["units"] == "m" and result["measured"] == 3
    rows = read_table(tmp_path / "t.csv")
    assert list(rows[0]) == ["date", "decimal_year", "position_m", "change_m", "rate_m_per_yr", "fronts", "coverage"]
    assert [r["date"] for r in rows] == list(DATES)
    assert float(rows[0]["decimal_year"]) == pytest.approx(2014 + 212 / 365, abs=1e-3)
    assert rows[0]["change_m"] == "" and rows[0]["rate_m_per_yr"] == ""
    positions = [float(r["position_m"]) for r in rows]
    for i in (1, 2):
        change = float(rows[i]["change_m"])
        assert change == pytest.approx(positions[i] - positions[i - 1], abs=1e-3)
        assert change == pytest.approx(0.1 * H * 30, abs=30)  # 0.1 of the height in 30 m cells
        days = (dt.date.fromisoformat(DATES[i]) - dt.date.fromisoformat(DATES[i - 1])).days
        assert float(rows[i]["rate_m_per_yr"]) == pytest.approx(change / (days / 365.25), rel=1e-4)
    assert result["total_change"] == pytest.approx(positions[2] - positions[0])
    assert (tmp_path / "t.png").read_bytes().startswith(b"\x89PNG")
    page = (tmp_path / "t.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "Box method" in page and DATES[1] in page


def test_reference_fronts_are_measured_beside_the_fronts(series, tmp_path):
    """REFERENCE_FRONTS (the manual fronts): their positions and the differences in the table, both series in the
    plot, the mean differences in the report; a front moved 5 cells down-fjord differs by 5 cells."""
    _, extracted, _ = series
    fronts = write_fronts(tmp_path / "fronts.gpkg", extracted)
    moved = [[line + [0.0, -5 * 30.0] for line in lines] for lines in extracted]  # down-fjord: y falls
    manual = write_fronts(tmp_path / "manual.gpkg", moved)
    box = write_reference(tmp_path / "box.geojson", {"type": "Polygon",
                                                     "coordinates": [fjord_box(spec_for(0.45)).tolist()]})
    job = {"fronts": str(fronts), "reference": box, "reference_fronts": str(manual), "output": str(tmp_path / "t.csv"),
           "output_html": str(tmp_path / "t.html")}
    terminus_change_job(job, SilentReporter())
    rows = read_table(tmp_path / "t.csv")
    assert list(rows[0])[-2:] == ["reference_position_m", "difference_m"]
    for r in rows:
        assert float(r["reference_position_m"]) == pytest.approx(float(r["position_m"]) + 150, abs=1)
        assert float(r["difference_m"]) == pytest.approx(-150, abs=1)
    page = (tmp_path / "t.html").read_text(encoding="utf-8")
    assert "Against REFERENCE_FRONTS on 3 date(s): mean difference -150" in page and "map of the fronts" in page


def test_a_long_gap_between_scenes_breaks_the_line():
    from glacier_terminus.core.reports.terminus import with_gaps

    days = [dt.date(2000, 1, 1) + dt.timedelta(days=30 * i) for i in range(6)] + [dt.date(2012, 6, 1)]
    out_days, values = with_gaps(days, list(range(7)))
    assert values == [0, 1, 2, 3, 4, 5, None, 6] and out_days[-1] == days[-1]
    assert with_gaps(days[:6], list(range(6)))[1] == list(range(6)), "regular scenes: one line"


def test_centreline_through_the_command_in_another_crs(series, tmp_path):
    from rasterio.warp import transform

    _, extracted, _ = series
    fronts = write_fronts(tmp_path / "fronts.gpkg", extracted)
    (x0, y0), cell = spec_for(0.45).origin, 30.0
    x = [x0 + 0.5 * W * cell] * 2
    y = [y0 - 0.1 * H * cell, y0 - 0.9 * H * cell]
    lon, lat = transform("EPSG:3413", "EPSG:4326", x, y)
    line = write_reference(tmp_path / "centreline.geojson", {"type": "LineString",
                                                             "coordinates": np.c_[lon, lat].tolist()}, epsg=4326)
    result = terminus_change_job({"fronts": str(fronts), "reference": line, "output": str(tmp_path / "c.csv")},
                                 SilentReporter())
    assert result["method"] == "centreline" and result["measured"] == 3
    changes = [float(r["change_m"]) for r in read_table(tmp_path / "c.csv")[1:]]
    assert changes == pytest.approx([0.1 * H * cell] * 2, abs=2 * cell)


def test_a_front_missing_the_reference_gets_no_position(series, tmp_path):
    _, extracted, _ = series
    far = [[line + np.array([0.0, 1e5]) for line in extracted[1]]]  # 100 km away
    fronts = write_fronts(tmp_path / "f.gpkg", [extracted[0], far[0], extracted[2]])
    box = write_reference(tmp_path / "box.geojson", {"type": "Polygon",
                                                     "coordinates": [fjord_box(spec_for(0.45)).tolist()]})
    reporter = SilentReporter()
    result = terminus_change_job({"fronts": str(fronts), "reference": box, "output": str(tmp_path / "t.csv")}, reporter)
    assert result["measured"] == 2
    assert any(DATES[1] in w and "no position" in w for w in reporter.of("warning"))
    rows = read_table(tmp_path / "t.csv")
    assert rows[1]["position_m"] == "" and rows[2]["change_m"] != ""  # change from the last measured date


@pytest.mark.parametrize("case, message", [
    ("no-date-field", r"FRONTS has no date field 'date' \(its fields: when, source\); set DATE_FIELD"),
    ("two-references", "REFERENCE must hold one box polygon or one centreline, not 2 features"),
    ("point-reference", "REFERENCE must be a box polygon or a centreline, not a Point"),
    ("box-as-centreline", "METHOD is centreline but REFERENCE is a polygon"),
    ("geographic", "geographic CRS .*reproject FRONTS"),
    ("png-output", r"OUTPUT must be a CSV file \(.csv\)"),
], ids=lambda v: v if isinstance(v, str) and " " not in v else None)
def test_bad_input_fails_clearly_without_output(series, tmp_path, case, message):
    _, extracted, _ = series
    box_ring = fjord_box(spec_for(0.45)).tolist()
    box = {"type": "Polygon", "coordinates": [box_ring]}
    fronts = write_fronts(tmp_path / "f.gpkg", extracted, field="when" if case == "no-date-field" else "date")
    reference = write_reference(tmp_path / "r.geojson", box)
    job = {"fronts": str(fronts), "reference": reference, "output": str(tmp_path / "t.csv"),
           "output_html": str(tmp_path / "t.html")}
    if case == "two-references":
        (tmp_path / "r.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": box}] * 2}))
    elif case == "point-reference":
        write_reference(tmp_path / "r.geojson", {"type": "Point", "coordinates": [0, 0]})
    elif case == "box-as-centreline":
        job["method"] = "centreline"
    elif case == "geographic":
        lines = [(np.array([[-50.0, 69.0], [-49.9, 69.1]]), {"date": "2014-08-01"})]
        fronts = write_lines(tmp_path / "geo.gpkg", lines, CRS.from_epsg(4326), [("date", "DATE")])
        job["fronts"] = str(fronts)
    elif case == "png-output":
        job["output"] = str(tmp_path / "t.png")
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(EngineError, match=message):
        run_job("terminus_change", job)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_fronts_with_unreadable_dates_are_left_out(series, tmp_path):
    _, extracted, _ = series
    fronts = write_fronts(tmp_path / "f.gpkg", extracted, dates=(DATES[0], None, DATES[2]))
    box = write_reference(tmp_path / "box.geojson", {"type": "Polygon",
                                                     "coordinates": [fjord_box(spec_for(0.45)).tolist()]})
    reporter = SilentReporter()
    result = terminus_change_job({"fronts": str(fronts), "reference": box, "output": str(tmp_path / "t.csv")}, reporter)
    assert result["dates"] == 2
    assert any("without a readable date" in w for w in reporter.of("warning"))
