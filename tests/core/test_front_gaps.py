"""``models/front_gaps.py``: where a predicted front misses the manual one."""
from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine
from helpers import load_script

from glacier_terminus.core.geo.lines import pixel_to_map
from glacier_terminus.core.geo.vector import write_lines

TRANSFORM = Affine(50.0, 0.0, 1000.0, 0.0, -50.0, 9000.0)  # 50 m cells: distances must come out in pixels


@pytest.fixture(scope="module")
def front_gaps():
    return load_script("front_gaps")


def scene(test: Path, reference, predicted, probability: np.ndarray) -> None:
    test.mkdir(parents=True, exist_ok=True)
    for name, lines in (("reference", reference), ("front", predicted)):
        write_lines(test / f"s_{name}.gpkg", [(pixel_to_map(np.array(line, float), TRANSFORM), {}) for line in lines],
                    None, ())
    with rasterio.open(test / "s_probabilities.tif", "w", driver="GTiff", width=60, height=40, count=2,
                       dtype="float32", transform=TRANSFORM) as ds:
        ds.write(np.stack([1 - probability, probability]).astype(np.float32))


def test_the_manual_front_beyond_the_predicted_end_and_in_its_gap(front_gaps, tmp_path):
    """Manual front along row 20 from col 0 to 50; predicted from col 0 to 10 and 20 to 40."""
    probability = np.zeros((40, 60))
    probability[20, 12:18] = 0.4  # the gap: weak
    scene(tmp_path, [[(20, 0), (20, 50)]], [[(20, 0), (20, 10)], [(20, 20), (20, 40)]], probability)
    distance, kind, p = front_gaps.scene_points(tmp_path, "s")
    cols = np.linspace(0, 50, len(kind))
    assert len(kind) == 101, "half-pixel steps"
    assert np.all(kind[cols <= 13] == 0) and np.all(kind[(cols >= 27) & (cols <= 43)] == 0)
    assert np.all(kind[(cols > 13.1) & (cols < 16.9)] == 2), "farther than 3 px inside the gap"
    assert np.all(kind[cols > 43.1] == 1), "past the end of the predicted front"
    assert distance.max() == pytest.approx(10.0), "in pixels, not metres"
    assert p[cols == 15][0] == pytest.approx(0.4) and p[cols == 50][0] == 0.0


def test_no_predicted_front_leaves_the_scene_out(front_gaps, tmp_path):
    scene(tmp_path, [[(20, 0), (20, 50)]], [], np.zeros((40, 60)))
    assert front_gaps.scene_points(tmp_path, "s") is None


def test_kinds_along_one_manual_line(front_gaps):
    d = np.array([9.0, 4.0, 1.0, 5.0, 2.0, 3.0, 8.0])
    assert front_gaps.kinds_along(d).tolist() == [1, 1, 0, 2, 0, 0, 1]
    assert front_gaps.kinds_along(np.array([5.0, 6.0])).tolist() == [1, 1], "no near point: all beyond the ends"
