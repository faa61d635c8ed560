"""The ``terminus_change`` command: dated fronts + a box or centreline -> a position time series."""
from __future__ import annotations

from ..choices import TERMINUS_METHODS
from ..engine.cli import Command, Param
from .extract_front import PIXEL_SIZE

COMMAND = Command(
    name="terminus_change",
    help="Terminus position through time from dated fronts and a box (box method) or a centreline.",
    job_function="fronts.terminus_change:terminus_change_job",
    params=(
        Param("fronts", "front lines with a date field (GeoPackage or GeoJSON)", required=True, path="in"),
        Param("reference", "one box polygon drawn along the fjord, or one centreline (GeoPackage or GeoJSON)",
              required=True, path="in"),
        Param("output", "output CSV: date, position, change, rate per year", required=True, path="out",
              suffixes=(".csv",)),
        Param("output_plot", "optional PNG plot of the position through time", path="out", suffixes=(".png",)),
        Param("output_html", "optional HTML page with the plot and the table", path="out", suffixes=(".html", ".htm")),
        Param("date_field", "FRONTS field holding the acquisition date", str, "date"),
        Param("method", "auto (from REFERENCE's geometry), box or centreline", str, "auto", choices=TERMINUS_METHODS),
        Param("reference_fronts", "optional reference (manual) fronts with dates: their positions beside the "
              "fronts' in the table, the plot and the report", path="in"),
        PIXEL_SIZE,
        Param("reverse", "1: the upstream end is the box end far from its first vertex / the centreline's last "
              "vertex", int, 0, minimum=0, maximum=1),
    ),
)
