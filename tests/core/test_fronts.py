"""Extract Calving Front's engine (core/fronts/trace.py, core/fronts/extract.py) on rasters with known fronts."""
from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
from helpers import ZONE_NAMES, write_classes, zones_of
from rasterio.crs import CRS
from scipy import ndimage
from scipy.spatial import cKDTree

from glacier_terminus.core.engine.cli import run_job
from glacier_terminus.core.engine.protocol import EngineError, SilentReporter
from glacier_terminus.core.fronts.extract import extract_front_job
from glacier_terminus.core.fronts.trace import (
    front_between_walls,
    front_from_class,
    grown,
    join_aligned,
    longest_paths,
    main_front,
)
from glacier_terminus.core.geo.lines import densify, simplify, smooth
from glacier_terminus.core.geo.vector import line_parts, read_vector
from glacier_terminus.core.synthetic import scenes as sy

pytestmark = pytest.mark.filterwarnings("ignore::rasterio.errors.NotGeoreferencedWarning")

FRONT_NAMES = {1: "ocean", 2: "glacier", 3: "rock", 4: "calving front"}


def job(inp, out, **kw):
    return {"input": str(inp), "output": str(out), "method": "auto", **kw}


def lines_of(path):
    layer = read_vector(path)
    return layer, [p for f in layer.features for p in line_parts(f.geometry)]


def mean_errors_px(lines, truth, cell):
    """(predicted -> truth, truth -> predicted) mean distances in pixels, on densified lines."""
    pred = np.concatenate([densify(line, cell / 10) for line in lines])
    ref = densify(truth, cell / 10)
    return cKDTree(ref).query(pred)[0].mean() / cell, cKDTree(pred).query(ref)[0].mean() / cell


@pytest.fixture(scope="module")
def scene():
    spec = sy.SceneSpec(320, 256, seed=4)
    return spec, zones_of(spec)


# --- accuracy against the known front -----------------------------------------------------


def test_zone_boundary_lands_on_the_known_front(tmp_path, scene):
    spec, zones = scene
    raster = write_classes(tmp_path / "zones.tif", zones, spec)
    reporter = SilentReporter()
    result = extract_front_job(job(raster, tmp_path / "front.gpkg"), reporter)
    assert result["method"] == "zone_boundary" and result["fronts"] == 1
    assert result["classes"] == {"ocean": [1], "glacier": [2], "front": None}
    layer, lines = lines_of(tmp_path / "front.gpkg")
    assert layer.crs == CRS.from_epsg(3413)
    to_truth, from_truth = mean_errors_px(lines, spec.front_line_map(0.25), spec.cell_size)
    assert to_truth < 1.0 and from_truth < 1.0
    props = layer.features[0].properties
    assert props["method"] == "zone boundary" and props["source"] == "zones.tif" and props["date"] is None
    assert props["length_m"] == pytest.approx(props["length_px"] * 30, rel=1e-6)
    truth_length = np.hypot(*np.diff(spec.front_line_map(), axis=0).T).sum()
    assert props["length_m"] == pytest.approx(truth_length, rel=0.1)


def test_front_class_lands_on_the_known_front(tmp_path, scene):
    spec, zones = scene
    # The front class: a band about 3 px wide across the ocean / glacier boundary (like manual labels).
    sea, ice = zones == 1, zones == 2
    band = (ndimage.binary_dilation(sea) & ice) | (ndimage.binary_dilation(ice) & sea)
    band = ndimage.binary_dilation(band) & (sea | ice)
    classes = zones.copy()
    classes[band] = 4
    raster = write_classes(tmp_path / "classes.tif", classes, spec, names=FRONT_NAMES)
    result = extract_front_job(job(raster, tmp_path / "front.gpkg"), SilentReporter())
    assert result["method"] == "front_class" and result["classes"]["front"] == 4
    layer, lines = lines_of(tmp_path / "front.gpkg")
    assert len(lines) == 1 and layer.features[0].properties["method"] == "front class"
    to_truth, from_truth = mean_errors_px(lines, spec.front_line_map(0.25), spec.cell_size)
    assert to_truth < 1.0 and from_truth < 1.0


