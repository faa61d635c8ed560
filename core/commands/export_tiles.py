"""The ``export_tiles`` command: a raster and its labels in, training tiles out."""
from __future__ import annotations

from ..engine.cli import Command, Param

COMMAND = Command(
    name="export_tiles",
    help="Cut a raster and its labels (class raster, polygons or front lines) into training tiles.",
    job_function="data.tile_export:export_tiles_job",
    params=(
        Param("input", "input raster (any GDAL format)", required=True, path="in"),
        Param("labels", "class raster, or GeoJSON of polygons (with CLASS_FIELD) or front lines, "
                        "in INPUT's CRS", required=True, path="in"),
        Param("output", "tile dataset folder (new, empty, or an existing dataset to add to)", required=True,
              path="out"),
        Param("class_field", "field holding each polygon's class (polygon labels)"),
        Param("line_width", "width in tile pixels of rasterised front lines (line labels)", float, 3.0, minimum=1),
        Param("tile_size", "tile side in pixels (a multiple of 32)", int, 256, minimum=32, maximum=8192),
        Param("stride", "pixels from one tile to the next (0 = half the tile size)", int, 0, minimum=0),
        Param("cell_size", "cell size of the tiles in metres (0 = INPUT's own)", float, 0.0, minimum=0),
        Param("min_labeled", "fraction of a tile's pixels that must be labelled to keep it", float, 0.05, minimum=0,
              maximum=1),
        Param("source", "name of the source image in the dataset (default: INPUT's file name)"),
        Param("labels_source", "where LABELS came from, recorded in dataset.json (default: LABELS)"),
        Param("group", "validation group, e.g. the glacier (default: Landsat path/row or the source name)"),
    ),
)
