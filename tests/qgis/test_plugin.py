"""The QGIS side, in-process: metadata, plugin, provider, settings, ClassifyPixels
(parameters, help, the engine job it writes) and the engine runner (protocol, errors,
cancellation), all against small fake engines: no torch needed here.

Rasters are made with QGIS's own GDAL (``osgeo``), never rasterio: this process has
QGIS loaded (pytest-qgis), and the design keeps rasterio out of QGIS's processes.
"""
from __future__ import annotations

import configparser
import json
import os
import re
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from helpers import PLUGIN_DIR
from osgeo import gdal, osr
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterBand,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorLayer,
)

import glacier_terminus
from glacier_terminus.algorithms import ALGORITHMS
from glacier_terminus.algorithms.base import shipped_model_folder
from glacier_terminus.core.engine.cli import commands
from glacier_terminus.core.segmentation.shipped_models import SHIPPED_MODELS
from glacier_terminus.glacier_provider import engine, settings

ALG_ID = "glacierterminus:classifypixels"
POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="fake engines are POSIX scripts")


# --- metadata ------------------------------------------------------------------------------


def test_metadata_has_the_fields_plugins_qgis_org_asks_for():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(PLUGIN_DIR / "metadata.txt", encoding="utf-8")
    meta = parser["general"]
    for key in ("name", "qgisMinimumVersion", "description", "about", "version", "author", "email",
                "repository", "tracker", "homepage", "tags", "category", "icon", "experimental",
                "deprecated", "hasProcessingProvider"):
        assert meta.get(key, "").strip(), f"metadata.txt lacks {key}"
    assert meta["name"] == "Glacier Terminus"
    assert meta["qgisMinimumVersion"] == "3.22"
    assert meta["version"] == "0.1.0"
    assert meta["category"] == "Analysis"
    assert meta["hasProcessingProvider"] == "yes"
    assert meta["experimental"] == "True" and meta["deprecated"] == "False"
    assert "@" in meta["email"]
    assert meta["repository"].startswith("https://")
    assert (PLUGIN_DIR / meta["icon"]).is_file()


# --- plugin and provider -------------------------------------------------------------------


@pytest.fixture(scope="module")
def plugin(qgis_processing):  # noqa: ARG001 - Processing (and ProcessingConfig) initialised
    plugin = glacier_terminus.classFactory(None)
    plugin.initProcessing()
    yield plugin
    plugin.unload()
    assert QgsApplication.processingRegistry().providerById("glacierterminus") is None


@pytest.fixture
def alg(plugin):  # noqa: ARG001
    algorithm = QgsApplication.processingRegistry().createAlgorithmById(ALG_ID)
    assert algorithm is not None
    return algorithm


def test_provider_is_registered_with_its_algorithms(plugin):  # noqa: ARG001
    provider = QgsApplication.processingRegistry().providerById("glacierterminus")
    assert provider is not None
    assert provider.name() == "Glacier Terminus"
    assert not provider.icon().isNull()
    assert os.path.isfile(provider.svgIconPath())
    ids = [a.id() for a in provider.algorithms()]
    assert ALG_ID in ids
    assert provider.supportedOutputRasterLayerExtensions() == ["tif", "tiff"]
    assert provider.defaultRasterFileExtension() == "tif"


def test_unload_removes_the_provider_and_init_adds_it_back(plugin):
    registry = QgsApplication.processingRegistry()
    plugin.unload()
    assert registry.providerById("glacierterminus") is None
    plugin.initProcessing()
    assert registry.providerById("glacierterminus") is not None
    assert registry.algorithmById(ALG_ID) is not None


def test_settings_are_declared_in_processing(plugin):  # noqa: ARG001
    from processing.core.ProcessingConfig import ProcessingConfig

    assert settings.ENGINE_PYTHON in ProcessingConfig.settings
    assert settings.DEFAULT_DEVICE in ProcessingConfig.settings
    assert ProcessingConfig.settings[settings.DEFAULT_DEVICE].options == ["auto", "cpu", "cuda"]
    assert settings.default_device() == "auto"


def test_engine_python_default_and_override(monkeypatch, tmp_path):
    monkeypatch.delenv(settings.ENV_PYTHON, raising=False)
    venv = settings.venv_python()
    if venv:
        assert settings.engine_python() == venv
        assert venv.startswith(str(PLUGIN_DIR))
    else:
        assert os.path.basename(settings.engine_python()).startswith("python")
    monkeypatch.setenv(settings.ENV_PYTHON, str(tmp_path / "py"))
    assert settings.engine_python() == str(tmp_path / "py")


