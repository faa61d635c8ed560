"""Calving fronts: tracing them in class rasters, extracting lines, measuring errors and the terminus through time."""
