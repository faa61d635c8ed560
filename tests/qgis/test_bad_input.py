"""The bad inputs users really give, fed to every algorithm through ``qgis_process.bin``.

Each case of :data:`CASES` must end with: a non-zero exit, a clear message (the phrases),
no output and no partial file in the output folder, and the inputs' folder as it was: the same
names, sizes, modification times and bytes (:func:`listing`), so that no statistics file
(``<input>.aux.xml``, GDAL's PAM) or rewritten VRT is left beside an input. The ordinary inputs of
:data:`ORDINARY` (a folder of PNG scenes, a VRT, a GeoTIFF without statistics, a read-only folder)
run to the end and must leave their folder as it was too. The number of cases is printed.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from helpers import engine_env, engine_python, error_lines, synthetic
from qgis_helpers import QGIS_PROCESS, needs_qgis_process, write_geojson

pytestmark = needs_qgis_process

P = "glacierterminus:"


@dataclass(frozen=True)
class Case:
    """One bad input: the algorithm, its parameters (inputs folder, output folder -> dict) and what
    the message must say. ``algorithm`` is a Processing algorithm's id, or ``engine:<command>`` for the
    engine's command line (parameters as flags; ``JOB`` as a job file, a dict or raw text). ``interrupt``
    sends Ctrl-C (SIGINT to the process group) at most that many seconds in; ``folder`` is the output
    folder: plain, read-only, or full (a 1 MB tmpfs)."""

    id: str
    algorithm: str
    params: Callable[[Path, Path], dict]
    phrases: tuple[str, ...]
    interrupt: float | None = None
    folder: str = "plain"
    signals: int = 1  # Ctrl-C pressed this many times (0.3 s apart)


def line(x0, y0, x1, y1):
    return {"type": "LineString", "coordinates": [[x0, y0], [x1, y1]]}


@pytest.fixture(scope="module")
def inputs(engine_ready, tmp_path_factory):  # noqa: F811, ARG001
    """The folder of inputs every case reads (never written to by a case)."""
    d = tmp_path_factory.mktemp("inputs")
    synthetic(d / "scene.tif", width=200, height=160, surface=d / "surface.tif", zones=d / "zones.tif",
              front=d / "front.geojson")
    synthetic(d / "sar.tif", width=64, height=64, kind="sar")
    synthetic(d / "big.tif", width=1500, height=1500, seed=2)
    synthetic(d / "nocrs.tif", width=200, height=160, crs="none")
    code = f"""
import json, numpy as np, rasterio, shutil
from helpers import make_package
make_package({str(d / 'model')!r}, bands=4, tile=64)
shutil.copytree({str(d / 'model')!r}, {str(d / 'newer_model')!r})
meta = json.load(open({str(d / 'newer_model' / 'model.json')!r}))
meta["schema_version"] = 99
json.dump(meta, open({str(d / 'newer_model' / 'model.json')!r}, "w"))
with rasterio.open({str(d / 'surface.tif')!r}) as ds:
    profile = ds.profile
with rasterio.open({str(d / 'one_class.tif')!r}, "w", **profile) as dst:
    dst.write(np.full((160, 200), 4, np.uint8), 1)
with rasterio.open({str(d / 'no_front.tif')!r}, "w", **profile) as dst:  # a fronts model's classes, no front found
    dst.write(np.full((160, 200), 1, np.uint8), 1)
    dst.update_tags(classes=json.dumps({{"1": "background", "2": "front"}}))
"""
    done = engine_python(code)
    assert done.returncode == 0, done.stdout + done.stderr
    code = f"""
