"""Write the graphical-modeler chains shipped in ``models/`` (QGIS 3.22 ``.model3`` files).

    cd <plugin folder>
    PYTHONPATH=$PWD/build/plugins:/usr/share/qgis/python/plugins QT_QPA_PLATFORM=offscreen \
        /usr/bin/python3 models/build_model_chains.py

Runs in QGIS's own Python (``qgis.core``; no torch, no rasterio): it starts QGIS
offscreen, registers the Processing plugin and this plugin's provider, builds each
model with the ``QgsProcessingModel*`` API, writes it with ``toFile()``, then loads the
file back and checks it (children present, no validation errors). Run it again after
changing a parameter of a chained algorithm; the output is the same for the same input.

``classify_extract_evaluate.model3`` (group "Glacier Terminus"):

    INPUT, MODEL, BANDS --> Classify Pixels --> class raster + probabilities
                                |
                                v
    class raster, probabilities --> Extract Calving Front (front_class) --> fronts
                                |
                                v
    fronts, REFERENCE, class raster --> Evaluate Fronts (MATCH=all) --> CSV, HTML, numbers
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent
PROVIDER = "glacierterminus"
CHAIN_FILE = "classify_extract_evaluate.model3"
GROUP = "Glacier Terminus"
NAME = "Classify, extract and evaluate fronts"

# Child algorithm ids: model outputs are named "<child id>:<output name>" on the command line.
CLASSIFY, EXTRACT, EVALUATE = "classify", "extract", "evaluate"

#: (child id, child output, model output name, description) of the chain's model outputs.
#: Destination outputs become parameters of the model (``classify:CLASSES=...``). QGIS 3.22 lists
#: only those as the model's outputs; the numbers still come back in the model's results, under
#: ``evaluate:MEAN_DISTANCE`` and so on (the log, ``qgis_process --json``).
CHAIN_OUTPUTS = (
    (CLASSIFY, "OUTPUT", "CLASSES", "Classified raster"),
    (EXTRACT, "OUTPUT", "FRONTS", "Calving fronts (GeoPackage)"),
    (EVALUATE, "OUTPUT", "ERRORS", "Front errors per image (CSV)"),
    (EVALUATE, "OUTPUT_HTML", "REPORT", "Front error report (HTML)"),
    (EVALUATE, "MEAN_DISTANCE", "MEAN_DISTANCE", "Mean distance"),
    (EVALUATE, "MEAN_OF_IMAGE_MEANS", "MEAN_OF_IMAGE_MEANS", "Mean of per-image mean distances"),
    (EVALUATE, "MEDIAN_DISTANCE", "MEDIAN_DISTANCE", "Median distance"),
    (EVALUATE, "MISSING_PREDICTIONS", "MISSING_PREDICTIONS", "Images without a predicted front"),
    (EVALUATE, "EVALUATED", "EVALUATED", "Images evaluated"),
    (EVALUATE, "UNITS", "UNITS", "Distance units"),
)

CHAIN_HELP = {
    "ALG_DESC": (
        "Maps the calving front of one image and measures it against a manual front, in one run: "
        "Classify Pixels (HRNet) classifies the image with a front-line model package, Extract "
        "Calving Front (method front_class) turns the predicted front pixels into lines, and "
        "Evaluate Fronts measures the distances between those lines and the reference front on "
        "the classified raster's pixel grid (all lines of both layers as one image, MATCH=all). "
        "Distances are in metres, or in pixels for a raster without CRS (plain PNG images). "
        "Classification runs on the GPU when one is available (DEVICE auto), else on the CPU. "
        "Besides the files, the results hold the summary of Evaluate Fronts: evaluate:MEAN_DISTANCE, "
        "evaluate:MEAN_OF_IMAGE_MEANS, evaluate:MEDIAN_DISTANCE, evaluate:MISSING_PREDICTIONS, "
        "evaluate:EVALUATED and evaluate:UNITS."
    ),
    "INPUT": "Raster to classify, with the bands the model was trained on.",
    "MODEL": "Model package folder (model.json and weights.safetensors) whose classes include a "
             "front class. Empty: the model shipped with the plugin.",
    "BANDS": "Input bands to classify, in the model's band order; empty for all bands. Grey images "
             "stored as RGB(A), such as the FrontLearning PNGs: band 1.",
    "REFERENCE": "Line layer of the reference (manual) front of this image.",
    "classify:CLASSES": "GeoTIFF, unsigned 8-bit: 0 = NoData, the model's classes from 1.",
    "extract:FRONTS": "GeoPackage line layer of the predicted fronts (source, date, length_m, "
                      "method, mean_prob).",
    "evaluate:ERRORS": "CSV with one row for the image: mean, median and maximum distance, both "
                       "one-sided means, lengths and status.",
    "evaluate:REPORT": "HTML page: summary, error histogram, the front drawn over the class raster.",
    "ALG_CREATOR": "Glacier Terminus",
    "ALG_VERSION": "1",
}


def start_qgis():
    """QGIS offscreen with Processing and this plugin's provider registered; returns the app."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Qt orders XML attributes by a per-process hash seed: a fixed seed gives the same bytes every run.
    os.environ["QT_HASH_SEED"] = "0"
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    from glacier_terminus.glacier_provider.provider import GlacierTerminusProvider

    registry = QgsApplication.processingRegistry()
    if registry.providerById(PROVIDER) is None:
        provider = GlacierTerminusProvider()
        if not registry.addProvider(provider):
            raise SystemExit("could not register the glacierterminus provider")
        app._glacier_terminus_provider = provider  # keep the Python object alive
    return app


