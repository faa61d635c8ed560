"""How outputs look when QGIS loads them: calving fronts as a bold line, above the image.

Class rasters need nothing here: the engine writes their colour table, and QGIS draws a
raster with a colour table with its paletted renderer.
"""
from __future__ import annotations

from qgis.core import QgsLineSymbol, QgsProcessingLayerPostProcessorInterface, QgsSingleSymbolRenderer

FRONT_COLOUR = "#e31a1c"
FRONT_WIDTH_MM = "0.8"


class FrontLineStyle(QgsProcessingLayerPostProcessorInterface):
    """Draws a loaded front layer as a bold red line (the colour of fronts in the reports)."""

    _instances: list = []  # QGIS holds only a raw pointer: keep each post-processor alive

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802, ARG002 (QGIS's names)
        symbol = QgsLineSymbol.createSimple({"line_color": FRONT_COLOUR, "line_width": FRONT_WIDTH_MM,
                                             "capstyle": "round", "joinstyle": "round"})
        layer.setRenderer(QgsSingleSymbolRenderer(symbol))
        layer.triggerRepaint()

    @classmethod
    def attach(cls, context, output: str) -> None:
        """Style ``output`` this way if the run loads it into the project."""
        if context.willLoadLayerOnCompletion(output):
            processor = cls()
            cls._instances.append(processor)
            context.layerToLoadOnCompletionDetails(output).setPostProcessor(processor)
