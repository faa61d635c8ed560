"""The README's CSC Refine figure: a synthetic 7-class scene, its 50 px tile-majority coarse map
and the map CSC Refine (patch 3) makes of it, as the report draws them.

    .venv/bin/python demo/csc_figure.py demo/csc_synthetic.png
"""
from __future__ import annotations

import base64
import re
import sys
import tempfile
from pathlib import Path

import rasterio

from glacier_terminus.core.csc.refine import refine_job
from glacier_terminus.core.engine.protocol import SilentReporter
from glacier_terminus.core.synthetic.scenes import SceneSpec, tile_majority
from glacier_terminus.core.synthetic.writer import write_scene


def main(output: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_scene(SceneSpec(width=800, height=800, seed=1), str(tmp / "image.tif"),
                    surface_path=str(tmp / "truth.tif"))
        with rasterio.open(tmp / "truth.tif") as ds:
            truth, profile = ds.read(1), ds.profile
        with rasterio.open(tmp / "coarse.tif", "w", **profile) as dst:
            dst.write(tile_majority(truth, 50), 1)
        refine_job({"input": str(tmp / "image.tif"), "coarse": str(tmp / "coarse.tif"),
                    "validation": str(tmp / "truth.tif"), "output": str(tmp / "refined.tif"), "patch_size": 3,
                    "samples_per_class": 5000, "epochs": 30, "patience": 5, "modal_filter": 0, "device": "auto",
                    "seed": 0, "report": str(tmp / "report.html")}, SilentReporter())
        page = (tmp / "report.html").read_text(encoding="utf-8")
        figure = re.search(r'alt="image, validation, coarse and refined maps" src="data:image/png;base64,([^"]+)"',
                           page)
        Path(output).write_bytes(base64.b64decode(figure.group(1)))
    print(f"wrote {output}")


if __name__ == "__main__":
    main(sys.argv[1])