def test_active_contour_follows_the_front_too(tmp_path, scene):
    spec, zones = scene
    raster = write_classes(tmp_path / "zones.tif", zones, spec)
    extract_front_job(job(raster, tmp_path / "front.gpkg", method="active_contour"), SilentReporter())
    layer, lines = lines_of(tmp_path / "front.gpkg")
    assert layer.features[0].properties["method"] == "active contour"
    to_truth, from_truth = mean_errors_px(lines, spec.front_line_map(0.25), spec.cell_size)
    assert to_truth < 1.5 and from_truth < 1.5


def test_pixel_units_without_crs(tmp_path):
    spec = sy.SceneSpec(160, 128, seed=9, crs=None)
    raster = write_classes(tmp_path / "zones.tif", zones_of(spec), crs=None)
    reporter = SilentReporter()
    result = extract_front_job(job(raster, tmp_path / "front.gpkg"), reporter)
    assert result["units"] == "px"
    assert any("no CRS" in w for w in reporter.of("warning"))
    layer, lines = lines_of(tmp_path / "front.gpkg")
    assert layer.crs is None
    truth = spec.front_line_map(0.25)  # where QGIS places the raster: x = column, y = -row
    assert truth[:, 1].max() < 0
    to_truth, from_truth = mean_errors_px(lines, truth, 1.0)
    assert to_truth < 1.0 and from_truth < 1.0
    props = layer.features[0].properties
    assert props["length_m"] is None and props["length_px"] > 100


def test_coordinates_follow_the_geotransform(tmp_path):
    # A 10 x 12 raster: glacier above row 5, ocean below; 100 m cells, origin (1000, 5000).
    classes = np.full((10, 12), 2, dtype=np.uint8)
    classes[5:] = 1
    transform = rasterio.transform.from_origin(1000, 5000, 100, 100)
    raster = write_classes(tmp_path / "z.tif", classes, transform=transform)
    extract_front_job(job(raster, tmp_path / "f.gpkg", smoothing=0, simplify=0, min_length=0), SilentReporter())
    _, (line,) = lines_of(tmp_path / "f.gpkg")
    # The edge between rows 4 and 5 is at y = 5000 - 5 * 100, from the first to the last column centre.
    np.testing.assert_allclose(line[:, 1], 4500.0)
    assert sorted([line[0, 0], line[-1, 0]]) == pytest.approx([1050.0, 2150.0])


# --- clean-up rules -------------------------------------------------------------------------


def test_short_spurious_pieces_are_dropped(tmp_path, scene):
    spec, zones = scene
    classes = zones.copy()
    # Three short misclassified "front" pieces in the ocean, far from the front (4 to 6 px long).
    for r, c, n in ((220, 120, 5), (235, 170, 4), (245, 140, 6)):
        classes[r, c : c + n] = 4
    sea, ice = zones == 1, zones == 2
    band = ndimage.binary_dilation((ndimage.binary_dilation(sea) & ice)) & (sea | ice)
    classes[band] = 4
    raster = write_classes(tmp_path / "c.tif", classes, spec, names=FRONT_NAMES)
    kept_all = extract_front_job(job(raster, tmp_path / "all.gpkg", min_length=0), SilentReporter())
    assert kept_all["fronts"] >= 4, "the short pieces are there without MIN_LENGTH"
    reporter = SilentReporter()
    result = extract_front_job(job(raster, tmp_path / "clean.gpkg", min_length=300), reporter)
    assert result["fronts"] == 1 and result["dropped"] >= 3
    assert any("shorter than MIN_LENGTH" in m for m in reporter.of("info"))
    _, lines = lines_of(tmp_path / "clean.gpkg")
    assert min(np.hypot(*np.diff(line, axis=0).T).sum() for line in lines) >= 300


