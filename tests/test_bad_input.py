"""The bad inputs users really give, fed to every algorithm through ``qgis_process.bin``.

Each case of :data:`CASES` must end with: a non-zero exit, a clear message (the phrases),
no output and no partial file in the output folder, and every input file byte for byte as
before (checksums). Inputs live in their own folder, apart from the outputs: QGIS itself
may keep raster statistics beside an input it opened (``<input>.aux.xml``, GDAL's PAM), which
is QGIS's, not the algorithm's, doing. The number of cases is printed.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from test_qgis_fronts import write_geojson
from test_qgis_process import (  # noqa: F401 - shared fixtures
    QGIS_PROCESS,
    engine_python,
    engine_ready,
    qgis_env,
    qgis_process,
    synthetic,
)

pytestmark = pytest.mark.skipif(
    not Path(QGIS_PROCESS).is_file(), reason="qgis_process.bin is not installed (QGIS 3.22+: `sudo make qgis`)"
)

P = "glacierterminus:"


@dataclass(frozen=True)
class Case:
    """One bad input: the algorithm, its parameters (inputs folder, output folder -> dict) and what
    the message must say. ``interrupt`` sends Ctrl-C (SIGINT to the process group) at most that many
    seconds in; ``folder`` is the output folder: plain, read-only, or full (a 1 MB tmpfs)."""

    id: str
    algorithm: str
    params: Callable[[Path, Path], dict]
    phrases: tuple[str, ...]
    interrupt: float | None = None
    folder: str = "plain"


def line(x0, y0, x1, y1):
    return {"type": "LineString", "coordinates": [[x0, y0], [x1, y1]]}


@pytest.fixture(scope="module")
def inputs(engine_ready, tmp_path_factory):  # noqa: F811, ARG001
    """The folder of inputs every case reads (never written to by a case)."""
    d = tmp_path_factory.mktemp("inputs")
    synthetic(d / "scene.tif", width=200, height=160, surface=d / "surface.tif", zones=d / "zones.tif",
              front=d / "front.geojson")
    synthetic(d / "sar.tif", width=64, height=64, kind="sar")
    synthetic(d / "big.tif", width=1500, height=1500, seed=2)
    synthetic(d / "nocrs.tif", width=200, height=160, crs="none")
    code = f"""
import json, numpy as np, rasterio, shutil
from helpers import make_package
make_package({str(d / 'model')!r}, bands=4, tile=64)
shutil.copytree({str(d / 'model')!r}, {str(d / 'newer_model')!r})
meta = json.load(open({str(d / 'newer_model' / 'model.json')!r}))
meta["schema_version"] = 99
json.dump(meta, open({str(d / 'newer_model' / 'model.json')!r}, "w"))
with rasterio.open({str(d / 'surface.tif')!r}) as ds:
    profile = ds.profile
with rasterio.open({str(d / 'one_class.tif')!r}, "w", **profile) as dst:
    dst.write(np.full((160, 200), 4, np.uint8), 1)