def test_settings_fall_back_to_qgssettings_without_processing(monkeypatch):
    from qgis.core import QgsSettings

    monkeypatch.setattr(settings, "_processing_config", lambda: (None, None))
    monkeypatch.delenv(settings.ENV_PYTHON, raising=False)
    store = QgsSettings()
    keys = ["Processing/Configuration/" + k for k in (settings.DEFAULT_DEVICE, settings.ENGINE_PYTHON)]
    try:
        store.setValue(keys[0], 1)  # how ProcessingConfig stores a SELECTION: its index
        store.setValue(keys[1], "/opt/engine/bin/python")
        assert settings.default_device() == "cpu"
        assert settings.engine_python() == "/opt/engine/bin/python"
        store.setValue(keys[0], "cuda")
        assert settings.default_device() == "cuda"
    finally:
        for key in keys:
            store.remove(key)
    assert settings.default_device() == "auto"
    assert settings.engine_python() == settings.default_python()


def test_algorithm_identity(alg):
    assert alg.name() == "classifypixels"
    assert alg.displayName() == "Classify Pixels (HRNet)"
    assert alg.group() == "Segmentation" and alg.groupId() == "segmentation"
    assert alg.provider().id() == "glacierterminus"


PARAMETERS = [
    ("INPUT", QgsProcessingParameterRasterLayer, False),
    ("MODEL", QgsProcessingParameterFile, True),  # optional: empty = the shipped model of SHIPPED_MODEL
    ("SHIPPED_MODEL", QgsProcessingParameterEnum, False),
    ("PADDING", QgsProcessingParameterNumber, True),
    ("TILE_SIZE", QgsProcessingParameterNumber, False),
    ("BATCH_SIZE", QgsProcessingParameterNumber, False),
    ("CELL_SIZE", QgsProcessingParameterNumber, False),
    ("PIXEL_SIZE", QgsProcessingParameterNumber, True),
    ("DEVICE", QgsProcessingParameterEnum, False),
    ("RUNTIME", QgsProcessingParameterEnum, False),
    ("TTA", QgsProcessingParameterEnum, False),
    ("FLOW", QgsProcessingParameterEnum, False),
    ("EXTENT", QgsProcessingParameterExtent, True),
    ("MASK", QgsProcessingParameterFeatureSource, True),
    ("BANDS", QgsProcessingParameterBand, True),
    ("DATE", QgsProcessingParameterString, True),
    ("OUTPUT", QgsProcessingParameterRasterDestination, False),
    ("OUTPUT_PROBABILITIES", QgsProcessingParameterRasterDestination, True),
]


def test_parameters_are_declared_once_with_help(alg):
    defs = alg.parameterDefinitions()
    assert [d.name() for d in defs] == [name for name, _, _ in PARAMETERS]
    for (name, cls, optional), d in zip(PARAMETERS, defs, strict=False):
        assert isinstance(d, cls), name
        optional_flag = bool(d.flags() & QgsProcessingParameterDefinition.FlagOptional)
        assert optional_flag == optional, name
        assert d.description(), name
        assert d.help(), f"{name} has no help"


def test_parameter_defaults(alg):
    p = alg.parameterDefinition
    assert p("MODEL").behavior() == QgsProcessingParameterFile.Folder
    assert p("MODEL").defaultValue() is None
    assert p("SHIPPED_MODEL").options() == list(SHIPPED_MODELS)
    assert p("SHIPPED_MODEL").defaultValue() == "optical_fronts"
    assert shipped_model_folder("optical_fronts") == str(PLUGIN_DIR / "models" / "default")
    assert p("PADDING").defaultValue() is None and p("PADDING").minimum() == 0
    assert p("PADDING").dataType() == QgsProcessingParameterNumber.Integer
    assert p("BATCH_SIZE").defaultValue() == 4 and p("BATCH_SIZE").minimum() == 1
    assert p("CELL_SIZE").defaultValue() == 0 and p("CELL_SIZE").minimum() == 0
    assert p("CELL_SIZE").dataType() == QgsProcessingParameterNumber.Double
    assert p("DEVICE").options() == ["auto", "cpu", "cuda"]
    assert p("DEVICE").usesStaticStrings() and p("DEVICE").defaultValue() == settings.default_device()
    assert p("TTA").options() == ["off", "on", "the model's recorded setting"] and p("TTA").defaultValue() == 2
    assert p("FLOW").options() == ["as_trained", "down", "right", "up", "left"]
    assert p("FLOW").usesStaticStrings() and p("FLOW").defaultValue() == "as_trained"
    assert p("OUTPUT_PROBABILITIES").createByDefault() is False
    assert p("OUTPUT").createByDefault() is True


def test_help_explains_every_parameter_and_the_outputs(alg):
    text = alg.shortHelpString()
    for name, _, _ in PARAMETERS:
        assert f"({name}" in text, name
    for words in ("model.json", "weights.safetensors", "NoData", "colour table", "float32", "quarter"):
        assert words in text


