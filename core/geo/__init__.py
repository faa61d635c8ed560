"""Geodata without QGIS: rasters, vectors and WKB, polylines, tiles, flow direction, dates, imagery kind."""