def test_no_front_along_rock_or_nodata_edges(tmp_path):
    # Glacier above row 30, ocean below; rock in columns 0-9 and between glacier and ocean in
    # columns 30-39; no data in columns 80-89, and an iceberg (glacier) and a lake (ocean) that
    # must not make fronts.
    classes = np.full((60, 90), 2, dtype=np.uint8)
    classes[30:] = 1
    classes[:, :10] = 3
    classes[27:33, 30:40] = 3
    classes[:, 80:] = 0
    classes[45:48, 55:58] = 2  # iceberg
    classes[10:13, 60:63] = 1  # melt lake
    raster = write_classes(tmp_path / "z.tif", classes, transform=rasterio.transform.from_origin(100, 100, 1, 1))
    for method in ("zone_boundary", "active_contour"):
        out = tmp_path / f"{method}.gpkg"
        extract_front_job(job(raster, out, method=method, smoothing=0, min_length=0, simplify=0),
                          SilentReporter())
        _, lines = lines_of(out)
        points = np.concatenate([densify(line, 0.25) for line in lines])
        x, y = points[:, 0] - 100, 100 - points[:, 1]  # map -> pixel/line (origin (100, 100), 1 m cells)
        tolerance = 0.01 if method == "zone_boundary" else 3.0
        assert np.all(np.abs(y - 30.0) <= tolerance), f"{method}: a line leaves the ocean/glacier edge"
        assert x.min() >= 10 - tolerance and x.max() <= 80 + tolerance, f"{method}: a line along rock / no data"
        assert not np.any((x > 30 + tolerance) & (x < 40 - tolerance)), f"{method}: a line across the rock"
        if method == "zone_boundary":
            total = sum(np.hypot(*np.diff(line, axis=0).T).sum() for line in lines)
            assert total == pytest.approx((29.5 - 10.5) + (79.5 - 40.5))


def test_mask_keeps_fronts_inside_and_is_reprojected(tmp_path, scene):
    from rasterio.warp import transform_geom

    spec, zones = scene
    raster = write_classes(tmp_path / "zones.tif", zones, spec)
    left, top = spec.origin
    mid = left + spec.width * spec.cell_size / 2
    bottom = top - spec.height * spec.cell_size
    corners = np.array([[left, bottom], [mid, bottom], [mid, top], [left, top], [left, bottom]])
    ring = np.concatenate([np.linspace(a, b, 50, endpoint=False)
                           for a, b in zip(corners[:-1], corners[1:], strict=False)])
    box = {"type": "Polygon", "coordinates": [np.vstack([ring, ring[:1]]).tolist()]}
    wgs84 = transform_geom("EPSG:3413", "EPSG:4326", box)
    mask = tmp_path / "mask.geojson"
    mask.write_text(json.dumps({"type": "FeatureCollection",
                                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}},
                                "features": [{"type": "Feature", "properties": {}, "geometry": wgs84}]}))
    extract_front_job(job(raster, tmp_path / "f.gpkg", mask=str(mask)), SilentReporter())
    _, lines = lines_of(tmp_path / "f.gpkg")
    xs = np.concatenate(lines)[:, 0]
    assert xs.max() <= mid + spec.cell_size
    assert xs.min() < mid - 30 * spec.cell_size, "the front inside the mask is kept"


def test_probabilities_give_the_mean_probability(tmp_path, scene):
    spec, zones = scene
    raster = write_classes(tmp_path / "zones.tif", zones, spec)
    probs = np.zeros((3, *zones.shape), dtype=np.float32)
    for value, p in ((1, 0.9), (2, 0.7)):
        probs[value - 1][zones == value] = p
    probs[2][zones == 3] = 1.0
    profile = dict(driver="GTiff", width=spec.width, height=spec.height, count=3, dtype="float32", nodata=-1,
                   crs=spec.crs, transform=spec.transform)
    with rasterio.open(tmp_path / "p.tif", "w", **profile) as dst:
        dst.write(probs)
        for i, name in enumerate(("ocean", "glacier", "rock"), start=1):
            dst.set_band_description(i, f"p({name})")
    extract_front_job(job(raster, tmp_path / "f.gpkg", probabilities=str(tmp_path / "p.tif")), SilentReporter())
    layer, _ = lines_of(tmp_path / "f.gpkg")
    assert layer.features[0].properties["mean_prob"] == pytest.approx(0.8, abs=0.02)


