"""Provider settings: the engine's Python interpreter and the default device.

They live in Processing's settings (Settings > Options > Processing > Providers >
Glacier Terminus) through ``ProcessingConfig``. ``qgis_process`` may run without the
Processing plugin's ``ProcessingConfig`` initialised, so every read falls back to the
stored ``QgsSettings`` value and then to a default. The environment variable
``GLACIER_TERMINUS_PYTHON`` overrides the interpreter everywhere (CI, HPC, tests).
"""
from __future__ import annotations

import os
import shutil

from qgis.core import QgsSettings

from .messages import tr

#: The plugin folder, as QGIS reached it (symlinks are deliberately not resolved).
PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: The plugin's icon, shown by the provider and each of its algorithms.
ICON_PATH = os.path.join(PLUGIN_DIR, "icon.svg")

GROUP = "Glacier Terminus"
ENGINE_PYTHON = "GLACIERTERMINUS_ENGINE_PYTHON"
DEFAULT_DEVICE = "GLACIERTERMINUS_DEFAULT_DEVICE"
ENV_PYTHON = "GLACIER_TERMINUS_PYTHON"
DEVICES = ("auto", "cpu", "cuda")
_QSETTINGS_PREFIX = "Processing/Configuration/"  # where ProcessingConfig's Setting stores values


def _processing_config():
    """``(ProcessingConfig, Setting)`` or ``(None, None)`` where the Processing plugin is absent."""
    try:
        from processing.core.ProcessingConfig import ProcessingConfig, Setting
    except Exception:  # noqa: BLE001 - any import problem means: no settings UI
        return None, None
    return ProcessingConfig, Setting


def venv_python(plugin_dir: str = PLUGIN_DIR) -> str | None:
    """The plugin's own engine interpreter (``<plugin>/.venv``) if it exists."""
    for rel in (("bin", "python"), ("bin", "python3"), ("Scripts", "python.exe")):
        path = os.path.join(plugin_dir, ".venv", *rel)
        if os.path.isfile(path):
            return path
    return None


def default_python() -> str:
    """``<plugin>/.venv/bin/python`` if it exists, else ``python3`` (or ``python``) on PATH."""
    found = venv_python()
    if found:
        return found
    for name in ("python3", "python"):
        found = shutil.which(name)
        if found:
            return found
    return "python3"


def _interpreter_ok(value) -> None:
    """Validator for the settings dialog: empty, an existing file, or a command on PATH."""
    value = str(value or "").strip()
    if value and not os.path.isfile(value) and not shutil.which(value):
        raise ValueError(tr("No Python interpreter at {0}").format(value))


def add_settings(icon=None) -> None:
    """Declare the provider's settings in Processing's options (no-op without Processing)."""
    config, setting = _processing_config()
    if config is None:
        return
    if icon is not None:
        config.settingIcons[GROUP] = icon
    interpreter = setting(
        GROUP,
        ENGINE_PYTHON,
        tr("Engine Python interpreter (needs torch, rasterio, segmentation-models-pytorch)"),
        "",
        valuetype=setting.FILE,
        validator=_interpreter_ok,
        placeholder=tr("Leave blank for {0}").format(default_python()),
    )
    device = setting(
        GROUP,
        DEFAULT_DEVICE,
        tr("Default device (auto uses CUDA when available)"),
        DEVICES[0],
        valuetype=setting.SELECTION,
        options=list(DEVICES),
    )
    for s in (interpreter, device):
        config.addSetting(s)
        s.read()


def remove_settings() -> None:
    config, _ = _processing_config()
    if config is None:
        return
    for name in (ENGINE_PYTHON, DEFAULT_DEVICE):
        if name in config.settings:
            config.removeSetting(name)


def _stored(name: str):
    """A setting's value: from ProcessingConfig when declared there, else from QgsSettings."""
    config, _ = _processing_config()
    if config is not None and name in config.settings:
        return config.settings[name].value
    return QgsSettings().value(_QSETTINGS_PREFIX + name, None)


def engine_python() -> str:
    """The interpreter that runs the engine: $GLACIER_TERMINUS_PYTHON, the setting, or the default."""
    value = os.environ.get(ENV_PYTHON, "").strip()
    if value:
        return value
    value = _stored(ENGINE_PYTHON)
    value = "" if value is None else str(value).strip()
    if value and value.upper() != "NULL":
        return value
    return default_python()


def default_device() -> str:
    """The default DEVICE: ``auto``, ``cpu`` or ``cuda``."""
    value = _stored(DEFAULT_DEVICE)
    if value is None:
        return DEVICES[0]
    text = str(value).strip().lower()
    if text in DEVICES:
        return text
    try:  # QgsSettings holds a SELECTION as its index
        return DEVICES[int(text)]
    except (ValueError, IndexError):
        return DEVICES[0]


__all__ = [
    "PLUGIN_DIR",
    "ENV_PYTHON",
    "DEVICES",
    "add_settings",
    "remove_settings",
    "engine_python",
    "default_device",
    "default_python",
    "venv_python",
]
