"""Tests of the synthetic scene generator (core/synthetic/scenes.py)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import rasterio

from glacier_terminus.core.engine.protocol import EngineError, SilentReporter
from glacier_terminus.core.synthetic import scenes as sy
from glacier_terminus.core.synthetic.writer import write_scene


def _whole(spec: sy.SceneSpec) -> tuple[np.ndarray, np.ndarray]:
    return (
        sy.surface_window(spec, 0, 0, spec.height, spec.width),
        sy.image_window(spec, 0, 0, spec.height, spec.width),
    )


@pytest.fixture(scope="module")
def scene512():
    spec = sy.SceneSpec(512, 512, seed=3)
    return spec, *_whole(spec)


# ----------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("kind", ["optical", "sar"])
def test_same_seed_same_bytes_different_seed_different(kind):
    a = sy.SceneSpec(160, 120, seed=5, kind=kind)
    s1, i1 = _whole(a)
    s2, i2 = _whole(sy.SceneSpec(160, 120, seed=5, kind=kind))
    assert s1.tobytes() == s2.tobytes()
    assert i1.tobytes() == i2.tobytes()
    s3, i3 = _whole(sy.SceneSpec(160, 120, seed=6, kind=kind))
    assert s1.tobytes() != s3.tobytes()
    assert i1.tobytes() != i3.tobytes()


@pytest.mark.parametrize("kind", ["optical", "sar"])
def test_windows_assemble_to_the_whole_scene(kind):
    spec = sy.SceneSpec(300, 260, seed=11, kind=kind, looks=3)
    surface, image = _whole(spec)
    assert surface.shape == (260, 300) and surface.dtype == np.uint8
    assert image.shape == (len(spec.bands), 260, 300) and image.dtype == np.dtype(spec.dtype)
    got_s = np.zeros_like(surface)
    got_i = np.zeros_like(image)
    # Odd sizes, plus cuts straight through icebergs (bergs from neighbouring cells).
    cut_rows = np.flatnonzero(((surface[1:] == 2) & (surface[:-1] == 2)).any(axis=1)) + 1
    cut_cols = np.flatnonzero(((surface[:, 1:] == 2) & (surface[:, :-1] == 2)).any(axis=0)) + 1
    assert cut_rows.size and cut_cols.size
    row_edges = sorted({0, 37, 38, 131, 200, 260, *cut_rows[:: max(1, cut_rows.size // 4)].tolist()})
    col_edges = sorted({0, 1, 77, 150, 223, 299, 300, *cut_cols[:: max(1, cut_cols.size // 5)].tolist()})
    for r0, r1 in zip(row_edges[:-1], row_edges[1:], strict=False):
        for c0, c1 in zip(col_edges[:-1], col_edges[1:], strict=False):
            got_s[r0:r1, c0:c1] = sy.surface_window(spec, r0, c0, r1 - r0, c1 - c0)
            got_i[:, r0:r1, c0:c1] = sy.image_window(spec, r0, c0, r1 - r0, c1 - c0)
    np.testing.assert_array_equal(got_s, surface)
    assert got_i.tobytes() == image.tobytes()


def test_window_outside_the_scene_is_refused():
    spec = sy.SceneSpec(64, 64)
    with pytest.raises(EngineError):
        sy.surface_window(spec, 60, 0, 10, 10)
    with pytest.raises(EngineError):
        sy.image_window(spec, 0, -1, 10, 10)


def test_bad_specs_are_refused():
    for kwargs in (
        dict(width=31, height=64),
        dict(width=64, height=0),
        dict(width=64, height=64, kind="lidar"),
        dict(width=64, height=64, cell_size=0),
        dict(width=64, height=64, front_fraction=0.95),
        dict(width=64, height=64, looks=0),
        dict(width=64.5, height=64),
    ):
        with pytest.raises(EngineError):
            sy.SceneSpec(**kwargs)
    assert sy.SceneSpec(64, 64, crs="none").crs is None
    assert sy.SceneSpec(64, 64, crs="none").transform is None


# ----------------------------------------------------------------------------- content


def test_all_seven_classes_present(scene512):
    _, surface, _ = scene512
    counts = np.bincount(surface.ravel(), minlength=8)
    assert counts[0] == 0
    assert (counts[1:] > 0).all(), counts
    # Sensible proportions: open water and glacier dominate, icebergs are a small share.
    assert counts[1] > counts[2] and counts[3] > 0.005 * surface.size


def test_zones_from_surface():
    surface = np.arange(8, dtype=np.uint8)
    np.testing.assert_array_equal(sy.zones_from_surface(surface), [0, 1, 1, 1, 2, 2, 3, 3])
    for zone, (name, _) in sy.ZONE_CLASSES.items():
        for c in sy.ZONES[name]:
            assert sy.zones_from_surface(np.array([c], np.uint8))[0] == zone
    assert set().union(*sy.ZONES.values()) == set(sy.SURFACE_CLASSES)


@pytest.mark.parametrize("seed,size,fraction", [(3, (512, 512), 0.45), (8, (200, 90), 0.3), (21, (64, 300), 0.7)])
def test_analytic_front_matches_the_raster(seed, size, fraction):
    width, height = size
    spec = sy.SceneSpec(width, height, seed=seed, front_fraction=fraction)
    zones = sy.zones_from_surface(sy.surface_window(spec, 0, 0, height, width))
    line = spec.front_line_px()
    assert line.ndim == 2 and line.shape[1] == 2 and len(line) > 0.4 * width
    assert np.all(np.diff(line[:, 0]) > 0)
    front_at = dict(zip(np.round(line[1:-1, 0]).astype(int), line[1:-1, 1], strict=False))
    checked = 0
    for c in range(width):
        col = zones[:, c]
        # first ocean row directly below a glacier pixel
        hits = np.flatnonzero((col[:-1] == 2) & (col[1:] == 1)) + 1
        if hits.size == 0:
            continue
        assert hits.size == 1, f"column {c} crosses the front {hits.size} times"
        assert c in front_at, f"column {c} has a glacier/ocean boundary but no analytic front"
        assert abs(hits[0] - front_at[c]) <= 1.0
        assert 0.0 <= hits[0] - front_at[c] < 1.0  # the documented convention: ceil(f(c))
        checked += 1
    assert checked > 0.9 * (len(front_at) - 2)
    # Ocean never touches glacier except across the front: no ocean above a glacier pixel.
    above = (zones[1:] == 2) & (zones[:-1] == 1)
    assert not above.any()
    # And never sideways except at the front's own step between columns.
    side = ((zones[:, 1:] == 2) & (zones[:, :-1] == 1)) | ((zones[:, 1:] == 1) & (zones[:, :-1] == 2))
    rows, cols = np.nonzero(side)
    for r, c in zip(rows, cols, strict=False):
        lo, hi = sorted((front_at.get(c, np.nan), front_at.get(c + 1, np.nan)))
        assert lo - 1 <= r <= hi + 1


def test_front_line_map_uses_the_transform():
    spec = sy.SceneSpec(96, 64, seed=2, cell_size=10.0, origin=(1000.0, 5000.0))
    px = spec.front_line_px()
    mp = spec.front_line_map()
    np.testing.assert_allclose(mp[:, 0], 1000.0 + (px[:, 0] + 0.5) * 10.0)
    np.testing.assert_allclose(mp[:, 1], 5000.0 - (px[:, 1] + 0.5) * 10.0)
    nocrs = sy.SceneSpec(96, 64, seed=2, crs=None)
    np.testing.assert_allclose(nocrs.front_line_map(), (px + 0.5) * [1, -1])  # where QGIS draws it: y = -row


def test_optical_class_means_are_ordered(scene512):
    _, surface, image = scene512
    mean = {c: image[:, surface == c].mean(axis=1) for c in sy.SURFACE_CLASSES}
    blue, green, red, nir = 0, 1, 2, 3
    assert mean[1][nir] < mean[4][nir]  # NIR of water < NIR of ice
    assert mean[1][nir] < mean[1][blue]  # water darkest in NIR
    assert mean[1][nir] < mean[3][nir] < mean[4][nir] or mean[1][nir] < mean[3][nir] < mean[2][nir]
    assert mean[5][green] > mean[4][green] > mean[1][green]  # snow > ice > water
    assert mean[7][red] > mean[7][blue] and mean[7][green] < mean[4][green]  # dark brown rock
    # Separable but not trivially: per-class spread is real.
    assert image[nir, surface == 3].std() > 0.1 * mean[3][nir]
    assert image[green, surface == 4].std() > 100


def test_sar_speckle_and_levels():
    spec = sy.SceneSpec(256, 256, seed=4, kind="sar", looks=4)
    surface, image = _whole(spec)
    sigma = image[0]
    assert image.dtype == np.float32 and (sigma > 0).all()
    water, ice, melange = (sigma[surface == c] for c in (1, 4, 3))
    assert np.median(water) < np.median(ice) < np.median(melange)
    # speckle: coefficient of variation near 1/sqrt(looks) (plus texture), not zero
    cv = ice.std() / ice.mean()
    assert 0.4 < cv < 0.8
    one_look = sy.image_window(sy.SceneSpec(256, 256, seed=4, kind="sar", looks=1), 0, 0, 256, 256)[0]
    assert one_look[surface == 4].std() / one_look[surface == 4].mean() > cv


# ----------------------------------------------------------------------------- writing


def test_write_scene_georeferenced(tmp_path):
    spec = sy.SceneSpec(300, 280, seed=1)
    rep = SilentReporter()
    res = write_scene(
        spec,
        str(tmp_path / "img.tif"),
        surface_path=str(tmp_path / "surface.tif"),
        zones_path=str(tmp_path / "zones.tif"),
        front_path=str(tmp_path / "front.geojson"),
        block=256,
        reporter=rep,
    )
    assert res["image"] == str(tmp_path / "img.tif") and res["spec"]["width"] == 300
    assert sorted(os.listdir(tmp_path)) == ["front.geojson", "img.tif", "surface.tif", "zones.tif"]
    progress = rep.of("progress")
    assert len(progress) >= 2 and progress[-1] == 100.0 and progress == sorted(progress)
    surface, image = _whole(spec)
    with rasterio.open(tmp_path / "img.tif") as ds:
        assert ds.crs.to_epsg() == 3413
        assert ds.transform == spec.transform
        assert tuple(ds.transform)[:6] == (30.0, 0.0, -200000.0, 0.0, -30.0, -2200000.0)
        assert ds.count == 4 and ds.dtypes == ("uint16",) * 4
        assert ds.descriptions == ("blue", "green", "red", "nir")
        assert ds.block_shapes[0] == (256, 256)
        assert ds.compression is None
        np.testing.assert_array_equal(ds.read(), image)
    with rasterio.open(tmp_path / "surface.tif") as ds:
        assert ds.dtypes == ("uint8",) and ds.nodata == 0 and ds.crs.to_epsg() == 3413
        assert ds.compression is not None and ds.compression.value.lower() == "deflate"
        cmap = ds.colormap(1)
        for v, (_, rgb) in sy.SURFACE_CLASSES.items():
            assert cmap[v][:3] == rgb
        np.testing.assert_array_equal(ds.read(1), surface)
        assert res["class_pixels"]["rock"] == int((surface == 7).sum())
    with rasterio.open(tmp_path / "zones.tif") as ds:
        assert ds.colormap(1)[1][:3] == sy.ZONE_CLASSES[1][1]
        np.testing.assert_array_equal(ds.read(1), sy.zones_from_surface(surface))
    gj = json.loads((tmp_path / "front.geojson").read_text())
    feature = gj["features"][0]
    assert feature["geometry"]["type"] == "LineString"
    assert gj["crs"]["properties"]["name"].endswith("3413")
    coords = np.array(feature["geometry"]["coordinates"])
    np.testing.assert_allclose(coords, spec.front_line_map(), atol=1e-3)
    assert feature["properties"]["length_m"] > 0.4 * 300 * 30.0


@pytest.mark.filterwarnings("ignore::rasterio.errors.NotGeoreferencedWarning")
def test_write_scene_sar_without_crs(tmp_path):
    spec = sy.SceneSpec(100, 70, seed=2, kind="sar", crs="none")
    write_scene(spec, str(tmp_path / "sar.tif"), front_path=str(tmp_path / "f.geojson"))
    with rasterio.open(tmp_path / "sar.tif") as ds:
        assert ds.crs is None
        assert ds.count == 1 and ds.dtypes == ("float32",) and ds.descriptions == ("sigma0",)
        np.testing.assert_array_equal(ds.read(), _whole(spec)[1])
    gj = json.loads((tmp_path / "f.geojson").read_text())
    assert "crs" not in gj
    coords = np.array(gj["features"][0]["geometry"]["coordinates"])
    assert coords[:, 1].max() < 0 and coords[:, 1].min() > -70 and coords[:, 0].max() < 100  # QGIS's pixel units


def test_write_scene_cancel_leaves_no_file(tmp_path):
    rep = SilentReporter()
    rep.cancel_requested = True
    with pytest.raises(EngineError):
        write_scene(sy.SceneSpec(64, 64), str(tmp_path / "x.tif"), reporter=rep)
    assert os.listdir(tmp_path) == []


def test_import_does_not_pull_torch():
    code = "import sys; import glacier_terminus.core.synthetic.scenes; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), check=True)
    assert out.stdout.strip() == "False"


# ----------------------------------------------------------------------------- command


def _env() -> dict:
    env = dict(os.environ)
    import glacier_terminus

    parent = str(Path(glacier_terminus.__file__).parent.parent)
    env["PYTHONPATH"] = os.pathsep.join([parent, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def _engine(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "glacier_terminus.core", "synthetic", *args],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )


def test_command_line(tmp_path):
    out = tmp_path / "scene.tif"
    proc = _engine(
        "--output", str(out), "--width", "128", "--height", "96",
        "--zones", str(tmp_path / "zones.tif"), "--front", str(tmp_path / "front.geojson"),
    )
    assert proc.returncode == 0, proc.stderr
    messages = [json.loads(line) for line in proc.stdout.splitlines()]
    assert all(len(m) == 1 for m in messages)
    assert "result" in messages[-1]
    assert any("progress" in m for m in messages)
    result = messages[-1]["result"]
    assert result["image"] == str(out) and result["spec"]["width"] == 128
    with rasterio.open(out) as ds:
        assert (ds.width, ds.height, ds.count) == (128, 96, 4)
        assert ds.crs.to_epsg() == 3413
    assert (tmp_path / "zones.tif").exists() and (tmp_path / "front.geojson").exists()


def test_command_line_errors(tmp_path):
    proc = _engine("--output", str(tmp_path / "s.tif"), "--width", "16")
    assert proc.returncode == 1
    last = json.loads(proc.stdout.splitlines()[-1])
    assert "WIDTH" in last["error"]
    proc = _engine("--output", str(tmp_path / "s.tif"), "--crs", "EPSG:999999")
    assert proc.returncode == 1 and "CRS" in json.loads(proc.stdout.splitlines()[-1])["error"]
    assert not (tmp_path / "s.tif").exists()