def test_probability_raster_as_input_for_the_front_class(tmp_path, scene):
    spec, zones = scene
    sea, ice = zones == 1, zones == 2
    edge = (ndimage.binary_dilation(sea) & ice) | (ndimage.binary_dilation(ice) & sea)
    p_front = ndimage.gaussian_filter(edge.astype(np.float32), 1.0) * 2.5
    p_front = np.clip(p_front, 0, 1)
    probs = np.stack([(1 - p_front) * sea, (1 - p_front) * ice, (zones == 3).astype(np.float32), p_front])
    profile = dict(driver="GTiff", width=spec.width, height=spec.height, count=4, dtype="float32", nodata=-1,
                   crs=spec.crs, transform=spec.transform)
    with rasterio.open(tmp_path / "p.tif", "w", **profile) as dst:
        dst.write(probs.astype(np.float32))
        for i, name in enumerate(("ocean", "glacier", "rock", "front"), start=1):
            dst.set_band_description(i, f"p({name})")
    result = extract_front_job(job(tmp_path / "p.tif", tmp_path / "f.gpkg", front_class=4, threshold=0.5),
                               SilentReporter())
    assert result["method"] == "front_class"
    layer, lines = lines_of(tmp_path / "f.gpkg")
    to_truth, from_truth = mean_errors_px(lines, spec.front_line_map(0.25), spec.cell_size)
    assert to_truth < 1.0 and from_truth < 1.0
    assert layer.features[0].properties["mean_prob"] > 0.5


def write_front_probability(path, p):
    """A one-band front-probability raster in pixel units."""
    with rasterio.open(path, "w", driver="GTiff", width=p.shape[1], height=p.shape[0], count=1,
                       dtype="float32") as dst:
        dst.write(p.astype(np.float32), 1)
    return path


def test_grow_threshold_follows_a_weak_front_end(tmp_path):
    # A front across the image whose right third the network is unsure of (0.3), and a weak
    # offshore blob (0.3) that touches no confident pixel.
    p = np.zeros((60, 90), dtype=np.float32)
    p[29:32, 5:60] = 0.9
    p[29:32, 60:85] = 0.3
    p[45:48, 20:50] = 0.3
    src = write_front_probability(tmp_path / "p.tif", p)
    spans = {}
    for grow in (None, 0.2):
        extract_front_job(job(src, tmp_path / f"{grow}.gpkg", min_length=5, grow_threshold=grow), SilentReporter())
        _, lines = lines_of(tmp_path / f"{grow}.gpkg")
        xs = np.concatenate([line[:, 0] for line in lines])
        assert all(np.all(np.abs(ln[:, 1] + 30.5) < 1.5) for ln in lines), "no line off the front (row 30: y -30.5)"
        spans[grow] = (xs.min(), xs.max())
    assert spans[None][1] < 61 and spans[0.2][1] > 80, "grown through the weak end"
    assert spans[0.2][0] == pytest.approx(spans[None][0], abs=1)


def test_keep_main_drops_pieces_away_from_the_front(tmp_path):
    p = np.zeros((60, 90), dtype=np.float32)
    p[29:32, 5:85] = 0.9  # the front
    p[36:39, 30:50] = 0.9  # a piece 7 px below it
    p[50:53, 10:40] = 0.9  # an iceberg edge far offshore
    src = write_front_probability(tmp_path / "p.tif", p)
    counts = {}
    for keep in ("all", "main"):
        result = extract_front_job(job(src, tmp_path / f"{keep}.gpkg", min_length=5, keep=keep, join_distance=10),
                                   SilentReporter())
        _, lines = lines_of(tmp_path / f"{keep}.gpkg")
        counts[keep] = result["fronts"]
        rows = sorted(-float(np.mean(line[:, 1])) for line in lines)  # y = -row
        assert rows[0] == pytest.approx(30.5, abs=1), "the front is kept"
    assert counts == {"all": 3, "main": 2}


def write_walls(path, *lines):
    """A GeoJSON line layer of the given walls (without CRS: where QGIS draws the raster, x = column, y = -row)."""
    features = [{"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": line}}
                for line in lines]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


#: Two fjord walls running down the image, at columns 10 and 80 (rows 5 to 55).
WALLS = ([[10, -5], [10, -55]], [[80, -5], [80, -55]])


