"""The ``glacierterminus`` Processing provider."""
from __future__ import annotations

import os

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from . import settings

PROVIDER_ID = "glacierterminus"
VERSION = "0.1.0"


def _version() -> str:
    """The plugin version from metadata.txt (falls back to the built-in one)."""
    try:
        with open(os.path.join(settings.PLUGIN_DIR, "metadata.txt"), encoding="utf-8") as f:
            for line in f:
                if line.startswith("version="):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return VERSION


class GlacierTerminusProvider(QgsProcessingProvider):
    """Holds the Glacier Terminus algorithms and their settings."""

    def id(self) -> str:
        return PROVIDER_ID

    def name(self) -> str:
        return "Glacier Terminus"

    def longName(self) -> str:  # noqa: N802 (QGIS's name)
        return f"Glacier Terminus {_version()}"

    def versionInfo(self) -> str:  # noqa: N802 (QGIS's name)
        return _version()

    def icon(self) -> QIcon:
        return QIcon(settings.ICON_PATH)

    def svgIconPath(self) -> str:  # noqa: N802 (QGIS's name)
        return settings.ICON_PATH

    def load(self) -> bool:
        from .gdal_messages import quiet_in_qgis_process

        quiet_in_qgis_process()
        settings.add_settings(self.icon())
        self.refreshAlgorithms()
        return True

    def unload(self) -> None:
        settings.remove_settings()

    def loadAlgorithms(self) -> None:  # noqa: N802 (QGIS's name)
        from ..algorithms import ALGORITHMS

        for algorithm_class in ALGORITHMS:
            self.addAlgorithm(algorithm_class())

    # The engine writes GeoTIFF only; offering other extensions would write GeoTIFF
    # bytes under a misleading name.
    def supportedOutputRasterLayerExtensions(self) -> list:  # noqa: N802 (QGIS's name)
        return ["tif", "tiff"]

    def defaultRasterFileExtension(self) -> str:  # noqa: N802 (QGIS's name)
        return "tif"

    # Likewise the engine writes vector layers (front lines) as GeoPackage only.
    def supportedOutputVectorLayerExtensions(self) -> list:  # noqa: N802 (QGIS's name)
        return ["gpkg"]

    def defaultVectorFileExtension(self, hasGeometry: bool = True) -> str:  # noqa: N802, N803 (QGIS's names)
        return "gpkg"

