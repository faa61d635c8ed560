"""Classify Pixels (HRNet): a raster and a model package in, a class raster out.

Translates the Processing parameters into a job for the engine's ``classify`` command
(the contract is ``core/commands/classify.py``) and the engine's result back into outputs.
"""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBand,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.geo.flow import AS_TRAINED
from ..core.segmentation.shipped_models import DEFAULT_SHIPPED_MODEL
from ..glacier_provider import settings
from ..glacier_provider.engine import run_engine
from ..glacier_provider.layers import absolute, raster_parameter, temporary_folder
from .base import GlacierTerminusAlgorithm


class ClassifyPixels(GlacierTerminusAlgorithm):
    """Classify every pixel of a raster with a Glacier Terminus model package."""

    ALGORITHM_ID = "classifypixels"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("ClassifyPixels", "Classify Pixels (HRNet)")
    GROUP_NAME = QT_TRANSLATE_NOOP("ClassifyPixels", "Segmentation")
    GROUP_ID = "segmentation"
    ENGINE_COMMAND = "classify"
    TAGS = QT_TRANSLATE_NOOP(
        "ClassifyPixels",
        "glacier,calving front,terminus,segmentation,deep learning,hrnet,classify,classification,pixels"
    )

    INPUT = "INPUT"
    MODEL = "MODEL"
    SHIPPED_MODEL = "SHIPPED_MODEL"
    PADDING = "PADDING"
    TILE_SIZE = "TILE_SIZE"
    BATCH_SIZE = "BATCH_SIZE"
    CELL_SIZE = "CELL_SIZE"
    PIXEL_SIZE = "PIXEL_SIZE"
    DEVICE = "DEVICE"
    RUNTIME = "RUNTIME"
    TTA = "TTA"
    FLOW = "FLOW"
    EXTENT = "EXTENT"
    MASK = "MASK"
    BANDS = "BANDS"
    DATE = "DATE"
    OUTPUT = "OUTPUT"
    OUTPUT_PROBABILITIES = "OUTPUT_PROBABILITIES"

    DEVICES = settings.DEVICES  # DEVICE's values (static strings)

    def shortHelpString(self) -> str:  # noqa: N802 (QGIS's name)
        return self.tr(
            "Classifies every pixel of a satellite raster (for example a Landsat, Sentinel-2 or "
            "Sentinel-1 scene of a glacier front) with a trained segmentation network, and writes "
            "a class raster on the input's grid.\n"
            "The raster is cut into overlapping tiles, each tile goes through the network, and "
            "the overlaps are blended smoothly so no seams appear. A model normalised by a window "
            "around each pixel (or by fixed statistics) runs large tiles, up to 640 px on the CPU, "
            "chosen to cover the raster in as few as possible: the result does not depend on the "
            "tiling. A model normalised tile by tile runs its training tile. The network runs in the "
            "Glacier Terminus engine, a separate Python process (see the provider settings).\n"
            "Input raster (INPUT): a raster file GDAL can read (GeoTIFF, ...) with the bands the "
            "model was trained on, in the same order. NoData pixels stay NoData.\n"
            "Model package (MODEL): a folder holding model.json and weights.safetensors (made by "
            "Train Terminus Model). Left empty, the shipped model chosen in SHIPPED_MODEL is used.\n"
            "Shipped model (SHIPPED_MODEL), used when MODEL is empty: optical_fronts for grey optical "
            "scenes (Landsat, Sentinel-2: one band, e.g. the panchromatic or a red band): the calving "
            "front as a line; sar_zones for SAR amplitude scenes (Sentinel-1, TerraSAR-X, ERS, Envisat, "
            "RADARSAT, ALOS PALSAR: one band): no information, rock, glacier and ocean with the front "
            "over them. A model given imagery of the other kind says so.\n"
            "Padding (PADDING): context on each side of a tile, in model pixels, blended away with the "
            "neighbouring tile's. Leave empty for the default: 32 px for a model that runs large tiles, "
            "else a quarter of the model's tile size; larger values cost time.\n"
            "Largest tile (TILE_SIZE, advanced): the largest tile side in model pixels; 0 (the default) "
            "for the device's (640 px on the CPU, 2048 px on CUDA). Lower it if memory runs out.\n"
            "Batch size (BATCH_SIZE): how many of the model's training tiles' worth of pixels go to the "
            "network at once (large tiles: fewer of them, at least one). Lower it if memory runs out.\n"
            "Cell size (CELL_SIZE): the cell size to classify at, in the raster's CRS units. 0 uses the "
            "model's own cell size; windows are resampled on the fly and the output stays on the "
            "input's grid.\n"
            "Pixel size (PIXEL_SIZE, optional): metres per pixel of a raster without CRS (a PNG): it is then "
            "classified at the model's cell size, resampled on the fly. The output lies where QGIS draws "
            "such a raster (x = column, y = -row).\n"
            "Device (DEVICE): auto (CUDA GPU when available, else CPU), cpu or cuda. The default "
            "comes from the provider settings. On the command line: DEVICE=cpu.\n"
            "Runtime (RUNTIME, advanced): what runs the network: auto (the default: onnxruntime on the CPU "
            "when it is installed, torch on CUDA), torch or onnxruntime. onnxruntime runs the same network "
            "exported to ONNX (once per model, kept in ~/.cache/glacier-terminus); on the CPU it is faster "
            "than torch and slows down less when the machine is busy.\n"
            "Test-time augmentation (TTA): also classify flipped copies of each tile and average "
            "them (4 views; 8, with the transposed tile's flips too, for a model trained with quarter "
            "turns); slower, often cleaner. 0 off, 1 on, 2 (the default) the setting the model's "
            "validation was measured with (model.json's classify; off when it records none): off for "
            "the shipped optical model (its folds were as good without it, with its recorded MIN_LENGTH), "
            "on for the shipped SAR model (its folds' fronts were closer with it).\n"
            "Glacier flows towards (FLOW): as_trained, down, right, up or left of the raster. The "
            "shipped model learnt fronts from scenes in which the glacier flows up the image (ice "
            "below the front, ocean above). Say which way the glacier flows in your raster, and every "
            "tile is turned to match the model's scenes before it is classified and turned back after. "
            "as_trained (the default) turns nothing: for rasters that already lie as the model's "
            "scenes did, and for models that do not record which way their glaciers flowed.\n"
            "Extent (EXTENT): classify only this area (optional); the output then covers just this "
            "area, still on the input's pixel grid. An extent given without a CRS is taken in the "
            "raster's CRS.\n"
            "Mask (MASK): classify only inside these polygons (optional); the output covers their "
            "bounding box on the input's pixel grid, and pixels outside the polygons are NoData.\n"
            "Bands (BANDS, optional): the input bands to classify, in the order of the model's bands, "
            "when INPUT has other bands too (for example band 1 of a grey image stored as RGB). Empty "
            "uses all bands.\n"
            "Date (DATE, optional): the scene's acquisition date YYYY-MM-DD, written into the outputs (where "
            "Extract Calving Front finds it); empty to take the date in INPUT's file name.\n"
            "Classified raster (OUTPUT): a GeoTIFF (unsigned 8-bit) with 0 = NoData and the model's "
            "classes from 1, with a colour table so QGIS shows the classes at once.\n"
            "Class probabilities (OUTPUT_PROBABILITIES, optional): a float32 GeoTIFF with one band per class."
        )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        params = []

        p = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Input raster"))
        p.setHelp(self.tr("Raster file to classify, with the bands the model expects."))
        params.append(p)

        p = QgsProcessingParameterFile(
            self.MODEL,
            self.tr("Model package (folder with model.json; empty = the shipped model below)"),
            behavior=QgsProcessingParameterFile.Folder,
            optional=True,
        )
        p.setHelp(self.tr("Folder with model.json and weights.safetensors; empty for the shipped model."))
        params.append(p)

        p = self.choice_parameter(self.SHIPPED_MODEL, self.tr("Shipped model (when MODEL is empty)"))
        p.setHelp(self.tr("optical_fronts: grey optical scenes, the front as a line; sar_zones: SAR amplitude "
                          "scenes, zones and the front."))
        params.append(p)

        p = self.number_parameter(self.PADDING, self.tr("Padding (pixels; empty = the model's default)"),
                                  optional=True)
        p.setHelp(self.tr("Context on each tile side in model pixels; empty for the model's default."))
        params.append(p)

        p = self.number_parameter(self.TILE_SIZE, self.tr("Largest tile (pixels; 0 = the device's)"))
        p.setHelp(self.tr("The largest tile side in model pixels; a model normalised tile by tile runs its "
                          "training tile."))
        p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        params.append(p)

        p = self.number_parameter(self.BATCH_SIZE, self.tr("Batch size (training tiles per pass)"))
        p.setHelp(self.tr("Training tiles' worth of pixels per forward pass; lower it if memory runs out."))
        params.append(p)

        p = self.number_parameter(self.CELL_SIZE, self.tr("Cell size (CRS units; 0 = the model's)"))
        p.setHelp(self.tr("Cell size to classify at, in the raster's CRS units; 0 uses the model's."))
        params.append(p)

        p = self.number_parameter(self.PIXEL_SIZE, self.tr("Pixel size of a raster without CRS (m; empty = as it is)"),
                                  optional=True)
        p.setHelp(self.tr("Metres per pixel of a PNG: classified at the model's cell size."))
        params.append(p)

        p = QgsProcessingParameterEnum(
            self.DEVICE,
            self.tr("Device"),
            options=list(self.DEVICES),
            defaultValue=settings.default_device(),
            usesStaticStrings=True,
        )
        p.setHelp(self.tr("auto (CUDA when available, else CPU), cpu or cuda."))
        params.append(p)

        p = self.choice_parameter(self.RUNTIME, self.tr("Runtime"))
        p.setHelp(self.tr("auto (onnxruntime on the CPU when installed, else torch), torch or onnxruntime."))
        p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        params.append(p)

        params.append(self.tta_parameter(self.TTA))

        p = self.choice_parameter(self.FLOW, self.tr("Glacier flows towards"))
        p.setHelp(self.tr("Which way the glacier flows in the raster: tiles are turned so that it flows as in "
                          "the model's training scenes."))
        params.append(p)

        p = QgsProcessingParameterExtent(self.EXTENT, self.tr("Extent to classify"), optional=True)
        p.setHelp(self.tr("Classify only this area; the output covers just this area."))
        params.append(p)

        p = QgsProcessingParameterFeatureSource(
            self.MASK,
            self.tr("Mask polygons (classify only inside)"),
            types=[QgsProcessing.TypeVectorPolygon],
            optional=True,
        )
        p.setHelp(self.tr("Classify only inside these polygons; outside them is NoData."))
        params.append(p)

        p = QgsProcessingParameterBand(
            self.BANDS, self.tr("Bands (in the model's order; empty = all)"), parentLayerParameterName=self.INPUT,
            optional=True, allowMultiple=True,
        )
        p.setHelp(self.tr("Input bands to classify, in the order of the model's bands; empty for all bands."))
        params.append(p)

        p = QgsProcessingParameterString(self.DATE,
                                         self.tr("Acquisition date (YYYY-MM-DD; empty = from the file name)"),
                                         optional=True)
        p.setHelp(self.tr("Written into the outputs, where Extract Calving Front reads it."))
        params.append(p)

        p = QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Classified raster"))
        p.setHelp(self.tr("GeoTIFF, uint8: 0 = NoData, classes from 1, with a colour table."))
        params.append(p)

        p = QgsProcessingParameterRasterDestination(
            self.OUTPUT_PROBABILITIES,
            self.tr("Class probabilities"),
            optional=True,
            createByDefault=False,
        )
        p.setHelp(self.tr("Optional float32 GeoTIFF with one band per class."))
        params.append(p)

        for p in params:
            self.addParameter(p)

    # -- parameters -> job ---------------------------------------------------------------

    def _extent(self, parameters, context, layer):
        if parameters.get(self.EXTENT) in (None, ""):
            return None
        rect = self.parameterAsExtent(parameters, self.EXTENT, context, layer.crs())
        if rect is None or rect.isNull() or rect.isEmpty():
            return None
        if not rect.intersects(layer.extent()):
            raise QgsProcessingException(self.tr("EXTENT does not overlap the INPUT raster."))
        return [rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum()]

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS's name)
        layer, input_path = raster_parameter(self, parameters, self.INPUT, context)
        shipped = self.parameterAsEnumString(parameters, self.SHIPPED_MODEL, context) or DEFAULT_SHIPPED_MODEL
        model = self.model_folder(parameters, self.MODEL, context, shipped)
        output = absolute(self.parameterAsOutputLayer(parameters, self.OUTPUT, context))
        probabilities = absolute(self.parameterAsOutputLayer(parameters, self.OUTPUT_PROBABILITIES, context))
        device = self.parameterAsEnumString(parameters, self.DEVICE, context) or settings.default_device()
        extent = self._extent(parameters, context, layer)

        with temporary_folder("mask") as folder:
            job = {
                "input": input_path,
                "model": model,
                "shipped_model": shipped,
                "output": output,
                "output_probabilities": probabilities,
                "padding": self._optional_number(parameters, self.PADDING, context, integer=True),
                "tile_size": self.parameterAsInt(parameters, self.TILE_SIZE, context),
                "batch_size": self.parameterAsInt(parameters, self.BATCH_SIZE, context),
                "cell_size": self.parameterAsDouble(parameters, self.CELL_SIZE, context),
                "pixel_size": self._optional_number(parameters, self.PIXEL_SIZE, context),
                "device": device,
                "runtime": self.parameterAsEnumString(parameters, self.RUNTIME, context) or "auto",
                "tta": self.tta_value(parameters, self.TTA, context),
                "flow": self.parameterAsEnumString(parameters, self.FLOW, context) or AS_TRAINED,
                "extent": extent,
                "mask": self._vector_file(parameters, self.MASK, context, layer.crs(), folder, feedback=feedback),
                "bands": self.parameterAsInts(parameters, self.BANDS, context) or None,
                "date": self.parameterAsString(parameters, self.DATE, context).strip() or None,
            }
            result = run_engine(self.ENGINE_COMMAND, job, feedback)

        if result.get("device"):
            feedback.pushInfo(self.tr("Classified on {0}.").format(result["device"]))
        return {
            self.OUTPUT: result.get("output") or output,
            self.OUTPUT_PROBABILITIES: result.get("output_probabilities") or None,
        }
