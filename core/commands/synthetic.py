"""The ``synthetic`` command: a synthetic fjord scene with its known front and class truth."""
from __future__ import annotations

from ..choices import SYNTHETIC_KINDS
from ..engine.cli import Command, Param

COMMAND = Command(
    name="synthetic",
    help="Write a synthetic georeferenced glacier fjord scene with its known front and class truth.",
    job_function="synthetic.writer:synthetic_job",
    params=(
        Param("output", "output image GeoTIFF (optical: uint16 x 4, SAR: float32 x 1)", required=True, path="out",
              suffixes=(".tif", ".tiff")),
        Param("width", "width in pixels (at least 32)", int, 1024, minimum=16, maximum=100000),
        Param("height", "height in pixels (at least 32)", int, 1024, minimum=16, maximum=100000),
        Param("seed", "random seed (the same seed gives the same scene)", int, 0, minimum=0),
        Param("kind", "optical or sar", str, "optical", choices=SYNTHETIC_KINDS),
        Param("cell_size", "cell size in CRS units", float, 30.0, minimum=0),
        Param("crs", "CRS of the raster; none for pixel units without georeferencing", str, "EPSG:3413"),
        Param("front_fraction", "mean front position as a fraction of the height (0.2 to 0.8)", float, 0.45, minimum=0,
              maximum=1),
        Param("looks", "number of looks of the SAR speckle", int, 4, minimum=1, maximum=1000),
        Param("surface", "optional 7-class truth raster (SEE_ICE classes)", path="out", suffixes=(".tif", ".tiff")),
        Param("zones", "optional 3-class zone raster (1 ocean, 2 glacier, 3 rock)", path="out",
              suffixes=(".tif", ".tiff")),
        Param("front", "optional GeoJSON of the true front", path="out"),
    ),
)
