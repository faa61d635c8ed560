"""The ``classify`` command: a raster and a model package in, a class raster out."""
from __future__ import annotations

from ..choices import INFERENCE_RUNTIMES
from ..engine.cli import Command, Param
from ..geo.flow import AS_TRAINED, FLOWS
from ..segmentation.shipped_models import DEFAULT_SHIPPED_MODEL, SHIPPED_MODELS

COMMAND = Command(
    name="classify",
    help="Classify every pixel of a raster with a model package (blended overlapping tiles).",
    job_function="segmentation.inference:classify_job",
    params=(
        Param("input", "input raster (any GDAL format)", required=True, path="in"),
        Param("model", "model package folder (model.json + weights.safetensors), or a shipped model's name; "
                       "empty: SHIPPED_MODEL", path="in"),
        Param("shipped_model", "the shipped model used when MODEL is empty: optical_fronts (grey optical scenes, the "
                               "front as a line) or sar_zones (SAR amplitude scenes, zones and the front)", str,
              DEFAULT_SHIPPED_MODEL, choices=tuple(SHIPPED_MODELS)),
        Param("output", "output class raster (GeoTIFF, uint8, 0 = no data)", required=True, path="out",
              suffixes=(".tif", ".tiff")),
        Param("output_probabilities", "optional float32 GeoTIFF, one band per class", path="out",
              suffixes=(".tif", ".tiff")),
        Param("padding", "context on each tile side in model pixels, blended away with the neighbouring tile's "
              "(default: 32 for a model whose normalisation does not depend on the tiling, else a quarter of "
              "its tile)", int, minimum=0),
        Param("tile_size", "the largest tile side in model pixels (0: the device's, 640 on the CPU; a model "
              "normalised tile by tile always runs its training tile)", int, 0, minimum=0, maximum=8192),
        Param("batch_size", "training tiles' worth of pixels per forward pass (a batch of larger tiles holds "
              "fewer of them, at least one)", int, 4, minimum=1, maximum=4096),
        Param("cell_size", "cell size to classify at, in CRS units (0 = the model's)", float, 0.0, minimum=0),
        Param("pixel_size", "metres per pixel of a raster without CRS (a PNG): classified at the model's cell "
              "size (empty: as it is)", float, minimum=1e-6),
        Param("device", "auto, cpu or cuda", str, "auto", choices=("auto", "cpu", "cuda")),
        Param("runtime", "what runs the network: auto (onnxruntime on the CPU when it is installed, else torch), "
              "torch or onnxruntime (CPU; the network exported to ONNX once and cached)", str, "auto",
              choices=INFERENCE_RUNTIMES),
        Param("tta", "test-time augmentation: average over flips, and over quarter turns for a model trained "
              "with them (0/1; default: the setting model.json's classify records, else 0)", int, minimum=0,
              maximum=1),
        Param("flow", "the way the glacier flows in INPUT (down, right, up, left): tiles are turned so that it "
              "flows as in the model's training scenes (model.json's flow), and the result is turned back; "
              f"{AS_TRAINED}: no turning", str, AS_TRAINED, choices=FLOWS),
        Param("extent", "xmin ymin xmax ymax in the raster's CRS", float, multiple=True),
        Param("mask", "GeoJSON file of polygons in the raster's CRS: classify only inside", path="in"),
        Param("bands", "input band numbers (from 1) to classify, in the model's band order "
                       "(default: all bands)", int, multiple=True),
        Param("date", "acquisition date YYYY-MM-DD written into the outputs' tags (default: the date in INPUT's "
                      "name, if any)"),
    ),
)
