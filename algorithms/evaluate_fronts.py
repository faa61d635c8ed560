"""Evaluate Fronts: predicted vs reference front lines -> distance errors (CSV, HTML, numbers).

Translates the Processing parameters into a job for the engine's ``evaluate_fronts``
command (the contract is ``core/fronts/evaluate.py``); the summary comes back as
numeric outputs so a model can use them.
"""
from __future__ import annotations

import os

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterRasterLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..glacier_provider.engine import run_engine
from ..glacier_provider.layers import absolute, raster_parameter, temporary_folder, write_geojson
from .base import GlacierTerminusAlgorithm

#: Fields carried to the engine when a layer has them (matched case-insensitively).
MATCH_FIELDS = ("date", "source")


def present_fields(source, wanted) -> list:
    """The source's own names of the ``wanted`` fields it has (case-insensitive, no repeats)."""
    names = {name.lower(): name for name in source.fields().names()}
    return list(dict.fromkeys(names[w.lower()] for w in wanted if w and w.lower() in names))


class EvaluateFronts(GlacierTerminusAlgorithm):
    """Distance error between predicted and reference calving fronts."""

    ALGORITHM_ID = "evaluatefronts"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("EvaluateFronts", "Evaluate Fronts")
    GROUP_NAME = QT_TRANSLATE_NOOP("EvaluateFronts", "Calving fronts")
    GROUP_ID = "calvingfronts"
    ENGINE_COMMAND = "evaluate_fronts"
    TAGS = QT_TRANSLATE_NOOP(
        "EvaluateFronts", "glacier,calving front,terminus,error,accuracy,distance,validation,caffe,mde"
    )

    PREDICTED = "PREDICTED"
    REFERENCE = "REFERENCE"
    RASTER = "RASTER"
    CELL_SIZE = "CELL_SIZE"
    MATCH = "MATCH"
    MATCH_FIELD = "MATCH_FIELD"
    PIXEL_SIZE = "PIXEL_SIZE"
    OUTPUT = "OUTPUT"
    OUTPUT_HTML = "OUTPUT_HTML"
    MEAN_DISTANCE = "MEAN_DISTANCE"
    MEAN_OF_IMAGE_MEANS = "MEAN_OF_IMAGE_MEANS"
    MEDIAN_DISTANCE = "MEDIAN_DISTANCE"
    MISSING_PREDICTIONS = "MISSING_PREDICTIONS"
    EVALUATED = "EVALUATED"
    UNITS = "UNITS"


    def shortHelpString(self) -> str:  # noqa: N802 (QGIS's name)
        return self.tr(
            "Measures how far predicted calving fronts are from reference (manual) fronts, as the "
            "CaFFe benchmark does: both fronts are rasterised on a pixel grid, and the distance from "
            "every predicted front pixel to the nearest reference pixel and from every reference "
            "pixel to the nearest predicted one are measured, in metres (pixels for layers without CRS).\n"
            "Predicted fronts (PREDICTED) and reference fronts (REFERENCE): line layers, for example "
            "from Extract Calving Front and from manual digitising. REFERENCE is reprojected to the "
            "CRS the fronts are measured in (RASTER's, else PREDICTED's).\n"
            "Raster (RASTER, optional): measure on this raster's pixel grid; it is also drawn under "
            "the worst fronts in the report.\n"
            "Cell size (CELL_SIZE): without RASTER, the grid's cell size in the layers' CRS units "
            "(layers without CRS: 0 means 1 pixel).\n"
            "Pixel size (PIXEL_SIZE, optional): metres per pixel of fronts (and RASTER) without CRS, for "
            "errors in metres.\n"
            "Pairing (MATCH): how fronts of the same image are paired: auto (by date when every front "
            "has one, else by source file name, else one to one, else all as one image), date, source, "
            "order (the n-th predicted with the n-th reference feature) or all (everything is one image). "
            "Several lines of one image are measured together.\n"
            "Pairing field (MATCH_FIELD, optional): the field to pair by instead of date / source.\n"
            "Errors per image (OUTPUT): CSV with the mean, median and maximum of the symmetric "
            "distances, both one-sided means, the lengths of both fronts and a status (ok, no "
            "prediction, no reference).\n"
            "Report (OUTPUT_HTML, optional): HTML page with the summary, the error histogram in 10 m "
            "bins and the worst fronts drawn over RASTER.\n"
            "Numeric outputs for models: MEAN_DISTANCE (mean over all distances), "
            "MEAN_OF_IMAGE_MEANS, MEDIAN_DISTANCE, MISSING_PREDICTIONS (images whose reference has no "
            "predicted front: counted, not averaged), EVALUATED (images measured) and UNITS (m or px)."
        )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        p = QgsProcessingParameterFeatureSource(
            self.PREDICTED, self.tr("Predicted fronts"), types=[QgsProcessing.TypeVectorLine]
        )
        p.setHelp(self.tr("Line layer of predicted fronts."))
        self.addParameter(p)

        p = QgsProcessingParameterFeatureSource(
            self.REFERENCE, self.tr("Reference fronts"), types=[QgsProcessing.TypeVectorLine]
        )
        p.setHelp(self.tr("Line layer of reference (manual) fronts."))
        self.addParameter(p)

        p = QgsProcessingParameterRasterLayer(self.RASTER, self.tr("Raster to measure on"), optional=True)
        p.setHelp(self.tr("Measure on this raster's pixel grid."))
        self.addParameter(p)

        p = self.choice_parameter(self.MATCH, self.tr("Pair fronts by"))
        p.setHelp(self.tr("auto, date, source, order or all."))
        self.addParameter(p)

        p = QgsProcessingParameterField(
            self.MATCH_FIELD, self.tr("Pairing field (empty = date / source)"),
            parentLayerParameterName=self.REFERENCE, optional=True,
        )
        p.setHelp(self.tr("Field of both layers to pair fronts by."))
        self.addParameter(p)

        p = self.number_parameter(self.CELL_SIZE, self.tr("Cell size without RASTER (CRS units)"))
        p.setHelp(self.tr("Grid cell size when no RASTER is given."))
        p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(p)

        p = self.number_parameter(self.PIXEL_SIZE, self.tr("Pixel size of fronts without CRS (m; empty = pixels)"),
                                  optional=True)
        p.setHelp(self.tr("Metres per pixel of fronts from a PNG: errors in metres."))
        self.addParameter(p)

        p = QgsProcessingParameterFileDestination(self.OUTPUT, self.tr("Errors per image"),
                                                  self.tr("CSV files (*.csv)"))
        p.setHelp(self.tr("CSV, one row per image."))
        self.addParameter(p)

        p = QgsProcessingParameterFileDestination(
            self.OUTPUT_HTML, self.tr("Report"), self.tr("HTML files (*.html)"), optional=True, createByDefault=True
        )
        p.setHelp(self.tr("HTML report: summary, histogram, worst fronts."))
        self.addParameter(p)

        for name, label in (
            (self.MEAN_DISTANCE, self.tr("Mean distance")),
            (self.MEAN_OF_IMAGE_MEANS, self.tr("Mean of per-image mean distances")),
            (self.MEDIAN_DISTANCE, self.tr("Median distance")),
            (self.MISSING_PREDICTIONS, self.tr("Images without a predicted front")),
            (self.EVALUATED, self.tr("Images evaluated")),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, label))
        self.addOutput(QgsProcessingOutputString(self.UNITS, self.tr("Distance units")))

    def _write_lines(self, parameters, name, context, crs, folder, extra, feedback) -> str:
        source = self._feature_source(parameters, name, context)
        path = os.path.join(folder, f"{name.lower()}.geojson")
        write_geojson(
            source, path, crs, context.transformContext(), QgsWkbTypes.LineGeometry, name,
            present_fields(source, (*MATCH_FIELDS, *extra)), feedback, required=name == self.REFERENCE,
        )
        return path

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS's name)
        raster_layer, raster = raster_parameter(self, parameters, self.RASTER, context)
        predicted = self._feature_source(parameters, self.PREDICTED, context)
        crs = raster_layer.crs() if raster_layer is not None else predicted.sourceCrs()
        match_field = self.parameterAsString(parameters, self.MATCH_FIELD, context) or None
        if match_field and not present_fields(predicted, (match_field,)):
            raise QgsProcessingException(
                self.tr("PREDICTED has no field {0} to pair by (MATCH_FIELD).").format(repr(match_field))
            )
        output = absolute(self.parameterAsFileOutput(parameters, self.OUTPUT, context))
        report = absolute(self.parameterAsFileOutput(parameters, self.OUTPUT_HTML, context))
        with temporary_folder("eval") as folder:
            extra = (match_field,) if match_field else ()
            job = {
                "predicted": self._write_lines(parameters, self.PREDICTED, context, crs, folder, extra, feedback),
                "reference": self._write_lines(parameters, self.REFERENCE, context, crs, folder, extra, feedback),
                "output": output,
                "output_html": report,
                "raster": raster,
                "cell_size": self.parameterAsDouble(parameters, self.CELL_SIZE, context),
                "pixel_size": self._optional_number(parameters, self.PIXEL_SIZE, context),
                "match": self.parameterAsEnumString(parameters, self.MATCH, context) or "auto",
                "match_field": match_field,
            }
            result = run_engine(self.ENGINE_COMMAND, job, feedback)
        return {
            self.OUTPUT: result.get("output") or output,
            self.OUTPUT_HTML: result.get("output_html"),
            self.MEAN_DISTANCE: result.get("mean_distance"),
            self.MEAN_OF_IMAGE_MEANS: result.get("mean_of_image_means"),
            self.MEDIAN_DISTANCE: result.get("median_distance"),
            self.MISSING_PREDICTIONS: result.get("missing_predictions"),
            self.EVALUATED: result.get("evaluated"),
            self.UNITS: result.get("units"),
        }
