"""Extract Calving Front's choices, light enough for the Processing algorithm to import."""

#: METHOD: the routes from a class raster to front lines (auto picks one from the classes and WALLS).
METHODS = ("auto", "front_class", "zone_boundary", "active_contour", "between_walls")
#: KEEP: every front piece, or the main front (the longest line and those within JOIN_DISTANCE of it).
KEEP = ("all", "main")
