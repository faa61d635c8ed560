"""``tr()`` for module-level functions of the provider: messages in pylupdate's ``@default`` context.

pylupdate5 files a ``tr("...")`` call made outside any class under the context
``@default``, and lrelease keeps that name; translating in the same context at run time is
what makes those messages find their translations. (A per-module context such as
``"GlacierTerminusEngine"`` would never match what pylupdate extracted.)
"""
from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication

CONTEXT = "@default"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


__all__ = ["tr", "CONTEXT"]
