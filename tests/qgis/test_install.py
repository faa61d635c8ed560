"""Installing the plugin as a user does: the zip of ``make package`` in a fresh QGIS profile,
and the check that tells a user, once and with the command to run, that the engine's Python
lacks its packages."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from helpers import PLUGIN_DIR, engine_python
from qgis.PyQt.QtCore import QCoreApplication
from qgis_helpers import QGIS_PROCESS, read

from glacier_terminus.glacier_provider.engine import engine_problem, setup_command

QGIS_PYTHON = "/usr/bin/python3"  # Debian's QGIS Python: no torch


def test_an_interpreter_without_torch_gets_the_command_that_fixes_it():
    if not os.path.isfile(QGIS_PYTHON):
        pytest.skip(f"{QGIS_PYTHON} is not installed")
    done = subprocess.run([QGIS_PYTHON, "-c", "import torch"], capture_output=True)
    if done.returncode == 0:
        pytest.skip(f"{QGIS_PYTHON} has torch")
    problem = engine_problem(QGIS_PYTHON)
    assert problem and "\n" not in problem
    assert "lacks the Python package 'torch'" in problem and setup_command() in problem
    assert "venv" in setup_command() and "requirements.txt" in setup_command()


def test_the_engine_interpreter_of_the_suite_has_everything():
    assert engine_problem(sys.executable) is None


def test_a_missing_interpreter_is_named():
    problem = engine_problem("/nonexistent/python3")
    assert "/nonexistent/python3 does not exist" in problem


class _Bar:
    def __init__(self):
        self.messages = []

    def pushMessage(self, *args, **kwargs):  # noqa: N802 (QGIS's name)
        self.messages.append((args, kwargs))


class _Iface:
    def __init__(self):
        self.bar = _Bar()

    def messageBar(self):  # noqa: N802 (QGIS's name)
        return self.bar


def test_loading_in_qgis_desktop_warns_once_in_the_message_bar(qgis_app, monkeypatch):  # noqa: ARG001
    if not os.path.isfile(QGIS_PYTHON) or subprocess.run([QGIS_PYTHON, "-c", "import torch"]).returncode == 0:
        pytest.skip(f"needs {QGIS_PYTHON} without torch")
    from glacier_terminus.plugin import GlacierTerminusPlugin

    monkeypatch.setenv("GLACIER_TERMINUS_PYTHON", QGIS_PYTHON)
    iface = _Iface()
    plugin = GlacierTerminusPlugin(iface)
    plugin.initGui()
    try:
        deadline = time.time() + 120
        while plugin.engine_problem is None and time.time() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.05)
        assert plugin.engine_problem and setup_command() in plugin.engine_problem
        assert len(iface.bar.messages) == 1
        (title, text), _ = iface.bar.messages[0]
        assert title == "Glacier Terminus" and text == plugin.engine_problem
    finally:
        plugin.unload()


@pytest.mark.skipif(not Path(QGIS_PROCESS).is_file(), reason="qgis_process.bin is not installed")
def test_the_packaged_zip_installs_into_a_fresh_profile_and_classifies(engine_ready, tmp_path):  # noqa: F811, ARG001
    done = subprocess.run(["make", "-s", "package", f"PACKAGE_ZIP={tmp_path / 'plugin.zip'}"], cwd=PLUGIN_DIR,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    profile = tmp_path / "profile"
    plugins = profile / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    with zipfile.ZipFile(tmp_path / "plugin.zip") as z:
        names = z.namelist()
        assert all(n.startswith("glacier_terminus/") for n in names)
        assert "glacier_terminus/models/default/weights.safetensors" in names
        assert "glacier_terminus/i18n/glacier_terminus_de.qm" in names
        assert not [n for n in names if n.startswith(("glacier_terminus/tests/", "glacier_terminus/bench/"))]
        z.extractall(plugins)
    env = {k: v for k, v in os.environ.items() if k not in ("QGIS_PLUGINPATH", "PYTHONPATH")}
    env.update(QT_QPA_PLATFORM="offscreen", QGIS_CUSTOM_CONFIG_PATH=str(profile), LC_ALL="C.UTF-8",
               GLACIER_TERMINUS_PYTHON=sys.executable, XDG_RUNTIME_DIR=str(tmp_path))

    def qgis(*args):
        return subprocess.run([QGIS_PROCESS, *map(str, args)], env=env, capture_output=True, text=True, timeout=600)

    enabled = qgis("plugins", "enable", "glacier_terminus")
    assert enabled.returncode == 0, enabled.stdout + enabled.stderr
    image = tmp_path / "grey.tif"
    code = f"""
import numpy as np, rasterio
rows, cols = np.mgrid[0:240, 0:200]
grey = np.where(rows < 110 + 10 * np.sin(cols / 15), 200, 40) + np.random.default_rng(0).integers(0, 20, (240, 200))
with rasterio.open({str(image)!r}, "w", driver="GTiff", width=200, height=240, count=1, dtype="uint8") as dst:
    dst.write(grey.astype("uint8"), 1)
"""
    assert engine_python(code).returncode == 0
    out = tmp_path / "classes.tif"
    run = qgis("--json", "run", "glacierterminus:classifypixels", "--", f"INPUT={image}", f"OUTPUT={out}",
               "DEVICE=cpu")
    assert run.returncode == 0, run.stdout + run.stderr
    assert json.loads(run.stdout)["results"]["OUTPUT"] == str(out)
    assert str(plugins / "glacier_terminus" / "models" / "default") in run.stdout  # the embedded model
    data, info = read(out)
    assert info["size"] == (200, 240) and info["dtype"] == "Byte" and set(data.ravel().tolist()) <= {1, 2}
