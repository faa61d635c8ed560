"""The QGIS plugin object: registers the Glacier Terminus Processing provider.

QGIS desktop calls ``initGui``; ``qgis_process`` calls only ``initProcessing`` (the
plugin declares ``hasProcessingProvider=yes``). Nothing heavy is imported here:
``qgis_process`` loads every enabled plugin on every call.
"""
from __future__ import annotations

import os

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from .glacier_provider.provider import GlacierTerminusProvider

PLUGIN_DIR = os.path.dirname(os.path.abspath(__file__))


class GlacierTerminusPlugin:
    """Plugin entry: adds the provider to the Processing registry and removes it on unload."""

    def __init__(self, iface=None):
        self.iface = iface
        self.provider: GlacierTerminusProvider | None = None
        self.translator: QTranslator | None = None
        self._install_translator()

    def _install_translator(self) -> None:
        """Load ``i18n/glacier_terminus_<locale>.qm`` if the user's locale has one."""
        locale = str(QgsApplication.locale() or QLocale.system().name())
        for name in (locale, locale[:2]):
            path = os.path.join(PLUGIN_DIR, "i18n", f"glacier_terminus_{name}.qm")
            if name and os.path.isfile(path):
                translator = QTranslator()
                if translator.load(path):
                    QCoreApplication.installTranslator(translator)
                    self.translator = translator
                return

    def initProcessing(self) -> None:  # noqa: N802 (QGIS's name)
        if self.provider is None:
            self.provider = GlacierTerminusProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self) -> None:  # noqa: N802 (QGIS's name)
        self.initProcessing()

    def unload(self) -> None:
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