# --- fake engines --------------------------------------------------------------------------

PRELUDE = '''
import json, os, signal, sys, time
def send(**message):
    print(json.dumps(message), flush=True)
job = json.load(open(sys.argv[sys.argv.index("--job") + 1]))
'''


def fake_engine(tmp_path: Path, body: str, name: str = "fake-python") -> str:
    """An executable that stands in for the engine interpreter and speaks the protocol."""
    path = tmp_path / name
    path.write_text(f"#!{sys.executable}\n" + PRELUDE + textwrap.dedent(body), encoding="utf-8")
    path.chmod(0o755)
    return str(path)


class Recorder(QgsProcessingFeedback):
    """Feedback that keeps every call for the test to inspect."""

    def __init__(self):
        super().__init__()
        self.events = []

    def setProgress(self, progress):  # noqa: N802
        self.events.append(("progress", progress))
        super().setProgress(progress)

    def pushInfo(self, text):  # noqa: N802
        self.events.append(("info", text))

    def pushWarning(self, text):  # noqa: N802
        self.events.append(("warning", text))

    def pushDebugInfo(self, text):  # noqa: N802
        self.events.append(("debug", text))

    def pushCommandInfo(self, text):  # noqa: N802
        self.events.append(("command", text))

    def reportError(self, text, fatalError=False):  # noqa: N802, N803
        self.events.append(("error", text))

    def of(self, kind):
        return [value for k, value in self.events if k == kind]


@POSIX_ONLY
def test_run_engine_forwards_the_protocol(tmp_path, monkeypatch):
    log = tmp_path / "log.json"
    monkeypatch.setenv("FAKE_LOG", str(log))
    monkeypatch.setenv("PYTHONHOME", str(tmp_path / "no-such-home"))  # QGIS's; must not leak
    python = fake_engine(tmp_path, '''
        json.dump({"argv": sys.argv[1:], "pythonpath": os.environ.get("PYTHONPATH"),
                   "pythonhome": os.environ.get("PYTHONHOME"), "job": job},
                  open(os.environ["FAKE_LOG"], "w"))
        send(progress=12.5)
        send(info="hello")
        send(warning="careful")
        print("plain text", flush=True)
        print("to stderr", file=sys.stderr, flush=True)
        send(progress=100)
        send(result={"output": job["output"], "device": "cpu"})
    ''')
    feedback = Recorder()
    job = {"input": "in.tif", "output": "out.tif", "padding": None}
    result = engine.run_engine("classify", job, feedback, python=python)
    assert result == {"output": "out.tif", "device": "cpu"}
    seen = json.loads(log.read_text())
    assert seen["argv"][:4] == ["-m", "glacier_terminus.core", "classify", "--job"]
    assert not os.path.exists(seen["argv"][4]), "the job file must be cleaned up"
    assert seen["pythonpath"] == str(PLUGIN_DIR.parent)
    assert seen["pythonhome"] is None
    assert seen["job"] == job
    assert feedback.of("progress") == [12.5, 100.0]
    assert "hello" in feedback.of("info")
    assert feedback.of("warning") == ["careful"]
    assert "plain text" in feedback.of("debug") and "to stderr" in feedback.of("debug")
    assert feedback.of("command") and python in feedback.of("command")[0]


@POSIX_ONLY
def test_env_var_selects_the_interpreter(tmp_path, monkeypatch):
    python = fake_engine(tmp_path, 'send(result={"ok": 1})')
    monkeypatch.setenv(settings.ENV_PYTHON, python)
    assert settings.engine_python() == python
    assert engine.run_engine("classify", {}, Recorder()) == {"ok": 1}


@POSIX_ONLY
def test_error_line_becomes_the_exception_message(tmp_path):
    python = fake_engine(tmp_path, '''
        send(progress=5)
        send(error="INPUT has 1 band(s) but model 'm' expects 4 (b1, b2, b3, b4).")
        sys.exit(1)
    ''')
    with pytest.raises(QgsProcessingException) as info:
        engine.run_engine("classify", {}, Recorder(), python=python)
    assert str(info.value) == "INPUT has 1 band(s) but model 'm' expects 4 (b1, b2, b3, b4)."


@POSIX_ONLY
def test_crash_without_error_line_shows_exit_code_and_stderr(tmp_path):
    python = fake_engine(tmp_path, '''
        print("Traceback (most recent call last):", file=sys.stderr)
        print("ValueError: boom", file=sys.stderr)
        sys.exit(3)
    ''')
    with pytest.raises(QgsProcessingException) as info:
        engine.run_engine("classify", {}, Recorder(), python=python)
    message = str(info.value)
    assert "exit code 3" in message and "ValueError: boom" in message and python in message


