"""The ``export_png_tiles`` command: plain PNG images with front drawings in, training tiles out."""
from __future__ import annotations

from ..engine.cli import Command, Param

COMMAND = Command(
    name="export_png_tiles",
    help="Turn PNG image / front-line label pairs (e.g. FrontLearning) into a tile dataset in pixel units.",
    job_function="data.png_dataset:export_png_job",
    params=(
        Param("images", "folder of images named <scene><image_suffix>.png", required=True, path="in"),
        Param("labels", "folder of labels named <scene><label_suffix>.png: the front dark on white", required=True,
              path="in"),
        Param("output", "tile dataset folder (new, empty, or an existing dataset to add to)", required=True,
              path="out"),
        Param("image_suffix", "end of the image names before .png", str, "_Subset"),
        Param("label_suffix", "end of the label names before .png", str, "_Front"),
        Param("tile_size", "tile side in pixels (a multiple of 32)", int, 256, minimum=32, maximum=8192),
        Param("stride", "pixels from one tile to the next (0 = half the tile size)", int, 0, minimum=0),
        Param("min_labeled", "fraction of a tile's pixels that must be labelled to keep it", float, 0.05, minimum=0,
              maximum=1),
        Param("threshold", "label pixels darker than this are front", int, 128, minimum=0, maximum=255),
        Param("line_width", "front width in pixels: the drawing thinned to its centre line and grown to this "
                            "(0 = the front as drawn)", float, 0.0, minimum=0),
        Param("cell_size", "nominal metres per PNG pixel, recorded for models trained on the tiles so that "
                           "georeferenced rasters are resampled to it (0 = pixel units)", float, 0.0, minimum=0),
        Param("groups", "JSON file {group: [Landsat path/row or name part, ...]} (default: the FrontLearning "
                        "glaciers by path/row)"),
    ),
)
