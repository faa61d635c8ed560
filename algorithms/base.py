"""The base of every Glacier Terminus algorithm, after QGIS's own ``QgisAlgorithm``.

An algorithm declares its identity once, as class attributes (and the engine command it runs), and keeps its parameters,
help and job; the base answers QGIS's identity calls and holds the steps that several
algorithms take from parameters to a job (feature sources, optional numbers, masks).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from qgis.core import (
    QgsMapLayer,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
    QgsProperty,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ..core.engine.cli import commands
from ..core.engine.paths import file_part, refuse_overlaps
from ..core.engine.protocol import EngineError
from ..core.segmentation.shipped_models import shipped_model_path
from ..glacier_provider import settings
from ..glacier_provider.gdal_messages import reading_user_layers
from ..glacier_provider.layers import write_geojson
from ..glacier_provider.rasters import raster_file
from ..glacier_provider.settings import ICON_PATH

#: The files of a model package folder.
MODEL_FILES = ("model.json", "weights.safetensors")
#: TTA's third option: the engine takes the setting the model's validation used (model.json's classify).
TTA_FROM_MODEL = 2


def shipped_model_folder(name: str) -> str:
    """The folder of a shipped model, as QGIS reached the plugin (symlinks kept)."""
    return str(shipped_model_path(name, Path(settings.PLUGIN_DIR) / "models"))


#: Parameter types (``definition.type()``) whose value is a layer or a file the run reads.
LAYER_TYPES = ("raster", "vector", "source", "layer", "mesh")


class ClassLayer(NamedTuple):
    """A class layer parameter as the engine gets it."""

    path: str | None  # the raster file, or the GeoJSON the vector layer was written to
    kind: str | None  # raster, polygons or lines
    source: str | None  # the layer's own source, as QGIS names it (recorded with the tiles)


class GlacierTerminusAlgorithm(QgsProcessingAlgorithm):
    """Base of the provider's algorithms; each declares the six attributes below once.

    ``tr()`` uses the concrete class's name as context, as pylupdate does for ``self.tr("...")``; the
    translated attributes are ``QT_TRANSLATE_NOOP("<class name>", "...")``, which pylupdate files under
    that same context (a class-level ``QT_TR_NOOP`` would land in no class's context).
    """

    # No trailing comma inside QT_TRANSLATE_NOOP(...): pylupdate skips such a call. GROUP_NAME,
    # not GROUP, which Export Training Tiles uses for a parameter.
    ALGORITHM_ID = ""  # name(): the id after "glacierterminus:"
    DISPLAY_NAME = ""  # displayName(), translated
    GROUP_NAME = ""  # group(), translated
    GROUP_ID = ""  # groupId()
    ENGINE_COMMAND = ""  # the engine command (core/<module>.COMMAND) the algorithm's job is for
    TAGS = ""  # tags(), translated, then split at commas

    def tr(self, text: str) -> str:
        return QCoreApplication.translate(type(self).__name__, text)

    def createInstance(self):  # noqa: N802 (QGIS's name)
        return type(self)()

    def name(self) -> str:
        return self.ALGORITHM_ID

    def displayName(self) -> str:  # noqa: N802 (QGIS's name)
        return self.tr(self.DISPLAY_NAME)

    def group(self) -> str:
        return self.tr(self.GROUP_NAME)

    def groupId(self) -> str:  # noqa: N802 (QGIS's name)
        return self.GROUP_ID

    def icon(self) -> QIcon:
        return QIcon(ICON_PATH)

    def tags(self) -> list:
        return self.tr(self.TAGS).split(",")

    # -- parameters ----------------------------------------------------------------------

    def number_parameter(self, name: str, description: str, optional: bool = False) -> QgsProcessingParameterNumber:
        """Number parameter ``name`` with the type, default and bounds of the engine's declaration of
        it (``ENGINE_COMMAND``'s parameter of that name): one declaration serves the command line,
        job files and the dialog. Optional when ``optional`` or when it has no default."""
        spec = commands()[self.ENGINE_COMMAND].param(name)
        kind = QgsProcessingParameterNumber.Integer if spec.type is int else QgsProcessingParameterNumber.Double
        p = QgsProcessingParameterNumber(name, description, type=kind, defaultValue=spec.default,
                                         optional=optional or spec.default is None)
        if spec.minimum is not None:
            p.setMinimum(spec.minimum)
        if spec.maximum is not None:
            p.setMaximum(spec.maximum)
        return p

    def choice_parameter(self, name: str, description: str, options=None) -> QgsProcessingParameterEnum:
        """Choice parameter ``name`` (static strings) with the values and default of the engine's
        declaration of it; ``options`` only for a list parameter whose values the declaration does not
        enumerate. A list parameter allows several values; one without a default is optional."""
        spec = commands()[self.ENGINE_COMMAND].param(name)
        values = list(options if options is not None else spec.choices or ())
        return QgsProcessingParameterEnum(name, description, options=values, allowMultiple=spec.multiple,
                                          defaultValue=spec.default, optional=spec.multiple or spec.default is None,
                                          usesStaticStrings=True)

    def tta_parameter(self, name: str) -> QgsProcessingParameterEnum:
        """TTA: off (0), on (1) or, by default, the setting the model's validation used (2)."""
        translate = QCoreApplication.translate  # pylupdate files these under the base's name
        p = QgsProcessingParameterEnum(
            name, translate("GlacierTerminusAlgorithm", "Test-time augmentation (flips)"),
            options=[translate("GlacierTerminusAlgorithm", "off"), translate("GlacierTerminusAlgorithm", "on"),
                     translate("GlacierTerminusAlgorithm", "the model's recorded setting")],
            defaultValue=TTA_FROM_MODEL)
        p.setHelp(translate("GlacierTerminusAlgorithm", "Average the classification of flipped tiles (slower, often "
                                                        "cleaner); by default as the model's validation did."))
        return p

    def tta_value(self, parameters, name: str, context) -> int | None:
        """TTA for the engine: 0, 1, or None (the model's recorded setting); QGIS also reads TTA=true as 1."""
        value = parameters.get(name)
        if isinstance(value, bool):
            return int(value)
        choice = self.parameterAsEnum(parameters, name, context)
        return None if choice == TTA_FROM_MODEL else choice

    def model_folder(self, parameters, name: str, context, shipped: str) -> str:
        """Model parameter ``name`` as a package folder (the model.json file accepted too), or the shipped
        model ``shipped`` when it is empty; a folder that is not a package is a one-line error."""
        translate = QCoreApplication.translate
        model = self.parameterAsFile(parameters, name, context) or shipped_model_folder(shipped)
        if model and os.path.isfile(model) and os.path.basename(model) == "model.json":
            model = os.path.dirname(model)  # accept the model.json file itself
        if not model or not os.path.isdir(model):
            raise QgsProcessingException(translate("GlacierTerminusAlgorithm", "MODEL: folder {0} does not exist.")
                                         .format(model or translate("GlacierTerminusAlgorithm", "(empty)")))
        for file in MODEL_FILES:
            if not os.path.isfile(os.path.join(model, file)):
                raise QgsProcessingException(translate(
                    "GlacierTerminusAlgorithm", "MODEL: folder {0} has no {1}; a model package holds {2}.").format(
                    model, file, " and ".join(MODEL_FILES)))
        return os.path.abspath(model)

    # -- before the run ------------------------------------------------------------------

    def addParameter(self, definition, createOutput=True):  # noqa: N802, N803 (QGIS's names)
        """QGIS's addParameter; a number's help ends with the bounds the engine declares for it."""
        bounds = self._bounds_text(definition.name()) if definition.type() == "number" else ""
        if bounds:
            definition.setHelp(f"{definition.help()} {bounds}".strip())
        return super().addParameter(definition, createOutput)

    def _engine_param(self, name: str):
        """The engine's declaration of parameter ``name`` (``ENGINE_COMMAND``'s), or None where it has none."""
        try:
            return commands()[self.ENGINE_COMMAND].param(name)
        except KeyError:
            return None

    def _bounds_text(self, name: str) -> str:
        """"From 1 to 4096.", "At least 0.", "At most 1." or "" for the engine's bounds of parameter ``name``."""
        spec = self._engine_param(name)
        if spec is None:
            return ""
        translate = QCoreApplication.translate
        low, high = spec.minimum, spec.maximum
        if low is not None and high is not None:
            return translate("GlacierTerminusAlgorithm", "From {0} to {1}.").format(f"{low:g}", f"{high:g}")
        if low is not None:
            return translate("GlacierTerminusAlgorithm", "At least {0}.").format(f"{low:g}")
        if high is not None:
            return translate("GlacierTerminusAlgorithm", "At most {0}.").format(f"{high:g}")
        return ""

    def checkParameterValues(self, parameters, context):  # noqa: N802 (QGIS's name)
        """QGIS's checks, which open the layers: without GDAL's notice that a raster has no georeferencing
        and without the statistics files GDAL would write beside them (:func:`reading_user_layers`). A
        number outside its bounds is refused first with the engine's message, which names them (QGIS's
        own says only "Incorrect parameter value")."""
        problem = self._number_problem(parameters)
        if problem:
            return False, problem
        with reading_user_layers():
            return super().checkParameterValues(parameters, context)

    def _number_problem(self, parameters) -> str:
        """The engine's one-line message for the first number parameter its declaration refuses, or ""."""
        for d in self.parameterDefinitions():
            value = parameters.get(d.name())
            spec = self._engine_param(d.name()) if d.type() == "number" else None
            if spec is None or value in (None, "") or isinstance(value, QgsProperty):
                continue
            try:
                spec.checked(value)
            except EngineError as exc:
                return str(exc)
        return ""

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS's name)
        """Refuse, before any work, an output that would overwrite one of the run's inputs (a layer's
        file, a model or dataset folder) or another of its outputs."""
        try:
            with reading_user_layers():
                refuse_overlaps(self._input_files(parameters, context), self._output_files(parameters, context))
        except EngineError as exc:
            raise QgsProcessingException(str(exc)) from None
        return True

    def _input_files(self, parameters, context) -> dict:
        """Parameter name -> the files and folders it reads (layers by their source's file)."""
        found = {}
        for d in self.parameterDefinitions():
            name, kind = d.name(), d.type()
            if d.isDestination() or parameters.get(name) in (None, ""):
                continue
            if kind in LAYER_TYPES:
                layer = self.parameterAsLayer(parameters, name, context)
                found[name] = [layer.source()] if layer is not None else []
            elif kind == "multilayer":
                found[name] = list(self.parameterAsFileList(parameters, name, context))
            elif kind == "file":
                found[name] = [self.parameterAsFile(parameters, name, context)]
        return {name: [p for p in paths if p and os.path.exists(file_part(p))] for name, paths in found.items()}

    def _output_files(self, parameters, context) -> dict:
        """Destination parameter name -> the file or folder it names (temporary outputs left out:
        QGIS gives each a new name)."""
        found = {}
        for d in self.destinationParameterDefinitions():
            value = parameters.get(d.name())
            if isinstance(value, QgsProcessingOutputLayerDefinition):
                value = value.sink
            if isinstance(value, QgsProperty):
                value = value.staticValue()
            text = str(value or "")
            if text.startswith("ogr:"):
                continue  # a database connection string, not a file of ours
            if text and text != QgsProcessing.TEMPORARY_OUTPUT and not text.startswith("memory:"):
                found[d.name()] = text
        return found

    # -- parameters -> job ---------------------------------------------------------------

    def _feature_source(self, parameters, name: str, context):
        """The feature source of parameter ``name``, or QGIS's one-line error when it cannot be read."""
        source = self.parameterAsSource(parameters, name, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, name))
        return source

    def _optional_number(self, parameters, name: str, context, integer: bool = False):
        """Parameter ``name`` as an int (``integer``) or a float; None when it is left empty."""
        if parameters.get(name) in (None, ""):
            return None
        if integer:
            return self.parameterAsInt(parameters, name, context)
        return self.parameterAsDouble(parameters, name, context)

    def _vector_file(self, parameters, name: str, context, crs, folder: str,
                     geometry=QgsWkbTypes.PolygonGeometry, feedback=None):
        """Write vector parameter ``name`` (polygons, or the ``geometry`` type given) in ``crs`` to
        ``folder``/<name>.geojson and return that path; None when the parameter is left empty. Warnings
        (a layer whose CRS cannot be right) go to ``feedback``."""
        if parameters.get(name) in (None, ""):
            return None
        source = self._feature_source(parameters, name, context)
        path = os.path.join(folder, f"{name.lower()}.geojson")
        write_geojson(source, path, crs, context.transformContext(), geometry, name, feedback=feedback)
        return path

    def _class_layer(self, parameters, name: str, field_name: str, context, crs, folder: str, feedback,
                     lines: bool = False) -> ClassLayer:
        """A class layer parameter for the engine: a class raster (its file), a polygon layer with the
        class in parameter ``field_name`` or, with ``lines``, a line layer of fronts (written as GeoJSON
        in ``crs`` to ``folder``). All None when left empty."""
        value = self.parameterAsString(parameters, name, context)
        if not value:
            return ClassLayer(None, None, None)
        layer = self.parameterAsLayer(parameters, name, context)
        # Messages of the base class: pylupdate files them under its name, not the concrete class's.
        allowed = (QCoreApplication.translate("GlacierTerminusAlgorithm",
                                              "a class raster, a polygon layer or a line layer")
                   if lines else QCoreApplication.translate("GlacierTerminusAlgorithm",
                                                            "a class raster or a polygon layer"))
        if layer is None or not layer.isValid():
            raise QgsProcessingException(QCoreApplication.translate(
                "GlacierTerminusAlgorithm", "{0}: {1} is not a layer QGIS can read.").format(name, value))
        if layer.type() == QgsMapLayer.RasterLayer:
            return ClassLayer(raster_file(layer, value, name), "raster", layer.source())
        geometry = QgsWkbTypes.geometryType(layer.wkbType()) if layer.type() == QgsMapLayer.VectorLayer else None
        path = os.path.join(folder, f"{name.lower()}.geojson")
        if geometry == QgsWkbTypes.PolygonGeometry:
            field = self.parameterAsString(parameters, field_name, context)
            if not field:
                raise QgsProcessingException(QCoreApplication.translate(
                    "GlacierTerminusAlgorithm",
                    "{0} is required with polygon {1}: the field that holds each polygon's class.").format(
                    field_name, name))
            write_geojson(layer, path, crs, context.transformContext(), geometry, name, fields=[field],
                          feedback=feedback)
            return ClassLayer(path, "polygons", layer.source())
        if geometry == QgsWkbTypes.LineGeometry and lines:
            write_geojson(layer, path, crs, context.transformContext(), geometry, name, feedback=feedback)
            return ClassLayer(path, "lines", layer.source())
        raise QgsProcessingException(
            QCoreApplication.translate("GlacierTerminusAlgorithm", "{0} must be {1}.").format(name, allowed))


__all__ = ["GlacierTerminusAlgorithm", "ICON_PATH"]
