"""The ``export_caffe_tiles`` command: a CaFFe-layout folder of SAR scenes in, training tiles out."""
from __future__ import annotations

from ..choices import CAFFE_LABELS
from ..engine.cli import Command, Param

COMMAND = Command(
    name="export_caffe_tiles",
    help="Turn a CaFFe-layout folder (images/, zones/, fronts/ as PNG) into a tile dataset in pixel units, "
         "grouped by glacier.",
    job_function="data.caffe_dataset:export_caffe_job",
    params=(
        Param("input", "folder with images/<name>.png, zones/<name>_zones.png and fronts/<name>_front.png",
              required=True, path="in"),
        Param("output", "tile dataset folder (new, empty, or an existing dataset to add to)", required=True,
              path="out"),
        Param("labels", "what the tiles hold: the zones with the front over them, the zones, or the front",
              str, CAFFE_LABELS[0], choices=CAFFE_LABELS),
        Param("front_width", "front width in pixels: the drawing thinned to its centre line and grown to this "
                             "(0 = the front as drawn)", float, 0.0, minimum=0),
        Param("glaciers", "only these glaciers (the first part of the names, e.g. JAC); empty: all",
              multiple=True),
        Param("tile_size", "tile side in pixels (a multiple of 32)", int, 256, minimum=32, maximum=8192),
        Param("stride", "pixels from one tile to the next (0 = half the tile size)", int, 0, minimum=0),
        Param("min_labeled", "fraction of a tile's pixels that must be labelled to keep it", float, 0.05, minimum=0,
              maximum=1),
    ),
)
