"""Map Calving Fronts over a real stack: the 70 dated Landsat scenes of Sverdrup Glacier (FrontLearning),
through qgis_process in one run, in two shards merged, and killed half-way and run again."""
from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from helpers import FRONTLEARNING, PLUGIN_DIR, engine_env, error_lines

from glacier_terminus.core.stacks.fronts_layer import read_stack_fronts

MAP_FRONTS = "glacierterminus:mapcalvingfronts"
#: Sverdrup Glacier's Landsat paths / rows in the FrontLearning names (its README).
SVERDRUP = ("020007", "021006", "021007", "022006", "023006", "024006")
#: A box along Sverdrup's fjord where QGIS draws the 200 x 300 px scenes (x = column, y = -row), drawn from
#: its upstream end (the bottom of the scenes: the glacier flows up them).
BOX = [[35, -290], [145, -290], [145, -60], [35, -60], [35, -290]]
PIXEL_SIZE = 50.0  # the data's nominal cell size (its README)

pytestmark = pytest.mark.skipif(not (FRONTLEARNING / "images").is_dir(),
                                reason=f"the FrontLearning data is not in {FRONTLEARNING}")


def sverdrup_scenes() -> list[str]:
    images = FRONTLEARNING / "images"
    return sorted(str(p) for p in images.glob("*_Subset.png") if p.name.split("_")[2] in SVERDRUP)


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    path = tmp_path_factory.mktemp("box") / "box.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [BOX]}}]}))
    return path


