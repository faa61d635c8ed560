"""Outputs as QGIS loads them: fronts drawn as a bold red line."""
from __future__ import annotations

from qgis.core import QgsProcessingContext, QgsProject, QgsVectorLayer

from glacier_terminus.glacier_provider.styles import FRONT_COLOUR, FrontLineStyle


def test_fronts_loaded_into_the_project_get_the_front_style(qgis_app):  # noqa: ARG001 - QGIS must be running
    context = QgsProcessingContext()
    context.addLayerToLoadOnCompletion("/tmp/fronts.gpkg", QgsProcessingContext.LayerDetails(
        "fronts", QgsProject.instance(), "OUTPUT"))
    FrontLineStyle.attach(context, "/tmp/fronts.gpkg")
    FrontLineStyle.attach(context, "/tmp/not_loaded.gpkg")  # not loaded: nothing to style
    processor = context.layerToLoadOnCompletionDetails("/tmp/fronts.gpkg").postProcessor()
    assert processor is not None

    layer = QgsVectorLayer("LineString?crs=EPSG:3413", "fronts", "memory")
    processor.postProcessLayer(layer, context, None)
    symbol = layer.renderer().symbol()
    assert symbol.color().name() == FRONT_COLOUR and abs(symbol.width() - 0.8) < 1e-9
