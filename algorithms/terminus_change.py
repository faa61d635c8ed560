"""Terminus Change: dated fronts + a box or centreline -> terminus position through time.

Translates the Processing parameters into a job for the engine's ``terminus_change``
command (the contract is ``core/fronts/terminus_change.py``) and the engine's result back.
"""
from __future__ import annotations

import os

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..glacier_provider.engine import run_engine
from ..glacier_provider.layers import absolute, temporary_folder, write_geojson
from .base import GlacierTerminusAlgorithm


class TerminusChange(GlacierTerminusAlgorithm):
    """Terminus position time series by the box method or along a centreline."""

    ALGORITHM_ID = "terminuschange"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("TerminusChange", "Terminus Change")
    GROUP_NAME = QT_TRANSLATE_NOOP("TerminusChange", "Calving fronts")
    GROUP_ID = "calvingfronts"
    ENGINE_COMMAND = "terminus_change"
    TAGS = QT_TRANSLATE_NOOP(
        "TerminusChange", "glacier,calving front,terminus,retreat,advance,box method,centreline,time series"
    )

    FRONTS = "FRONTS"
    DATE_FIELD = "DATE_FIELD"
    REFERENCE = "REFERENCE"
    METHOD = "METHOD"
    REVERSE = "REVERSE"
    REFERENCE_FRONTS = "REFERENCE_FRONTS"
    PIXEL_SIZE = "PIXEL_SIZE"
    OUTPUT = "OUTPUT"
    OUTPUT_PLOT = "OUTPUT_PLOT"
    OUTPUT_HTML = "OUTPUT_HTML"
    MEASURED = "MEASURED"
    TOTAL_CHANGE = "TOTAL_CHANGE"


    def shortHelpString(self) -> str:  # noqa: N802 (QGIS's name)
        return self.tr(
            "Measures the terminus position of a glacier through time from dated calving fronts.\n"
            "Fronts (FRONTS): a line layer with one or more lines per date (e.g. Extract Calving Front "
            "outputs merged together); lines of the same date are measured together.\n"
            "Date field (DATE_FIELD): the field holding each front's acquisition date (a date, or text "
            "YYYY-MM-DD); fronts without a readable date are left out with a warning, and a layer "
            "without this field is refused.\n"
            "Box or centreline (REFERENCE): one polygon or one line. A polygon is a box drawn along "
            "the fjord, its long side along flow: the terminus position is the area of the box "
            "between its upstream end and the front, divided by the box's width (the box method). "
            "A line is a centreline: the position is the distance along it from its upstream end to "
            "where the front first crosses it. REFERENCE in another CRS is reprojected.\n"
            "Method (METHOD): auto (from REFERENCE's geometry), box or centreline.\n"
            "Reverse direction (REVERSE): by default the upstream end is the box end nearest the "
            "first vertex drawn, or the centreline's first vertex; tick to use the other end.\n"
            "Terminus positions (OUTPUT): CSV with date, decimal_year, position_m (distance from the upstream end; "
            "larger is farther down-fjord), change_m since the previous date (negative = retreat), "
            "rate_m_per_yr, the number of lines and the share of the box the front crosses. Layers "
            "without CRS give pixel units (_px).\n"
            "Reference fronts (REFERENCE_FRONTS, optional): dated manual fronts, measured the same way: their "
            "positions and the differences go into the table, both series into the plot with a legend, the "
            "mean differences into the report.\n"
            "Pixel size (PIXEL_SIZE, optional): metres per pixel of fronts without CRS (from PNG scenes), for "
            "positions in metres.\n"
            "Plot (OUTPUT_PLOT, optional): PNG of the position through time, with a legend; a gap between "
            "scenes longer than a year and three times their usual spacing is left open. Report "
            "(OUTPUT_HTML, optional): HTML page with the plot, a map of the fronts coloured by date and the "
            "table.\n"
            "Numeric outputs: MEASURED (dates with a position) and TOTAL_CHANGE (last minus first "
            "position)."
        )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        p = QgsProcessingParameterFeatureSource(self.FRONTS, self.tr("Dated fronts"),
                                                types=[QgsProcessing.TypeVectorLine])
        p.setHelp(self.tr("Front lines with an acquisition date field."))
        self.addParameter(p)

        p = QgsProcessingParameterField(
            self.DATE_FIELD, self.tr("Date field"), defaultValue="date", parentLayerParameterName=self.FRONTS,
            # Optional only so that qgis_process (3.22), which does not apply a field
            # parameter's default, can leave it out: empty means "date".
            optional=True,
        )
        p.setHelp(self.tr("Field holding each front's acquisition date."))
        self.addParameter(p)

        p = QgsProcessingParameterFeatureSource(
            self.REFERENCE, self.tr("Box polygon or centreline"),
            types=[QgsProcessing.TypeVectorPolygon, QgsProcessing.TypeVectorLine],
        )
        p.setHelp(self.tr("One box polygon along the fjord (box method) or one centreline."))
        self.addParameter(p)

        p = self.choice_parameter(self.METHOD, self.tr("Method"))
        p.setHelp(self.tr("auto (from REFERENCE's geometry), box or centreline."))
        self.addParameter(p)

        p = QgsProcessingParameterBoolean(self.REVERSE, self.tr("Reverse direction (upstream is the other end)"),
                                          defaultValue=False)
        p.setHelp(self.tr("Use the box end far from the first vertex, or the centreline's last vertex, as upstream."))
        self.addParameter(p)

        p = QgsProcessingParameterFeatureSource(self.REFERENCE_FRONTS, self.tr("Reference (manual) fronts"),
                                                types=[QgsProcessing.TypeVectorLine], optional=True)
        p.setHelp(self.tr("Dated manual fronts: their positions beside the fronts'."))
        self.addParameter(p)

        p = self.number_parameter(self.PIXEL_SIZE, self.tr("Pixel size of fronts without CRS (m; empty = pixels)"),
                                  optional=True)
        p.setHelp(self.tr("Metres per pixel of fronts from PNG scenes: positions in metres."))
        self.addParameter(p)

        p = QgsProcessingParameterFileDestination(self.OUTPUT, self.tr("Terminus positions"),
                                                  self.tr("CSV files (*.csv)"))
        p.setHelp(self.tr("CSV: date, position, change, rate per year."))
        self.addParameter(p)

        p = QgsProcessingParameterFileDestination(
            self.OUTPUT_PLOT, self.tr("Plot"), self.tr("PNG files (*.png)"), optional=True, createByDefault=False
        )
        p.setHelp(self.tr("PNG plot of the terminus position through time."))
        self.addParameter(p)

        p = QgsProcessingParameterFileDestination(
            self.OUTPUT_HTML, self.tr("Report"), self.tr("HTML files (*.html)"), optional=True, createByDefault=True
        )
        p.setHelp(self.tr("HTML page with the plot and the table."))
        self.addParameter(p)

        self.addOutput(QgsProcessingOutputNumber(self.MEASURED, self.tr("Dates with a position")))
        self.addOutput(QgsProcessingOutputNumber(self.TOTAL_CHANGE, self.tr("Total change (last - first)")))

    def _crs(self, fronts, reference):
        """The CRS positions are measured in: FRONTS', or REFERENCE's when only that one is projected."""
        crs = fronts.sourceCrs()
        projected_reference = reference.sourceCrs().isValid() and not reference.sourceCrs().isGeographic()
        if crs.isValid() and crs.isGeographic() and projected_reference:
            return reference.sourceCrs()
        if crs.isValid() and crs.isGeographic():
            raise QgsProcessingException(
                self.tr("FRONTS and REFERENCE are in geographic CRSs ({0}): terminus positions need a projected "
                        "CRS; reproject FRONTS first.").format(crs.authid())
            )
        return crs

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS's name)
        fronts = self._feature_source(parameters, self.FRONTS, context)
        reference = self._feature_source(parameters, self.REFERENCE, context)
        date_field = self.parameterAsString(parameters, self.DATE_FIELD, context) or "date"
        names = fronts.fields().names()
        if fronts.fields().lookupField(date_field) < 0:
            raise QgsProcessingException(
                self.tr("FRONTS has no date field {0} (its fields: {1}); set DATE_FIELD to the field holding "
                        "each front's acquisition date.").format(repr(date_field), ", ".join(names) or self.tr("none"))
            )
        kind = QgsWkbTypes.geometryType(reference.wkbType())
        if kind not in (QgsWkbTypes.PolygonGeometry, QgsWkbTypes.LineGeometry):
            raise QgsProcessingException(self.tr("REFERENCE must be a box polygon or a centreline."))
        crs = self._crs(fronts, reference)
        keep = [date_field] + [n for n in names if n.lower() == "source" and n != date_field]
        with temporary_folder("terminus") as folder:
            fronts_path = os.path.join(folder, "fronts.geojson")
            write_geojson(fronts, fronts_path, crs, context.transformContext(), QgsWkbTypes.LineGeometry,
                          self.FRONTS, keep, feedback)
            reference_path = os.path.join(folder, "reference.geojson")
            write_geojson(reference, reference_path, crs, context.transformContext(), kind, self.REFERENCE, (),
                          feedback)
            manual_path = None
            if parameters.get(self.REFERENCE_FRONTS) not in (None, ""):
                manual = self._feature_source(parameters, self.REFERENCE_FRONTS, context)
                manual_path = os.path.join(folder, "reference_fronts.geojson")
                manual_names = manual.fields().names()
                if manual.fields().lookupField(date_field) < 0:
                    raise QgsProcessingException(
                        self.tr("REFERENCE_FRONTS has no date field {0} (its fields: {1}).").format(
                            repr(date_field), ", ".join(manual_names) or self.tr("none")))
                write_geojson(manual, manual_path, crs, context.transformContext(), QgsWkbTypes.LineGeometry,
                              self.REFERENCE_FRONTS,
                              [date_field] + [n for n in manual_names if n.lower() == "source" and n != date_field],
                              feedback)
            job = {
                "fronts": fronts_path,
                "reference_fronts": manual_path,
                "pixel_size": self._optional_number(parameters, self.PIXEL_SIZE, context),
                "reference": reference_path,
                "output": absolute(self.parameterAsFileOutput(parameters, self.OUTPUT, context)),
                "output_plot": absolute(self.parameterAsFileOutput(parameters, self.OUTPUT_PLOT, context)),
                "output_html": absolute(self.parameterAsFileOutput(parameters, self.OUTPUT_HTML, context)),
                "date_field": date_field,
                "method": self.parameterAsEnumString(parameters, self.METHOD, context) or "auto",
                "reverse": 1 if self.parameterAsBool(parameters, self.REVERSE, context) else 0,
            }
            result = run_engine(self.ENGINE_COMMAND, job, feedback)
        return {
            self.OUTPUT: result.get("output") or job["output"],
            self.OUTPUT_PLOT: result.get("output_plot"),
            self.OUTPUT_HTML: result.get("output_html"),
            self.MEASURED: result.get("measured"),
            self.TOTAL_CHANGE: result.get("total_change"),
        }