import json, shutil, numpy as np, rasterio
from affine import Affine
from glacier_terminus.core.engine.cli import run_job
d = {str(d)!r}
data = open(d + '/scene.tif', 'rb').read()
open(d + '/truncated.tif', 'wb').write(data[: len(data) // 2])
with rasterio.open(d + '/scene.tif') as ds:
    profile, image = ds.profile, ds.read()
rotated = dict(profile, transform=Affine.rotation(20) * profile['transform'])
with rasterio.open(d + '/rotated.tif', 'w', **rotated) as dst:
    dst.write(image)
with rasterio.open(d + '/huge.tif', 'w', driver='GTiff', width=200000, height=200000, count=1, dtype='uint8',
                   tiled=True, sparse_ok=True, crs=profile['crs'], transform=profile['transform']):
    pass
with rasterio.open(d + '/surface.tif') as ds:
    classes, label_profile = ds.read(1).astype(np.uint16), dict(ds.profile, dtype='uint16', nodata=None)
above = classes.copy(); above[:10, :10] = 300
with rasterio.open(d + '/labels_above_255.tif', 'w', **label_profile) as dst:
    dst.write(above, 1)
with rasterio.open(d + '/labels_continuous.tif', 'w', **label_profile) as dst:
    dst.write((np.arange(classes.size).reshape(classes.shape) % 211 + 1).astype(np.uint16), 1)
def damaged(name, edit):
    shutil.copytree(d + '/model', d + '/' + name)
    meta = json.load(open(d + '/' + name + '/model.json'))
    edit(meta, d + '/' + name)
    json.dump(meta, open(d + '/' + name + '/model.json', 'w'))
def flip(meta, folder):
    w = bytearray(open(folder + '/weights.safetensors', 'rb').read()); w[-5] ^= 0xFF
    open(folder + '/weights.safetensors', 'wb').write(bytes(w))
damaged('model_damaged_weights', flip)
damaged('model_nan_statistics', lambda meta, folder: meta['bands'][0].update(mean=float('nan')))
damaged('model_impossible_arguments', lambda meta, folder: meta.update(architecture_args={{'encoder_depth': 99}}))
damaged('model_unknown_route', lambda meta, folder: meta.update(front_extraction={{'method': 'magic'}}))
run_job('export_tiles', {{'input': d + '/scene.tif', 'labels': d + '/surface.tif', 'output': d + '/tiles',
                              'tile_size': 64}})
"""
    done = engine_python(code)
    assert done.returncode == 0, done.stdout + done.stderr
    code = f"""
import numpy as np, rasterio
d = {str(d)!r}
with rasterio.open(d + '/scene.tif') as ds:
    image = ds.read()
d_png = d + '/pngs'
__import__('os').makedirs(d_png)
for k in range(3):  # a folder of dated PNG scenes without georeferencing, as FrontLearning's
    scaled = (np.clip(image / max(float(image.max()), 1.0), 0, 1) * 255).astype(np.uint8)
    with rasterio.open(d_png + f'/LE07_L1TP_009011_2000080{{5 + k}}_B2.png', 'w', driver='PNG', width=image.shape[2],
                       height=image.shape[1], count=image.shape[0], dtype='uint8') as dst:
        dst.write(np.roll(scaled, 3 * k, axis=2))
"""
    done = engine_python(code)
    assert done.returncode == 0, done.stdout + done.stderr
    for name, size in (("scene.vrt", None), ("huge.vrt", 200000)):  # a VRT over scene.tif, as gdalbuildvrt writes
        (d / name).write_text(vrt_over(d / "scene.tif", size))
    (d / "notes.tif").write_text("not a raster, whatever its name says\n")
    (d / "notes.gpkg").write_text("my notes, not a GeoPackage\n")
    (d / "link_to_scene.tif").symlink_to(d / "scene.tif")
    (d / "fronts_wkt.csv").write_text('WKT,date\n"LINESTRING (-199000 -2203000, -198000 -2203100)",2020-07-01\n')
    write_geojson(d / "dated.geojson", line(-199000, -2203000, -198000, -2203100), {"date": "2020-07-01"}, epsg=3413)
    write_geojson(d / "bow_tie.geojson", {"type": "Polygon", "coordinates": [[
        [-200000, -2204000], [-197000, -2201000], [-197000, -2204000], [-200000, -2202200], [-200000, -2204000]]]},
        epsg=3413)
    write_geojson(d / "walls.geojson", line(-199500, -2202000, -197500, -2202000), {"side": 1}, epsg=3413)
    write_geojson(d / "point_line.geojson", line(-199000, -2203000, -199000, -2203000), epsg=3413)
    (d / "table.csv").write_text("a,b\n1,2\n")
    (d / "empty.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    write_geojson(d / "points.geojson", {"type": "Point", "coordinates": [-199000, -2203000]}, {"class": 1},
                  epsg=3413)
    write_geojson(d / "undated.geojson", line(-199000, -2203000, -198000, -2203100), {"name": "front"}, epsg=3413)
    write_geojson(d / "dated_wgs84.geojson", line(-45.0, 70.0, -44.9, 70.01), {"date": "2020-07-01"}, epsg=4326)
    write_geojson(d / "box_wgs84.geojson", {"type": "Polygon", "coordinates": [[
        [-45.1, 69.9], [-44.8, 69.9], [-44.8, 70.1], [-45.1, 70.1], [-45.1, 69.9]]]}, epsg=4326)
    (d / "no_dataset").mkdir()
    return d


def vrt_over(path: Path, size: int | None) -> str:
    """A VRT whose bands read ``path`` (by its name, relative to the VRT), declaring ``size`` x ``size``
    px when given (a mistake: a grid far larger than its source), else the source's size."""
    import rasterio

    with rasterio.open(path) as ds:
        width, height = (size, size) if size else (ds.width, ds.height)
        gt = ", ".join(f"{v!r}" for v in ds.transform.to_gdal())
        bands = "".join(
            f'<VRTRasterBand dataType="{ds.dtypes[b - 1].capitalize().replace("Uint", "UInt")}" band="{b}">'
            f'<SimpleSource><SourceFilename relativeToVRT="1">{path.name}</SourceFilename>'
            f"<SourceBand>{b}</SourceBand></SimpleSource></VRTRasterBand>\n" for b in range(1, ds.count + 1))
        return (f'<VRTDataset rasterXSize="{width}" rasterYSize="{height}">\n<SRS>{ds.crs.to_string()}</SRS>\n'
                f"<GeoTransform>{gt}</GeoTransform>\n{bands}</VRTDataset>\n")


CASES = [
    # Classify Pixels
    Case("classify-text-file-as-raster", P + "classifypixels",
         lambda i, o: {"INPUT": i / "notes.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif"},
         ("notes.tif",)),
    Case("classify-missing-bands", P + "classifypixels",
         lambda i, o: {"INPUT": i / "sar.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif"},
         ("INPUT has 1 band(s) but model", "expects 4")),
    Case("classify-model-from-a-newer-schema", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "newer_model", "OUTPUT": o / "c.tif"},
         ("schema version 99 is newer", "update the plugin")),
    Case("classify-not-a-model-folder", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "no_dataset", "OUTPUT": o / "c.tif"},
         ("has no model.json",)),
    Case("classify-extent-elsewhere", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif",
                       "EXTENT": "100000,110000,100000,110000 [EPSG:3413]"},
         ("EXTENT does not overlap",)),
    Case("classify-empty-mask", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif",
                       "MASK": i / "empty.geojson"},
         ("MASK",)),
    Case("classify-read-only-output-folder", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif"},
         ("not writable",), folder="read-only"),
    Case("classify-disk-full", P + "classifypixels",
         lambda i, o: {"INPUT": i / "big.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif",
                       "OUTPUT_PROBABILITIES": o / "p.tif", "DEVICE": "cpu"},
         ("need up to", "MB free"), folder="full"),
    Case("classify-ctrl-c", P + "classifypixels",
         lambda i, o: {"INPUT": i / "big.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif",
                       "OUTPUT_PROBABILITIES": o / "p.tif", "DEVICE": "cpu"},
         (), interrupt=12.0),
    # CSC Refine
    Case("csc-coarse-of-one-class", P + "cscrefine",
         lambda i, o: {"INPUT": i / "scene.tif", "COARSE": i / "one_class.tif", "OUTPUT": o / "r.tif",
                       "REPORT": o / "r.html"},
         ("one class only", "nothing to learn")),
    Case("csc-even-patch-size", P + "cscrefine",
         lambda i, o: {"INPUT": i / "scene.tif", "COARSE": i / "surface.tif", "PATCH_SIZE": 4, "OUTPUT": o / "r.tif"},
         ("PATCH_SIZE",)),
    Case("csc-coarse-lines", P + "cscrefine",
         lambda i, o: {"INPUT": i / "scene.tif", "COARSE": i / "front.geojson", "OUTPUT": o / "r.tif"},
         ("COARSE",)),
    Case("csc-coarse-with-a-crs-on-an-image-without", P + "cscrefine",
         lambda i, o: {"INPUT": i / "nocrs.tif", "COARSE": i / "surface.tif", "OUTPUT": o / "r.tif"},
         ("COARSE and INPUT must share their grid",)),
    Case("csc-polygons-without-class-field", P + "cscrefine",
         lambda i, o: {"INPUT": i / "scene.tif", "COARSE": i / "box_wgs84.geojson", "OUTPUT": o / "r.tif"},
         ("CLASS_FIELD is required",)),
    Case("csc-table-as-coarse", P + "cscrefine",
         lambda i, o: {"INPUT": i / "scene.tif", "COARSE": i / "table.csv", "OUTPUT": o / "r.tif"},
         ("COARSE",)),
    # Extract Calving Front
    Case("extract-vector-as-raster", P + "extractcalvingfront",
         lambda i, o: {"INPUT": i / "front.geojson", "OUTPUT": o / "f.gpkg"},
         ("INPUT",)),
    Case("extract-no-ocean-class", P + "extractcalvingfront",
         lambda i, o: {"INPUT": i / "one_class.tif", "METHOD": "zone_boundary", "OUTPUT": o / "f.gpkg"},
         ("No class of INPUT is ocean",)),
    Case("extract-shapefile-output", P + "extractcalvingfront",
         lambda i, o: {"INPUT": i / "zones.tif", "OUTPUT": o / "f.shp"},
         ("GeoPackage",)),
    Case("extract-probabilities-on-another-grid", P + "extractcalvingfront",
         lambda i, o: {"INPUT": i / "zones.tif", "PROBABILITIES": i / "sar.tif", "OUTPUT": o / "f.gpkg"},
         ("must be on INPUT's grid",)),
    # Map Calving Fronts
    Case("mapfronts-shapefile-output", P + "mapcalvingfronts",
         lambda i, o: {"INPUTS": i / "scene.tif", "MODEL": i / "model", "OUTPUT": o / "f.shp"},
         ("GeoPackage",)),
    Case("mapfronts-model-with-an-unknown-route", P + "mapcalvingfronts",
         lambda i, o: {"INPUTS": i / "scene.tif", "MODEL": i / "model_unknown_route", "OUTPUT": o / "f.gpkg"},
         ("names an unknown method 'magic'",)),
    Case("mapfronts-box-crossing-itself", P + "mapcalvingfronts",
         lambda i, o: {"INPUTS": i / "scene.tif", "MODEL": i / "model", "REFERENCE": i / "bow_tie.geojson",
                       "OUTPUT": o / "f.gpkg", "OUTPUT_TABLE": o / "t.csv"},
         ("REFERENCE's box polygon crosses itself",)),
    Case("mapfronts-read-only-output-folder", P + "mapcalvingfronts",
         lambda i, o: {"INPUTS": i / "scene.tif", "MODEL": i / "model", "OUTPUT": o / "f.gpkg"},
         ("not writable",), folder="read-only"),
    Case("engine-mapfronts-bad-shard", "engine:map_fronts",
         lambda i, o: {"inputs": i / "scene.tif", "model": i / "model", "output": o / "f.gpkg", "shard": "3/2"},
         ("SHARD 3/2: K must be between 1 and N.",)),
    # Evaluate Fronts
    Case("evaluate-predicted-file-missing", P + "evaluatefronts",
         lambda i, o: {"PREDICTED": i / "nowhere.gpkg", "REFERENCE": i / "front.geojson", "OUTPUT": o / "e.csv"},
         ("PREDICTED",)),
    Case("evaluate-points-as-fronts", P + "evaluatefronts",
         lambda i, o: {"PREDICTED": i / "points.geojson", "REFERENCE": i / "front.geojson", "OUTPUT": o / "e.csv"},
         ("PREDICTED",)),
    Case("evaluate-read-only-output-folder", P + "evaluatefronts",
         lambda i, o: {"PREDICTED": i / "front.geojson", "REFERENCE": i / "front.geojson", "RASTER": i / "zones.tif",
                       "OUTPUT": o / "e.csv",
                       "OUTPUT_HTML": o / "e.html"},
         ("not writable",), folder="read-only"),
    # Terminus Change
    Case("terminus-no-date-field", P + "terminuschange",
         lambda i, o: {"FRONTS": i / "undated.geojson", "REFERENCE": i / "box_wgs84.geojson", "OUTPUT": o / "t.csv"},
         ("no date field",)),
    Case("terminus-geographic-crs", P + "terminuschange",
         lambda i, o: {"FRONTS": i / "dated_wgs84.geojson", "REFERENCE": i / "box_wgs84.geojson",
                       "OUTPUT": o / "t.csv", "OUTPUT_HTML": o / "t.html"},
         ("projected CRS",)),
    # Export Training Tiles
    Case("export-point-labels", P + "exporttrainingtiles",
         lambda i, o: {"INPUT": i / "scene.tif", "LABELS": i / "points.geojson", "OUTPUT": o / "tiles"},
         ("LABELS must be",)),
    Case("export-labels-without-crs-on-a-georeferenced-image", P + "exporttrainingtiles",
         lambda i, o: {"INPUT": i / "scene.tif", "LABELS": i / "nocrs.tif", "OUTPUT": o / "tiles"},
         ("LABELS", "CRS")),
    # Train Terminus Model
    Case("train-folder-without-dataset", P + "trainterminusmodel",
         lambda i, o: {"DATASETS": i / "no_dataset", "DEVICE": "cpu", "OUTPUT_MODEL": o / "model"},
         ("dataset.json",)),
    # --- outputs that would destroy an input, or another output
    Case("classify-output-is-the-input", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model", "OUTPUT": i / "scene.tif"},
         ("OUTPUT would overwrite INPUT",)),
    Case("classify-output-is-the-probabilities", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif",
                       "OUTPUT_PROBABILITIES": o / "c.tif"},
         ("OUTPUT and OUTPUT_PROBABILITIES name the same place",)),
    Case("csc-output-is-the-coarse-classes", P + "cscrefine",
         lambda i, o: {"INPUT": i / "scene.tif", "COARSE": i / "surface.tif", "OUTPUT": i / "surface.tif"},
         ("OUTPUT would overwrite COARSE",)),
    Case("csc-output-is-the-image", P + "cscrefine",
         lambda i, o: {"INPUT": i / "scene.tif", "COARSE": i / "surface.tif", "OUTPUT": i / "scene.tif"},
         ("OUTPUT would overwrite INPUT",)),
    Case("extract-output-is-the-walls", P + "extractcalvingfront",
         lambda i, o: {"INPUT": i / "zones.tif", "METHOD": "between_walls", "WALLS": i / "walls.geojson",
                       "OUTPUT": i / "walls.geojson"},
         ("OUTPUT would overwrite WALLS",)),
    Case("extract-output-is-a-file-that-is-not-a-geopackage", P + "extractcalvingfront",
         lambda i, o: {"INPUT": i / "zones.tif", "OUTPUT": i / "notes.gpkg"},
         ("exists and is not a GeoPackage",)),
    Case("evaluate-output-is-the-predicted-table", P + "evaluatefronts",
         lambda i, o: {"PREDICTED": i / "fronts_wkt.csv", "REFERENCE": i / "front.geojson",
                       "OUTPUT": i / "fronts_wkt.csv"},
         ("OUTPUT would overwrite PREDICTED",)),
    Case("evaluate-output-is-the-reference-layer", P + "evaluatefronts",
         lambda i, o: {"PREDICTED": i / "front.geojson", "REFERENCE": i / "dated.geojson",
                       "OUTPUT": i / "dated.geojson"},
         ("OUTPUT would overwrite REFERENCE",)),
    Case("terminus-report-is-the-reference-box", P + "terminuschange",
         lambda i, o: {"FRONTS": i / "dated.geojson", "REFERENCE": i / "box_wgs84.geojson", "OUTPUT": o / "t.csv",
                       "OUTPUT_HTML": i / "box_wgs84.geojson"},
         ("OUTPUT_HTML would overwrite REFERENCE",)),
    Case("evaluate-report-is-the-table", P + "evaluatefronts",
         lambda i, o: {"PREDICTED": i / "front.geojson", "REFERENCE": i / "front.geojson", "OUTPUT": o / "e.csv",
                       "OUTPUT_HTML": o / "e.csv"},
         ("OUTPUT and OUTPUT_HTML name the same place",)),
    Case("terminus-output-is-the-fronts-table", P + "terminuschange",
         lambda i, o: {"FRONTS": i / "fronts_wkt.csv", "REFERENCE": i / "box_wgs84.geojson",
                       "OUTPUT": i / "fronts_wkt.csv"},
         ("OUTPUT would overwrite FRONTS",)),
    Case("export-output-folder-holds-the-input", P + "exporttrainingtiles",
         lambda i, o: {"INPUT": i / "scene.tif", "LABELS": i / "surface.tif", "OUTPUT": i},
         ("OUTPUT", "holds INPUT")),
    Case("train-output-model-is-the-dataset", P + "trainterminusmodel",
         lambda i, o: {"DATASETS": i / "tiles", "DEVICE": "cpu", "OUTPUT_MODEL": i / "tiles"},
         ("OUTPUT_MODEL would overwrite DATASETS",)),
    Case("train-output-model-inside-the-dataset", P + "trainterminusmodel",
         lambda i, o: {"DATASETS": i / "tiles", "DEVICE": "cpu", "OUTPUT_MODEL": i / "tiles" / "model"},
         ("lies inside DATASETS",)),
    # --- damaged or odd rasters
    Case("classify-truncated-raster", P + "classifypixels",
         lambda i, o: {"INPUT": i / "truncated.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif"},
         ("truncated.tif is damaged or truncated",)),
    Case("classify-rotated-grid", P + "classifypixels",
         lambda i, o: {"INPUT": i / "rotated.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif"},
         ("has a rotated grid", "gdalwarp")),
    Case("classify-absurd-declared-size", P + "classifypixels",
         lambda i, o: {"INPUT": i / "huge.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif", "BANDS": 1},
         ("gigapixels",)),
    Case("classify-batch-size-above-its-bound", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif", "BATCH_SIZE": 100000},
         ("Parameter BATCH_SIZE must be at most 4096, not 100000.",)),
    Case("extract-class-raster-with-nothing-to-take-a-front-from", P + "extractcalvingfront",
         lambda i, o: {"INPUT": i / "no_front.tif", "OUTPUT": o / "f.gpkg"},
         ("INPUT has no pixel of its front class (2 front)", "nothing to take a front from")),
    Case("terminus-centreline-of-no-length", P + "terminuschange",
         lambda i, o: {"FRONTS": i / "dated.geojson", "REFERENCE": i / "point_line.geojson", "OUTPUT": o / "t.csv"},
         ("REFERENCE's centreline has no length",)),
    Case("engine-classify-vrt-of-absurd-size", "engine:classify",
         lambda i, o: {"input": i / "huge.vrt", "model": i / "model", "output": o / "c.tif", "bands": 1},
         ("gigapixels",)),
    Case("classify-png-output", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model", "OUTPUT": o / "c.png"},
         ("OUTPUT must be a GeoTIFF file",)),
    Case("csc-truncated-image", P + "cscrefine",
         lambda i, o: {"INPUT": i / "truncated.tif", "COARSE": i / "surface.tif", "OUTPUT": o / "r.tif"},
         ("damaged or truncated",)),
    Case("export-truncated-image", P + "exporttrainingtiles",
         lambda i, o: {"INPUT": i / "truncated.tif", "LABELS": i / "surface.tif", "OUTPUT": o / "tiles"},
         ("damaged or truncated",)),
    Case("export-labels-above-255", P + "exporttrainingtiles",
         lambda i, o: {"INPUT": i / "scene.tif", "LABELS": i / "labels_above_255.tif", "OUTPUT": o / "tiles"},
         ("class values outside 0-255",)),
    Case("export-continuous-labels", P + "exporttrainingtiles",
         lambda i, o: {"INPUT": i / "scene.tif", "LABELS": i / "labels_continuous.tif", "OUTPUT": o / "tiles"},
         ("211 distinct values", "continuous")),
    # --- damaged model packages and models that do not suit the imagery
    Case("classify-weights-damaged-on-disk", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model_damaged_weights", "OUTPUT": o / "c.tif"},
         ("weights_sha256 differs",)),
    Case("classify-model-with-nan-statistics", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model_nan_statistics", "OUTPUT": o / "c.tif"},
         ("normalisation", "is not finite")),
    Case("classify-model-with-impossible-arguments", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model_impossible_arguments", "OUTPUT": o / "c.tif"},
         ("cannot be built with architecture_args",)),
    Case("classify-optical-scene-to-the-sar-model", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "SHIPPED_MODEL": "sar_zones", "OUTPUT": o / "c.tif"},
         ("looks like optical imagery", "is a SAR model", "optical_fronts")),
    Case("extract-model-route-names-an-unknown-method", P + "extractcalvingfront",
         lambda i, o: {"INPUT": i / "zones.tif", "MODEL": i / "model_unknown_route", "OUTPUT": o / "f.gpkg"},
         ("front_extraction names an unknown method 'magic'",)),
    # --- numbers out of their bounds, geometry that cannot be measured
    Case("classify-batch-size-zero", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif", "BATCH_SIZE": 0},
         ("BATCH_SIZE",)),
    Case("classify-negative-cell-size", P + "classifypixels",
         lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif", "CELL_SIZE": -30},
         ("CELL_SIZE",)),
    Case("extract-threshold-above-one", P + "extractcalvingfront",
         lambda i, o: {"INPUT": i / "zones.tif", "THRESHOLD": 1.5, "OUTPUT": o / "f.gpkg"},
         ("THRESHOLD",)),
    Case("export-tile-size-too-small", P + "exporttrainingtiles",
         lambda i, o: {"INPUT": i / "scene.tif", "LABELS": i / "surface.tif", "TILE_SIZE": 16, "OUTPUT": o / "tiles"},
         ("TILE_SIZE",)),
    Case("train-zero-epochs", P + "trainterminusmodel",
         lambda i, o: {"DATASETS": i / "tiles", "DEVICE": "cpu", "EPOCHS": 0, "OUTPUT_MODEL": o / "model"},
         ("EPOCHS",)),
    Case("terminus-self-crossing-box", P + "terminuschange",
         lambda i, o: {"FRONTS": i / "dated.geojson", "REFERENCE": i / "bow_tie.geojson", "OUTPUT": o / "t.csv"},
         ("box polygon crosses itself",)),
    Case("terminus-plot-not-png", P + "terminuschange",
         lambda i, o: {"FRONTS": i / "dated.geojson", "REFERENCE": i / "box_wgs84.geojson", "OUTPUT": o / "t.csv",
                       "OUTPUT_PLOT": o / "t.jpg"},
         ("OUTPUT_PLOT must be a PNG file",)),
    # --- the engine's command line (python -m glacier_terminus.core), flags and job files
    Case("engine-classify-output-is-the-input", "engine:classify",
         lambda i, o: {"input": i / "scene.tif", "model": i / "model", "output": i / "scene.tif"},
         ("OUTPUT would overwrite INPUT",)),
    Case("engine-classify-output-through-a-link-to-the-input", "engine:classify",
         lambda i, o: {"input": i / "scene.tif", "model": i / "model", "output": i / "link_to_scene.tif"},
         ("OUTPUT would overwrite INPUT",)),
    Case("engine-batch-size-zero", "engine:classify",
         lambda i, o: {"input": i / "scene.tif", "model": i / "model", "output": o / "c.tif", "batch_size": 0},
         ("Parameter BATCH_SIZE must be at least 1, not 0",)),
    Case("engine-batch-size-as-text", "engine:classify",
         lambda i, o: {"input": i / "scene.tif", "model": i / "model", "output": o / "c.tif", "batch_size": "four"},
         ("Parameter BATCH_SIZE must be a whole number, not", "four")),
    Case("engine-negative-cell-size", "engine:classify",
         lambda i, o: {"input": i / "scene.tif", "model": i / "model", "output": o / "c.tif", "cell_size": -30},
         ("Parameter CELL_SIZE must be at least 0",)),
    Case("engine-job-with-a-list-for-a-path", "engine:classify",
         lambda i, o: {"JOB": {"input": [str(i / "scene.tif")], "model": str(i / "model"), "output": str(o / "c.tif")}},
         ("Parameter INPUT takes one value, not a list",)),
    Case("engine-job-with-text-for-a-number", "engine:classify",
         lambda i, o: {"JOB": {"input": str(i / "scene.tif"), "model": str(i / "model"), "output": str(o / "c.tif"),
                               "padding": "wide"}},
         ("Parameter PADDING must be a whole number, not", "wide")),
    Case("engine-job-with-an-unknown-key", "engine:classify",
         lambda i, o: {"JOB": {"input": str(i / "scene.tif"), "output": str(o / "c.tif"), "colour": "red"}},
         ("Unknown parameter(s) for 'classify': colour",)),
    Case("engine-job-file-not-json", "engine:classify",
         lambda i, o: {"JOB": "{input: scene.tif"},
         ("Cannot read job file",)),
    Case("engine-output-is-the-probabilities", "engine:classify",
         lambda i, o: {"input": i / "scene.tif", "model": i / "model", "output": o / "c.tif",
                       "output_probabilities": o / "c.tif"},
         ("OUTPUT and OUTPUT_PROBABILITIES name the same place",)),
    Case("engine-truncated-raster", "engine:classify",
         lambda i, o: {"input": i / "truncated.tif", "model": i / "model", "output": o / "c.tif"},
         ("truncated.tif is damaged or truncated",)),
    Case("engine-rotated-grid", "engine:extract_front",
         lambda i, o: {"input": i / "rotated.tif", "output": o / "f.gpkg"},
         ("has a rotated grid",)),
    Case("engine-absurd-declared-size", "engine:classify",
         lambda i, o: {"input": i / "huge.tif", "model": i / "model", "output": o / "c.tif", "bands": 1},
         ("gigapixels",)),
    Case("engine-damaged-weights", "engine:classify",
         lambda i, o: {"input": i / "scene.tif", "model": i / "model_damaged_weights", "output": o / "c.tif"},
         ("weights_sha256 differs",)),
    Case("engine-model-with-nan-statistics", "engine:classify",
         lambda i, o: {"input": i / "scene.tif", "model": i / "model_nan_statistics", "output": o / "c.tif"},
         ("is not finite",)),
    Case("engine-model-route-names-an-unknown-method", "engine:extract_front",
         lambda i, o: {"input": i / "zones.tif", "model": i / "model_unknown_route", "output": o / "f.gpkg"},
         ("names an unknown method 'magic'",)),
    Case("engine-extract-shapefile-output", "engine:extract_front",
         lambda i, o: {"input": i / "zones.tif", "output": o / "f.shp"},
         ("OUTPUT must be a GeoPackage file (.gpkg), not f.shp",)),
    Case("engine-extract-no-ocean-class", "engine:extract_front",
         lambda i, o: {"input": i / "one_class.tif", "method": "zone_boundary", "output": o / "f.gpkg"},
         ("No class of INPUT is ocean",)),
    Case("engine-extract-into-a-file-that-is-not-a-geopackage", "engine:extract_front",
         lambda i, o: {"input": i / "zones.tif", "output": i / "notes.gpkg"},
         ("exists and is not a GeoPackage",)),
    Case("engine-evaluate-output-is-the-reference", "engine:evaluate_fronts",
         lambda i, o: {"predicted": i / "front.geojson", "reference": i / "table.csv", "output": i / "table.csv"},
         ("OUTPUT would overwrite REFERENCE",)),
    Case("engine-csc-output-is-the-coarse-classes", "engine:csc_refine",
         lambda i, o: {"input": i / "scene.tif", "coarse": i / "surface.tif", "output": i / "surface.tif"},
         ("OUTPUT would overwrite COARSE",)),
    Case("engine-terminus-self-crossing-box", "engine:terminus_change",
         lambda i, o: {"fronts": i / "dated.geojson", "reference": i / "bow_tie.geojson", "output": o / "t.csv"},
         ("box polygon crosses itself",)),
    Case("engine-export-labels-above-255", "engine:export_tiles",
         lambda i, o: {"input": i / "scene.tif", "labels": i / "labels_above_255.tif", "output": o / "tiles"},
         ("class values outside 0-255",)),
    Case("engine-train-output-inside-the-dataset", "engine:train",
         lambda i, o: {"datasets": i / "tiles", "output_model": i / "tiles" / "model", "device": "cpu"},
         ("OUTPUT_MODEL", "lies inside DATASETS")),
    Case("engine-preview-output-not-png", "engine:preview",
         lambda i, o: {"input": i / "scene.tif", "output": o / "p.jpg"},
         ("OUTPUT must be a PNG file",)),
    Case("engine-synthetic-width-too-small", "engine:synthetic",
         lambda i, o: {"output": o / "s.tif", "width": 3},
         ("Parameter WIDTH must be at least 16, not 3",)),
    Case("engine-ctrl-c-twice", "engine:classify",
         lambda i, o: {"input": i / "big.tif", "model": i / "model", "output": o / "c.tif",
                       "output_probabilities": o / "p.tif", "device": "cpu"},
         (), interrupt=12.0, signals=2),
]


