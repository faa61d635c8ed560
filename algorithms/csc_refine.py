"""CSC Refine: an image and a coarse classification of it in, a sharper class raster out.

Translates the Processing parameters into a job for the engine's ``csc_refine`` command
(the contract is ``core/csc/refine.py``); polygon layers are written as GeoJSON in the
raster's CRS first.
"""
from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMapLayer,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..glacier_provider import settings
from ..glacier_provider.engine import run_engine
from ..glacier_provider.layers import absolute, raster_parameter, temporary_folder
from .base import GlacierTerminusAlgorithm


class CscRefine(GlacierTerminusAlgorithm):
    """CNN-Supervised Classification of one image from a coarse class map of it."""

    ALGORITHM_ID = "cscrefine"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("CscRefine", "CSC Refine")
    GROUP_NAME = QT_TRANSLATE_NOOP("CscRefine", "Segmentation")
    GROUP_ID = "segmentation"
    ENGINE_COMMAND = "csc_refine"
    TAGS = QT_TRANSLATE_NOOP(
        "CscRefine",
        "glacier,csc,cnn supervised classification,see_ice,refine,patch,mlp,cnn,melange,iceberg,snow,rock"
    )

    INPUT = "INPUT"
    COARSE = "COARSE"
    CLASS_FIELD = "CLASS_FIELD"
    PATCH_SIZE = "PATCH_SIZE"
    SAMPLES_PER_CLASS = "SAMPLES_PER_CLASS"
    EPOCHS = "EPOCHS"
    PATIENCE = "PATIENCE"
    DEVICE = "DEVICE"
    MODAL_FILTER = "MODAL_FILTER"
    VALIDATION = "VALIDATION"
    VALIDATION_FIELD = "VALIDATION_FIELD"
    OUTPUT = "OUTPUT"
    OUTPUT_METRICS = "OUTPUT_METRICS"
    REPORT = "REPORT"
    WEIGHTED_F1 = "WEIGHTED_F1"
    COARSE_WEIGHTED_F1 = "COARSE_WEIGHTED_F1"

    PATCH_SIZES = ("1", "3", "5", "7", "15")  # PATCH_SIZE's values (static strings)
    DEVICES = settings.DEVICES

    def shortHelpString(self) -> str:  # noqa: N802 (QGIS's name)
        return self.tr(
            "CNN-Supervised Classification (CSC, as in SEE_ICE): learns this one image from a coarse "
            "classification of it and gives a sharper map, pixel by pixel.\n"
            "Input raster (INPUT): the image (all its bands are used).\n"
            "Coarse classification (COARSE): a class raster (0 = unknown), e.g. from Classify Pixels or a "
            "tile classifier, on any grid (another grid is resampled to INPUT's, nearest neighbour, with a "
            "warning); or polygons you drew roughly, with their class in CLASS_FIELD (whole numbers "
            "1-255, or names numbered in sorted order).\n"
            "Patch size (PATCH_SIZE): 1 trains a small neural network (MLP) on each pixel's bands; 3, 5, "
            "7 or 15 trains a compact CNN on the window of that many pixels centred on each pixel "
            "(more context, slower).\n"
            "Samples per class (SAMPLES_PER_CLASS): training pixels drawn at random from each class of "
            "the coarse map, away from NoData and the image's edge. A fifth of them is held out to stop "
            "training early: after PATIENCE epochs without a better held-out loss, or after EPOCHS.\n"
            "Device (DEVICE): auto (CUDA GPU when available), cpu or cuda.\n"
            "Modal filter (MODAL_FILTER): radius in pixels of a majority filter on the result, removing "
            "specks; 0 = off.\n"
            "Validation (VALIDATION, optional): true classes (a class raster, or polygons with their class "
            "in VALIDATION_FIELD) to measure the coarse and the refined map against.\n"
            "Refined classification (OUTPUT): GeoTIFF on INPUT's grid, uint8, 0 = NoData, colours from "
            "COARSE (SEE_ICE's seven classes when COARSE has no colour table: 1 open water, 2 iceberg "
            "water, 3 melange, 4 glacier ice, 5 snow on ice, 6 snow on rock, 7 rock).\n"
            "Metrics (OUTPUT_METRICS, optional): CSV of precision, recall, F1 and support per class, with "
            "accuracy, macro and weighted averages, for the coarse and the refined map against VALIDATION "
            "(without VALIDATION: the refined model against the held-out samples).\n"
            "Report (REPORT): HTML page with the image, validation labels, coarse and refined maps side by "
            "side (each titled with its weighted F1), the metrics and the training curve.\n"
            "Numeric outputs: WEIGHTED_F1 of the refined map and COARSE_WEIGHTED_F1 of the coarse map "
            "(with VALIDATION)."
        )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        params, advanced = [], []
        p = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Input raster"))
        p.setHelp(self.tr("The image to classify; all its bands are used."))
        params.append(p)

        p = QgsProcessingParameterMapLayer(
            self.COARSE, self.tr("Coarse classification (class raster or polygons)"),
            types=[QgsProcessing.TypeRaster, QgsProcessing.TypeVectorPolygon])
        p.setHelp(self.tr("Class raster (0 = unknown) or polygons with CLASS_FIELD."))
        params.append(p)

        p = QgsProcessingParameterField(self.CLASS_FIELD, self.tr("Class field (polygon coarse classification)"),
                                        parentLayerParameterName=self.COARSE, optional=True)
        p.setHelp(self.tr("Field holding each polygon's class."))
        params.append(p)

        p = QgsProcessingParameterEnum(self.PATCH_SIZE, self.tr("Patch size (pixels)"), options=list(self.PATCH_SIZES),
                                       defaultValue="1", usesStaticStrings=True)
        p.setHelp(self.tr("1 = MLP on the pixel's bands; 3, 5, 7, 15 = CNN on the centred window."))
        params.append(p)

        p = self.number_parameter(self.SAMPLES_PER_CLASS, self.tr("Training samples per class"))
        p.setHelp(self.tr("Pixels drawn at random from each class of the coarse map."))
        params.append(p)

        p = self.number_parameter(self.MODAL_FILTER, self.tr("Modal filter radius (pixels; 0 = off)"))
        p.setHelp(self.tr("Majority filter on the result."))
        params.append(p)

        p = QgsProcessingParameterMapLayer(
            self.VALIDATION, self.tr("Validation classes (class raster or polygons)"),
            types=[QgsProcessing.TypeRaster, QgsProcessing.TypeVectorPolygon], optional=True)
        p.setHelp(self.tr("True classes to measure the coarse and refined maps against."))
        params.append(p)

        p = QgsProcessingParameterField(self.VALIDATION_FIELD, self.tr("Class field (polygon validation)"),
                                        parentLayerParameterName=self.VALIDATION, optional=True)
        p.setHelp(self.tr("Field holding each validation polygon's class."))
        params.append(p)

        p = self.number_parameter(self.EPOCHS, self.tr("Epochs (at most)"))
        p.setHelp(self.tr("Passes over the training samples."))
        advanced.append(p)

        p = self.number_parameter(self.PATIENCE, self.tr("Patience (epochs; 0 = never stop early)"))
        p.setHelp(self.tr("Stop after this many epochs without a better held-out loss."))
        advanced.append(p)

        p = QgsProcessingParameterEnum(self.DEVICE, self.tr("Device"), options=list(self.DEVICES),
                                       defaultValue=settings.default_device(), usesStaticStrings=True)
        p.setHelp(self.tr("auto (CUDA when available, else CPU), cpu or cuda."))
        advanced.append(p)

        for p in advanced:
            p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            params.append(p)

        p = QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Refined classification"))
        p.setHelp(self.tr("GeoTIFF, uint8: 0 = NoData, with a colour table."))
        params.append(p)

        p = QgsProcessingParameterFileDestination(self.OUTPUT_METRICS, self.tr("Metrics per class"),
                                                  self.tr("CSV files (*.csv)"), optional=True, createByDefault=False)
        p.setHelp(self.tr("Precision, recall, F1 and support per class."))
        params.append(p)

        p = QgsProcessingParameterFileDestination(self.REPORT, self.tr("Report"), self.tr("HTML files (*.html)"),
                                                  optional=True, createByDefault=True)
        p.setHelp(self.tr("HTML report: maps side by side, metrics, training curve."))
        params.append(p)

        for p in params:
            self.addParameter(p)
        self.addOutput(QgsProcessingOutputNumber(self.WEIGHTED_F1, self.tr("Weighted F1 of the refined map")))
        self.addOutput(QgsProcessingOutputNumber(self.COARSE_WEIGHTED_F1, self.tr("Weighted F1 of the coarse map")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS's name)
        layer, input_path = raster_parameter(self, parameters, self.INPUT, context)
        output = absolute(self.parameterAsOutputLayer(parameters, self.OUTPUT, context))
        metrics = absolute(self.parameterAsFileOutput(parameters, self.OUTPUT_METRICS, context)) or None
        report = absolute(self.parameterAsFileOutput(parameters, self.REPORT, context)) or None
        with temporary_folder("csc") as folder:
            coarse, kind, _ = self._class_layer(parameters, self.COARSE, self.CLASS_FIELD, context, layer.crs(), folder,
                                             feedback)
            validation, _, _ = self._class_layer(parameters, self.VALIDATION, self.VALIDATION_FIELD, context,
                                              layer.crs(), folder, feedback)
            job = {
                "input": input_path,
                "coarse": coarse,
                "class_field": self.parameterAsString(parameters, self.CLASS_FIELD, context) or None,
                "output": output,
                "patch_size": int(self.parameterAsEnumString(parameters, self.PATCH_SIZE, context) or 1),
                "samples_per_class": self.parameterAsInt(parameters, self.SAMPLES_PER_CLASS, context),
                "epochs": self.parameterAsInt(parameters, self.EPOCHS, context),
                "patience": self.parameterAsInt(parameters, self.PATIENCE, context),
                "modal_filter": self.parameterAsInt(parameters, self.MODAL_FILTER, context),
                "device": self.parameterAsEnumString(parameters, self.DEVICE, context) or settings.default_device(),
                "validation": validation,
                "validation_field": self.parameterAsString(parameters, self.VALIDATION_FIELD, context) or None,
                "output_metrics": metrics,
                "report": report,
            }
            feedback.pushInfo(self.tr("Coarse classification: {0}.").format(kind))
            result = run_engine(self.ENGINE_COMMAND, job, feedback)
        weighted = result.get("weighted_f1") or {}
        feedback.pushInfo(self.tr("Weighted F1 ({0}): {1}.").format(
            result.get("reference", ""), ", ".join(f"{k} {v:.3f}" for k, v in weighted.items())))
        return {
            self.OUTPUT: result.get("output") or output,
            self.OUTPUT_METRICS: metrics,
            self.REPORT: report,
            self.WEIGHTED_F1: weighted.get("refined"),
            self.COARSE_WEIGHTED_F1: weighted.get("coarse"),
        }