def test_between_walls_crosses_the_fjord_where_the_network_is_unsure(tmp_path):
    # The network sees the middle of the front (row 30) but not its ends towards the walls; a
    # shorter iceberg edge offshore (row 50) is as bright.
    p = np.full((60, 90), 0.001, dtype=np.float32)
    p[29:32, 25:65] = 0.9
    p[29:32, 15:25] = 0.05
    p[49:52, 30:60] = 0.9
    src = write_front_probability(tmp_path / "p.tif", p)
    walls = write_walls(tmp_path / "walls.geojson", *WALLS)
    result = extract_front_job(job(src, tmp_path / "f.gpkg", walls=str(walls), min_length=5), SilentReporter())
    assert result["method"] == "between_walls" and result["fronts"] == 1
    layer, (line,) = lines_of(tmp_path / "f.gpkg")
    assert line[:, 0].min() <= 11 and line[:, 0].max() >= 79, "from wall to wall"
    assert np.all(np.abs(line[:, 1] + 30.5) < 1.5), "along the front (row 30), not the iceberg edge"
    assert layer.features[0].properties["method"] == "between walls"
    assert 0.4 < layer.features[0].properties["mean_prob"] < 0.9
    reporter = SilentReporter()
    plain = extract_front_job(job(src, tmp_path / "c.gpkg", walls=str(walls), method="front_class", min_length=5,
                                  keep="main"), reporter)
    _, lines = lines_of(tmp_path / "c.gpkg")
    assert plain["method"] == "front_class" and max(line[:, 0].max() for line in lines) < 66
    assert "WALLS are for METHOD between_walls: front class does not use them." in reporter.of("warning")


def test_walls_in_row_coordinates_are_turned_to_qgis_coordinates_with_a_warning(tmp_path):
    """Walls drawn at y = +row (GDAL's default transform, earlier outputs) on a raster without georeferencing
    give the same front as walls where QGIS draws the raster, with a warning that names both extents."""
    p = np.full((60, 90), 0.001, dtype=np.float32)
    p[29:32, 15:75] = 0.9
    src = write_front_probability(tmp_path / "p.tif", p)
    fronts = {}
    for name, walls in (("qgis", WALLS), ("rows", [[[x, -y] for x, y in wall] for wall in WALLS])):
        reporter = SilentReporter()
        extract_front_job(job(src, tmp_path / f"{name}.gpkg", walls=str(write_walls(tmp_path / f"{name}.geojson",
                                                                                      *walls)), min_length=5), reporter)
        fronts[name] = lines_of(tmp_path / f"{name}.gpkg")[1]
        turned = [w for w in reporter.of("warning") if w.startswith("WALLS lies at y 5 to 55")]
        assert len(turned) == (name == "rows"), reporter.of("warning")
    assert "QGIS draws a raster without georeferencing at y -60 to 0" in turned[0]
    np.testing.assert_allclose(fronts["rows"][0], fronts["qgis"][0])


def test_min_mean_prob_drops_a_front_forced_through_nothing(tmp_path):
    rng = np.random.default_rng(0)
    p = (rng.random((60, 90)) * 0.02).astype(np.float32)  # the network saw no front
    src = write_front_probability(tmp_path / "p.tif", p)
    walls = write_walls(tmp_path / "walls.geojson", *WALLS)
    forced = extract_front_job(job(src, tmp_path / "a.gpkg", walls=str(walls)), SilentReporter())
    assert forced["fronts"] == 1
    reporter = SilentReporter()
    result = extract_front_job(job(src, tmp_path / "b.gpkg", walls=str(walls), min_mean_prob=0.2), reporter)
    assert result["fronts"] == 0
    assert any("mean probability below MIN_MEAN_PROB (0.2)" in m for m in reporter.of("info"))
    assert read_vector(tmp_path / "b.gpkg").features == []


def test_no_data_is_a_wall_the_front_cannot_cross():
    p = np.full((20, 30), 0.5, dtype=np.float32)
    a, b = np.zeros(p.shape, bool), np.zeros(p.shape, bool)
    a[:, 2], b[:, 27] = True, True
    path = front_between_walls(p, a, b)
    assert path[0][1] == 2 and path[-1][1] == 27 and len(path) == 26
    p[:, 15] = np.nan
    assert front_between_walls(p, a, b) is None