def listing(folder: Path) -> dict[str, tuple]:
    """Every file and folder under ``folder``: its size, modification time (ns) and, for a file,
    its SHA-256; a file added beside an input (``<input>.aux.xml``) or rewritten shows here."""
    found = {}
    for p in sorted(folder.rglob("*")):
        stat = p.lstat()
        digest = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() and not p.is_symlink() else None
        found[str(p.relative_to(folder))] = (stat.st_size if digest else None, stat.st_mtime_ns, digest)
    return found


def changed(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """What :func:`listing` says became of a folder: names added, removed or changed."""
    return ([f"added {n}" for n in sorted(set(after) - set(before))]
            + [f"removed {n}" for n in sorted(set(before) - set(after))]
            + [f"changed {n}" for n in sorted(set(before) & set(after)) if before[n] != after[n]])


def case_command(case: Case, inputs: Path, out: Path, job_file: Path) -> list[str]:
    params = case.params(inputs, out)
    if not case.algorithm.startswith("engine:"):
        return [QGIS_PROCESS, "run", case.algorithm, "--", *(f"{k}={v}" for k, v in params.items())]
    args = [sys.executable, "-m", "glacier_terminus.core", case.algorithm.split(":", 1)[1]]
    if "JOB" in params:
        job = params.pop("JOB")
        job_file.write_text(job if isinstance(job, str) else json.dumps(job))
        args += ["--job", str(job_file)]
    for key, value in params.items():
        args += ["--" + key.replace("_", "-"), str(value)]
    return args


def run_case(case: Case, qgis_env: dict, inputs: Path, out: Path, job_file: Path) -> subprocess.CompletedProcess:  # noqa: F811
    args = case_command(case, inputs, out, job_file)
    env = qgis_env if args[0] == QGIS_PROCESS else engine_env()
    if case.interrupt is None:
        return subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
    # Ctrl-C at a terminal: SIGINT to the whole foreground process group (qgis_process and the engine).
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    deadline = time.time() + case.interrupt
    while time.time() < deadline and not list(out.glob(".*partial*")):
        time.sleep(0.2)
    time.sleep(1.0)  # well into the run
    for n in range(case.signals):
        if n:
            time.sleep(0.3)
        try:
            os.killpg(proc.pid, signal.SIGINT)
        except ProcessLookupError:  # already gone after the first
            break
    text, _ = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(args, proc.returncode, text, "")


@contextmanager
def output_folder(kind: str, path: Path):
    """The folder ``path`` for a run (made when missing): ``plain``; ``read-only``, with all it holds
    (for root, who ignores permissions: immutable with chattr, else bound read-only onto itself);
    ``full`` (a 1 MB tmpfs, root only; :func:`leftovers` unmounts it)."""
    root = os.geteuid() == 0
    path.mkdir(exist_ok=True)
    undo: list[list[str]] = []

    def run_or_skip(args: list[str], then_undo: list[str] | None = None) -> None:
        made = subprocess.run(args, capture_output=True, text=True)
        if made.returncode != 0:
            for step in reversed(undo):
                subprocess.run(step, capture_output=True)
            pytest.skip(f"cannot make {path} {kind} ({args[0]}: {made.stderr.strip() or 'not root'})")
        if then_undo:
            undo.append(then_undo)

    if kind == "read-only" and not root:
        path.chmod(0o555)
    elif kind == "read-only" and shutil.which("chattr"):
        run_or_skip(["chattr", "-R", "+i", str(path)], ["chattr", "-R", "-i", str(path)])
    elif kind == "read-only":
        run_or_skip(["mount", "--bind", str(path), str(path)], ["umount", str(path)])
        run_or_skip(["mount", "-o", "remount,bind,ro", str(path)])
    elif kind == "full":
        run_or_skip(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(path)])
    try:
        yield path
    finally:
        for step in reversed(undo):
            subprocess.run(step, capture_output=True)
        if kind == "read-only" and not root:
            path.chmod(0o755)


