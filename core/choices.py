"""The choice lists of algorithm parameters, light enough for the Processing algorithms to import."""

#: Extract Calving Front's METHOD: the routes from a class raster to front lines (auto picks one
#: from the classes and WALLS).
EXTRACT_METHODS = ("auto", "front_class", "zone_boundary", "active_contour", "between_walls", "between_rock",
                   "supported_boundary")
#: export_caffe_tiles' LABELS: the zones with the front drawn over them, the zones, or the front.
CAFFE_LABELS = ("zones_front", "zones", "front")
#: Extract Calving Front's KEEP: every front piece, or the main front (the longest line and those
#: within JOIN_DISTANCE of it).
KEEP = ("all", "main")
#: Train's AUGMENT: the augmentations a training run can apply.
AUGMENTATIONS = ("flip", "rotate", "brightness", "speckle")
#: Train's MONITOR: what early stopping and the best epoch look at.
MONITORS = ("valid_loss", "mean_iou", "mean_f1")
#: Train's CLASS_WEIGHTING: class weights of the cross-entropy from pixel counts (front: only the
#: front class lifted, the zones left at 1).
CLASS_WEIGHTINGS = ("none", "sqrt", "inverse", "front")
#: Classify Pixels' RUNTIME: what runs the network (auto: onnxruntime on CPU when installed, else torch).
INFERENCE_RUNTIMES = ("auto", "torch", "onnxruntime")
#: Terminus Change's METHOD: measure along a box or a centreline (auto: from REFERENCE's geometry).
TERMINUS_METHODS = ("auto", "box", "centreline")
#: Evaluate Fronts' MATCH: how predicted and reference fronts of the same image are paired.
FRONT_MATCHES = ("auto", "date", "source", "order", "all")
#: The synthetic command's KIND: which sensor a synthetic scene imitates.
SYNTHETIC_KINDS = ("optical", "sar")
