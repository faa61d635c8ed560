"""Write the graphical-modeler chains shipped in ``models/`` (``.model3`` files that QGIS 3.22 to 3.44 read).

    cd <plugin folder>
    PYTHONPATH=$PWD/build/plugins:/usr/share/qgis/python/plugins QT_QPA_PLATFORM=offscreen \
        /usr/bin/python3 models/build_model_chains.py

Runs in QGIS's own Python (``qgis.core``; no torch, no rasterio): it starts QGIS
offscreen, registers the Processing plugin and this plugin's provider, builds each
model with the ``QgsProcessingModel*`` API, writes it with ``toFile()``, then loads the
file back and checks it (children present, no validation errors). Run it again after
changing a parameter of a chained algorithm; the output is the same for the same input.

``classify_extract_evaluate.model3`` (group "Glacier Terminus"):

    INPUT, MODEL, BANDS, FLOW --> Classify Pixels --> class raster + probabilities
                                |
                                v
    class raster, probabilities, WALLS --> Extract Calving Front (auto: between_walls with WALLS,
                                    else front_class with GROW_THRESHOLD 0.2 and KEEP main;
                                    MIN_MEAN_PROB 0.2) --> fronts
                                |
                                v
    fronts, REFERENCE, class raster --> Evaluate Fronts (MATCH=all) --> CSV, HTML, numbers

``classify_refine_extract_evaluate.model3``: the same with CSC Refine between them.

``map_stack_evaluate.model3``: a stack of dated scenes.

    INPUTS, MODEL, BANDS, PIXEL_SIZE, REFERENCE (box), REFERENCE_FRONTS --> Map Calving Fronts (every
                                    setting the model's recorded one) --> dated fronts + terminus series
                                |
                                v
    dated fronts, REFERENCE_FRONTS --> Evaluate Fronts (MATCH=date) --> CSV, HTML, numbers

    INPUT, MODEL, BANDS, FLOW --> Classify Pixels --> class raster
    INPUT, class raster, PATCH_SIZE --> CSC Refine --> refined class raster + report
    refined class raster --> Extract Calving Front (zone boundary) --> fronts
    fronts, REFERENCE, refined class raster --> Evaluate Fronts (MATCH=all) --> CSV, HTML, numbers
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent
PROVIDER = "glacierterminus"
GROUP = "Glacier Terminus"

# Child algorithm ids: model outputs are named "<child id>:<output name>" on the command line.
CLASSIFY, REFINE, EXTRACT, EVALUATE, MAP = "classify", "refine", "extract", "evaluate", "map"

#: (child id, child output, model output name, description) of a chain's model outputs.
#: Destination outputs become parameters of the model (``classify:CLASSES=...``). QGIS 3.22 lists
#: only those as the model's outputs; the numbers still come back in the model's results, under
#: ``evaluate:MEAN_DISTANCE`` and so on (the log, ``qgis_process --json``).
FRONT_OUTPUTS = (
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
CLASSIFY_OUTPUTS = ((CLASSIFY, "OUTPUT", "CLASSES", "Classified raster"),)
REFINE_OUTPUTS = (
    (REFINE, "OUTPUT", "REFINED", "Refined classification"),
    (REFINE, "REPORT", "REPORT", "CSC Refine report (HTML)"),
    (REFINE, "WEIGHTED_F1", "WEIGHTED_F1", "Weighted F1 of the refined model on held-out samples"),
)

FRONT_HELP = {
    "ALG_DESC": (
        "Maps the calving front of one image and measures it against a manual front, in one run: "
        "Classify Pixels (HRNet) classifies the image with a front-line model package, Extract "
        "Calving Front turns the predicted front into a line (with fjord walls: the least-cost path "
        "through the front probability from one wall to the other; without: the predicted front "
        "pixels, method front_class; lines with a mean front probability below 0.2 are dropped), and "
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
             "front class. Empty: the shipped optical model (optical_fronts).",
    "BANDS": "Input bands to classify, in the model's band order; empty for all bands. Grey images "
             "stored as RGB(A), such as the FrontLearning PNGs: band 1.",
    "FLOW": "Which way the glacier flows in the raster (down, right, up, left): Classify Pixels turns "
            "its tiles so that it flows as in the model's training scenes (up, for the shipped model). "
            "as_trained: no turning.",
    "REFERENCE": "Line layer of the reference (manual) front of this image.",
    "WALLS": "Optional line layer with two lines, one along each side of the fjord (drawn once per "
             "glacier): the front then runs from one wall to the other.",
    "classify:CLASSES": "GeoTIFF, unsigned 8-bit: 0 = NoData, the model's classes from 1.",
    "extract:FRONTS": "GeoPackage line layer of the predicted fronts (source, date, length_m, "
                      "method, mean_prob).",
    "evaluate:ERRORS": "CSV with one row for the image: mean, median and maximum distance, both "
                       "one-sided means, lengths and status.",
    "evaluate:REPORT": "HTML page: summary, error histogram, the front drawn over the class raster.",
    "ALG_CREATOR": "Glacier Terminus",
    "ALG_VERSION": "1",
}
REFINE_HELP = {
    **{k: v for k, v in FRONT_HELP.items() if k != "WALLS"},
    "ALG_DESC": (
        "Maps the calving front of one image with a model and CSC, and measures it against a manual "
        "front, in one run: Classify Pixels (HRNet) classifies the image with a model package, CSC "
        "Refine trains a model of this image alone on that classification and classifies it again, "
        "pixel by pixel (PATCH_SIZE: 1 = MLP on the pixel's bands, 3 to 15 = CNN on the window around "
        "it), Extract Calving Front (method zone_boundary: where the refined ocean meets the refined "
        "glacier) turns the refined classes into lines, and Evaluate Fronts measures them "
        "against the reference front (MATCH=all). Distances are in metres, or pixels for a raster "
        "without CRS. The results hold refine:WEIGHTED_F1 (the refined model on samples held out from "
        "its training) and the summary of Evaluate Fronts (evaluate:MEAN_DISTANCE, ...)."
    ),
    "MODEL": "Model package folder (model.json and weights.safetensors). Empty: the shipped SAR model "
             "(sar_zones: no information, rock, glacier, ocean and the front).",
    "PATCH_SIZE": "CSC Refine's window side in pixels: 1, 3, 5, 7 or 15.",
    "refine:REFINED": "GeoTIFF, unsigned 8-bit: 0 = NoData, the model's classes, refined by CSC.",
    "refine:REPORT": "HTML page of CSC Refine: the image, the coarse and refined maps, metrics, training.",
    "evaluate:REPORT": "HTML page: summary, error histogram, the front drawn over the refined raster.",
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


def add_parameters(model, inputs: list, spacing: float) -> None:
    """The model's inputs, laid out in a row ``spacing`` apart."""
    from qgis.core import QgsProcessingModelParameter
    from qgis.PyQt.QtCore import QPointF

    for i, definition in enumerate(inputs):
        component = QgsProcessingModelParameter(definition.name())
        component.setDescription(definition.description())
        component.setPosition(QPointF(120 + spacing * i, 60))
        model.addModelParameter(definition, component)


