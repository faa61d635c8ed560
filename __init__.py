"""Glacier Terminus: a QGIS Processing plugin that maps calving fronts.

The package root is the plugin folder. Nothing here imports QGIS at module level,
so the engine (``glacier_terminus.core``) can be imported without QGIS installed.
"""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    """QGIS entry point."""
    from .plugin import GlacierTerminusPlugin

    return GlacierTerminusPlugin(iface)