"""
    done = engine_python(code)
    assert done.returncode == 0, done.stdout + done.stderr
    (d / "notes.tif").write_text("not a raster, whatever its name says\n")
    (d / "table.csv").write_text("a,b\n1,2\n")
    (d / "empty.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    write_geojson(d / "points.geojson", {"type": "Point", "coordinates": [-199000, -2203000]}, {"class": 1},
                  epsg=3413)
    write_geojson(d / "undated.geojson", line(-199000, -2203000, -198000, -2203100), {"name": "front"}, epsg=3413)
    write_geojson(d / "dated_wgs84.geojson", line(-45.0, 70.0, -44.9, 70.01), {"date": "2020-07-01"}, epsg=4326)
    write_geojson(d / "box_wgs84.geojson", {"type": "Polygon", "coordinates": [[
        [-45.1, 69.9], [-44.8, 69.9], [-44.8, 70.1], [-45.1, 70.1], [-45.1, 69.9]]]}, epsg=4326)
    (d / "no_dataset").mkdir()
    return d


CASES = [
    # Classify Pixels
    Case("classify-text-file-as-raster", P + "classifypixels",
         lambda i, o: {"INPUT": i / "notes.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif"},
         ("notes.tif",)),
    Case("classify-missing-bands", P + "classifypixels",
         lambda i, o: {"INPUT": i / "sar.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif"},
         ("INPUT has 1 band(s) but model", "expects 4")),
    Case("classify-model-from-a-newer-schema", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "newer_model", "OUTPUT": o / "c.tif"},
         ("schema version 99 is newer", "update the plugin")),
    Case("classify-not-a-model-folder", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "no_dataset", "OUTPUT": o / "c.tif"},
         ("has no model.json",)),
    Case("classify-extent-elsewhere", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif",
                       "EXTENT": "100000,110000,100000,110000 [EPSG:3413]"},
         ("EXTENT does not overlap",)),
    Case("classify-empty-mask", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif",
                       "MASK": i / "empty.geojson"},
         ("MASK",)),
    Case("classify-read-only-output-folder", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif"},
         ("not writable",), folder="read-only"),
    Case("classify-disk-full", P + "classifypixels",
         lambda i, o: {"INPUT": i / "big.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif",
                       "OUTPUT_PROBABILITIES": o / "p.tif", "DEVICE": "cpu"},
         ("No space left on device",), folder="full"),
    Case("classify-ctrl-c", P + "classifypixels",
         lambda i, o: {"INPUT": i / "big.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif",
                       "OUTPUT_PROBABILITIES": o / "p.tif", "DEVICE": "cpu"},
         (), interrupt=12.0),
    # CSC Refine
    Case("csc-coarse-of-one-class", P + "cscrefine",
         lambda i, o: {"INPUT": i / "scene.tif", "COARSE": i / "one_class.tif", "OUTPUT": o / "r.tif",
                       "REPORT": o / "r.html"},
         ("one class only", "nothing to learn")),
    Case("csc-even-patch-size", P + "cscrefine",
         lambda i, o: {"INPUT": i / "scene.tif", "COARSE": i / "surface.tif", "PATCH_SIZE": 4, "OUTPUT": o / "r.tif"},
         ("PATCH_SIZE",)),
    Case("csc-coarse-lines", P + "cscrefine",
         lambda i, o: {"INPUT": i / "scene.tif", "COARSE": i / "front.geojson", "OUTPUT": o / "r.tif"},
         ("COARSE",)),
    Case("csc-coarse-with-a-crs-on-an-image-without", P + "cscrefine",
         lambda i, o: {"INPUT": i / "nocrs.tif", "COARSE": i / "surface.tif", "OUTPUT": o / "r.tif"},
         ("COARSE and INPUT must share their grid",)),
    Case("csc-polygons-without-class-field", P + "cscrefine",
         lambda i, o: {"INPUT": i / "scene.tif", "COARSE": i / "box_wgs84.geojson", "OUTPUT": o / "r.tif"},
         ("CLASS_FIELD is required",)),
    Case("csc-table-as-coarse", P + "cscrefine",
         lambda i, o: {"INPUT": i / "scene.tif", "COARSE": i / "table.csv", "OUTPUT": o / "r.tif"},
         ("COARSE",)),
    # Extract Calving Front
    Case("extract-vector-as-raster", P + "extractcalvingfront",
         lambda i, o: {"INPUT": i / "front.geojson", "OUTPUT": o / "f.gpkg"},
         ("INPUT",)),
    Case("extract-no-ocean-class", P + "extractcalvingfront",
         lambda i, o: {"INPUT": i / "one_class.tif", "METHOD": "zone_boundary", "OUTPUT": o / "f.gpkg"},
         ("No class of INPUT is ocean",)),
    Case("extract-shapefile-output", P + "extractcalvingfront",
         lambda i, o: {"INPUT": i / "zones.tif", "OUTPUT": o / "f.shp"},
         ("GeoPackage",)),
    Case("extract-probabilities-on-another-grid", P + "extractcalvingfront",
         lambda i, o: {"INPUT": i / "zones.tif", "PROBABILITIES": i / "sar.tif", "OUTPUT": o / "f.gpkg"},
         ("must be on INPUT's grid",)),
    # Evaluate Fronts
    Case("evaluate-predicted-file-missing", P + "evaluatefronts",
         lambda i, o: {"PREDICTED": i / "nowhere.gpkg", "REFERENCE": i / "front.geojson", "OUTPUT": o / "e.csv"},
         ("PREDICTED",)),
    Case("evaluate-points-as-fronts", P + "evaluatefronts",
         lambda i, o: {"PREDICTED": i / "points.geojson", "REFERENCE": i / "front.geojson", "OUTPUT": o / "e.csv"},
         ("PREDICTED",)),
    Case("evaluate-read-only-output-folder", P + "evaluatefronts",
         lambda i, o: {"PREDICTED": i / "front.geojson", "REFERENCE": i / "front.geojson", "RASTER": i / "zones.tif",
                       "OUTPUT": o / "e.csv",
                       "OUTPUT_HTML": o / "e.html"},
         ("not writable",), folder="read-only"),
    # Terminus Change
    Case("terminus-no-date-field", P + "terminuschange",
         lambda i, o: {"FRONTS": i / "undated.geojson", "REFERENCE": i / "box_wgs84.geojson", "OUTPUT": o / "t.csv"},
         ("no date field",)),
    Case("terminus-geographic-crs", P + "terminuschange",
         lambda i, o: {"FRONTS": i / "dated_wgs84.geojson", "REFERENCE": i / "box_wgs84.geojson",
                       "OUTPUT": o / "t.csv", "OUTPUT_HTML": o / "t.html"},
         ("projected CRS",)),
    # Export Training Tiles
    Case("export-point-labels", P + "exporttrainingtiles",
         lambda i, o: {"INPUT": i / "scene.tif", "LABELS": i / "points.geojson", "OUTPUT": o / "tiles"},
         ("LABELS must be",)),
    Case("export-labels-without-crs-on-a-georeferenced-image", P + "exporttrainingtiles",
         lambda i, o: {"INPUT": i / "scene.tif", "LABELS": i / "nocrs.tif", "OUTPUT": o / "tiles"},
         ("LABELS", "CRS")),
    # Train Terminus Model
    Case("train-folder-without-dataset", P + "trainterminusmodel",
         lambda i, o: {"DATASETS": i / "no_dataset", "DEVICE": "cpu", "OUTPUT_MODEL": o / "model"},
         ("dataset.json",)),
]


def checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` but QGIS's own statistics files (``*.aux.xml``)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(".aux.xml")}


def run_case(case: Case, qgis_env: dict, inputs: Path, out: Path) -> subprocess.CompletedProcess:  # noqa: F811
    args = [QGIS_PROCESS, "run", case.algorithm, "--"]
    args += [f"{k}={v}" for k, v in case.params(inputs, out).items()]
    if case.interrupt is None:
        return subprocess.run(args, env=qgis_env, capture_output=True, text=True, timeout=600)
    # Ctrl-C at a terminal: SIGINT to the whole foreground process group (qgis_process and the engine).
    proc = subprocess.Popen(args, env=qgis_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    deadline = time.time() + case.interrupt
    while time.time() < deadline and not list(out.glob(".*partial*")):
        time.sleep(0.2)
    time.sleep(1.0)  # well into the run
    os.killpg(proc.pid, signal.SIGINT)
    text, _ = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(args, proc.returncode, text, "")


@contextmanager
def output_folder(kind: str, path: Path):
    """An empty output folder: plain, read-only (for root, who ignores permissions: immutable with
    chattr, or a read-only tmpfs where chattr is not installed) or full (a 1 MB tmpfs, root only)."""
    path.mkdir()
    root = os.geteuid() == 0
    mounted = False
    if kind == "read-only" and root and not shutil.which("chattr"):
        made = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(path)], capture_output=True)
        if made.returncode != 0:
            pytest.skip(f"cannot make {path} read-only for root (no chattr; mount: {made.stderr.decode().strip()})")
        mounted = True
    elif kind == "read-only":
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True) if root else path.chmod(0o555)
        if root and made.returncode != 0:
            pytest.skip(f"cannot make {path} read-only for root (chattr: {made.stderr.decode().strip()})")
    elif kind == "full":
        made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(path)], capture_output=True)
        if made.returncode != 0:
            pytest.skip(f"cannot mount a 1 MB tmpfs ({made.stderr.decode().strip() or 'not root'})")
    try:
        yield path
    finally:
        if mounted:
            subprocess.run(["umount", str(path)], capture_output=True)
        elif kind == "read-only":
            subprocess.run(["chattr", "-i", str(path)], capture_output=True) if root else path.chmod(0o755)


def leftovers(path: Path, kind: str) -> list[str]:
    names = sorted(p.name for p in path.iterdir())
    if kind == "full":
        subprocess.run(["umount", str(path)], capture_output=True)
    return names


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case, qgis_env, inputs, tmp_path):  # noqa: F811
    before = checksums(inputs)
    with output_folder(case.folder, tmp_path / "out") as out:
        done = run_case(case, qgis_env, inputs, out)
        left = leftovers(out, case.folder)
    text = done.stdout + done.stderr
    assert done.returncode != 0, text
    for phrase in case.phrases:
        assert phrase in text, f"{phrase!r} not in:\n{text}"
    assert "Traceback" not in text, text
    assert left == [], f"an output or partial file was left behind: {left}"
    assert checksums(inputs) == before, "an input file changed"


def test_the_table_counts_its_cases(capsys):
    with capsys.disabled():
        print(f"\nbad-input table: {len(CASES)} cases over "
              f"{len({c.algorithm for c in CASES})} algorithms")
    assert len(CASES) >= 20 and len({c.algorithm for c in CASES}) == 7