def finish_model(model, children: dict, outputs, help_content: dict, name: str):
    """Wire ``outputs`` ((child id, child output, model output name, description)) to ``children``, add the
    children and the help, and reload the model under the version-1 output names."""
    from qgis.core import QgsProcessingModelOutput
    from qgis.PyQt.QtCore import QPointF

    by_child = {child_id: {} for child_id in children}
    for child_id, child_output, output_name, description in outputs:
        output = QgsProcessingModelOutput(output_name, description)
        output.setChildId(child_id)
        output.setChildOutputName(child_output)
        output.setPosition(children[child_id].position() + QPointF(260, 40 + 30 * len(by_child[child_id])))
        by_child[child_id][output_name] = output
    for child_id, child in children.items():
        child.setModelOutputs(by_child[child_id])
    for child in children.values():
        model.addChildAlgorithm(child)
    model.setHelpContent(help_content)
    model.updateDestinationParameters()
    # QGIS 3.40 names a new model's outputs after their descriptions ("classified_raster"); under the
    # version-1 convention, which 3.22 writes and every later QGIS still reads, they are named
    # "<child>:<output>" (classify:CLASSES), the names the README, the tests and users' scripts use.
    definition = model.toVariant()
    if "internal_version" in definition:
        definition["internal_version"] = "Version1"
        if not model.loadVariant(definition):
            raise SystemExit(f"could not reload {name} with version-1 output names")
    return model