@POSIX_ONLY
def test_exit_zero_without_result_is_an_error(tmp_path):
    python = fake_engine(tmp_path, 'send(info="nothing to say")')
    with pytest.raises(QgsProcessingException, match="without a result"):
        engine.run_engine("classify", {}, Recorder(), python=python)


@POSIX_ONLY
@pytest.mark.parametrize("how", ["error line", "stderr"])
def test_missing_engine_package_gives_one_setup_message(tmp_path, how):
    if how == "error line":
        body = '''send(error="Internal error (ModuleNotFoundError): No module named 'torch'"); sys.exit(1)'''
    else:
        body = '''print("ModuleNotFoundError: No module named 'rasterio'", file=sys.stderr); sys.exit(1)'''
    python = fake_engine(tmp_path, body)
    with pytest.raises(QgsProcessingException) as info:
        engine.run_engine("classify", {}, Recorder(), python=python)
    message = str(info.value)
    assert python in message
    assert ("'torch'" if how == "error line" else "'rasterio'") in message
    assert engine.setup_command() in message and settings.ENV_PYTHON in message
    assert "Engine Python interpreter" in message


@pytest.mark.parametrize("python", ["/no/such/dir/bin/python", "no-such-python-glacier"])
def test_missing_interpreter_gives_one_setup_message(python):
    with pytest.raises(QgsProcessingException) as info:
        engine.run_engine("classify", {}, Recorder(), python=python)
    message = str(info.value)
    assert python in message and engine.setup_command() in message and settings.ENV_PYTHON in message


@POSIX_ONLY
def test_chatty_engine_does_not_block_the_pipes(tmp_path):
    python = fake_engine(tmp_path, '''
        for i in range(4000):
            print("x" * 300, file=sys.stderr)
            send(progress=i / 40)
        send(result={"done": True})
    ''')
    start = time.monotonic()
    assert engine.run_engine("classify", {}, Recorder(), python=python) == {"done": True}
    assert time.monotonic() - start < 30


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@POSIX_ONLY
def test_cancel_stops_a_cooperative_engine_quickly(tmp_path, monkeypatch):
    log = tmp_path / "log.txt"
    monkeypatch.setenv("FAKE_LOG", str(log))
    python = fake_engine(tmp_path, '''
        def stop(*_):
            open(os.environ["FAKE_LOG"], "w").write("sigterm %d" % os.getpid())
            send(error="Cancelled.")
            sys.exit(2)
        signal.signal(signal.SIGTERM, stop)
        for i in range(600):
            send(progress=i / 6)
            time.sleep(0.1)
        send(result={})
    ''')
    feedback = Recorder()
    threading.Timer(0.7, feedback.cancel).start()
    start = time.monotonic()
    with pytest.raises(QgsProcessingException, match="^Cancelled.$"):
        engine.run_engine("classify", {}, feedback, python=python)
    assert time.monotonic() - start < 5
    text = log.read_text()
    assert text.startswith("sigterm")
    assert _gone(int(text.split()[1]))


@POSIX_ONLY
def test_cancel_kills_an_engine_that_ignores_sigterm(tmp_path, monkeypatch):
    pid_file = tmp_path / "pid"
    monkeypatch.setenv("FAKE_LOG", str(pid_file))
    monkeypatch.setattr(engine, "CANCEL_GRACE_S", 1.0)
    python = fake_engine(tmp_path, '''
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        open(os.environ["FAKE_LOG"], "w").write(str(os.getpid()))
        send(info="started")
        time.sleep(120)
    ''')
    feedback = Recorder()
    threading.Timer(0.7, feedback.cancel).start()
    start = time.monotonic()
    with pytest.raises(QgsProcessingException, match="^Cancelled.$"):
        engine.run_engine("classify", {}, feedback, python=python)
    assert time.monotonic() - start < 6
    assert _gone(int(pid_file.read_text()))


@POSIX_ONLY
def test_a_killed_engine_leaves_no_partial_output(tmp_path, monkeypatch):
    """An engine killed mid-write leaves its temporary outputs; the runner removes them (only its own)."""
    monkeypatch.setattr(engine, "CANCEL_GRACE_S", 1.0)
    out = tmp_path / "out"
    out.mkdir()
    other = out / ".classes.1.partial.tif"  # another process's temporary file: not ours to remove
    other.write_bytes(b"x")
    (out / "kept.tif").write_bytes(b"x")
    python = fake_engine(tmp_path, '''
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        folder = os.path.dirname(job["output"])
        open(os.path.join(folder, f".classes.{os.getpid()}.partial.tif"), "w").write("half")
        os.mkdir(os.path.join(folder, f".tiles.{os.getpid()}.partial"))
        send(progress=1)
        time.sleep(120)
    ''')
    feedback = Recorder()
    threading.Timer(0.7, feedback.cancel).start()
    with pytest.raises(QgsProcessingException, match="^Cancelled.$"):
        engine.run_engine("classify", {"output": str(out / "classes.tif")}, feedback, python=python)
    assert sorted(p.name for p in out.iterdir()) == [other.name, "kept.tif"]


