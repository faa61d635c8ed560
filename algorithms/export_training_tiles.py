"""Export Training Tiles: a raster and its labels in, a tile dataset folder out.

Translates the Processing parameters into a job for the engine's ``export_tiles``
command (the contract is ``core/commands/export_tiles.py``); vector labels are written as GeoJSON
in the raster's CRS first.
"""
from __future__ import annotations

import os

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterField,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMapLayer,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..glacier_provider.engine import run_engine
from ..glacier_provider.layers import raster_parameter, temporary_folder
from .base import GlacierTerminusAlgorithm


class ExportTrainingTiles(GlacierTerminusAlgorithm):
    """Cut a raster and its labels into image / label chips for Train Terminus Model."""

    ALGORITHM_ID = "exporttrainingtiles"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("ExportTrainingTiles", "Export Training Tiles")
    GROUP_NAME = QT_TRANSLATE_NOOP("ExportTrainingTiles", "Training")
    GROUP_ID = "training"
    ENGINE_COMMAND = "export_tiles"
    TAGS = QT_TRANSLATE_NOOP(
        "ExportTrainingTiles", "glacier,calving front,terminus,training,tiles,chips,labels,dataset,deep learning"
    )

    INPUT = "INPUT"
    LABELS = "LABELS"
    CLASS_FIELD = "CLASS_FIELD"
    LINE_WIDTH = "LINE_WIDTH"
    TILE_SIZE = "TILE_SIZE"
    STRIDE = "STRIDE"
    CELL_SIZE = "CELL_SIZE"
    MIN_LABELED = "MIN_LABELED"
    GROUP = "GROUP"
    OUTPUT = "OUTPUT"
    TILES = "TILES"

    def shortHelpString(self) -> str:  # noqa: N802 (QGIS's name)
        return self.tr(
            "Cuts a satellite raster and its labels into square tiles (image chips and label chips) "
            "for Train Terminus Model, and describes them in dataset.json: classes with pixel counts, "
            "per-band statistics (used to normalise the bands), tile size, cell size and the source "
            "image and group of every tile. Running it again into the same folder adds tiles of more "
            "scenes; all runs into one folder must use the same bands, tile size and cell size.\n"
            "Input raster (INPUT): a raster file GDAL can read with the bands the model will use. "
            "NoData stays NoData in the chips and is ignored in training.\n"
            "Labels (LABELS): one of three kinds. A class raster (whole numbers, 0 or NoData = "
            "unlabelled; class names are taken from the raster's class_N tags when present), read on "
            "the input's grid; a polygon layer whose CLASS_FIELD holds each polygon's class (numbers "
            "1..255 are kept, names are numbered 1, 2, ... in sorted order; outside the polygons is "
            "unlabelled); or a line layer of calving fronts, burnt LINE_WIDTH pixels wide as class 2 "
            "'front' on class 1 'background'. Vector labels are reprojected to the raster's CRS.\n"
            "Class field (CLASS_FIELD): the polygon layer's field with the class (polygon labels only).\n"
            "Line width (LINE_WIDTH): width in tile pixels of rasterised front lines (line labels only).\n"
            "Tile size (TILE_SIZE): tile side in pixels, a multiple of 32. A raster smaller than a tile "
            "along a side gives tiles padded with NoData (a warning says so); training ignores the "
            "padding, as Classify Pixels pads such rasters.\n"
            "Stride (STRIDE): pixels from one tile to the next; less than TILE_SIZE makes overlapping "
            "tiles, 0 means half the tile size. The last row and column of tiles end at the raster's "
            "edge, so the whole raster is covered.\n"
            "Cell size (CELL_SIZE): cell size of the tiles in metres; 0 keeps the raster's own. Other "
            "values resample on the fly (bilinear for the image, nearest for labels). Rasters without a "
            "CRS work in pixel units and need 0.\n"
            "Minimum labelled fraction (MIN_LABELED): tiles with a smaller fraction of labelled pixels "
            "are skipped.\n"
            "Group (GROUP): a name such as the glacier, so that training can hold out a whole group for "
            "validation. Empty: the Landsat path/row or Sentinel-2 tile in the file name, else the file "
            "name.\n"
            "Output folder (OUTPUT): a new or empty folder, or an existing tile dataset to add to. It "
            "gets images/ and labels/ (GeoTIFF chips) and dataset.json. A failed or cancelled run "
            "leaves the folder as it was.\n"
            "Tiles written (TILES): the number of tiles this run added."
        )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        params = []
        p = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Input raster"))
        p.setHelp(self.tr("Raster to cut into image chips."))
        params.append(p)

        p = QgsProcessingParameterMapLayer(
            self.LABELS, self.tr("Labels (class raster, class polygons or front lines)"),
            types=[QgsProcessing.TypeRaster, QgsProcessing.TypeVectorPolygon, QgsProcessing.TypeVectorLine])
        p.setHelp(self.tr("A class raster, a polygon layer with CLASS_FIELD, or a line layer of fronts."))
        params.append(p)

        p = QgsProcessingParameterField(self.CLASS_FIELD, self.tr("Class field (polygon labels)"),
                                        parentLayerParameterName=self.LABELS, optional=True)
        p.setHelp(self.tr("Field holding each polygon's class."))
        params.append(p)

        p = self.number_parameter(self.LINE_WIDTH, self.tr("Line width (pixels, front lines)"))
        p.setHelp(self.tr("Width of the burnt front lines in tile pixels."))
        params.append(p)

        p = self.number_parameter(self.TILE_SIZE, self.tr("Tile size (pixels, a multiple of 32)"))
        p.setHelp(self.tr("Tile side in pixels."))
        params.append(p)

        p = self.number_parameter(self.STRIDE, self.tr("Stride (pixels; 0 = half the tile size)"))
        p.setHelp(self.tr("Pixels from one tile to the next."))
        params.append(p)

        p = self.number_parameter(self.CELL_SIZE, self.tr("Cell size (metres; 0 = the raster's)"))
        p.setHelp(self.tr("Cell size of the tiles; 0 keeps the raster's own."))
        params.append(p)

        p = self.number_parameter(self.MIN_LABELED, self.tr("Minimum labelled fraction of a tile"))
        p.setHelp(self.tr("Skip tiles with less of their pixels labelled."))
        params.append(p)

        p = QgsProcessingParameterString(self.GROUP, self.tr("Group (e.g. the glacier; empty = from the file name)"),
                                         optional=True)
        p.setHelp(self.tr("Validation group of these tiles."))
        params.append(p)

        p = QgsProcessingParameterFolderDestination(self.OUTPUT, self.tr("Tile dataset folder"))
        p.setHelp(self.tr("New or empty folder, or an existing tile dataset to add to."))
        params.append(p)

        for p in params:
            self.addParameter(p)
        self.addOutput(QgsProcessingOutputNumber(self.TILES, self.tr("Tiles written")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS's name)
        raster, input_path = raster_parameter(self, parameters, self.INPUT, context)
        output = os.path.abspath(self.parameterAsString(parameters, self.OUTPUT, context))
        with temporary_folder("labels") as folder:
            labels, kind, labels_source = self._class_layer(parameters, self.LABELS, self.CLASS_FIELD, context,
                                                            raster.crs(), folder, feedback, lines=True)
            source = os.path.splitext(os.path.basename(input_path))[0]
            job = {
                "input": input_path,
                "labels": labels,
                "output": output,
                "class_field": self.parameterAsString(parameters, self.CLASS_FIELD, context) or None,
                "line_width": self.parameterAsDouble(parameters, self.LINE_WIDTH, context),
                "tile_size": self.parameterAsInt(parameters, self.TILE_SIZE, context),
                "stride": self.parameterAsInt(parameters, self.STRIDE, context),
                "cell_size": self.parameterAsDouble(parameters, self.CELL_SIZE, context),
                "min_labeled": self.parameterAsDouble(parameters, self.MIN_LABELED, context),
                "source": source,
                "group": self.parameterAsString(parameters, self.GROUP, context) or None,
                "labels_source": labels_source,
            }
            feedback.pushInfo(self.tr("Labels: {0}.").format(kind))
            result = run_engine(self.ENGINE_COMMAND, job, feedback)
        return {self.OUTPUT: result.get("output") or output, self.TILES: result.get("tiles_written", 0)}
