"""The README's figures of a terminus series: Map Calving Fronts over the 70 dated Landsat scenes of Sverdrup
Glacier (FrontLearning, MIT; Mohajerani et al. 2019) with a box along its fjord, the manual fronts as
REFERENCE_FRONTS.

    python demo/stack_figures.py OUT_FOLDER [FRONTLEARNING_FOLDER]

writes OUT_FOLDER/sverdrup_terminus.png (the series, mapped and manual), OUT_FOLDER/sverdrup_fronts.png
(the map of the dated fronts), OUT_FOLDER/sverdrup_worst_fronts.png (Evaluate Fronts' worst panels, fronts
paired by date) and the run's outputs under demo/out/sverdrup/ (not kept in the repository); prints the
run's wall time, the front errors and how far the mapped terminus positions are from the manual ones.
"""
from __future__ import annotations

import base64
import csv
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

from glacier_terminus.core.engine.cli import run_job
from glacier_terminus.core.engine.protocol import SilentReporter
from glacier_terminus.core.geo.dates import acquisition_date
from glacier_terminus.core.geo.vector import read_vector, write_lines

SVERDRUP = ("020007", "021006", "021007", "022006", "023006", "024006")
BOX = [[35, -290], [145, -290], [145, -60], [35, -60], [35, -290]]  # x = column, y = -row; upstream end first
PIXEL_SIZE = 50.0  # the data's nominal cell size (its README)


def manual_fronts(labels: Path, scenes: list[Path], out: Path) -> Path:
    """The manual 1 px fronts of the scenes as one dated line layer (Extract Calving Front, front class 0)."""
    lines = []
    for scene in scenes:
        label = labels / scene.name.replace("_Subset.png", "_Front.png")
        one = out.with_name(f"{label.stem}.gpkg")
        run_job("extract_front", {"input": str(label), "output": str(one), "method": "front_class", "front_class": 0,
                                  "smoothing": 0, "pixel_size": PIXEL_SIZE}, SilentReporter())
        day = acquisition_date(scene.name)
        lines += [(np.asarray(f.geometry["coordinates"]), {"date": day, "source": scene.name})
                  for f in read_vector(one).features if f.geometry]
        one.unlink()
    return write_lines(out, lines, None, [("date", "DATE"), ("source", "TEXT")])


def main(out: Path, data: Path) -> None:
    run = Path(__file__).resolve().parent / "out" / "sverdrup"
    run.mkdir(parents=True, exist_ok=True)
    scenes = sorted(p for p in (data / "images").glob("*_Subset.png") if p.name.split("_")[2] in SVERDRUP)
    box = run / "box.geojson"
    box.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [BOX]}}]}))
    manual = manual_fronts(data / "labels_1px", scenes, run / "manual_fronts.gpkg")
    started = time.monotonic()
    result = run_job("map_fronts", {"inputs": [str(s) for s in scenes], "bands": [1], "pixel_size": PIXEL_SIZE,
                                    "reference": str(box), "reference_fronts": str(manual),
                                    "output": str(run / "fronts.gpkg"), "output_table": str(run / "terminus.csv"),
                                    "output_plot": str(out / "sverdrup_terminus.png"),
                                    "output_html": str(run / "terminus.html")}, SilentReporter())
    seconds = time.monotonic() - started
    page = (run / "terminus.html").read_text(encoding="utf-8")
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    (out / "sverdrup_fronts.png").write_bytes(base64.b64decode(images[1]))
    evaluated = run_job("evaluate_fronts", {"predicted": str(run / "fronts.gpkg"), "reference": str(manual),
                                            "match": "date", "pixel_size": PIXEL_SIZE, "cell_size": 1.0,
                                            "output": str(run / "errors.csv"), "output_html": str(run / "errors.html")},
                        SilentReporter())
    page = (run / "errors.html").read_text(encoding="utf-8")
    (out / "sverdrup_worst_fronts.png").write_bytes(base64.b64decode(
        re.findall(r'src="data:image/png;base64,([^"]+)"', page)[1]))
    print(f"front error against the manual fronts, paired by date: mean {evaluated['mean_distance']:.1f} m over "
          f"{evaluated['evaluated']} scenes (mean of scene means {evaluated['mean_of_image_means']:.1f} m)")
    with open(run / "terminus.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    differences = np.array([float(r["difference_m"]) for r in rows if r["difference_m"]])
    print(f"{len(scenes)} scenes in {seconds:.1f} s (map_fronts in this process): {result['fronts']} fronts, "
          f"{len(result['failed'])} failed; terminus position against the manual fronts' on {len(differences)} "
          f"dates: mean {differences.mean():.1f} m, mean absolute {np.abs(differences).mean():.1f} m, "
          f"median absolute {np.median(np.abs(differences)):.1f} m")


if __name__ == "__main__":
    default_data = Path(__file__).resolve().parents[2] / "shared" / "data" / "frontlearning"
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else default_data)