def test_engine_env_drops_qgis_paths(monkeypatch):
    for name in ("PYTHONHOME", "GDAL_DATA", "PROJ_LIB", "PROJ_DATA", "PYTHONPATH"):
        monkeypatch.setenv(name, "/qgis/own")
    env = engine.engine_env("/some/where")
    assert env["PYTHONPATH"] == "/some/where"
    for name in ("PYTHONHOME", "GDAL_DATA", "PROJ_LIB", "PROJ_DATA"):
        assert name not in env


@POSIX_ONLY
def test_pythonpath_for_a_renamed_plugin_folder(tmp_path, monkeypatch):
    renamed = tmp_path / "glacier_terminus-0.1.0"
    renamed.symlink_to(PLUGIN_DIR, target_is_directory=True)
    monkeypatch.setattr(settings, "PLUGIN_DIR", str(renamed))
    work = tmp_path / "work"
    work.mkdir()
    path = engine.engine_pythonpath(str(work))
    assert os.path.samefile(os.path.join(path, "glacier_terminus"), renamed)
    monkeypatch.setattr(settings, "PLUGIN_DIR", str(PLUGIN_DIR))
    assert engine.engine_pythonpath(str(work)) == str(PLUGIN_DIR.parent)


# --- ClassifyPixels -> engine job ----------------------------------------------------------

RECORDING_ENGINE = '''
mask = job.get("mask")
record = {"job": job, "mask": open(mask).read() if mask else None}
json.dump(record, open(os.environ["FAKE_LOG"], "w"))
send(info="recorded")
send(result={"output": job["output"], "output_probabilities": job["output_probabilities"],
             "device": "cpu"})
'''

ORIGIN = (-200000.0, -2200000.0)  # EPSG:3413, south-east Greenland
CELL = 30.0


def make_raster(path: Path, width=64, height=48, bands=4, epsg=3413) -> Path:
    ds = gdal.GetDriverByName("GTiff").Create(str(path), width, height, bands, gdal.GDT_UInt16)
    ds.SetGeoTransform((ORIGIN[0], CELL, 0, ORIGIN[1], 0, -CELL))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    for b in range(bands):
        ds.GetRasterBand(b + 1).Fill(1000 + b)
    ds = None
    return path


