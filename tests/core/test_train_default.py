"""``models/train_default.py``: the fjord walls it traces for the between-walls fold errors."""
import json

import numpy as np
import pytest
from helpers import load_script

from glacier_terminus.core.geo.vector import write_lines


@pytest.fixture(scope="module")
def train_default():
    return load_script("train_default")


def test_walls_run_through_the_west_and_east_ends_of_the_fronts(train_default, tmp_path):
    # Three manual fronts across a fjord whose walls lie at x = 10 + y / 10 (west) and x = 90 (east);
    # the second is drawn east to west, the third has a spur (a shorter second line).
    fronts = {
        "a": [[(12.0, 20.0), (50.0, 25.0), (90.0, 22.0)]],
        "b": [[(90.0, 41.0), (50.0, 45.0), (14.0, 40.0)]],
        "c": [[(16.0, 60.0), (50.0, 66.0), (90.0, 61.0)], [(40.0, 70.0), (45.0, 75.0)]],
    }
    references = []
    for name, lines in fronts.items():
        path = tmp_path / f"{name}_reference.gpkg"
        write_lines(path, [(np.array(line), {}) for line in lines], None, ())
        references.append(path)
    ends = [train_default.line_ends(r) for r in references]
    walls = train_default.fjord_walls(ends[::-1], tmp_path / "walls.geojson")
    features = json.loads(walls.read_text())["features"]
    assert [f["properties"]["wall"] for f in features] == [1, 2]
    west, east = (np.array(f["geometry"]["coordinates"]) for f in features)
    np.testing.assert_allclose(west, [[12, 20], [14, 40], [16, 60]])
    np.testing.assert_allclose(east, [[90, 22], [90, 41], [90, 61]])
    moved = train_default.fjord_walls(ends, tmp_path / "moved.geojson", outward=5.0)
    west, east = (np.array(f["geometry"]["coordinates"]) for f in json.loads(moved.read_text())["features"])
    np.testing.assert_allclose(west, [[7, 20], [9, 40], [11, 60]])
    np.testing.assert_allclose(east, [[95, 22], [95, 41], [95, 61]])


def test_the_folds_figure_is_drawn_with_a_scene_without_a_front(train_default, tmp_path):
    from PIL import Image

    data, test = tmp_path / "data", tmp_path / "test"
    (data / "images").mkdir(parents=True)
    test.mkdir()
    rows = []
    for k, scene in enumerate(("s1", "s2", "s3")):
        Image.fromarray(np.full((30, 20), 60 * k, dtype=np.uint8)).save(data / "images" / f"{scene}_Subset.png")
        for name in ("reference", "front", "front_between_walls"):
            write_lines(test / f"{scene}_{name}.gpkg", [(np.array([[2.0, 10.0 + k], [18.0, 12.0]]), {})], None, ())
        ends = train_default.line_ends(test / f"{scene}_reference.gpkg")
        train_default.fjord_walls([ends] * 2, test / f"{scene}_walls.geojson")
        rows.append({"scene": scene, "mean_px": [3.0, 1.0, 2.0][k], "missing": False})
    rows.append({"scene": "s4", "mean_px": None, "missing": True})
    path = train_default.folds_figure(data, {"Glacier": test}, {"Glacier": rows}, tmp_path / "f.png")
    with Image.open(path) as im:
        assert im.format == "PNG" and im.width > 100
