"""The QGIS plugin object: registers the Glacier Terminus Processing provider.

QGIS desktop calls ``initGui``; ``qgis_process`` calls only ``initProcessing`` (the
plugin declares ``hasProcessingProvider=yes``). Nothing heavy is imported here:
``qgis_process`` loads every enabled plugin on every call.
"""
from __future__ import annotations

import os

from qgis.core import Qgis, QgsApplication, QgsMessageLog
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from .glacier_provider.provider import GlacierTerminusProvider

PLUGIN_DIR = os.path.dirname(os.path.abspath(__file__))


class GlacierTerminusPlugin:
    """Plugin entry: adds the provider to the Processing registry and removes it on unload."""

    def __init__(self, iface=None):
        self.iface = iface
        self.provider: GlacierTerminusProvider | None = None
        self.translator: QTranslator | None = None
        self.engine_problem: str | None = None  # set by check_engine once it has run
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
        self.check_engine()

    def check_engine(self) -> None:
        """Check in the background that the engine interpreter has torch and the rest; if not,
        say so once in the message bar, with the command that fixes it (QGIS's own Python is
        never touched)."""
        from qgis.core import QgsTask

        from .glacier_provider.engine import engine_problem

        def finished(exception, problem=None) -> None:
            self.engine_problem = problem
            if problem and self.iface is not None:
                self.iface.messageBar().pushMessage("Glacier Terminus", problem, level=Qgis.Warning, duration=0)
            if problem:
                QgsMessageLog.logMessage(problem, "Glacier Terminus", Qgis.Warning)

        self._check_task = QgsTask.fromFunction("Glacier Terminus: checking the engine",
                                                lambda task: engine_problem(), on_finished=finished)
        QgsApplication.taskManager().addTask(self._check_task)

    def unload(self) -> None:
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