def make_model_folder(path: Path, weights=True) -> Path:
    """A folder that passes the algorithm's early checks (the fake engine never reads it)."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "model.json").write_text("{}", encoding="utf-8")
    if weights:
        (path / "weights.safetensors").write_bytes(b"")
    return path


@pytest.fixture
def recording(tmp_path, monkeypatch, plugin):  # noqa: ARG001
    """Points the engine interpreter at a fake that records the job it gets."""
    if os.name == "nt":
        pytest.skip("fake engines are POSIX scripts")
    log = tmp_path / "record.json"
    monkeypatch.setenv("FAKE_LOG", str(log))
    monkeypatch.setenv(settings.ENV_PYTHON, fake_engine(tmp_path, RECORDING_ENGINE))
    return log


def run_algorithm(parameters: dict, context: QgsProcessingContext | None = None):
    """Run ClassifyPixels in-process: ``(results, ok, feedback)``."""
    alg = QgsApplication.processingRegistry().createAlgorithmById(ALG_ID)
    context = context or QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = Recorder()
    ok, message = alg.checkParameterValues(parameters, context)
    if not ok:
        feedback.reportError(message)
        return {}, False, feedback
    results, ok = alg.run(parameters, context, feedback)
    return results, ok, feedback


def errors(feedback: Recorder) -> str:
    return "\n".join(feedback.of("error"))


def test_job_has_exactly_the_classify_command_keys(tmp_path, recording):
    from glacier_terminus.core.commands.classify import COMMAND  # light: no torch, no rasterio

    raster = make_raster(tmp_path / "in.tif")
    model = make_model_folder(tmp_path / "model")
    params = {
        "INPUT": str(raster), "MODEL": str(model), "OUTPUT": str(tmp_path / "out.tif"),
        "OUTPUT_PROBABILITIES": str(tmp_path / "prob.tif"), "PADDING": 8, "TILE_SIZE": 512, "BATCH_SIZE": 2,
        "CELL_SIZE": 15.0, "PIXEL_SIZE": 40.0, "DEVICE": "cpu", "RUNTIME": "torch", "TTA": 1,
    }
    results, ok, feedback = run_algorithm(params)
    assert ok, errors(feedback)
    job = json.loads(recording.read_text())["job"]
    assert set(job) == {p.name for p in COMMAND.params}
    assert job == {
        "input": str(raster), "model": str(model), "output": str(tmp_path / "out.tif"),
        "output_probabilities": str(tmp_path / "prob.tif"), "padding": 8, "tile_size": 512, "batch_size": 2,
        "cell_size": 15.0, "pixel_size": 40.0, "device": "cpu", "runtime": "torch", "tta": 1, "flow": "as_trained",
        "extent": None, "mask": None, "bands": None, "date": None, "shipped_model": "optical_fronts",
    }
    assert results == {"OUTPUT": str(tmp_path / "out.tif"), "OUTPUT_PROBABILITIES": str(tmp_path / "prob.tif")}
    assert "recorded" in feedback.of("info")
    assert any("cpu" in text for text in feedback.of("info") if text.startswith("Classified on"))


def test_defaults_give_engine_defaults(tmp_path, recording):
    raster = make_raster(tmp_path / "in.tif")
    model = make_model_folder(tmp_path / "model")
    results, ok, feedback = run_algorithm({"INPUT": str(raster), "MODEL": str(model),
                                           "OUTPUT": str(tmp_path / "out.tif")})
    assert ok, errors(feedback)
    job = json.loads(recording.read_text())["job"]
    declared = {p.name: p.default for p in commands()["classify"].params}
    given = {"input", "model", "output", "device"}
    assert set(job) == set(declared)
    assert {k: v for k, v in job.items() if k not in given} == {k: v for k, v in declared.items() if k not in given}
    assert job["device"] == settings.default_device()  # the provider's setting, which the user may change
    assert results["OUTPUT_PROBABILITIES"] is None


def test_model_json_file_is_accepted_for_its_folder(tmp_path, recording):
    raster = make_raster(tmp_path / "in.tif")
    model = make_model_folder(tmp_path / "model")
    _, ok, feedback = run_algorithm({"INPUT": str(raster), "MODEL": str(model / "model.json"),
                                     "OUTPUT": str(tmp_path / "out.tif")})
    assert ok, errors(feedback)
    assert json.loads(recording.read_text())["job"]["model"] == str(model)


def test_model_left_empty_means_the_shipped_default(tmp_path, recording):
    raster = make_raster(tmp_path / "in.tif")
    default = PLUGIN_DIR / "models" / "default"
    _, ok, feedback = run_algorithm({"INPUT": str(raster), "OUTPUT": str(tmp_path / "out.tif")})
    if (default / "model.json").is_file() and (default / "weights.safetensors").is_file():
        assert ok, errors(feedback)
        assert json.loads(recording.read_text())["job"]["model"] == str(default)
    else:
        assert not ok and str(default) in errors(feedback)


def test_extent_is_sent_in_the_rasters_crs(tmp_path, recording):
    raster = make_raster(tmp_path / "in.tif")
    model = make_model_folder(tmp_path / "model")
    inner = QgsRectangle(ORIGIN[0] + 300, ORIGIN[1] - 900, ORIGIN[0] + 1200, ORIGIN[1] - 300)
    to_wgs84 = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:3413"),
                                      QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    box = to_wgs84.transformBoundingBox(inner)
    extent = f"{box.xMinimum()},{box.xMaximum()},{box.yMinimum()},{box.yMaximum()} [EPSG:4326]"
    _, ok, feedback = run_algorithm({"INPUT": str(raster), "MODEL": str(model), "EXTENT": extent,
                                     "OUTPUT": str(tmp_path / "out.tif")})
    assert ok, errors(feedback)
    xmin, ymin, xmax, ymax = json.loads(recording.read_text())["job"]["extent"]
    # a box in degrees comes back as a (slightly larger) box in metres around the original
    assert xmin <= inner.xMinimum() + 1 and ymin <= inner.yMinimum() + 1
    assert xmax >= inner.xMaximum() - 1 and ymax >= inner.yMaximum() - 1
    assert xmax - xmin < 3 * inner.width() and ymax - ymin < 3 * inner.height()


def test_extent_outside_the_raster_fails_before_the_engine(tmp_path, recording):
    raster = make_raster(tmp_path / "in.tif")
    model = make_model_folder(tmp_path / "model")
    extent = f"{ORIGIN[0] + 1e6},{ORIGIN[0] + 1e6 + 500},{ORIGIN[1]},{ORIGIN[1] + 500} [EPSG:3413]"
    _, ok, feedback = run_algorithm({"INPUT": str(raster), "MODEL": str(model), "EXTENT": extent,
                                     "OUTPUT": str(tmp_path / "out.tif")})
    assert not ok and "EXTENT does not overlap" in errors(feedback)
    assert not recording.exists()


def polygon_layer(polygons_xy: list, crs: str = "EPSG:3413") -> QgsVectorLayer:
    layer = QgsVectorLayer(f"Polygon?crs={crs}", "mask", "memory")
    features = []
    for ring in polygons_xy:
        f = QgsFeature()
        f.setGeometry(QgsGeometry.fromPolygonXY([[QgsPointXY(x, y) for x, y in ring]]))
        features.append(f)
    layer.dataProvider().addFeatures(features)
    return layer


def test_mask_is_reprojected_to_the_raster_and_written_as_geojson(tmp_path, recording):
    raster = make_raster(tmp_path / "in.tif")
    model = make_model_folder(tmp_path / "model")
    x0, y0 = ORIGIN[0] + 300, ORIGIN[1] - 300
    ring = [(x0, y0), (x0 + 600, y0), (x0 + 600, y0 - 600), (x0, y0)]
    to_wgs84 = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:3413"),
                                      QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    ring_deg = [(p.x(), p.y()) for p in (to_wgs84.transform(QgsPointXY(x, y)) for x, y in ring)]
    layer = polygon_layer([ring_deg], "EPSG:4326")
    context = QgsProcessingContext()
    context.temporaryLayerStore().addMapLayer(layer)
    _, ok, feedback = run_algorithm({"INPUT": str(raster), "MODEL": str(model), "MASK": layer.id(),
                                     "OUTPUT": str(tmp_path / "out.tif")}, context)
    assert ok, errors(feedback)
    record = json.loads(recording.read_text())
    assert not os.path.exists(record["job"]["mask"]), "the temporary mask must be cleaned up"
    geojson = json.loads(record["mask"])
    assert len(geojson["features"]) == 1
    geometry = geojson["features"][0]["geometry"]
    assert geometry["type"] == "MultiPolygon"
    vertices = geometry["coordinates"][0][0]
    for (x, y), (ex, ey) in zip(vertices, ring, strict=False):
        assert x == pytest.approx(ex, abs=0.01) and y == pytest.approx(ey, abs=0.01)


def test_empty_mask_fails_before_the_engine(tmp_path, recording):
    raster = make_raster(tmp_path / "in.tif")
    model = make_model_folder(tmp_path / "model")
    layer = polygon_layer([])
    context = QgsProcessingContext()
    context.temporaryLayerStore().addMapLayer(layer)
    _, ok, feedback = run_algorithm({"INPUT": str(raster), "MODEL": str(model), "MASK": layer.id(),
                                     "OUTPUT": str(tmp_path / "out.tif")}, context)
    assert not ok and "MASK has no polygons" in errors(feedback)
    assert not recording.exists()


@pytest.mark.parametrize("case", ["no folder", "no model.json", "no weights"])
def test_bad_model_folder_fails_before_the_engine(tmp_path, recording, case):
    raster = make_raster(tmp_path / "in.tif")
    model = tmp_path / "model"
    if case == "no model.json":
        model.mkdir()
        (model / "weights.safetensors").write_bytes(b"")
    elif case == "no weights":
        make_model_folder(model, weights=False)
    _, ok, feedback = run_algorithm({"INPUT": str(raster), "MODEL": str(model),
                                     "OUTPUT": str(tmp_path / "out.tif")})
    assert not ok
    expected = {"no folder": "does not exist", "no model.json": "has no model.json",
                "no weights": "has no weights.safetensors"}[case]
    assert expected in errors(feedback) and "MODEL" in errors(feedback)
    assert not recording.exists()


@pytest.mark.parametrize("case", ["missing", "not a raster"])
def test_bad_input_fails_before_the_engine(tmp_path, recording, case):
    path = tmp_path / "in.tif"
    if case == "not a raster":
        path.write_text("these are not the pixels you are looking for\n")
    model = make_model_folder(tmp_path / "model")
    _, ok, feedback = run_algorithm({"INPUT": str(path), "MODEL": str(model),
                                     "OUTPUT": str(tmp_path / "out.tif")})
    assert not ok and "INPUT" in errors(feedback)
    assert not recording.exists()


def test_non_gdal_raster_is_rejected_with_a_hint(tmp_path, recording):
    raster = make_raster(tmp_path / "in.tif", bands=1)
    model = make_model_folder(tmp_path / "model")
    uri = (f"?crs=EPSG:3413&extent={ORIGIN[0]},{ORIGIN[1] - 48 * CELL},{ORIGIN[0] + 64 * CELL},{ORIGIN[1]}"
           f"&width=64&height=48&formula=%22r@1%22%20%2B%201&r:uri={raster}&r:provider=gdal")
    layer = QgsRasterLayer(uri, "virtual", "virtualraster")
    if not layer.isValid():
        pytest.skip("QGIS's virtualraster provider is not available")
    context = QgsProcessingContext()
    context.temporaryLayerStore().addMapLayer(layer)
    _, ok, feedback = run_algorithm({"INPUT": layer.id(), "MODEL": str(model),
                                     "OUTPUT": str(tmp_path / "out.tif")}, context)
    assert not ok
    assert "virtualraster" in errors(feedback) and "GeoTIFF" in errors(feedback)
    assert not recording.exists()


def test_engine_error_reaches_the_user(tmp_path, monkeypatch, plugin):  # noqa: ARG001
    if os.name == "nt":
        pytest.skip("fake engines are POSIX scripts")
    monkeypatch.setenv(settings.ENV_PYTHON, fake_engine(tmp_path, '''
        send(error="INPUT has 1 band(s) but model 'm' expects 4 (b1, b2, b3, b4)."); sys.exit(1)
    '''))
    raster = make_raster(tmp_path / "in.tif", bands=1)
    model = make_model_folder(tmp_path / "model")
    _, ok, feedback = run_algorithm({"INPUT": str(raster), "MODEL": str(model),
                                     "OUTPUT": str(tmp_path / "out.tif")})
    assert not ok and "expects 4" in errors(feedback)


# --- the next Qt ------------------------------------------------------------------------------


QT_ONLY = re.compile(r"^\s*(from|import)\s+PyQt[56]\b|\.exec_\(", re.MULTILINE)


def test_the_plugin_reaches_qt_only_through_qgis_pyqt():
    """QGIS 4 runs on Qt 6: the plugin imports Qt through ``qgis.PyQt`` (which maps to PyQt5 or PyQt6)
    and calls ``exec()``, not PyQt5's ``exec_()``, so nothing of it is tied to PyQt5."""
    sources = [PLUGIN_DIR / "__init__.py", PLUGIN_DIR / "plugin.py", *sorted((PLUGIN_DIR / "algorithms").glob("*.py")),
               *sorted((PLUGIN_DIR / "glacier_provider").glob("*.py")), *sorted((PLUGIN_DIR / "demo").glob("*.py"))]
    offending = [f"{p.relative_to(PLUGIN_DIR)}: {m.group(0).strip()}" for p in sources
                 for m in QT_ONLY.finditer(p.read_text(encoding="utf-8"))]
    assert offending == []
    assert QT_ONLY.search("from PyQt5.QtCore import QTimer") and QT_ONLY.search("loop.exec_()")


