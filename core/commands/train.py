"""The ``train`` command: tile datasets in, a model package and an HTML report out.

Runs in one process, or under ``torchrun --nproc_per_node=N -m glacier_terminus.core
train ...`` with DistributedDataParallel (NCCL on GPUs, gloo on CPUs); then only rank 0
writes messages, checkpoints, the package and the report.
"""
from __future__ import annotations

from ..choices import AUGMENTATIONS, CLASS_WEIGHTINGS, MONITORS
from ..engine.cli import Command, Param
from ..geo.flow import DIRECTIONS
from ..segmentation.architectures import ARCHITECTURES, DEFAULT_ARCHITECTURE
from ..segmentation.package import NORMALISATIONS

COMMAND = Command(
    name="train",
    help="Train a segmentation model on tile datasets; writes a model package and an HTML report.",
    job_function="training.trainer:train_job",
    params=(
        Param("datasets", "tile dataset folders (each with dataset.json)", multiple=True, required=True, path="in"),
        Param("output_model", "model package folder to write", required=True, path="out"),
        Param("report", "HTML training report; empty: report.html in the package folder", path="out",
              suffixes=(".html", ".htm")),
        Param("architecture", "network from the registry", str, DEFAULT_ARCHITECTURE,
              choices=tuple(ARCHITECTURES)),
        Param("epochs", "passes over the training tiles", int, 20, minimum=1, maximum=100000),
        Param("batch_size", "tiles per training step", int, 8, minimum=1, maximum=4096),
        Param("learning_rate", "peak learning rate of the one-cycle schedule (0 = find it with a "
                               "learning-rate range test)", float, 0.0, minimum=0, maximum=10),
        Param("validation", "fraction of the source images held out for validation (whole images, "
                            "never tiles of one image on both sides; 0 = none)", float, 0.2, minimum=0, maximum=0.9),
        Param("validation_groups", "hold out these groups (e.g. glaciers) instead of a fraction", multiple=True),
        Param("patience", "stop after this many epochs without improvement (0 = never)", int, 5, minimum=0),
        Param("monitor", "what early stopping and the best epoch look at", str, "valid_loss", choices=MONITORS),
        Param("augment", f"augmentations among {', '.join(AUGMENTATIONS)} (none for no augmentation)",
              multiple=True, default=list(AUGMENTATIONS)),
        Param("normalisation", "input scaling: dataset (each band's mean and std over the training tiles) or "
                               "tile (each tile's own, for scenes of any brightness and contrast)", str,
              "dataset", choices=NORMALISATIONS),
        Param("flow", "the way the glaciers flow in the training tiles (down, right, up, left), recorded in the "
                      "package so that classification can turn other rasters to match; empty: not recorded",
              str, None, choices=DIRECTIONS),
        Param("class_weighting", "class weights of the cross-entropy from pixel counts", str, "sqrt",
              choices=CLASS_WEIGHTINGS),
        Param("dice_weight", "weight of the Dice term added to the cross-entropy", float, 1.0, minimum=0),
        Param("weight_decay", "AdamW weight decay", float, 1e-4, minimum=0),
        Param("device", "auto, cpu or cuda (mixed precision on cuda)", str, "auto", choices=("auto", "cpu", "cuda")),
        Param("init_weights", "start from these weights: a .safetensors file or a model package folder", path="in"),
        Param("resume", "continue an interrupted run from its checkpoint (0/1)", int, 0, minimum=0, maximum=1),
        Param("checkpoint", "checkpoint file; empty: <output_model>.checkpoint.pt", path="out"),
        Param("lr_find_steps", "steps of the learning-rate range test", int, 100, minimum=10, maximum=100000),
        Param("seed", "random seed (split, initial weights, shuffling, augmentation)", int, 0, minimum=0),
        Param("name", "model name in model.json (default: the package folder's name)"),
        Param("weights_dtype", "precision the package stores its weights in", str, "float32",
              choices=("float32", "float16")),
    ),
)
