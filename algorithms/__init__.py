"""The provider's algorithms: one module per QgsProcessingAlgorithm, no numerics here.

``ALGORITHMS`` is the registry the provider loads; add new algorithm classes to it.
"""
from .classify_pixels import ClassifyPixels

ALGORITHMS = (ClassifyPixels,)

__all__ = ["ALGORITHMS", "ClassifyPixels"]
