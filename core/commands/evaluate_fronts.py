"""The ``evaluate_fronts`` command: predicted vs reference front lines -> distance errors."""
from __future__ import annotations

from ..choices import FRONT_MATCHES
from ..engine.cli import Command, Param
from .extract_front import PIXEL_SIZE

COMMAND = Command(
    name="evaluate_fronts",
    help="Distance errors between predicted and reference front lines (CaFFe's mean distance error).",
    job_function="fronts.evaluate:evaluate_fronts_job",
    params=(
        Param("predicted", "predicted front lines (GeoPackage or GeoJSON)", required=True, path="in"),
        Param("reference", "reference (manual) front lines (GeoPackage or GeoJSON)", required=True, path="in"),
        Param("output", "output CSV: one row per image", required=True, path="out", suffixes=(".csv",)),
        Param("output_html", "optional HTML report: summary, error histogram, worst fronts", path="out",
              suffixes=(".html", ".htm")),
        Param("raster", "optional raster: measure on its pixel grid (and show it under the worst fronts)", path="in"),
        Param("cell_size", "without RASTER: grid cell size in the fronts' CRS units (pixel units: 1)", float, 0.0,
              minimum=0),
        PIXEL_SIZE,
        Param("match", "how fronts are paired: auto, date, source, order (one to one) or all (one image)",
              str, "auto", choices=FRONT_MATCHES),
        Param("match_field", "field to pair by (default: date, or source)"),
    ),
)
