"""The ``extract_front`` command: a class or probability raster in, calving-front lines out."""
from __future__ import annotations

from ..choices import EXTRACT_METHODS, KEEP
from ..engine.cli import Command, Param

#: Metres per pixel of rasters (and fronts) without CRS; shared by every command that measures lengths.
PIXEL_SIZE = Param("pixel_size", "metres per pixel of a raster without CRS (a PNG), for lengths, errors and "
                   "positions in metres (empty: pixel units; ignored with a CRS)", float, minimum=1e-6)

COMMAND = Command(
    name="extract_front",
    help="Extract calving-front lines from a class or probability raster (GeoPackage in the raster's CRS).",
    job_function="fronts.extract:extract_front_job",
    params=(
        Param("input", "class raster (integer, band 1) or probability raster (float: one band per class, or "
              "one band holding the front's probability)", required=True, path="in"),
        Param("output", "output GeoPackage (.gpkg) of front lines", required=True, path="out", suffixes=(".gpkg",)),
        Param("method", "auto (between walls when WALLS are given, else the route the model recorded, else "
              "front class when there is one, else zone boundary), or one of "
              f"{', '.join(EXTRACT_METHODS[1:])}", str, "auto",
              choices=EXTRACT_METHODS),
        Param("probabilities", "optional probability raster on INPUT's grid: mean probability along each line",
              path="in"),
        Param("model", "optional model package: which classes are ocean, glacier and front", path="in"),
        Param("ocean_classes", "class values that are ocean (default: from the model or the raster's class names)",
              int, multiple=True),
        Param("glacier_classes", "class values that are glacier (default: from the model or class names)",
              int, multiple=True),
        Param("front_class", "class value of the front (default: from the model or class names)", int, minimum=0,
              maximum=255),
        Param("threshold", "probability from which a pixel is front (probability input)", float, 0.5, minimum=0.01,
              maximum=1),
        Param("grow_threshold", "front class: grow the front through connected pixels whose front probability "
              "is at least this (hysteresis; empty = no growing)", float, minimum=0.01, maximum=1),
        Param("keep", "all front pieces, or main: the longest line and the pieces within JOIN_DISTANCE of it "
              "(default: the model's recorded route, else all)", str, None, choices=KEEP),
        Param("min_length", "drop pieces shorter than this, metres (pixels without CRS; default 10 cells)", float,
              minimum=0),
        Param("smoothing", "Gaussian smoothing along the line, sigma in pixels (0 = none)", float, 1.0, minimum=0),
        Param("simplify", "Douglas-Peucker tolerance, metres (pixels without CRS; default half a cell; 0 = none)",
              float, minimum=0),
        Param("join_distance", "front class: join pieces that line up across gaps up to this; supported "
              "boundary: keep the zone boundary this near the front class; metres (default 10 cells)", float,
              minimum=0),
        Param("iterations", "active contour: iterations", int, 50, minimum=1, maximum=100000),
        Param("buffer", "active contour: keep the boundary within this many pixels of the ocean", float, 3.0,
              minimum=0),
        Param("mask", "optional polygons (GeoJSON or GeoPackage): fronts only inside; reprojected from the "
              "CRS the file carries (GeoPackage, or a GeoJSON 'crs' member), else taken to be in INPUT's CRS",
              path="in"),
        Param("walls", "between walls: a line layer (GeoJSON or GeoPackage) holding two lines, one along each side "
              "of the fjord; reprojected like MASK", path="in"),
        Param("min_mean_prob", "drop lines whose mean front probability along them is below this (needs "
              "probabilities; empty = keep all)", float, minimum=0, maximum=1),
        PIXEL_SIZE,
        Param("source", "value of the source attribute (default: INPUT's file name)"),
        Param("date", "acquisition date YYYY-MM-DD (default: parsed from the file name)"),
    ),
)
