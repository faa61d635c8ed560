"""The Glacier Terminus engine: Qt-free and QGIS-free; run it with ``python -m glacier_terminus.core``."""