def _child(alg_id: str, child_id: str, description: str, x: float, y: float):
    from qgis.core import QgsApplication, QgsProcessingModelChildAlgorithm
    from qgis.PyQt.QtCore import QPointF

    if QgsApplication.processingRegistry().algorithmById(alg_id) is None:
        raise SystemExit(f"{alg_id} is not registered: is the plugin on PYTHONPATH?")
    child = QgsProcessingModelChildAlgorithm(alg_id)
    child.setChildId(child_id)
    child.setDescription(description)
    child.setPosition(QPointF(x, y))
    return child


def set_sources(child, sources: dict) -> None:
    """``{parameter: [source, ...]}`` on a child (one call per parameter: PyQt 5 crashes on the
    whole mapping passed to ``setParameterSources``)."""
    for name, values in sources.items():
        child.addParameterSources(name, values)


def build_chain():
    """The classify -> extract -> evaluate model (a QgsProcessingModelAlgorithm)."""
    from qgis.core import (
        QgsProcessing,
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildParameterSource as Source,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterBand,
        QgsProcessingParameterFeatureSource,
        QgsProcessingParameterFile,
        QgsProcessingParameterRasterLayer,
    )
    from qgis.PyQt.QtCore import QPointF

    model = QgsProcessingModelAlgorithm(NAME, GROUP)

    inputs = (
        QgsProcessingParameterRasterLayer("INPUT", "Input raster"),
        QgsProcessingParameterFile("MODEL", "Model package (folder with model.json; empty = the shipped model)",
                                   behavior=QgsProcessingParameterFile.Folder, optional=True),
        QgsProcessingParameterBand("BANDS", "Bands (in the model's order; empty = all)",
                                   parentLayerParameterName="INPUT", optional=True, allowMultiple=True),
        QgsProcessingParameterFeatureSource("REFERENCE", "Reference (manual) fronts",
                                            types=[QgsProcessing.TypeVectorLine]),
    )
    for i, definition in enumerate(inputs):
        component = QgsProcessingModelParameter(definition.name())
        component.setDescription(definition.description())
        component.setPosition(QPointF(120 + 240 * i, 60))
        model.addModelParameter(definition, component)

    classify = _child(f"{PROVIDER}:classifypixels", CLASSIFY, "Classify Pixels (HRNet)", 240, 200)
    set_sources(classify, {
        "INPUT": [Source.fromModelParameter("INPUT")],
        "MODEL": [Source.fromModelParameter("MODEL")],
        "BANDS": [Source.fromModelParameter("BANDS")],
        "BATCH_SIZE": [Source.fromStaticValue(4)],
        "CELL_SIZE": [Source.fromStaticValue(0.0)],
        "DEVICE": [Source.fromStaticValue("auto")],
        "TTA": [Source.fromStaticValue(False)],
    })

    extract = _child(f"{PROVIDER}:extractcalvingfront", EXTRACT, "Extract Calving Front", 340, 340)
    set_sources(extract, {
        "INPUT": [Source.fromChildOutput(CLASSIFY, "OUTPUT")],
        "PROBABILITIES": [Source.fromChildOutput(CLASSIFY, "OUTPUT_PROBABILITIES")],
        "MODEL": [Source.fromModelParameter("MODEL")],
        "METHOD": [Source.fromStaticValue("front_class")],
        "SMOOTHING": [Source.fromStaticValue(1.0)],
        "THRESHOLD": [Source.fromStaticValue(0.5)],
        "ITERATIONS": [Source.fromStaticValue(50)],
        "BUFFER": [Source.fromStaticValue(3.0)],
    })

    evaluate = _child(f"{PROVIDER}:evaluatefronts", EVALUATE, "Evaluate Fronts", 500, 480)
    set_sources(evaluate, {
        "PREDICTED": [Source.fromChildOutput(EXTRACT, "OUTPUT")],
        "REFERENCE": [Source.fromModelParameter("REFERENCE")],
        "RASTER": [Source.fromChildOutput(CLASSIFY, "OUTPUT")],
        "MATCH": [Source.fromStaticValue("all")],
        "CELL_SIZE": [Source.fromStaticValue(0.0)],
    })

    children = {CLASSIFY: classify, EXTRACT: extract, EVALUATE: evaluate}
    outputs = {child_id: {} for child_id in children}
    for child_id, child_output, name, description in CHAIN_OUTPUTS:
        output = QgsProcessingModelOutput(name, description)
        output.setChildId(child_id)
        output.setChildOutputName(child_output)
        output.setPosition(children[child_id].position() + QPointF(260, 40 + 30 * len(outputs[child_id])))
        outputs[child_id][name] = output
    for child_id, child in children.items():
        child.setModelOutputs(outputs[child_id])

    for child in children.values():
        model.addChildAlgorithm(child)
    model.setHelpContent(CHAIN_HELP)
    model.updateDestinationParameters()
    return model


def check(path: Path, children: int) -> list:
    """Problems found when ``path`` is loaded back (empty when it is fine)."""
    from qgis.core import QgsProcessingModelAlgorithm

    model = QgsProcessingModelAlgorithm()
    if not model.fromFile(str(path)):
        return [f"{path} does not load"]
    problems = []
    if len(model.childAlgorithms()) != children:
        problems.append(f"{path.name}: {len(model.childAlgorithms())} children, expected {children}")
    ok, issues = model.validate()
    if not ok:
        problems += [f"{path.name}: {issue}" for issue in issues]
    for child_id in model.childAlgorithms():
        if model.childAlgorithm(child_id).algorithm() is None:
            problems.append(f"{path.name}: child {child_id} has no algorithm")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output-dir", type=Path, default=MODELS_DIR, help="where to write the .model3 files")
    args = parser.parse_args(argv)
    app = start_qgis()
    args.output_dir.mkdir(parents=True, exist_ok=True)
    path = args.output_dir / CHAIN_FILE
    if not build_chain().toFile(str(path)):
        print(f"could not write {path}", file=sys.stderr)
        return 1
    problems = check(path, children=3)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"wrote {path}")
    del app
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
