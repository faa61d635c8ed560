"""Training data: tile datasets (dataset.json), labels, and exporting rasters, PNG pairs and CaFFe scenes as tiles."""
