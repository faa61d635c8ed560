"""The ``map_fronts`` command: a stack of dated scenes in, one GeoPackage of dated fronts (and the
terminus series) out; the classify and extract settings are those commands' own declarations."""
from __future__ import annotations

from ..engine.cli import Command, Param
from ..stacks.settings import CLASSIFY_KEYS, EXTRACT_KEYS
from . import classify, extract_front, terminus_change

COMMAND = Command(
    name="map_fronts",
    help="Map the calving front of every scene of a stack: classify, extract, one GeoPackage of dated fronts "
         "(resumable; in shards for job arrays), and the terminus series along a box or centreline.",
    job_function="stacks.map_fronts:map_fronts_job",
    params=(
        Param("inputs", "the scenes: raster files, folders (every raster in them) or glob patterns", required=True,
              multiple=True, path="in"),
        *(classify.COMMAND.param(name) for name in CLASSIFY_KEYS),
        *(extract_front.COMMAND.param(name) for name in EXTRACT_KEYS),
        Param("output", "output GeoPackage: one feature per scene (source, date, status, method, length, mean "
              "probability); finished scenes are recorded beside it in <name>.scenes/, and a rerun into the "
              "same OUTPUT resumes", required=True, path="out", suffixes=(".gpkg",)),
        Param("rasters", "optional folder that keeps each scene's class and probability rasters "
              "(<scene>_classes.tif, <scene>_probabilities.tif)", path="out"),
        Param("shard", "K/N: map only share K of N of the stack (every N-th scene in date order, from the K-th); "
              "merge the shares' outputs with merge_fronts"),
        Param("reference", "optional box polygon or centreline (GeoPackage or GeoJSON): the terminus series",
              path="in"),
        Param("output_table", "with REFERENCE: CSV of terminus positions", path="out", suffixes=(".csv",)),
        Param("output_plot", "with REFERENCE: PNG plot of the terminus position", path="out", suffixes=(".png",)),
        Param("output_html", "with REFERENCE: HTML page with the plot, the map of the fronts and the table",
              path="out", suffixes=(".html", ".htm")),
        terminus_change.COMMAND.param("reference_fronts"),
        terminus_change.COMMAND.param("reverse"),
    ),
)