def test_the_runner_handles_every_protocol_message():
    from glacier_terminus.core.engine.protocol import MESSAGE_KEYS
    from glacier_terminus.glacier_provider.engine import HANDLERS

    assert set(HANDLERS) == set(MESSAGE_KEYS)


def test_the_command_line_mirrors_every_algorithm_parameter(qgis_app):  # noqa: ARG001 - QGIS must be running
    registry = commands()
    for algorithm_class in ALGORITHMS:
        algorithm = algorithm_class()
        algorithm.initAlgorithm()
        command = registry[algorithm.ENGINE_COMMAND]
        flags = {p.name for p in command.params}
        missing = [d.name() for d in algorithm.parameterDefinitions() if d.name().lower() not in flags]
        assert not missing, f"{algorithm.name()}: {missing} have no --flag in '{command.name}'"


def test_every_dialog_default_and_choice_list_is_the_engines(qgis_app):  # noqa: ARG001 - QGIS must be running
    """A number's or a choice's default in a dialog is the engine's declared default, and a choice's values
    are the declared choices (DEVICE's default is the provider's setting, which the user may change)."""
    from qgis.core import QgsProcessingParameterEnum, QgsProcessingParameterNumber

    registry = commands()
    checked = 0
    for algorithm_class in ALGORITHMS:
        algorithm = algorithm_class()
        algorithm.initAlgorithm()
        command = registry[algorithm.ENGINE_COMMAND]
        declared = {p.name.upper(): p for p in command.params}
        for definition in algorithm.parameterDefinitions():
            spec = declared.get(definition.name())
            if spec is None or definition.name() == "DEVICE":
                continue
            if isinstance(definition, QgsProcessingParameterEnum) and spec.choices:
                assert list(definition.options()) == list(spec.choices), definition.name()
            if isinstance(definition, (QgsProcessingParameterEnum, QgsProcessingParameterNumber)) and \
                    not (isinstance(definition, QgsProcessingParameterEnum) and spec.type is int):
                assert definition.defaultValue() == spec.default, f"{algorithm.name()} {definition.name()}"
                checked += 1
    assert checked >= 40