def leftovers(path: Path, kind: str) -> list[str]:
    names = sorted(p.name for p in path.iterdir())
    if kind == "full":
        subprocess.run(["umount", str(path)], capture_output=True)
    return names


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case, qgis_env, inputs, tmp_path):  # noqa: F811
    before = listing(inputs)
    with output_folder(case.folder, tmp_path / "out") as out:
        done = run_case(case, qgis_env, inputs, out, tmp_path / "job.json")
        left = leftovers(out, case.folder)
    text = done.stdout + done.stderr
    assert done.returncode != 0, text
    for phrase in case.phrases:
        assert phrase in text, f"{phrase!r} not in:\n{text}"
    assert "Traceback" not in text, text
    assert left == [], f"an output or partial file was left behind: {left}"
    assert changed(before, listing(inputs)) == [], "the inputs' folder changed"


@dataclass(frozen=True)
class Ordinary:
    """A run on ordinary inputs that must succeed and leave the inputs' folder as it was (as
    :class:`Case`: ``algorithm`` and ``params``); ``read_only``: the inputs' folder is read-only
    (a data share), and nothing may complain of it."""

    id: str
    algorithm: str
    params: Callable[[Path, Path], dict]
    read_only: bool = False


def first_png(folder: Path) -> Path:
    return sorted(folder.glob("*.png"))[0]


