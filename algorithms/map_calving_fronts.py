"""Map Calving Fronts: a stack of dated scenes in, one GeoPackage of dated fronts (and the terminus series) out.

Translates the Processing parameters into a job for the engine's ``map_fronts`` command (the contract
is ``core/stacks/map_fronts.py``) and the engine's result back.
"""
from __future__ import annotations

import os

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
    QgsRasterLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.segmentation.shipped_models import DEFAULT_SHIPPED_MODEL
from ..glacier_provider.engine import run_engine
from ..glacier_provider.gdal_messages import reading_user_layers
from ..glacier_provider.layers import absolute, temporary_folder, write_geojson
from ..glacier_provider.styles import FrontLineStyle
from .base import GlacierTerminusAlgorithm
from .extract_calving_front import class_list


class MapCalvingFronts(GlacierTerminusAlgorithm):
    """Classify every scene of a stack, extract its front, and measure the terminus through time."""

    ALGORITHM_ID = "mapcalvingfronts"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("MapCalvingFronts", "Map Calving Fronts")
    GROUP_NAME = QT_TRANSLATE_NOOP("MapCalvingFronts", "Calving fronts")
    GROUP_ID = "calvingfronts"
    ENGINE_COMMAND = "map_fronts"
    TAGS = QT_TRANSLATE_NOOP(
        "MapCalvingFronts", "glacier,calving front,terminus,stack,time series,batch,retreat,landsat,sentinel"
    )

    INPUTS = "INPUTS"
    MODEL = "MODEL"
    SHIPPED_MODEL = "SHIPPED_MODEL"
    BANDS = "BANDS"
    TTA = "TTA"
    FLOW = "FLOW"
    METHOD = "METHOD"
    KEEP = "KEEP"
    GROW_THRESHOLD = "GROW_THRESHOLD"
    MIN_LENGTH = "MIN_LENGTH"
    MIN_MEAN_PROB = "MIN_MEAN_PROB"
    MASK = "MASK"
    WALLS = "WALLS"
    PIXEL_SIZE = "PIXEL_SIZE"
    REFERENCE = "REFERENCE"
    REFERENCE_FRONTS = "REFERENCE_FRONTS"
    REVERSE = "REVERSE"
    PADDING = "PADDING"
    TILE_SIZE = "TILE_SIZE"
    BATCH_SIZE = "BATCH_SIZE"
    DEVICE = "DEVICE"
    OUTPUT = "OUTPUT"
    RASTERS = "RASTERS"
    OUTPUT_TABLE = "OUTPUT_TABLE"
    OUTPUT_PLOT = "OUTPUT_PLOT"
    OUTPUT_HTML = "OUTPUT_HTML"
    SCENES = "SCENES"
    FRONTS = "FRONTS"
    FAILED = "FAILED"

    def shortHelpString(self) -> str:  # noqa: N802 (QGIS's name)
        return self.tr(
            "Maps the calving front in every scene of a stack and, with a box or centreline, the terminus "
            "position through time: Classify Pixels and Extract Calving Front on each scene, in one run.\n"
            "Scenes (INPUTS): the rasters of the stack, one per date. The date of each comes from its file "
            "name (Landsat, Sentinel, CaFFe names, or any YYYY-MM-DD / YYYYMMDD in it).\n"
            "Model (MODEL, SHIPPED_MODEL), bands (BANDS, e.g. 1 for a grey image stored as RGB), "
            "test-time augmentation (TTA), glacier flow (FLOW): as in Classify Pixels. Method (METHOD), keep "
            "(KEEP), grow threshold, minimum length and minimum mean probability, mask and fjord walls: as in "
            "Extract Calving Front. Left empty, each takes the setting the model's validation chose "
            "(model.json), so the defaults are the measured recipe.\n"
            "Pixel size (PIXEL_SIZE): metres per pixel of scenes without CRS (PNG), so that lengths and "
            "terminus positions are in metres. Such scenes lie where QGIS draws them (x = column, y = -row).\n"
            "Box or centreline (REFERENCE, optional): the terminus series as in Terminus Change, written to "
            "OUTPUT_TABLE (CSV), OUTPUT_PLOT (PNG) and OUTPUT_HTML (the plot, a map of the fronts coloured by "
            "date and the table). Reference fronts (REFERENCE_FRONTS, optional): dated manual fronts, whose "
            "terminus positions go beside the mapped ones.\n"
            "Calving fronts (OUTPUT): a GeoPackage with one feature per scene: source, date, status (front, "
            "no front or failed), method, length, mean probability and a message for scenes without a front. "
            "A scene that fails is reported and left out, not the end of the run. Finished scenes are "
            "recorded beside OUTPUT in <name>.scenes/: run again into the same OUTPUT (after a cancel, a "
            "crash, or with new scenes added) and only the scenes not yet mapped are done.\n"
            "Class rasters (RASTERS, optional): a folder that keeps each scene's class and probability "
            "rasters.\n"
            "For archives beyond one machine, the engine command map_fronts takes --shard K/N (one share of "
            "the stack per job of a job array) and merge_fronts joins the shares' outputs; see the user guide.\n"
            "Numeric outputs: SCENES (scenes in the run), FRONTS (scenes with a front) and FAILED (scenes "
            "that failed)."
        )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        advanced = []
        p = QgsProcessingParameterMultipleLayers(self.INPUTS, self.tr("Scenes"), QgsProcessing.TypeRaster)
        p.setHelp(self.tr("The rasters of the stack, one per date."))
        self.addParameter(p)

        p = QgsProcessingParameterFile(
            self.MODEL, self.tr("Model package (folder with model.json; empty = the shipped model below)"),
            behavior=QgsProcessingParameterFile.Folder, optional=True)
        p.setHelp(self.tr("Folder with model.json and weights.safetensors; empty for the shipped model."))
        self.addParameter(p)

        p = self.choice_parameter(self.SHIPPED_MODEL, self.tr("Shipped model (when MODEL is empty)"))
        p.setHelp(self.tr("optical_fronts: grey optical scenes, the front as a line; sar_zones: SAR amplitude "
                          "scenes, zones and the front."))
        self.addParameter(p)

        p = QgsProcessingParameterString(self.BANDS, self.tr("Bands (e.g. 1; empty = all)"), optional=True)
        p.setHelp(self.tr("Band numbers of each scene to classify, in the model's band order."))
        self.addParameter(p)

        self.addParameter(self.tta_parameter(self.TTA))

        p = self.choice_parameter(self.FLOW, self.tr("Glacier flows towards"))
        p.setHelp(self.tr("Which way the glacier flows in the scenes: tiles are turned so that it flows as in "
                          "the model's training scenes."))
        self.addParameter(p)

        p = self.choice_parameter(self.METHOD, self.tr("Method"))
        p.setHelp(self.tr("auto, front_class, zone_boundary, active_contour, between_walls, between_rock or "
                           "supported_boundary."))
        self.addParameter(p)

        p = self.number_parameter(self.PIXEL_SIZE, self.tr("Pixel size of scenes without CRS (m; empty = pixels)"),
                                  optional=True)
        p.setHelp(self.tr("Metres per pixel of PNG scenes: lengths and positions in metres."))
        self.addParameter(p)

        p = QgsProcessingParameterFeatureSource(
            self.MASK, self.tr("Mask polygons (fronts only inside)"), types=[QgsProcessing.TypeVectorPolygon],
            optional=True)
        p.setHelp(self.tr("Fronts only inside these polygons; another CRS is reprojected."))
        self.addParameter(p)

        p = QgsProcessingParameterFeatureSource(
            self.WALLS, self.tr("Fjord walls (two lines, for between_walls)"), types=[QgsProcessing.TypeVectorLine],
            optional=True)
        p.setHelp(self.tr("One line along each side of the fjord; another CRS is reprojected."))
        self.addParameter(p)

        p = QgsProcessingParameterFeatureSource(
            self.REFERENCE, self.tr("Box polygon or centreline (terminus series)"),
            types=[QgsProcessing.TypeVectorPolygon, QgsProcessing.TypeVectorLine], optional=True)
        p.setHelp(self.tr("One box polygon along the fjord (box method) or one centreline."))
        self.addParameter(p)

        p = QgsProcessingParameterFeatureSource(self.REFERENCE_FRONTS, self.tr("Reference (manual) fronts"),
                                                types=[QgsProcessing.TypeVectorLine], optional=True)
        p.setHelp(self.tr("Dated manual fronts: their terminus positions beside the mapped ones."))
        self.addParameter(p)

        p = QgsProcessingParameterBoolean(self.REVERSE, self.tr("Reverse direction (upstream is the other end)"),
                                          defaultValue=False)
        p.setHelp(self.tr("Use the box end far from the first vertex, or the centreline's last vertex, as upstream."))
        advanced.append(p)

        p = self.choice_parameter(self.KEEP, self.tr("Keep (empty = the model's route, else all)"))
        p.setHelp(self.tr("all pieces, or main: the longest line and the pieces within JOIN_DISTANCE of it."))
        advanced.append(p)

        for name, label, text in (
            (self.GROW_THRESHOLD, self.tr("Grow threshold (empty = the model's route)"),
             self.tr("front_class: grow the front through connected pixels with at least this probability.")),
            (self.MIN_LENGTH, self.tr("Minimum length (m; empty = the model's route, else 10 cells)"),
             self.tr("Drop pieces shorter than this.")),
            (self.MIN_MEAN_PROB, self.tr("Minimum mean front probability (empty = the model's route)"),
             self.tr("Drop lines whose mean front probability is below this.")),
            (self.PADDING, self.tr("Padding (pixels; empty = the model's default)"),
             self.tr("Context on each tile side in model pixels; empty for the model's default.")),
        ):
            p = self.number_parameter(name, label, optional=True)
            p.setHelp(text)
            advanced.append(p)

        p = self.number_parameter(self.TILE_SIZE, self.tr("Largest tile (pixels; 0 = the device's)"))
        p.setHelp(self.tr("The largest tile side in model pixels; a model normalised tile by tile runs its "
                          "training tile."))
        advanced.append(p)

        p = self.number_parameter(self.BATCH_SIZE, self.tr("Batch size (training tiles per pass)"))
        p.setHelp(self.tr("Training tiles' worth of pixels per forward pass; lower it if memory runs out."))
        advanced.append(p)

        p = self.choice_parameter(self.DEVICE, self.tr("Device"))
        p.setHelp(self.tr("auto (CUDA when available, else CPU), cpu or cuda."))
        advanced.append(p)

        for p in advanced:
            p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(p)

        p = QgsProcessingParameterVectorDestination(self.OUTPUT, self.tr("Calving fronts"),
                                                    type=QgsProcessing.TypeVectorLine)
        p.setHelp(self.tr("GeoPackage: one feature per scene, in date order."))
        self.addParameter(p)

        p = QgsProcessingParameterFolderDestination(self.RASTERS, self.tr("Class rasters (folder)"), optional=True,
                                                    createByDefault=False)
        p.setHelp(self.tr("Keeps each scene's class and probability rasters."))
        self.addParameter(p)

        for name, label, files, by_default in (
            (self.OUTPUT_TABLE, self.tr("Terminus positions"), self.tr("CSV files (*.csv)"), True),
            (self.OUTPUT_PLOT, self.tr("Terminus plot"), self.tr("PNG files (*.png)"), False),
            (self.OUTPUT_HTML, self.tr("Terminus report"), self.tr("HTML files (*.html)"), True),
        ):
            p = QgsProcessingParameterFileDestination(name, label, files, optional=True, createByDefault=by_default)
            p.setHelp(self.tr("With a box or centreline."))
            self.addParameter(p)

        self.addOutput(QgsProcessingOutputNumber(self.SCENES, self.tr("Scenes")))
        self.addOutput(QgsProcessingOutputNumber(self.FRONTS, self.tr("Scenes with a front")))
        self.addOutput(QgsProcessingOutputNumber(self.FAILED, self.tr("Scenes that failed")))

    def _dated_lines(self, parameters, name: str, context, crs, folder: str, feedback) -> str | None:
        """Line parameter ``name`` with its date (and source) field as GeoJSON in ``crs``; None when empty."""
        if parameters.get(name) in (None, ""):
            return None
        source = self._feature_source(parameters, name, context)
        names = source.fields().names()
        kept = [n for n in names if n.lower() in ("date", "source")]
        if not any(n.lower() == "date" for n in kept):
            raise QgsProcessingException(self.tr("{0} has no date field (its fields: {1}).").format(
                name, ", ".join(names) or self.tr("none")))
        path = os.path.join(folder, f"{name.lower()}.geojson")
        write_geojson(source, path, crs, context.transformContext(), QgsWkbTypes.LineGeometry, name, kept, feedback)
        return path

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS's name)
        inputs = [absolute(p) for p in self.parameterAsFileList(parameters, self.INPUTS, context)]
        if not inputs:
            raise QgsProcessingException(self.tr("INPUTS holds no raster."))
        with reading_user_layers():  # in the task's thread too: no statistics file beside the scene
            crs = QgsRasterLayer(inputs[0], "first", "gdal").crs()  # masks, walls and boxes go to the stack's CRS
        output = absolute(self.parameterAsOutputLayer(parameters, self.OUTPUT, context))
        if not output.lower().endswith(".gpkg"):
            raise QgsProcessingException(self.tr("OUTPUT must be a GeoPackage file (.gpkg)."))
        shipped = self.parameterAsEnumString(parameters, self.SHIPPED_MODEL, context) or DEFAULT_SHIPPED_MODEL
        reference = parameters.get(self.REFERENCE) not in (None, "")
        with temporary_folder("stack") as folder:
            kind = None
            if reference:
                source = self._feature_source(parameters, self.REFERENCE, context)
                kind = QgsWkbTypes.geometryType(source.wkbType())
            job = {
                "inputs": inputs,
                "model": self.model_folder(parameters, self.MODEL, context, shipped),
                "shipped_model": shipped,
                "bands": class_list(self.parameterAsString(parameters, self.BANDS, context), self.BANDS) or None,
                "tta": self.tta_value(parameters, self.TTA, context),
                "flow": self.parameterAsEnumString(parameters, self.FLOW, context) or None,
                "method": self.parameterAsEnumString(parameters, self.METHOD, context) or None,
                "keep": self.parameterAsEnumString(parameters, self.KEEP, context) or None,
                "grow_threshold": self._optional_number(parameters, self.GROW_THRESHOLD, context),
                "min_length": self._optional_number(parameters, self.MIN_LENGTH, context),
                "min_mean_prob": self._optional_number(parameters, self.MIN_MEAN_PROB, context),
                "pixel_size": self._optional_number(parameters, self.PIXEL_SIZE, context),
                "padding": self._optional_number(parameters, self.PADDING, context, integer=True),
                "tile_size": self.parameterAsInt(parameters, self.TILE_SIZE, context),
                "batch_size": self.parameterAsInt(parameters, self.BATCH_SIZE, context),
                "device": self.parameterAsEnumString(parameters, self.DEVICE, context) or None,
                "mask": self._vector_file(parameters, self.MASK, context, crs, folder, feedback=feedback),
                "walls": self._vector_file(parameters, self.WALLS, context, crs, folder, QgsWkbTypes.LineGeometry,
                                           feedback),
                "reference": self._vector_file(parameters, self.REFERENCE, context, crs, folder, kind, feedback)
                if reference else None,
                "reference_fronts": self._dated_lines(parameters, self.REFERENCE_FRONTS, context, crs, folder, feedback)
                if reference else None,
                "reverse": 1 if self.parameterAsBool(parameters, self.REVERSE, context) else 0,
                "output": output,
                "rasters": absolute(self.parameterAsString(parameters, self.RASTERS, context)) or None,
            }
            for name in (self.OUTPUT_TABLE, self.OUTPUT_PLOT, self.OUTPUT_HTML):
                path = absolute(self.parameterAsFileOutput(parameters, name, context)) if reference else None
                job[name.lower()] = path
            if job["rasters"]:
                os.makedirs(job["rasters"], exist_ok=True)
            result = run_engine(self.ENGINE_COMMAND, job, feedback)
        FrontLineStyle.attach(context, result.get("output") or output)
        series = result.get("terminus") or {}
        return {
            self.OUTPUT: result.get("output") or output,
            self.RASTERS: job["rasters"],
            self.OUTPUT_TABLE: series.get("output"),
            self.OUTPUT_PLOT: series.get("output_plot"),
            self.OUTPUT_HTML: series.get("output_html"),
            self.SCENES: result.get("scenes"),
            self.FRONTS: result.get("fronts"),
            self.FAILED: len(result.get("failed") or []),
        }
