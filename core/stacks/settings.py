"""The settings a stack run hands to ``classify`` and to ``extract_front`` (each declared by that command)."""
from __future__ import annotations

#: Handed to ``classify``; ``pixel_size`` goes to ``extract_front`` too.
CLASSIFY_KEYS = ("model", "shipped_model", "bands", "padding", "tile_size", "batch_size", "cell_size", "pixel_size",
                 "device", "runtime", "tta", "flow")
#: ``extract_front``'s own settings.
EXTRACT_KEYS = ("method", "ocean_classes", "glacier_classes", "front_class", "threshold", "grow_threshold", "keep",
                "min_length", "smoothing", "simplify", "join_distance", "iterations", "buffer", "mask", "walls",
                "min_mean_prob")
#: What ``extract_front`` is handed: its own settings and the raster's ``pixel_size``.
EXTRACT_JOB_KEYS = (*EXTRACT_KEYS, "pixel_size")
