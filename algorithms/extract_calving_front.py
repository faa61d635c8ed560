"""Extract Calving Front: a class or probability raster in, terminus lines (GeoPackage) out.

Translates the Processing parameters into a job for the engine's ``extract_front``
command (the contract is ``core/fronts/extract.py``) and the engine's result back.
"""
from __future__ import annotations

import os
import re

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ..glacier_provider.engine import run_engine
from ..glacier_provider.layers import absolute, raster_parameter, temporary_folder
from ..glacier_provider.styles import FrontLineStyle
from .base import GlacierTerminusAlgorithm


def class_list(text: str, name: str) -> list:
    """``"1, 2 3"`` -> ``[1, 2, 3]``; a one-line QgsProcessingException for anything else."""
    items = [t for t in re.split(r"[,;\s]+", text or "") if t]
    try:
        values = [int(t) for t in items]
    except ValueError:
        raise QgsProcessingException(
            QCoreApplication.translate("ExtractCalvingFront", "{0} must list class values like 1,2 (not {1}).").format(
                name, text
            )
        ) from None
    return values


class ExtractCalvingFront(GlacierTerminusAlgorithm):
    """Turn a classified (or probability) raster into calving-front lines."""

    ALGORITHM_ID = "extractcalvingfront"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("ExtractCalvingFront", "Extract Calving Front")
    GROUP_NAME = QT_TRANSLATE_NOOP("ExtractCalvingFront", "Calving fronts")
    GROUP_ID = "calvingfronts"
    ENGINE_COMMAND = "extract_front"
    TAGS = QT_TRANSLATE_NOOP(
        "ExtractCalvingFront",
        "glacier,calving front,terminus,front,line,skeleton,active contour,caffe,boundary,vectorize"
    )

    INPUT = "INPUT"
    METHOD = "METHOD"
    PROBABILITIES = "PROBABILITIES"
    MODEL = "MODEL"
    OCEAN_CLASSES = "OCEAN_CLASSES"
    GLACIER_CLASSES = "GLACIER_CLASSES"
    FRONT_CLASS = "FRONT_CLASS"
    THRESHOLD = "THRESHOLD"
    GROW_THRESHOLD = "GROW_THRESHOLD"
    KEEP = "KEEP"
    MIN_LENGTH = "MIN_LENGTH"
    SMOOTHING = "SMOOTHING"
    SIMPLIFY = "SIMPLIFY"
    JOIN_DISTANCE = "JOIN_DISTANCE"
    ITERATIONS = "ITERATIONS"
    BUFFER = "BUFFER"
    MASK = "MASK"
    WALLS = "WALLS"
    MIN_MEAN_PROB = "MIN_MEAN_PROB"
    DATE = "DATE"
    PIXEL_SIZE = "PIXEL_SIZE"
    OUTPUT = "OUTPUT"
    FRONT_COUNT = "FRONT_COUNT"
    TOTAL_LENGTH = "TOTAL_LENGTH"


    def shortHelpString(self) -> str:  # noqa: N802 (QGIS's name)
        return self.tr(
            "Turns a classified raster (from Classify Pixels or CSC Refine) into calving-front lines "
            "in the raster's CRS.\n"
            "Input raster (INPUT): a class raster (integer values, 0 = NoData) or a probability "
            "raster (float, one band per class, as Classify Pixels writes).\n"
            "Method (METHOD): auto uses between_walls when WALLS are given; else the route the model "
            "chose in its validation (recorded in its model.json, read from MODEL or from the class "
            "raster Classify Pixels wrote), with that route's KEEP, GROW_THRESHOLD, MIN_MEAN_PROB and "
            "MIN_LENGTH for those left empty (the last three only with PROBABILITIES); else front_class "
            "when a front class is known and zone_boundary otherwise. front_class: pixels of the front class "
            "(or with a front probability of at least THRESHOLD) are thinned to a skeleton, the longest path "
            "through each piece is kept "
            "and pieces that line up are joined. zone_boundary (the CaFFe benchmark's definition): the "
            "front is where ocean pixels touch glacier pixels, after keeping the largest ocean area "
            "and filling its holes (icebergs), so rock and NoData never make a front; the line runs "
            "along the pixel edges. active_contour (SEE_ICE): the glacier outline is smoothed by a "
            "morphological geodesic active contour and kept where it lies next to the ocean. "
            "between_walls (FrontLearning's post-processing): the front is the least-cost path through "
            "the front probability from one fjord wall (WALLS) to the other, so it reaches both walls "
            "even where the network is unsure of the front near them. between_rock: the same path, from "
            "the rock on one side of the fjord to the rock on the other, the walls taken from the model's "
            "rock class (the two largest pieces of rock near the front class; the front class's own line "
            "where there are not two), for zone models such as the shipped SAR model. "
            "supported_boundary: the zone boundary kept where the front class supports it (the edges "
            "within JOIN_DISTANCE of the front class, grown by GROW_THRESHOLD), the whole zone boundary "
            "where no front pixel is that near.\n"
            "Class probabilities (PROBABILITIES, optional): a probability raster on INPUT's grid; "
            "each line gets the mean probability along it (mean_prob).\n"
            "Model package (MODEL, optional): the model the raster came from; its classes say which "
            "are ocean, glacier and front. Without it the class names stored in the raster are used.\n"
            "Ocean classes (OCEAN_CLASSES), glacier classes (GLACIER_CLASSES), front class "
            "(FRONT_CLASS): class values, e.g. 1,2,3; leave empty for the model's or the raster's.\n"
            "Probability threshold (THRESHOLD): front probability from which a pixel counts as front.\n"
            "Grow threshold (GROW_THRESHOLD, optional): front_class grows the front through the "
            "connected pixels whose front probability is at least this (hysteresis), so a front the "
            "network is less sure of towards the fjord walls is followed without taking weak pieces "
            "elsewhere; needs front probabilities (PROBABILITIES or a probability INPUT). Empty for no "
            "growing.\n"
            "Keep (KEEP): all front pieces, or main: the longest line and the pieces within "
            "JOIN_DISTANCE of it (one glacier per raster; drops iceberg and melange edges away from the "
            "front); empty for the model's route, else all.\n"
            "Minimum length (MIN_LENGTH): pieces shorter than this are dropped, in metres (pixels "
            "for a raster without CRS); empty for 10 cells.\n"
            "Smoothing (SMOOTHING): Gaussian smoothing along the line, in pixels; 0 for none.\n"
            "Simplify tolerance (SIMPLIFY): Douglas-Peucker tolerance in metres (pixels without CRS); "
            "empty for half a cell, 0 for none.\n"
            "Join distance (JOIN_DISTANCE): front_class joins pieces that line up across gaps up to "
            "this, and supported_boundary keeps the zone boundary this near the front class, in metres; "
            "empty for 10 cells.\n"
            "Iterations (ITERATIONS) and ocean buffer (BUFFER, pixels): active_contour's settings.\n"
            "Mask (MASK, optional): fronts only inside these polygons (e.g. the fjord); polygons in "
            "another CRS are reprojected.\n"
            "Fjord walls (WALLS, optional): a line layer with two lines, one along each side of the fjord "
            "(drawn once per glacier, reused for every scene); between_walls joins them across the fjord. "
            "Needs front probabilities (PROBABILITIES or a probability INPUT).\n"
            "Minimum mean probability (MIN_MEAN_PROB, optional): lines whose mean front probability is "
            "below this are dropped, e.g. 0.2 so that a scene where the network saw no front (cloud, "
            "dark) gives no line rather than a path forced between the walls; empty to keep all.\n"
            "Pixel size (PIXEL_SIZE, optional): metres per pixel of a raster without CRS (a PNG), so that "
            "MIN_LENGTH, SIMPLIFY, JOIN_DISTANCE and length_m are in metres; the front still lies where QGIS "
            "draws the raster (x = column, y = -row).\n"
            "Date (DATE, optional): acquisition date YYYY-MM-DD; empty to read it from the file name "
            "(Landsat and Sentinel names such as LC08_L1TP_020007_20140801_..., S2A_MSIL1C_2019...).\n"
            "Calving fronts (OUTPUT): GeoPackage line layer with source, date, length_m, method, "
            "length_px and mean_prob. A raster without any front gives an empty layer and a warning.\n"
            "Numeric outputs: FRONT_COUNT (lines written) and TOTAL_LENGTH (their length together, in "
            "metres, or pixels without CRS)."
        )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        advanced = []
        p = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Class or probability raster"))
        p.setHelp(self.tr("Class raster (0 = NoData) or per-class probabilities."))
        self.addParameter(p)

        p = self.choice_parameter(self.METHOD, self.tr("Method"))
        p.setHelp(self.tr("auto, front_class, zone_boundary, active_contour, between_walls, between_rock or "
                           "supported_boundary."))
        self.addParameter(p)

        p = QgsProcessingParameterRasterLayer(self.PROBABILITIES, self.tr("Class probabilities"), optional=True)
        p.setHelp(self.tr("Probability raster on INPUT's grid: mean probability along each line."))
        self.addParameter(p)

        p = QgsProcessingParameterFile(
            self.MODEL, self.tr("Model package (folder with model.json)"),
            behavior=QgsProcessingParameterFile.Folder, optional=True,
        )
        p.setHelp(self.tr("The model the raster came from: which classes are ocean, glacier and front."))
        self.addParameter(p)

        for name, label in (
            (self.OCEAN_CLASSES, self.tr("Ocean classes (e.g. 1,2,3; empty = from the model)")),
            (self.GLACIER_CLASSES, self.tr("Glacier classes (e.g. 4,5; empty = from the model)")),
        ):
            p = QgsProcessingParameterString(name, label, optional=True)
            p.setHelp(self.tr("Class values separated by commas."))
            self.addParameter(p)

        p = self.number_parameter(self.FRONT_CLASS, self.tr("Front class (empty = from the model)"), optional=True)
        p.setHelp(self.tr("Class value of the front (front_class method)."))
        self.addParameter(p)

        p = self.number_parameter(self.MIN_LENGTH, self.tr("Minimum length (m; empty = 10 cells)"), optional=True)
        p.setHelp(self.tr("Drop pieces shorter than this (pixels for a raster without CRS)."))
        self.addParameter(p)

        p = self.number_parameter(self.SMOOTHING, self.tr("Smoothing (pixels; 0 = none)"))
        p.setHelp(self.tr("Gaussian smoothing along the line."))
        self.addParameter(p)

        p = self.number_parameter(self.SIMPLIFY, self.tr("Simplify tolerance (m; empty = half a cell, 0 = none)"),
                                  optional=True)
        p.setHelp(self.tr("Douglas-Peucker tolerance."))
        self.addParameter(p)

        p = QgsProcessingParameterFeatureSource(
            self.MASK, self.tr("Mask polygons (fronts only inside)"),
            types=[QgsProcessing.TypeVectorPolygon], optional=True,
        )
        p.setHelp(self.tr("Fronts only inside these polygons; another CRS is reprojected."))
        self.addParameter(p)

        p = QgsProcessingParameterFeatureSource(
            self.WALLS, self.tr("Fjord walls (two lines, for between_walls)"),
            types=[QgsProcessing.TypeVectorLine], optional=True,
        )
        p.setHelp(self.tr("One line along each side of the fjord; another CRS is reprojected."))
        self.addParameter(p)

        p = self.number_parameter(self.MIN_MEAN_PROB, self.tr("Minimum mean front probability (empty = keep all)"),
                                  optional=True)
        p.setHelp(self.tr("Drop lines whose mean front probability is below this."))
        self.addParameter(p)

        p = self.number_parameter(self.PIXEL_SIZE, self.tr("Pixel size of a raster without CRS (m; empty = pixels)"),
                                  optional=True)
        p.setHelp(self.tr("Metres per pixel of a PNG: lengths in metres."))
        self.addParameter(p)

        p = QgsProcessingParameterString(self.DATE,
                                         self.tr("Acquisition date (YYYY-MM-DD; empty = from the file name)"),
                                         optional=True)
        p.setHelp(self.tr("Written to the date attribute."))
        self.addParameter(p)

        p = self.number_parameter(self.THRESHOLD, self.tr("Front probability threshold"))
        p.setHelp(self.tr("Probability from which a pixel is front (probability input)."))
        advanced.append(p)

        p = self.number_parameter(self.GROW_THRESHOLD, self.tr("Grow threshold (empty = no growing)"), optional=True)
        p.setHelp(self.tr("front_class: grow the front through connected pixels with at least this probability."))
        advanced.append(p)

        p = self.choice_parameter(self.KEEP, self.tr("Keep (empty = the model's route, else all)"))
        p.setHelp(self.tr("all pieces, or main: the longest line and the pieces within JOIN_DISTANCE of it."))
        advanced.append(p)

        p = self.number_parameter(self.JOIN_DISTANCE, self.tr("Join distance (m; empty = 10 cells)"), optional=True)
        p.setHelp(self.tr("front_class: join pieces that line up across gaps up to this."))
        advanced.append(p)

        p = self.number_parameter(self.ITERATIONS, self.tr("Active contour iterations"))
        p.setHelp(self.tr("active_contour: iterations of the morphological geodesic active contour."))
        advanced.append(p)

        p = self.number_parameter(self.BUFFER, self.tr("Ocean buffer (pixels)"))
        p.setHelp(self.tr("active_contour: keep the outline within this distance of the ocean."))
        advanced.append(p)

        for p in advanced:
            p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(p)

        p = QgsProcessingParameterVectorDestination(
            self.OUTPUT, self.tr("Calving fronts"), type=QgsProcessing.TypeVectorLine
        )
        p.setHelp(self.tr("GeoPackage line layer in the raster's CRS."))
        self.addParameter(p)

        self.addOutput(QgsProcessingOutputNumber(self.FRONT_COUNT, self.tr("Number of front lines")))
        self.addOutput(QgsProcessingOutputNumber(self.TOTAL_LENGTH, self.tr("Total front length")))

    # -- parameters -> job ---------------------------------------------------------------

    def _model(self, parameters, context):
        model = self.parameterAsFile(parameters, self.MODEL, context)
        if not model:
            return None
        if os.path.isfile(model) and os.path.basename(model) == "model.json":
            model = os.path.dirname(model)
        if not os.path.isfile(os.path.join(model, "model.json")):
            raise QgsProcessingException(self.tr("MODEL: {0} is not a model package (no model.json).").format(model))
        return absolute(model)  # the engine runs in a folder of its own

    @staticmethod
    def _written_layer(result: dict, output: str) -> str:
        """OUTPUT as QGIS should load it: the file, or its fronts layer when the GeoPackage holds others."""
        path = result.get("output") or output
        layers = result.get("layers") or []
        return f"{path}|layername={result['layer']}" if len(layers) > 1 and result.get("layer") else path

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS's name)
        layer, input_path = raster_parameter(self, parameters, self.INPUT, context)
        _, probabilities = raster_parameter(self, parameters, self.PROBABILITIES, context)  # grid checked by the engine
        output = absolute(self.parameterAsOutputLayer(parameters, self.OUTPUT, context))
        if not output.lower().endswith(".gpkg"):
            raise QgsProcessingException(self.tr("OUTPUT must be a GeoPackage file (.gpkg)."))
        method = self.parameterAsEnumString(parameters, self.METHOD, context) or "auto"
        date = self.parameterAsString(parameters, self.DATE, context).strip() or None
        with temporary_folder("front") as folder:
            job = {
                "input": input_path,
                "output": output,
                "method": method,
                "probabilities": probabilities,
                "model": self._model(parameters, context),
                "ocean_classes": class_list(self.parameterAsString(parameters, self.OCEAN_CLASSES, context),
                                            self.OCEAN_CLASSES) or None,
                "glacier_classes": class_list(self.parameterAsString(parameters, self.GLACIER_CLASSES, context),
                                              self.GLACIER_CLASSES) or None,
                "front_class": self._optional_number(parameters, self.FRONT_CLASS, context, integer=True),
                "threshold": self.parameterAsDouble(parameters, self.THRESHOLD, context),
                "grow_threshold": self._optional_number(parameters, self.GROW_THRESHOLD, context),
                "keep": self.parameterAsEnumString(parameters, self.KEEP, context) or None,
                "min_length": self._optional_number(parameters, self.MIN_LENGTH, context),
                "smoothing": self.parameterAsDouble(parameters, self.SMOOTHING, context),
                "simplify": self._optional_number(parameters, self.SIMPLIFY, context),
                "join_distance": self._optional_number(parameters, self.JOIN_DISTANCE, context),
                "iterations": self.parameterAsInt(parameters, self.ITERATIONS, context),
                "buffer": self.parameterAsDouble(parameters, self.BUFFER, context),
                "mask": self._vector_file(parameters, self.MASK, context, layer.crs(), folder, feedback=feedback),
                "walls": self._vector_file(parameters, self.WALLS, context, layer.crs(), folder,
                                           QgsWkbTypes.LineGeometry, feedback),
                "min_mean_prob": self._optional_number(parameters, self.MIN_MEAN_PROB, context),
                "pixel_size": self._optional_number(parameters, self.PIXEL_SIZE, context),
                "date": date,
            }
            result = run_engine(self.ENGINE_COMMAND, job, feedback)
        FrontLineStyle.attach(context, result.get("output") or output)
        feedback.pushInfo(
            self.tr("{0} front line(s), {1:.1f} {2} in all ({3}).").format(
                result.get("fronts", 0), result.get("length") or 0.0, result.get("units", ""), result.get("method", "")
            )
        )
        return {
            self.OUTPUT: self._written_layer(result, output),
            self.FRONT_COUNT: result.get("fronts", 0),
            self.TOTAL_LENGTH: result.get("length"),
        }
