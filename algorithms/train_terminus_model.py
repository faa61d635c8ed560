"""Train Terminus Model: tile datasets in, a model package and an HTML report out.

Translates the Processing parameters into a job for the engine's ``train`` command (the
contract is ``core/commands/train.py``) and the engine's result back into outputs.
"""
from __future__ import annotations

import os

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.choices import AUGMENTATIONS
from ..core.segmentation.architectures import ARCHITECTURES, DEFAULT_ARCHITECTURE
from ..glacier_provider import settings
from ..glacier_provider.engine import run_engine
from ..glacier_provider.layers import absolute
from .base import GlacierTerminusAlgorithm

DATASET_FILE = "dataset.json"


class TrainTerminusModel(GlacierTerminusAlgorithm):
    """Train a segmentation network on tile datasets made by Export Training Tiles."""

    ALGORITHM_ID = "trainterminusmodel"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("TrainTerminusModel", "Train Terminus Model")
    GROUP_NAME = QT_TRANSLATE_NOOP("TrainTerminusModel", "Training")
    GROUP_ID = "training"
    ENGINE_COMMAND = "train"
    TAGS = QT_TRANSLATE_NOOP(
        "TrainTerminusModel", "glacier,calving front,terminus,training,deep learning,hrnet,model,segmentation"
    )

    DATASETS = "DATASETS"
    ARCHITECTURE = "ARCHITECTURE"
    EPOCHS = "EPOCHS"
    BATCH_SIZE = "BATCH_SIZE"
    LEARNING_RATE = "LEARNING_RATE"
    VALIDATION = "VALIDATION"
    VALIDATION_GROUPS = "VALIDATION_GROUPS"
    PATIENCE = "PATIENCE"
    AUGMENT = "AUGMENT"
    NORMALISATION = "NORMALISATION"
    FLOW = "FLOW"
    DEVICE = "DEVICE"
    INIT_WEIGHTS = "INIT_WEIGHTS"
    RESUME = "RESUME"
    MONITOR = "MONITOR"
    CLASS_WEIGHTING = "CLASS_WEIGHTING"
    DICE_WEIGHT = "DICE_WEIGHT"
    SEED = "SEED"
    OUTPUT_MODEL = "OUTPUT_MODEL"
    REPORT = "REPORT"
    BEST_EPOCH = "BEST_EPOCH"
    MEAN_IOU = "MEAN_IOU"

    DEVICES = settings.DEVICES

    def shortHelpString(self) -> str:  # noqa: N802 (QGIS's name)
        archs = "; ".join(f"{k}: {a.description}" for k, a in ARCHITECTURES.items())
        return self.tr(
            "Trains a segmentation network on tile datasets made by Export Training Tiles and writes a "
            "model package for Classify Pixels, with an HTML training report. Training runs in the Glacier "
            "Terminus engine, a separate Python process; progress is reported per batch and Cancel stops "
            "at the next batch. After every epoch a checkpoint is written next to the model package "
            "(<package>.checkpoint.pt), so an interrupted run can be continued with RESUME; it is removed "
            "when training completes. To train on several GPUs, run the engine on the command line under "
            "torchrun: torchrun --nproc_per_node=N -m glacier_terminus.core train --datasets ... "
            "--output-model ...\n"
            "Tile datasets (DATASETS): one or more tile dataset folders (or their dataset.json files). They "
            "must share bands, tile size and cell size; their classes are merged by value.\n"
            "Architecture (ARCHITECTURE): the network ({0}).\n"
            "Epochs (EPOCHS): passes over the training tiles.\n"
            "Batch size (BATCH_SIZE): tiles per training step; lower it if memory runs out.\n"
            "Learning rate (LEARNING_RATE): peak rate of the one-cycle schedule (AdamW). 0 runs a "
            "learning-rate range test first (as fastai's lr_find) and takes the rate at the valley of "
            "its loss curve; the curve is in the report.\n"
            "Validation fraction (VALIDATION): share of the source images held out to validate on. Whole "
            "images are held out, never tiles of one image on both sides. 0 trains without validation "
            "(the last or lowest-loss epoch is kept).\n"
            "Validation groups (VALIDATION_GROUPS): comma-separated groups (e.g. a glacier) to hold out "
            "instead of a fraction; groups are set when exporting tiles.\n"
            "Patience (PATIENCE): stop after this many epochs without improvement; 0 never stops early. "
            "The package holds the weights of the best epoch.\n"
            "Augmentation (AUGMENT): random flips, quarter turns, brightness / contrast jitter and "
            "SAR-like multiplicative speckle; none selected = no augmentation.\n"
            "Normalisation (NORMALISATION): how input values are scaled for the network: dataset (each "
            "band's mean and standard deviation over the training tiles), tile (each tile's own, so that "
            "bright, hazy or low-contrast scenes reach the network like the scenes it learnt from) or window "
            "(each pixel by the statistics of the tile-sized square around it: like tile, but Classify Pixels "
            "can then run large tiles, faster, with a result that does not depend on the tiling). The "
            "model package records it and Classify Pixels scales the same way.\n"
            "Glacier flows towards (FLOW, optional): down, right, up or left, when the glaciers of every "
            "training raster flow the same way. The model package records it, and Classify Pixels' FLOW "
            "can then turn rasters whose glacier flows another way to match. Leave empty for rasters of "
            "mixed orientation (quarter turns in AUGMENT then teach every way).\n"
            "Device (DEVICE): auto (CUDA GPU when available, else CPU), cpu or cuda. On a GPU, training "
            "uses mixed precision. On the command line: DEVICE=cpu.\n"
            "Initial weights (INIT_WEIGHTS, optional): a .safetensors file (or a model package folder) to "
            "start from, e.g. pretrained encoder weights or an earlier model; layers whose names and "
            "shapes match are taken, the rest start at random.\n"
            "Resume (RESUME): continue an interrupted run of the same settings from its checkpoint.\n"
            "Monitor (MONITOR, advanced): what picks the best epoch and drives early stopping: validation "
            "loss, mean IoU or mean F1.\n"
            "Class weighting (CLASS_WEIGHTING, advanced): cross-entropy class weights from the pixel "
            "counts (sqrt: inverse square root of the frequency; inverse; none; front: only the front "
            "class lifted by sqrt, the zones left at 1), so thin classes such as fronts are not drowned; "
            "a Dice term is added as well.\n"
            "Dice weight (DICE_WEIGHT, advanced): weight of the Dice term in the loss.\n"
            "Seed (SEED, advanced): random seed of the split, initial weights, shuffling and augmentation.\n"
            "Model package (OUTPUT_MODEL): the folder written: model.json (bands with their normalisation, "
            "cell size, tile size, classes, validation metrics and history per epoch) and "
            "weights.safetensors.\n"
            "Training report (REPORT, optional): HTML with loss and metric curves, the learning-rate test, "
            "a batch of training tiles, ground truth beside prediction on validation tiles and per-class "
            "precision, recall, F1, IoU and Dice. Empty: report.html inside the model package.\n"
            "Best epoch (BEST_EPOCH) and validation mean IoU (MEAN_IOU): numbers for models and scripts."
        ).format(archs)

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        params = []
        p = QgsProcessingParameterMultipleLayers(self.DATASETS, self.tr("Tile datasets (folders or dataset.json)"),
                                                 layerType=QgsProcessing.TypeFile)
        p.setHelp(self.tr("Tile dataset folders made by Export Training Tiles."))
        params.append(p)

        p = self.choice_parameter(self.ARCHITECTURE, self.tr("Architecture"))
        p.setHelp(self.tr("The segmentation network."))
        params.append(p)

        def integer(name: str, label: str, help_text: str) -> None:
            p = self.number_parameter(name, label)
            p.setHelp(help_text)
            params.append(p)

        integer(self.EPOCHS, self.tr("Epochs"), self.tr("Passes over the training tiles."))
        integer(self.BATCH_SIZE, self.tr("Batch size (tiles per step)"), self.tr("Tiles per training step."))

        p = self.number_parameter(self.LEARNING_RATE, self.tr("Learning rate (0 = find it)"))
        p.setHelp(self.tr("Peak learning rate; 0 runs a learning-rate range test."))
        params.append(p)

        p = self.number_parameter(self.VALIDATION, self.tr("Validation fraction (of source images)"))
        p.setHelp(self.tr("Share of the source images held out for validation."))
        params.append(p)

        p = QgsProcessingParameterString(self.VALIDATION_GROUPS,
                                         self.tr("Validation groups (comma-separated, e.g. a glacier)"), optional=True)
        p.setHelp(self.tr("Hold out these groups instead of a fraction."))
        params.append(p)

        integer(self.PATIENCE, self.tr("Patience (epochs without improvement; 0 = never stop early)"),
                self.tr("Early stopping after this many epochs without improvement."))

        p = self.choice_parameter(self.AUGMENT, self.tr("Augmentation"), options=AUGMENTATIONS)
        p.setHelp(self.tr("Random flips, quarter turns, brightness / contrast and speckle."))
        params.append(p)

        p = self.choice_parameter(self.NORMALISATION, self.tr("Input normalisation"))
        p.setHelp(self.tr("dataset: the training tiles' band statistics; tile: each tile's own; window: those of a "
                          "tile-sized square around each pixel."))
        params.append(p)

        p = self.choice_parameter(self.FLOW, self.tr("Glacier flows towards (in the training rasters)"))
        p.setHelp(self.tr("Which way the glaciers flow in every training raster; empty when they differ."))
        params.append(p)

        p = QgsProcessingParameterEnum(self.DEVICE, self.tr("Device"), options=list(self.DEVICES),
                                       defaultValue=settings.default_device(), usesStaticStrings=True)
        p.setHelp(self.tr("auto (CUDA when available, else CPU), cpu or cuda."))
        params.append(p)

        p = QgsProcessingParameterFile(self.INIT_WEIGHTS, self.tr("Initial weights (.safetensors)"),
                                       extension="safetensors", optional=True)
        p.setHelp(self.tr("Weights to start from; matching layers are taken."))
        params.append(p)

        p = QgsProcessingParameterBoolean(self.RESUME, self.tr("Resume an interrupted run from its checkpoint"),
                                          defaultValue=False)
        p.setHelp(self.tr("Continue from <package>.checkpoint.pt with the same settings."))
        params.append(p)

        advanced = []
        p = self.choice_parameter(self.MONITOR, self.tr("Monitor (best epoch, early stopping)"))
        p.setHelp(self.tr("Validation loss, mean IoU or mean F1."))
        advanced.append(p)
        p = self.choice_parameter(self.CLASS_WEIGHTING, self.tr("Class weighting of the cross-entropy"))
        p.setHelp(self.tr("Class weights from pixel counts: sqrt, inverse or none."))
        advanced.append(p)
        p = self.number_parameter(self.DICE_WEIGHT, self.tr("Dice weight"))
        p.setHelp(self.tr("Weight of the Dice term added to the cross-entropy."))
        advanced.append(p)
        p = self.number_parameter(self.SEED, self.tr("Random seed"))
        p.setHelp(self.tr("Seed of the split, initial weights, shuffling and augmentation."))
        advanced.append(p)
        for p in advanced:
            p.setFlags(p.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            params.append(p)

        p = QgsProcessingParameterFolderDestination(self.OUTPUT_MODEL, self.tr("Model package"))
        p.setHelp(self.tr("Folder with model.json and weights.safetensors."))
        params.append(p)

        p = QgsProcessingParameterFileDestination(self.REPORT, self.tr("Training report"),
                                                  fileFilter=self.tr("HTML files (*.html)"), optional=True,
                                                  createByDefault=False)
        p.setHelp(self.tr("HTML report; empty for report.html in the model package."))
        params.append(p)

        for p in params:
            self.addParameter(p)
        self.addOutput(QgsProcessingOutputNumber(self.BEST_EPOCH, self.tr("Best epoch")))
        self.addOutput(QgsProcessingOutputNumber(self.MEAN_IOU, self.tr("Validation mean IoU")))

    def _datasets(self, parameters, context) -> list:
        paths = self.parameterAsFileList(parameters, self.DATASETS, context)
        if not paths:
            raise QgsProcessingException(self.tr("DATASETS: give at least one tile dataset folder."))
        folders = []
        for path in paths:
            folder = os.path.dirname(path) if os.path.basename(path) == DATASET_FILE else path
            if not os.path.isdir(folder):
                raise QgsProcessingException(self.tr("DATASETS: {0} is not a folder.").format(path))
            if not os.path.isfile(os.path.join(folder, DATASET_FILE)):
                raise QgsProcessingException(self.tr(
                    "DATASETS: folder {0} has no dataset.json; make a tile dataset with Export Training Tiles."
                ).format(folder))
            folders.append(os.path.abspath(folder))
        return folders

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS's name)
        datasets = self._datasets(parameters, context)
        output = os.path.abspath(self.parameterAsString(parameters, self.OUTPUT_MODEL, context))
        report = absolute(self.parameterAsFileOutput(parameters, self.REPORT, context))
        groups = self.parameterAsString(parameters, self.VALIDATION_GROUPS, context) or ""
        init_weights = self.parameterAsFile(parameters, self.INIT_WEIGHTS, context)
        augment = self.parameterAsEnumStrings(parameters, self.AUGMENT, context) or ["none"]
        job = {
            "datasets": datasets,
            "output_model": output,
            "report": report,
            "architecture": self.parameterAsEnumString(parameters, self.ARCHITECTURE, context) or DEFAULT_ARCHITECTURE,
            "epochs": self.parameterAsInt(parameters, self.EPOCHS, context),
            "batch_size": self.parameterAsInt(parameters, self.BATCH_SIZE, context),
            "learning_rate": self.parameterAsDouble(parameters, self.LEARNING_RATE, context),
            "validation": self.parameterAsDouble(parameters, self.VALIDATION, context),
            "validation_groups": [g.strip() for g in groups.split(",") if g.strip()],
            "patience": self.parameterAsInt(parameters, self.PATIENCE, context),
            "augment": augment,
            "normalisation": self.parameterAsEnumString(parameters, self.NORMALISATION, context) or "dataset",
            "flow": self.parameterAsEnumString(parameters, self.FLOW, context) or None,
            "device": self.parameterAsEnumString(parameters, self.DEVICE, context) or settings.default_device(),
            "init_weights": absolute(init_weights),
            "resume": 1 if self.parameterAsBool(parameters, self.RESUME, context) else 0,
            "monitor": self.parameterAsEnumString(parameters, self.MONITOR, context) or "valid_loss",
            "class_weighting": self.parameterAsEnumString(parameters, self.CLASS_WEIGHTING, context) or "sqrt",
            "dice_weight": self.parameterAsDouble(parameters, self.DICE_WEIGHT, context),
            "seed": self.parameterAsInt(parameters, self.SEED, context),
        }
        result = run_engine(self.ENGINE_COMMAND, job, feedback)
        return {
            self.OUTPUT_MODEL: result.get("output_model") or output,
            self.REPORT: result.get("report"),
            self.BEST_EPOCH: result.get("best_epoch"),
            self.MEAN_IOU: (result.get("validation") or {}).get("mean_iou"),
        }