ORDINARY = [
    Ordinary("classify-a-png-scene-of-a-folder", P + "classifypixels",
             lambda i, o: {"INPUT": first_png(i / "pngs"), "MODEL": i / "model", "OUTPUT": o / "c.tif"}),
    Ordinary("engine-map-a-folder-of-png-scenes", "engine:map_fronts",
             lambda i, o: {"inputs": i / "pngs", "model": i / "model", "output": o / "f.gpkg"}),
    Ordinary("classify-a-geotiff-without-statistics", P + "classifypixels",
             lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif"}),
    Ordinary("extract-a-class-raster-without-statistics", P + "extractcalvingfront",
             lambda i, o: {"INPUT": i / "zones.tif", "OUTPUT": o / "f.gpkg"}),
    Ordinary("engine-classify-a-vrt", "engine:classify",
             lambda i, o: {"input": i / "scene.vrt", "model": i / "model", "output": o / "c.tif"}),
    Ordinary("classify-from-a-read-only-folder", P + "classifypixels",
             lambda i, o: {"INPUT": i / "scene.tif", "MODEL": i / "model", "OUTPUT": o / "c.tif"}, read_only=True),
    Ordinary("engine-classify-a-png-from-a-read-only-folder", "engine:classify",
             lambda i, o: {"input": first_png(i / "pngs"), "model": i / "model", "output": o / "c.tif"},
             read_only=True),
]


#: The inputs the ordinary runs read, copied to a folder of their own for each run.
ORDINARY_INPUTS = ("scene.tif", "scene.vrt", "zones.tif", "pngs", "model")


@pytest.mark.parametrize("case", ORDINARY, ids=[c.id for c in ORDINARY])
def test_ordinary_input_is_left_as_it_was(case, qgis_env, inputs, tmp_path):  # noqa: F811
    """A run that succeeds reads its inputs and writes nothing beside them: no ``<input>.aux.xml``
    (GDAL's statistics), no rewritten file; from a read-only folder it prints no error either."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ORDINARY_INPUTS:  # a folder of the user's own, to be made read-only
        copy = shutil.copytree if (inputs / name).is_dir() else shutil.copy2
        copy(inputs / name, folder / name)
    before = listing(folder)
    out = tmp_path / "out"
    out.mkdir()
    with output_folder("read-only" if case.read_only else "plain", folder):
        done = run_case(Case(case.id, case.algorithm, case.params, ()), qgis_env, folder, out, tmp_path / "job.json")
    text = done.stdout + done.stderr
    assert done.returncode == 0, text
    assert error_lines(text) == [] and "Traceback" not in text, text
    assert changed(before, listing(folder)) == [], "the inputs' folder changed"


def test_the_table_counts_its_cases(capsys):
    with capsys.disabled():
        engine = [c for c in CASES if c.algorithm.startswith("engine:")]
        algorithms = {c.algorithm for c in CASES} - {c.algorithm for c in engine}
        print(f"\nbad-input table: {len(CASES)} cases: {len(CASES) - len(engine)} over {len(algorithms)} "
              f"algorithms, {len(engine)} on the engine's command line; {len(ORDINARY)} ordinary runs that must "
              "leave their inputs' folder as it was")
    algorithms = {c.algorithm for c in CASES if not c.algorithm.startswith("engine:")}
    assert len(CASES) >= 60 and len(algorithms) == 8 and any(c.algorithm.startswith("engine:") for c in CASES)
    assert {c.read_only for c in ORDINARY} == {False, True}


def test_extract_into_a_geopackage_keeps_its_other_layers(qgis_env, inputs, tmp_path):  # noqa: F811
    """Writing fronts into a GeoPackage that holds another layer adds the fronts layer (QGIS's way);
    the other layer is kept, and the result names the layer it wrote."""
    import sqlite3

    project = tmp_path / "project.gpkg"
    made = engine_python(f"""
import numpy as np
from glacier_terminus.core.geo.vector import write_lines
write_lines({str(project)!r}, [(np.array([[-199000.0, -2203000.0], [-198000.0, -2203100.0]]), {{"name": "manual"}})],
            None, [("name", "TEXT")], layer="manual_fronts")
""")
    assert made.returncode == 0, made.stderr
    done = subprocess.run([QGIS_PROCESS, "--json", "run", P + "extractcalvingfront", "--",
                           f"INPUT={inputs / 'zones.tif'}", f"OUTPUT={project}"],
                          env=qgis_env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(done.stdout[done.stdout.index("{"):])["results"]
    assert results["OUTPUT"] == f"{project}|layername=fronts"
    with sqlite3.connect(project) as db:
        layers = sorted(r[0] for r in db.execute("SELECT table_name FROM gpkg_contents"))
        manual = db.execute('SELECT name FROM "manual_fronts"').fetchall()
    assert layers == ["fronts", "manual_fronts"] and manual == [("manual",)]
