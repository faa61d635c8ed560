"""The ``csc_refine`` command: CNN-Supervised Classification of one image from a coarse map."""
from __future__ import annotations

from ..engine.cli import Command, Param

COMMAND = Command(
    name="csc_refine",
    help="CNN-Supervised Classification: train an image's own patch model on a coarse class map and "
         "classify every pixel of the image with it.",
    job_function="csc.refine:refine_job",
    params=(
        Param("input", "input raster (any GDAL format)", required=True, path="in"),
        Param("coarse", "coarse class raster (0 = unknown), or a GeoJSON of polygons with CLASS_FIELD",
              required=True, path="in"),
        Param("class_field", "field of COARSE's (and VALIDATION's) polygons holding their class"),
        Param("output", "refined class raster (GeoTIFF, uint8, 0 = no data)", required=True, path="out",
              suffixes=(".tif", ".tiff")),
        Param("patch_size", "window side in pixels, odd: 1 = MLP on the pixel's bands, 3, 5, 7, 15 = CNN", int, 1,
              minimum=1, maximum=31),
        Param("samples_per_class", "training pixels sampled per class", int, 5000, minimum=10),
        Param("epochs", "training epochs at most", int, 30, minimum=1, maximum=10000),
        Param("patience", "stop after this many epochs without a better held-out loss (0 = never)", int, 5, minimum=0),
        Param("modal_filter", "radius in pixels of the majority filter on the result (0 = off)", int, 0, minimum=0,
              maximum=50),
        Param("device", "auto, cpu or cuda", str, "auto", choices=("auto", "cpu", "cuda")),
        Param("validation", "optional truth: class raster, or GeoJSON polygons with VALIDATION_FIELD", path="in"),
        Param("validation_field", "field of VALIDATION's polygons (default: CLASS_FIELD)"),
        Param("output_metrics", "optional CSV of precision, recall, F1 and support per class", path="out",
              suffixes=(".csv",)),
        Param("report", "optional HTML report with the four-panel figure", path="out", suffixes=(".html", ".htm")),
        Param("seed", "random seed of sampling and training", int, 0, minimum=0),
    ),
)