@pytest.mark.parametrize("walls, kw, message", [
    (None, {"method": "between_walls"}, "METHOD between_walls needs WALLS"),
    ([WALLS[0]], {}, "WALLS must hold two lines, one along each side of the fjord, not 1"),
    ([WALLS[0], [[5, -30], [40, -30]]], {}, "WALLS' two lines touch"),
    ([WALLS[0], [[500, -5], [500, -55]]], {},
     r"WALLS line 2 does not cross INPUT .*; INPUT covers x 0 to 90, y -60 to 0 \(pixel units: it has no CRS, "
     r"placed as QGIS places a raster without georeferencing\)"),
    (WALLS, {"min_mean_prob": 1.5}, "Parameter MIN_MEAN_PROB must be at most 1, not 1.5"),
], ids=["no-walls", "one-wall", "touching", "outside", "min-mean-prob"])
def test_bad_walls_fail_clearly_without_output(tmp_path, walls, kw, message):
    src = write_front_probability(tmp_path / "p.tif", np.full((60, 90), 0.5, dtype=np.float32))
    if walls is not None:
        kw["walls"] = str(write_walls(tmp_path / "walls.geojson", *walls))
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(EngineError, match=message):
        extract_front_job(job(src, tmp_path / "f.gpkg", **kw), SilentReporter())
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "no output, no partial file"


@pytest.mark.parametrize("kw, message", [
    ({"method": "between_walls"}, "between_walls needs the front's probability"),
    ({"min_mean_prob": 0.2}, "MIN_MEAN_PROB needs the probabilities"),
], ids=["walls", "min-mean-prob"])
def test_class_raster_without_probabilities_fails_clearly(tmp_path, kw, message):
    classes = np.full((60, 90), 1, dtype=np.uint8)
    classes[31:] = 2
    classes[29:32] = 4
    raster = write_classes(tmp_path / "in.tif", classes, names=FRONT_NAMES)
    if kw.get("method"):
        kw["walls"] = str(write_walls(tmp_path / "walls.geojson", *WALLS))
    with pytest.raises(EngineError, match=message):
        extract_front_job(job(raster, tmp_path / "f.gpkg", **kw), SilentReporter())
    assert not (tmp_path / "f.gpkg").exists()


def test_date_from_the_file_name_or_the_job(tmp_path, scene):
    spec, zones = scene
    raster = write_classes(tmp_path / "LC08_L1TP_020007_20140801_20170420_01_T1_classes.tif", zones, spec)
    result = extract_front_job(job(raster, tmp_path / "a.gpkg"), SilentReporter())
    assert result["date"] == "2014-08-01"
    assert read_vector(tmp_path / "a.gpkg").features[0].properties["date"] == "2014-08-01"
    extract_front_job(job(raster, tmp_path / "b.gpkg", date="2015-07-04"), SilentReporter())
    assert read_vector(tmp_path / "b.gpkg").features[0].properties["date"] == "2015-07-04"


# --- no front, bad input -----------------------------------------------------------------------


def test_no_front_gives_an_empty_layer_and_a_warning(tmp_path):
    raster = write_classes(tmp_path / "ice.tif", np.full((40, 40), 2, dtype=np.uint8))
    reporter = SilentReporter()
    result = extract_front_job(job(raster, tmp_path / "f.gpkg"), reporter)
    assert result["fronts"] == 0
    assert any("No calving front" in w for w in reporter.of("warning"))
    layer = read_vector(tmp_path / "f.gpkg")
    assert layer.features == [] and layer.crs == CRS.from_epsg(3413)


@pytest.mark.parametrize("names, kw, message", [
    ({1: "glacier", 2: "rock"}, {"method": "zone_boundary"},
     r"No class of INPUT is ocean \(classes: 1 glacier, 2 rock\)"),
    ({}, {"method": "zone_boundary"}, "No class of INPUT is ocean .*OCEAN_CLASSES"),
    (ZONE_NAMES, {"method": "front_class"}, "No class of INPUT is the front"),
    (ZONE_NAMES, {"ocean_classes": [1], "glacier_classes": [1, 2]}, "cannot be both ocean and glacier"),
    (ZONE_NAMES, {"threshold": 1.5}, "THRESHOLD"),
    (ZONE_NAMES, {"min_length": -3}, "MIN_LENGTH must be at least 0"),
    (FRONT_NAMES, {"grow_threshold": 0.2}, "GROW_THRESHOLD needs the front's probability"),
    (FRONT_NAMES, {"grow_threshold": 0.7}, r"GROW_THRESHOLD must be in \(0, THRESHOLD 0.5\]"),
    (ZONE_NAMES, {"keep": "biggest"}, "KEEP must be one of all, main"),
    (ZONE_NAMES, {"date": "last summer"}, "DATE 'last summer' is not a date"),
    (ZONE_NAMES, {"output_name": "front.shp"}, "OUTPUT must be a GeoPackage"),
], ids=["no-ocean-class", "no-class-names", "no-front-class", "overlap", "threshold", "min-length",
        "grow-no-probability",
        "grow-above-threshold", "keep", "date", "shp"])
