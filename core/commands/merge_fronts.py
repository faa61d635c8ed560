"""The ``merge_fronts`` command: the GeoPackages of a stack's shards in, one GeoPackage (and the terminus
series) out, the same as one run over the whole stack."""
from __future__ import annotations

from ..engine.cli import Command, Param
from . import map_fronts

COMMAND = Command(
    name="merge_fronts",
    help="Merge the outputs of map_fronts shards (SHARD K/N) into one GeoPackage of dated fronts, as one run "
         "over the whole stack writes it, with the terminus series along a box or centreline.",
    job_function="stacks.merge:merge_fronts_job",
    params=(
        Param("inputs", "the shards' GeoPackages (map_fronts outputs)", required=True, multiple=True, path="in",
              suffixes=(".gpkg",)),
        Param("output", "output GeoPackage: one feature per scene, in date order", required=True, path="out",
              suffixes=(".gpkg",)),
        *(map_fronts.COMMAND.param(name) for name in
          ("reference", "output_table", "output_plot", "output_html", "reference_fronts", "reverse", "pixel_size")),
    ),
)