def build_chain(name: str, refine: bool):
    """The classify -> (refine ->) extract -> evaluate model (a QgsProcessingModelAlgorithm)."""
    from qgis.core import (
        QgsProcessing,
        QgsProcessingModelAlgorithm,
        QgsProcessingParameterBand,
        QgsProcessingParameterEnum,
        QgsProcessingParameterFeatureSource,
        QgsProcessingParameterFile,
        QgsProcessingParameterRasterLayer,
    )
    from qgis.core import (
        QgsProcessingModelChildParameterSource as Source,
    )

    from glacier_terminus.core.geo.flow import AS_TRAINED, FLOWS

    model = QgsProcessingModelAlgorithm(name, GROUP)

    inputs = [
        QgsProcessingParameterRasterLayer("INPUT", "Input raster"),
        QgsProcessingParameterFile("MODEL", "Model package (folder with model.json; empty = the shipped model)",
                                   behavior=QgsProcessingParameterFile.Folder, optional=True),
        QgsProcessingParameterBand("BANDS", "Bands (in the model's order; empty = all)",
                                   parentLayerParameterName="INPUT", optional=True, allowMultiple=True),
        QgsProcessingParameterEnum("FLOW", "Glacier flows towards", options=list(FLOWS),
                                   defaultValue=AS_TRAINED, usesStaticStrings=True),
        QgsProcessingParameterFeatureSource("REFERENCE", "Reference (manual) fronts",
                                            types=[QgsProcessing.TypeVectorLine]),
    ]
    if not refine:
        inputs.append(QgsProcessingParameterFeatureSource("WALLS", "Fjord walls (two lines; optional)",
                                                          types=[QgsProcessing.TypeVectorLine], optional=True))
    if refine:
        inputs.append(QgsProcessingParameterEnum("PATCH_SIZE", "CSC patch size (pixels)",
                                                 options=["1", "3", "5", "7", "15"], defaultValue="3",
                                                 usesStaticStrings=True))
    add_parameters(model, inputs, 240)

    classify = _child(f"{PROVIDER}:classifypixels", CLASSIFY, "Classify Pixels (HRNet)", 240, 200)
    set_sources(classify, {
        "INPUT": [Source.fromModelParameter("INPUT")],
        "MODEL": [Source.fromModelParameter("MODEL")],
        # MODEL empty: the shipped SAR model (zones) for the refine chain, the optical one (fronts) else
        "SHIPPED_MODEL": [Source.fromStaticValue("sar_zones" if refine else "optical_fronts")],
        "BANDS": [Source.fromModelParameter("BANDS")],
        "FLOW": [Source.fromModelParameter("FLOW")],
        "BATCH_SIZE": [Source.fromStaticValue(4)],
        "CELL_SIZE": [Source.fromStaticValue(0.0)],
        "DEVICE": [Source.fromStaticValue("auto")],
        "RUNTIME": [Source.fromStaticValue("auto")],
        "TILE_SIZE": [Source.fromStaticValue(0)],  # the device's
        "TTA": [Source.fromStaticValue(2)],  # the model's recorded setting
    })
    children = {CLASSIFY: classify}
    classes = Source.fromChildOutput(CLASSIFY, "OUTPUT")
    outputs = CLASSIFY_OUTPUTS + FRONT_OUTPUTS
    if refine:
        step = _child(f"{PROVIDER}:cscrefine", REFINE, "CSC Refine", 290, 270)
        set_sources(step, {
            "INPUT": [Source.fromModelParameter("INPUT")],
            "COARSE": [classes],
            "PATCH_SIZE": [Source.fromModelParameter("PATCH_SIZE")],
            "SAMPLES_PER_CLASS": [Source.fromStaticValue(5000)],
            "MODAL_FILTER": [Source.fromStaticValue(0)],
            "EPOCHS": [Source.fromStaticValue(30)],
            "PATIENCE": [Source.fromStaticValue(5)],
            "DEVICE": [Source.fromStaticValue("auto")],
        })
        children[REFINE] = step
        classes = Source.fromChildOutput(REFINE, "OUTPUT")
        outputs = CLASSIFY_OUTPUTS + REFINE_OUTPUTS + FRONT_OUTPUTS

    extract = _child(f"{PROVIDER}:extractcalvingfront", EXTRACT, "Extract Calving Front", 340, 340)
    extract_sources = {
        "INPUT": [classes],
        "MODEL": [Source.fromModelParameter("MODEL")],
        # Refined classes are zones (CSC Refine's surfaces): their front is the zone boundary, the route the
        # SAR folds measured after CSC; without refining, the model's own recorded route (auto).
        "METHOD": [Source.fromStaticValue("zone_boundary" if refine else "auto")],
        "SMOOTHING": [Source.fromStaticValue(1.0)],
        "THRESHOLD": [Source.fromStaticValue(0.5)],
        "KEEP": [Source.fromStaticValue("all")],
        "ITERATIONS": [Source.fromStaticValue(50)],
        "BUFFER": [Source.fromStaticValue(3.0)],
    }
    if not refine:
        # The shipped model's measured recipes (README): between the fjord walls when they are given,
        # else the front grown through the probabilities, main front kept.
        extract_sources.update({
            "PROBABILITIES": [Source.fromChildOutput(CLASSIFY, "OUTPUT_PROBABILITIES")],
            "WALLS": [Source.fromModelParameter("WALLS")],
            "MIN_MEAN_PROB": [Source.fromStaticValue(0.2)],
            "GROW_THRESHOLD": [Source.fromStaticValue(0.2)],
            "KEEP": [Source.fromStaticValue("main")],
        })
    set_sources(extract, extract_sources)

    evaluate = _child(f"{PROVIDER}:evaluatefronts", EVALUATE, "Evaluate Fronts", 500, 480)
    set_sources(evaluate, {
        "PREDICTED": [Source.fromChildOutput(EXTRACT, "OUTPUT")],
        "REFERENCE": [Source.fromModelParameter("REFERENCE")],
        "RASTER": [classes],
        "MATCH": [Source.fromStaticValue("all")],
        "CELL_SIZE": [Source.fromStaticValue(0.0)],
    })
    children.update({EXTRACT: extract, EVALUATE: evaluate})
    return finish_model(model, children, outputs, REFINE_HELP if refine else FRONT_HELP, name)