def test_bad_input_fails_clearly_without_output(tmp_path, names, kw, message):
    classes = np.full((30, 30), 1, dtype=np.uint8)
    classes[:15] = 2
    raster = write_classes(tmp_path / "in.tif", classes, names=names)
    out = tmp_path / kw.pop("output_name", "front.gpkg")
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(EngineError, match=message):
        run_job("extract_front", job(raster, out, **kw))
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "no output, no partial file"


def test_mask_outside_the_raster_fails(tmp_path, scene):
    spec, zones = scene
    raster = write_classes(tmp_path / "zones.tif", zones, spec)
    mask = tmp_path / "far.geojson"
    mask.write_text(json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 0]]]}))
    with pytest.raises(EngineError, match="MASK does not overlap INPUT"):
        extract_front_job(job(raster, tmp_path / "f.gpkg", mask=str(mask)), SilentReporter())
    assert not (tmp_path / "f.gpkg").exists()


def test_input_is_not_modified(tmp_path, scene):
    spec, zones = scene
    raster = write_classes(tmp_path / "zones.tif", zones, spec)
    before = raster.read_bytes()
    extract_front_job(job(raster, tmp_path / "f.gpkg", method="active_contour"), SilentReporter())
    assert raster.read_bytes() == before


# --- the geometry helpers ------------------------------------------------------------------------


def test_longest_path_skips_spurs_and_aligned_pieces_join():
    skeleton = np.zeros((20, 40), dtype=bool)
    skeleton[10, 2:18] = True  # piece A, with a spur
    skeleton[4:10, 8] = True
    skeleton[10, 22:38] = True  # piece B, in line with A after a 4 px gap
    skeleton[2, 30:33] = True  # a small piece off the line
    paths = longest_paths(skeleton)
    lengths = sorted(len(p) for p in paths)
    assert lengths == [3, 16, 16]
    joined = join_aligned(paths, max_gap=6)
    assert sorted(len(p) for p in joined) == [3, 32]
    long = max(joined, key=len)
    assert np.all(long[:, 0] == 10) and {long[0, 1], long[-1, 1]} == {2, 37}
    assert sorted(len(p) for p in join_aligned(paths, max_gap=3)) == [3, 16, 16], "gap too wide"
    assert len(front_from_class(np.zeros((5, 5), dtype=bool))) == 0


def test_grown_keeps_only_weak_pieces_that_touch_a_seed():
    seeds = np.zeros((10, 10), dtype=bool)
    seeds[2, 2] = True
    weak = np.zeros_like(seeds)
    weak[2, 3:6] = True  # touches the seed
    weak[3, 6] = True  # diagonal neighbour: 8-connected
    weak[8, 1:9] = True  # no seed
    np.testing.assert_array_equal(grown(seeds, weak), seeds | (weak & (np.arange(10)[:, None] < 5)))
    assert not grown(np.zeros_like(seeds), weak).any()


def test_main_front_is_the_longest_path_and_its_neighbours():
    long = np.c_[np.zeros(30), np.arange(30.0)]
    near, far = long[5:15] + (4, 0), long[:20] + (12, 0)
    kept = main_front([near, far, long], within=5)
    assert [len(p) for p in kept] == [10, 30]
    assert main_front([far], within=1) == [far]


