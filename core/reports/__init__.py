"""Report outputs: CSV tables, figures and HTML pages, and the preview picture of a raster with its fronts."""
