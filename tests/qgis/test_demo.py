"""``make demo``: defaults only, and the front error the README states."""
from __future__ import annotations

import csv
import os
import re
import subprocess

import pytest
from helpers import FRONTLEARNING, ROOT

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


def test_make_demo_gives_the_front_error_the_readme_states(tmp_path):
    stated = re.search(r"front error, the mean distance between the\s+predicted and the manual front of its scene, "
                       r"is \*\*([0-9.]+) px\*\*", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert stated, "the README states the demo's front error"
    done = subprocess.run(["make", "demo", f"DEMO={tmp_path}", f"FRONTLEARNING={FRONTLEARNING}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=900, env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with open(tmp_path / "front_error.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 1
    assert f"{float(rows[0]['mean']):.2f}" == stated.group(1)
    assert "ERROR" not in done.stdout + done.stderr, "no GDAL error lines on a demo that succeeds"
