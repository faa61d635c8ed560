"""``make demo``: defaults only, and the front error the README states."""
from __future__ import annotations

import csv
import os
import re
import subprocess

import pytest
from helpers import FRONTLEARNING, ROOT, error_lines

pytestmark = pytest.mark.skipif(not (FRONTLEARNING / "images").is_dir(),
                                reason=f"make demo reads the FrontLearning data, not in {FRONTLEARNING}")

#: What a demo step may set: its files, and BANDS (band 1 of the RGBA PNG is its grey band).
NOT_SETTINGS = {"INPUT", "OUTPUT", "OUTPUT_PROBABILITIES", "PROBABILITIES", "BANDS"}


def demo_recipe() -> str:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.search(r"^demo:.*?\n((?:\t.*\n)+)", text, re.M).group(1).replace("\\\n", " ")


def test_the_demo_maps_its_front_with_the_defaults():
    steps = [line for line in demo_recipe().splitlines() if "classifypixels" in line or
             ("extractcalvingfront" in line and "/images/" not in line and "labels_1px" not in line)]
    assert len(steps) == 2, steps
    for step in steps:
        given = set(re.findall(r"\b([A-Z_]+)=", step.split(" -- ", 1)[1]))
        assert given <= NOT_SETTINGS, f"the demo sets {sorted(given - NOT_SETTINGS)}: {step}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """``make demo`` run once: (its output folder, the finished process)."""
    out = tmp_path_factory.mktemp("demo")
    done = subprocess.run(["make", "demo", f"DEMO={out}", f"FRONTLEARNING={FRONTLEARNING}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=900, env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out, done


def test_make_demo_gives_the_front_error_the_readme_states(demo):
    out, done = demo
    stated = re.search(r"front error, the mean distance between the\s+predicted and the manual front of its scene, "
                       r"is \*\*([0-9.]+) px\*\*", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert stated, "the README states the demo's front error"
    with open(out / "front_error.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1
    assert f"{float(rows[0]['mean']):.2f}" == stated.group(1)
    assert error_lines(done.stdout + done.stderr) == [], "no GDAL error lines on a demo that succeeds"


def test_make_demo_draws_both_fronts_over_the_manual_front(demo):
    """demo.png, image panel: the manual front (cyan) over the scene's manual front pixels, and the
    predicted front (red) near them (the demo's front error is a few pixels)."""
    import numpy as np
    import rasterio
    from skimage.io import imread

    from glacier_terminus.core.reports.preview import LINE_COLOURS, preview_factor

    out, _ = demo
    scene = re.search(r"^DEMO_SCENE \?= (\S+)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
    with rasterio.open(FRONTLEARNING / "labels_1px" / f"{scene}_Front.png") as ds:
        rows, cols = np.nonzero(ds.read(1) == 0)  # the manual front's pixels (class 0, as make demo reads them)
        factor = preview_factor(ds.height, ds.width)
        height, width = ds.height, ds.width
    figure = imread(out / "demo.png")[..., :3]
    panel = figure[: round(height * factor), : round(width * factor)]
    at = panel[np.round((rows + 0.5) * factor - 0.5).astype(int), np.round((cols + 0.5) * factor - 0.5).astype(int)]
    on_cyan = np.all(at == LINE_COLOURS["reference"], axis=-1)
    on_red = np.all(at == LINE_COLOURS["fronts"], axis=-1)
    assert np.mean(on_cyan | on_red) > 0.9, "the manual front's pixels are drawn over (cyan, or red on top)"
    assert np.mean(on_cyan) > 0.3, "the manual front is drawn in cyan where it lies"
    red = np.argwhere(np.all(panel == LINE_COLOURS["fronts"], axis=-1)) / factor
    assert len(red) > 0, "the predicted front is drawn"
    near = np.min(np.hypot(red[:, None, 0] - rows[None, ::5], red[:, None, 1] - cols[None, ::5]), axis=1)
    assert np.median(near) < 10, "the predicted front is drawn near the manual one, not off the panel"
