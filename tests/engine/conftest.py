"""Fixtures of the engine tests: its command line in a subprocess, and a synthetic scene with its truth."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import engine_env

from glacier_terminus.core.engine.cli import run_job


@pytest.fixture(scope="session")
def engine():
    """``engine(*args, timeout=120, cwd=None)``: ``python -m glacier_terminus.core *args`` -> CompletedProcess
    (text, both streams captured)."""

    def run(*args, timeout=120, cwd=None):
        return subprocess.run([sys.executable, "-m", "glacier_terminus.core", *map(str, args)], env=engine_env(),
                              capture_output=True, text=True, timeout=timeout, cwd=cwd)

    return run


@pytest.fixture(scope="session")
def scene(tmp_path_factory) -> Path:
    """A folder with a synthetic optical scene (400 x 300 px, 30 m) and its zones, front and surface classes."""
    d = tmp_path_factory.mktemp("scene")
    run_job("synthetic", {"output": str(d / "scene.tif"), "width": 400, "height": 300, "seed": 3,
                          "zones": str(d / "zones.tif"), "surface": str(d / "surface.tif"),
                          "front": str(d / "front.geojson")})
    return d
