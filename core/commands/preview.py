"""The ``preview`` command: a PNG of an image with front lines drawn on it, beside its class raster."""
from __future__ import annotations

from ..engine.cli import Command, Param

COMMAND = Command(
    name="preview",
    help="Write a PNG of a raster (2-98 % stretch) with front lines drawn on it, beside its class raster.",
    job_function="reports.preview:preview_job",
    params=(
        Param("input", "image raster", required=True, path="in"),
        Param("classes", "optional class raster with a colour table", path="in"),
        Param("fronts", "optional front lines (GeoPackage or GeoJSON, the raster's CRS), drawn in red", path="in"),
        Param("reference", "optional reference front lines, drawn in cyan", path="in"),
        Param("output", "PNG file to write", required=True, path="out", suffixes=(".png",)),
    ),
)
