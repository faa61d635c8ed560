"""Fixtures of the qgis_process tests: a throw-away QGIS profile with the plugin enabled, and the
engine's synthetic scenes and random model packages they run on (session-wide: made once)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import PLUGIN_DIR, engine_python, synthetic
from qgis_helpers import QGIS_PROCESS


@pytest.fixture(scope="session")
def qgis_env(tmp_path_factory):
    """Environment for qgis_process: offscreen, this plugin on the plugin path, a fresh profile."""
    if not Path(QGIS_PROCESS).is_file():
        pytest.skip("qgis_process.bin is not installed (QGIS 3.22+: `sudo make qgis`)")
    if PLUGIN_DIR.name != "glacier_terminus":
        pytest.skip(f"the plugin must be imported through a folder named glacier_terminus "
                    f"(run `make link` and put build/plugins on PYTHONPATH), not {PLUGIN_DIR}")
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["LC_ALL"] = "C.UTF-8"  # English messages whatever the machine's locale (tests read them)
    env["QGIS_PLUGINPATH"] = str(PLUGIN_DIR.parent)
    env["QGIS_CUSTOM_CONFIG_PATH"] = str(tmp_path_factory.mktemp("qgis-profile"))
    env.setdefault("XDG_RUNTIME_DIR", str(tmp_path_factory.mktemp("xdg-runtime")))
    # The engine: an explicit choice wins; else the plugin's own .venv; else this interpreter.
    if not env.get("GLACIER_TERMINUS_PYTHON") and not (PLUGIN_DIR / ".venv" / "bin" / "python").exists():
        env["GLACIER_TERMINUS_PYTHON"] = sys.executable
    enable = subprocess.run([QGIS_PROCESS, "plugins", "enable", "glacier_terminus"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert enable.returncode == 0, enable.stdout + enable.stderr
    return env

@pytest.fixture(scope="session")
def qgis_process(qgis_env):
    """``qgis_process(*args)`` -> CompletedProcess (text, both streams captured)."""

    def run(*args, timeout=300):
        return subprocess.run([QGIS_PROCESS, *map(str, args)], env=qgis_env, capture_output=True,
                              text=True, timeout=timeout)

    return run

@pytest.fixture(scope="session")
def engine_ready():
    """Skip unless the engine's classify command can be imported by this interpreter."""
    done = engine_python("import glacier_terminus.core.segmentation.inference")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        pytest.skip(f"glacier_terminus.core.segmentation.inference cannot be imported: {last}")

@pytest.fixture(scope="session")
def scene(engine_ready, tmp_path_factory):  # noqa: ARG001
    """A 4-band optical synthetic scene, EPSG:3413, 30 m, 200 x 160 px."""
    return synthetic(tmp_path_factory.mktemp("scene") / "scene.tif")

@pytest.fixture(scope="session")
def small_scene(engine_ready, tmp_path_factory):  # noqa: ARG001
    """A 4-band optical synthetic scene of 96 x 80 px (for the slow options)."""
    return synthetic(tmp_path_factory.mktemp("small") / "small.tif", width=96, height=80)

@pytest.fixture(scope="session")
def sar_scene(engine_ready, tmp_path_factory):  # noqa: ARG001
    """A 1-band SAR-like synthetic scene."""
    return synthetic(tmp_path_factory.mktemp("sar") / "sar.tif", width=64, height=64, kind="sar")

@pytest.fixture(scope="session")
def model(engine_ready, tmp_path_factory):  # noqa: ARG001
    """A 4-band, 3-class model package with random weights (made with save_package)."""
    path = tmp_path_factory.mktemp("model") / "random4"
    done = engine_python(f"from helpers import make_package; make_package({str(path)!r}, bands=4, tile=64)")
    assert done.returncode == 0, done.stdout + done.stderr
    return path