STACK_HELP = {
    "ALG_DESC": (
        "Maps the calving front of every scene of a stack, measures the terminus through time and "
        "measures the fronts against manual ones, in one run: Map Calving Fronts classifies each scene "
        "and extracts its front with the settings the model's validation chose (model.json), and "
        "measures the terminus along the box or centreline, with the manual fronts' positions beside "
        "the mapped ones; Evaluate Fronts pairs the mapped and manual fronts by date and measures their "
        "distances. The results hold map:SCENES, map:FRONTS and map:FAILED and the summary of Evaluate "
        "Fronts (evaluate:MEAN_DISTANCE, ...)."
    ),
    "INPUTS": "The scenes of the stack, one per date (the dates come from the file names).",
    "MODEL": FRONT_HELP["MODEL"],
    "BANDS": "Band numbers of each scene to classify, separated by commas (e.g. 1 for a grey image stored "
             "as RGB); empty for all bands.",
    "PIXEL_SIZE": "Metres per pixel of scenes without CRS (PNG); empty for pixel units.",
    "REFERENCE": "One box polygon along the fjord (box method) or one centreline.",
    "REFERENCE_FRONTS": "Line layer of the manual fronts, with a date field.",
    "CELL_SIZE": "Cell size of the grid Evaluate Fronts measures on, in the fronts' CRS units (1 for "
                 "scenes without CRS: one pixel).",
    "map:FRONTS": "GeoPackage: one feature per scene (source, date, status, method, length, mean_prob).",
    "map:TERMINUS": "CSV of terminus positions through time, the manual ones beside them.",
    "map:TERMINUS_REPORT": "HTML page: the series plotted, a map of the fronts coloured by date, the table.",
    "evaluate:ERRORS": "CSV with one row per date: mean, median and maximum distance, lengths and status.",
    "evaluate:REPORT": "HTML page: summary, error histogram, the worst fronts.",
    "ALG_CREATOR": "Glacier Terminus",
    "ALG_VERSION": "1",
}


