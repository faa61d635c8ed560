"""Segmentation networks: the architecture registry, model packages, the shipped models and classifying a raster."""
