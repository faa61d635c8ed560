"""The provider's algorithms: one module per algorithm (subclasses of
``base.GlacierTerminusAlgorithm``), no numerics here.

``ALGORITHMS`` is the registry the provider loads; add new algorithm classes to it.
"""
from .classify_pixels import ClassifyPixels
from .csc_refine import CscRefine
from .evaluate_fronts import EvaluateFronts
from .export_training_tiles import ExportTrainingTiles
from .extract_calving_front import ExtractCalvingFront
from .map_calving_fronts import MapCalvingFronts
from .terminus_change import TerminusChange
from .train_terminus_model import TrainTerminusModel

ALGORITHMS = (
    ExportTrainingTiles, TrainTerminusModel, ClassifyPixels, CscRefine, ExtractCalvingFront, EvaluateFronts,
    TerminusChange, MapCalvingFronts,
)

__all__ = [
    "ALGORITHMS", "ExportTrainingTiles", "TrainTerminusModel", "ClassifyPixels", "CscRefine", "ExtractCalvingFront",
    "EvaluateFronts", "TerminusChange", "MapCalvingFronts",
]