def build_stack_chain(name: str):
    """The Map Calving Fronts -> Evaluate Fronts model (a QgsProcessingModelAlgorithm)."""
    from qgis.core import (
        QgsProcessing,
        QgsProcessingModelAlgorithm,
        QgsProcessingParameterFeatureSource,
        QgsProcessingParameterFile,
        QgsProcessingParameterMultipleLayers,
        QgsProcessingParameterNumber,
        QgsProcessingParameterString,
    )
    from qgis.core import (
        QgsProcessingModelChildParameterSource as Source,
    )

    model = QgsProcessingModelAlgorithm(name, GROUP)
    inputs = [
        QgsProcessingParameterMultipleLayers("INPUTS", "Scenes", QgsProcessing.TypeRaster),
        QgsProcessingParameterFile("MODEL", "Model package (folder with model.json; empty = the shipped model)",
                                   behavior=QgsProcessingParameterFile.Folder, optional=True),
        QgsProcessingParameterString("BANDS", "Bands (e.g. 1; empty = all)", optional=True),
        QgsProcessingParameterNumber("PIXEL_SIZE", "Pixel size of scenes without CRS (m; empty = pixels)",
                                     type=QgsProcessingParameterNumber.Double, optional=True, minValue=1e-6),
        QgsProcessingParameterFeatureSource("REFERENCE", "Box polygon or centreline",
                                            types=[QgsProcessing.TypeVectorPolygon, QgsProcessing.TypeVectorLine]),
        QgsProcessingParameterFeatureSource("REFERENCE_FRONTS", "Reference (manual) fronts, dated",
                                            types=[QgsProcessing.TypeVectorLine]),
        QgsProcessingParameterNumber("CELL_SIZE", "Evaluation grid cell (CRS units; 1 = a pixel without CRS)",
                                     type=QgsProcessingParameterNumber.Double, defaultValue=1.0, minValue=0.0),
    ]
    add_parameters(model, inputs, 220)

    stack = _child(f"{PROVIDER}:mapcalvingfronts", MAP, "Map Calving Fronts", 260, 220)
    set_sources(stack, {
        "INPUTS": [Source.fromModelParameter("INPUTS")],
        "MODEL": [Source.fromModelParameter("MODEL")],
        "SHIPPED_MODEL": [Source.fromStaticValue("optical_fronts")],
        "BANDS": [Source.fromModelParameter("BANDS")],
        "PIXEL_SIZE": [Source.fromModelParameter("PIXEL_SIZE")],
        "REFERENCE": [Source.fromModelParameter("REFERENCE")],
        "REFERENCE_FRONTS": [Source.fromModelParameter("REFERENCE_FRONTS")],
        "TTA": [Source.fromStaticValue(2)],  # the model's recorded setting
        "FLOW": [Source.fromStaticValue("as_trained")],
        "METHOD": [Source.fromStaticValue("auto")],
        "BATCH_SIZE": [Source.fromStaticValue(4)],
        "TILE_SIZE": [Source.fromStaticValue(0)],  # the device's
        "DEVICE": [Source.fromStaticValue("auto")],
        "REVERSE": [Source.fromStaticValue(False)],
    })
    evaluate = _child(f"{PROVIDER}:evaluatefronts", EVALUATE, "Evaluate Fronts", 520, 420)
    set_sources(evaluate, {
        "PREDICTED": [Source.fromChildOutput(MAP, "OUTPUT")],
        "REFERENCE": [Source.fromModelParameter("REFERENCE_FRONTS")],
        "PIXEL_SIZE": [Source.fromModelParameter("PIXEL_SIZE")],
        "MATCH": [Source.fromStaticValue("date")],
        "CELL_SIZE": [Source.fromModelParameter("CELL_SIZE")],
    })
    children = {MAP: stack, EVALUATE: evaluate}
    outputs = (
        (MAP, "OUTPUT", "FRONTS", "Dated calving fronts (GeoPackage)"),
        (MAP, "OUTPUT_TABLE", "TERMINUS", "Terminus positions (CSV)"),
        (MAP, "OUTPUT_HTML", "TERMINUS_REPORT", "Terminus report (HTML)"),
        (MAP, "SCENES", "SCENES", "Scenes"),
        (MAP, "FRONTS", "SCENES_WITH_A_FRONT", "Scenes with a front"),
        (MAP, "FAILED", "FAILED", "Scenes that failed"),
        *(o for o in FRONT_OUTPUTS if o[0] == EVALUATE),
    )
    return finish_model(model, children, outputs, STACK_HELP, name)


#: file name -> (model name, builder)
CHAINS = {
    "classify_extract_evaluate.model3": ("Classify, extract and evaluate fronts",
                                         lambda name: build_chain(name, refine=False)),
    "classify_refine_extract_evaluate.model3": ("Classify, refine, extract and evaluate fronts",
                                                lambda name: build_chain(name, refine=True)),
    "map_stack_evaluate.model3": ("Map a stack of scenes, measure the terminus and evaluate the fronts",
                                  build_stack_chain),
}


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
    problems = []
    for file_name, (name, build) in CHAINS.items():
        path = args.output_dir / file_name
        model = build(name)
        if not model.toFile(str(path)):
            problems.append(f"could not write {path}")
            continue
        found = check(path, children=len(model.childAlgorithms()))
        problems += found
        if not found:
            print(f"wrote {path}")
    for problem in problems:
        print(problem, file=sys.stderr)
    del app
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