@pytest.fixture(scope="module")
def stack_run(qgis_process, box, tmp_path_factory):
    """One qgis_process run of Map Calving Fronts over the 70 scenes, with the box (every other setting
    left at its default but BANDS, which picks the grey band of the RGBA PNGs)."""
    folder = tmp_path_factory.mktemp("stack")
    scenes = sverdrup_scenes()
    started = time.monotonic()
    done = qgis_process("--json", "run", MAP_FRONTS, "--", *[f"INPUTS={s}" for s in scenes], "BANDS=1",
                        f"PIXEL_SIZE={PIXEL_SIZE}", f"REFERENCE={box}", f"OUTPUT={folder / 'fronts.gpkg'}",
                        f"OUTPUT_TABLE={folder / 'terminus.csv'}", f"OUTPUT_HTML={folder / 'terminus.html'}",
                        timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return folder, json.loads(done.stdout)["results"], time.monotonic() - started, done.stdout + done.stderr


def test_one_run_maps_a_dated_front_in_every_scene_and_the_terminus_series(stack_run):
    folder, results, seconds, _ = stack_run
    scenes = sverdrup_scenes()
    assert len(scenes) == 70
    fronts, crs = read_stack_fronts(str(folder / "fronts.gpkg"), "OUTPUT")
    assert crs is None and len(fronts) == 70 and results["SCENES"] == 70
    assert sorted(f["source"] for f in fronts) == sorted(os.path.basename(s) for s in scenes)
    assert all(f["date"] for f in fronts), "every scene dated from its name"
    assert [f["date"] for f in fronts] == sorted(f["date"] for f in fronts), "in date order"
    with_front = [f for f in fronts if f["status"] == "front"]
    assert len(with_front) == results["FRONTS"] >= 65, [(f["source"], f["status"], f["message"]) for f in fronts]
    assert all(f["length_m"] == pytest.approx(f["length_px"] * PIXEL_SIZE, rel=1e-3) for f in with_front)
    assert all(f["method"] == "front class" for f in with_front)
    with open(folder / "terminus.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len({f["date"] for f in with_front}) and "position_m" in rows[0]
    positions = {r["date"]: float(r["position_m"]) for r in rows if r["position_m"]}
    assert len(positions) >= 60
    # Sverdrup's front lay near row 121 in 2000 and near row 171 in 2014 (the manual fronts): the box's
    # upstream end is row 290, so the positions fall from about 169 to about 119 pixels of 50 m.
    early = [p for d, p in positions.items() if d.startswith("2000")]
    late = [p for d, p in positions.items() if d.startswith(("2014", "2015"))]
    assert early and late
    assert np.median(early) == pytest.approx(169 * PIXEL_SIZE, abs=10 * PIXEL_SIZE)
    assert np.median(late) == pytest.approx(112 * PIXEL_SIZE, abs=10 * PIXEL_SIZE)
    assert "map of the fronts" in (folder / "terminus.html").read_text(encoding="utf-8")
    assert error_lines(stack_run[3]) == [], "no GDAL error lines on a run that succeeds"
    print(f"70 scenes through qgis_process in {seconds:.0f} s")


def manual_fronts(scenes: list[str], out) -> str:
    """The scenes' manual 1 px fronts as one dated line layer (Extract Calving Front, front class 0)."""
    from glacier_terminus.core.engine.cli import run_job
    from glacier_terminus.core.engine.protocol import SilentReporter
    from glacier_terminus.core.geo.dates import acquisition_date
    from glacier_terminus.core.geo.vector import read_vector, write_lines

    lines = []
    for scene in scenes:
        label = FRONTLEARNING / "labels_1px" / os.path.basename(scene).replace("_Subset.png", "_Front.png")
        run_job("extract_front", {"input": str(label), "output": str(out / "one.gpkg"), "method": "front_class",
                                  "front_class": 0, "smoothing": 0}, SilentReporter())
        lines += [(np.asarray(f.geometry["coordinates"]), {"date": acquisition_date(scene), "source": scene})
                  for f in read_vector(out / "one.gpkg").features if f.geometry]
    return str(write_lines(out / "manual.gpkg", lines, None, [("date", "DATE"), ("source", "TEXT")]))


def test_the_stack_chain_maps_measures_and_evaluates(qgis_process, box, tmp_path):
    """models/map_stack_evaluate.model3 on ten scenes: dated fronts, the terminus beside the manual one, and
    the fronts evaluated against the manual ones date by date."""
    scenes = sverdrup_scenes()[::7]
    manual = manual_fronts(scenes, tmp_path)
    chain = PLUGIN_DIR / "models" / "map_stack_evaluate.model3"
    done = qgis_process("--json", "run", chain, "--", *[f"INPUTS={s}" for s in scenes], "BANDS=1",
                        f"PIXEL_SIZE={PIXEL_SIZE}", f"REFERENCE={box}", f"REFERENCE_FRONTS={manual}",
                        f"map:FRONTS={tmp_path / 'fronts.gpkg'}", f"map:TERMINUS={tmp_path / 'terminus.csv'}",
                        f"map:TERMINUS_REPORT={tmp_path / 'terminus.html'}",
                        f"evaluate:ERRORS={tmp_path / 'errors.csv'}", f"evaluate:REPORT={tmp_path / 'errors.html'}",
                        timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(done.stdout)["results"]
    assert results["map:SCENES"] == 10 and results["evaluate:EVALUATED"] == 10 and results["evaluate:UNITS"] == "m"
    assert 0 < results["evaluate:MEAN_DISTANCE"] < 10 * PIXEL_SIZE
    with open(tmp_path / "terminus.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 10 and all(r["reference_position_m"] and r["difference_m"] for r in rows)
    assert np.mean([abs(float(r["difference_m"])) for r in rows]) < 5 * PIXEL_SIZE


def engine_map_fronts(job: dict, folder, name: str) -> subprocess.Popen:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(job))
    return subprocess.Popen([sys.executable, "-m", "glacier_terminus.core", "map_fronts", "--job", str(path)],
                            env=engine_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stack_job(scenes, output, **more) -> dict:
    return {"inputs": scenes, "model": str(PLUGIN_DIR / "models" / "default"), "bands": [1],
            "pixel_size": PIXEL_SIZE, "output": str(output), **more}


def finished(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=1800)
    assert process.returncode == 0, out[-3000:] + err[-3000:]
    return json.loads(out.strip().splitlines()[-1])["result"]


def test_two_shards_merged_give_the_features_of_one_run(stack_run, tmp_path):
    folder, _, _, _ = stack_run
    scenes = sverdrup_scenes()
    for k in (1, 2):  # one after the other: two cores, two jobs of a job array
        result = finished(engine_map_fronts(stack_job(scenes, tmp_path / f"shard{k}.gpkg", shard=f"{k}/2"),
                                            tmp_path, f"shard{k}"))
        assert result["scenes"] == 35
    merge = subprocess.run([sys.executable, "-m", "glacier_terminus.core", "merge_fronts", "--inputs",
                            str(tmp_path / "shard1.gpkg"), str(tmp_path / "shard2.gpkg"),
                            "--output", str(tmp_path / "merged.gpkg")], env=engine_env(), capture_output=True,
                           text=True, timeout=600)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    merged, _ = read_stack_fronts(str(tmp_path / "merged.gpkg"), "merged")
    whole, _ = read_stack_fronts(str(folder / "fronts.gpkg"), "whole")
    assert merged == whole


def test_a_run_killed_half_way_resumes_and_gives_the_uninterrupted_result(stack_run, tmp_path):
    folder, _, _, _ = stack_run
    scenes = sverdrup_scenes()[::7]  # 10 scenes over the whole period
    output = tmp_path / "fronts.gpkg"
    journal = tmp_path / "fronts.scenes"
    process = engine_map_fronts(stack_job(scenes, output), tmp_path, "killed")
    deadline = time.monotonic() + 900
    while len(list(journal.glob("*.png.json"))) < 4 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert process.poll() is None, "the run ended before it could be killed"
    process.send_signal(signal.SIGKILL)  # no chance to clean up: a node lost, a job killed by the scheduler
    process.communicate()
    assert not output.exists()
    done_before = len(list(journal.glob("*.png.json")))
    result = finished(engine_map_fronts(stack_job(scenes, output), tmp_path, "resumed"))
    assert result["scenes"] == 10 and result["resumed"] >= done_before >= 4
    resumed, _ = read_stack_fronts(str(output), "resumed")
    whole, _ = read_stack_fronts(str(folder / "fronts.gpkg"), "whole")
    names = {os.path.basename(s) for s in scenes}
    assert resumed == [f for f in whole if f["source"] in names]
    again = finished(engine_map_fronts(stack_job(scenes, output), tmp_path, "again"))
    assert again["resumed"] == 10, "a finished run is not redone"
