"""What the tests of every level share: where the plugin and the data sets are, running the engine in
a subprocess, random model packages and rasters, the scripts of models/."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import rasterio
from rasterio.transform import from_origin

import glacier_terminus

#: The plugin as the engine imports it (through the build/plugins/glacier_terminus link: symlinks kept).
PLUGIN_DIR = Path(os.path.dirname(os.path.abspath(glacier_terminus.__file__)))
#: The checkout (tests/..) and the folder holding these helpers.
TESTS_DIR = Path(__file__).resolve().parent
ROOT = TESTS_DIR.parent
#: The data sets, read where they lie (tests that need them skip when they are absent).
SHARED_DATA = ROOT.parent / "shared" / "data"
FRONTLEARNING = SHARED_DATA / "frontlearning"
CAFFE = SHARED_DATA / "caffe256"

ZONE_CLASSES = (("ocean", "#1f4e9c", "ocean"), ("glacier", "#dceefa", "glacier"), ("rock", "#7a5c3c", "rock"))


def load_script(name: str):
    """The script ``models/<name>.py`` as a module (they are run as files, not imported as a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "models" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_package(path: Path, bands: int = 4, tile: int = 64, cell_size: float | None = 30.0,
                 architecture: str = "hrnet_w18_small", seed: int = 0, n_classes: int = 3) -> Path:
    """A model package with random (seeded) weights: enough to test plumbing, not skill."""
    import torch

    from glacier_terminus.core.segmentation.architectures import get_architecture
    from glacier_terminus.core.segmentation.package import Band, ModelClass, ModelPackage, save_package

    torch.manual_seed(seed)
    classes = [ModelClass(i + 1, *ZONE_CLASSES[i % 3]) for i in range(n_classes)]
    pkg = ModelPackage(
        name=f"random-{bands}band", architecture=architecture,
        bands=[Band(f"b{i + 1}", 1000.0, 500.0) for i in range(bands)], classes=classes,
        tile_size=tile, cell_size=cell_size, dtype="uint16", value_range=(0, 10000),
    )
    net = get_architecture(architecture).build(bands, n_classes)
    return save_package(path, pkg, net.state_dict())


def make_raster(path: Path, height: int, width: int, bands: int = 4, cell: float = 30.0,
                crs: str | None = "EPSG:3413", nodata: float | None = 0, seed: int = 0,
                dtype: str = "uint16") -> Path:
    """A smooth random raster (so that a network's output has structure)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width]
    data = np.stack([
        1000 + 800 * np.sin(xx / (9 + 3 * b) + rng.uniform(0, 6)) * np.cos(yy / (13 + b) + rng.uniform(0, 6))
        + rng.normal(0, 50, (height, width))
        for b in range(bands)
    ]).clip(1, 10000).astype(dtype)
    profile = dict(driver="GTiff", width=width, height=height, count=bands, dtype=dtype, nodata=nodata)
    if crs:
        profile.update(crs=crs, transform=from_origin(-200000, -2200000, cell, cell))
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data)
    return Path(path)


#: Class names of zone rasters (classify's ``classes`` tag).
ZONE_NAMES = {1: "ocean", 2: "glacier", 3: "rock"}


def write_classes(path, classes, spec=None, names=ZONE_NAMES, crs="EPSG:3413",
                  transform=None, nodata=0):
    """A uint8 class raster with classify's ``classes`` tag (names by value): on a synthetic scene's
    grid (``spec``), or in ``crs`` with ``transform`` (default 30 m cells), or without CRS (``crs=None``)."""
    profile = dict(driver="GTiff", width=classes.shape[1], height=classes.shape[0], count=1, dtype="uint8",
                   nodata=nodata)
    if spec is not None and spec.crs is not None:
        profile.update(crs=spec.crs, transform=spec.transform)
    elif crs is not None:
        profile.update(crs=crs, transform=transform or from_origin(-200000, -2200000, 30, 30))
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(classes.astype(np.uint8), 1)
        if names:
            dst.update_tags(model="test", classes=json.dumps(names))
    return path


def zones_of(spec) -> np.ndarray:
    """The zone raster (1 ocean, 2 glacier, 3 rock) of a whole synthetic scene."""
    from glacier_terminus.core.synthetic import scenes as sy

    return sy.zones_from_surface(sy.surface_window(spec, 0, 0, spec.height, spec.width))


def engine_env() -> dict:
    """The environment of an engine subprocess: the plugin and these helpers importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PLUGIN_DIR.parent), str(TESTS_DIR)])
    return env


def engine_python(code: str, timeout=300) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh engine interpreter (this one), streams captured."""
    return subprocess.run([sys.executable, "-c", code], env=engine_env(), capture_output=True,
                          text=True, timeout=timeout)


def synthetic(path: Path, width=200, height=160, **options) -> Path:
    """A synthetic scene written by the engine's ``synthetic`` command (options as its flags)."""
    argv = [sys.executable, "-m", "glacier_terminus.core", "synthetic", "--output", str(path),
            "--width", str(width), "--height", str(height)]
    for key, value in options.items():
        argv += ["--" + key.replace("_", "-"), str(value)]
    done = subprocess.run(argv, env=engine_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return path


def error_lines(text: str) -> list[str]:
    """The lines of a run's output that say ERROR, but QGIS 3.40's own notice that a raster has no
    georeferencing (its GDAL provider prints "GDAL ERROR 1: Unable to compute a transformation ..." for
    every PNG it opens, with QGIS's native algorithms too, from a handler of its own that no plugin
    can reach); every other ERROR line is kept."""
    from glacier_terminus.glacier_provider.gdal_messages import is_no_georeferencing_notice

    return [line for line in text.splitlines() if "ERROR" in line and not is_no_georeferencing_notice(line)]