def test_smoothing_keeps_ends_and_simplify_keeps_shape():
    x = np.arange(50.0)
    zigzag = np.c_[x, (x % 2) * 1.0]
    smoothed = smooth(zigzag, 2.0)
    np.testing.assert_array_equal(smoothed[[0, -1]], zigzag[[0, -1]])
    assert np.ptp(smoothed[5:-5, 1]) < 0.2
    simplified = simplify(zigzag, 1.5)
    assert len(simplified) == 2
    corner = np.array([[0, 0], [5, 0.1], [10, 0], [10, 10]])
    np.testing.assert_array_equal(simplify(corner, 0.5), corner[[0, 2, 3]])


def test_class_roles_from_a_model_package(tmp_path, scene):
    spec, zones = scene
    # A raster without class names whose values follow a model package: 5 ocean, 7 glacier, 9 rock.
    classes = np.choose(zones, [0, 5, 7, 9]).astype(np.uint8)
    raster = write_classes(tmp_path / "c.tif", classes, spec, names=None)
    model = tmp_path / "model"
    model.mkdir()
    (model / "weights.safetensors").write_bytes(b"")
    (model / "model.json").write_text(json.dumps({
        "schema_version": 1, "name": "roles", "architecture": "hrnet_w18_small",
        "bands": [{"name": "b", "mean": 0.0, "std": 1.0}], "tile_size": 64, "cell_size": 30.0,
        "dtype": "uint16", "value_range": [0, 1],
        "classes": [{"value": 5, "name": "sea", "color": "#000080", "role": "ocean"},
                    {"value": 7, "name": "ice", "color": "#ffffff", "role": "glacier"},
                    {"value": 9, "name": "land", "color": "#804000", "role": "rock"}],
    }))
    with pytest.raises(EngineError, match="No class of INPUT is ocean"):
        extract_front_job(job(raster, tmp_path / "none.gpkg"), SilentReporter())
    result = extract_front_job(job(raster, tmp_path / "f.gpkg", model=str(model)), SilentReporter())
    assert result["classes"] == {"ocean": [5], "glacier": [7], "front": None}
    _, lines = lines_of(tmp_path / "f.gpkg")
    to_truth, from_truth = mean_errors_px(lines, spec.front_line_map(0.25), spec.cell_size)
    assert to_truth < 1.0 and from_truth < 1.0


def test_supported_boundary_keeps_the_zone_boundary_only_near_the_front_class(tmp_path):
    # Glacier above row 30, ocean below, and an ocean channel up into the glacier (columns 60-65,
    # up to row 5) whose sides are ocean/glacier edges too; the front class runs along row 29
    # only, away from the channel's upper part.
    classes = np.full((60, 90), 2, dtype=np.uint8)
    classes[30:] = 1
    classes[5:30, 60:66] = 1
    classes[29, 5:85] = 4
    classes[29, 60:66] = 1
    raster = write_classes(tmp_path / "z.tif", classes, names=FRONT_NAMES,
                           transform=rasterio.transform.from_origin(0, 0, 1, 1))
    rows = {}
    for method in ("zone_boundary", "supported_boundary"):
        out = tmp_path / f"{method}.gpkg"
        extract_front_job(job(raster, out, method=method, smoothing=0, min_length=0, simplify=0, join_distance=4),
                          SilentReporter())
        _, lines = lines_of(out)
        rows[method] = -np.concatenate([densify(line, 0.25) for line in lines])[:, 1]
    assert rows["zone_boundary"].min() < 6, "the zone boundary runs up the channel"
    assert rows["supported_boundary"].min() >= 30 - 4 - 1, "only the edges within JOIN_DISTANCE of the front"
    assert rows["supported_boundary"].max() == pytest.approx(30, abs=0.01), "the front (the edge at row 30) is kept"


def test_supported_boundary_without_a_front_class_pixel_is_the_zone_boundary(tmp_path):
    classes = np.full((40, 60), 2, dtype=np.uint8)
    classes[20:] = 1
    raster = write_classes(tmp_path / "z.tif", classes, names=FRONT_NAMES,
                           transform=rasterio.transform.from_origin(0, 0, 1, 1))
    found = {}
    for method in ("zone_boundary", "supported_boundary"):
        out = tmp_path / f"{method}.gpkg"
        extract_front_job(job(raster, out, method=method, smoothing=0, min_length=0, simplify=0), SilentReporter())
        found[method] = np.concatenate(lines_of(out)[1])
    np.testing.assert_allclose(found["supported_boundary"], found["zone_boundary"])
