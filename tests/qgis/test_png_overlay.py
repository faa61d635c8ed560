"""Rasters without georeferencing (a plain PNG) in QGIS: the plugin's front lies on the image as QGIS draws it."""
from __future__ import annotations

import numpy as np
import pytest
import rasterio

from glacier_terminus.core.engine.cli import run_job
from glacier_terminus.core.engine.protocol import SilentReporter

WIDTH, HEIGHT, FRONT = 120, 90, 2


def front_rows(cols: np.ndarray) -> np.ndarray:
    return np.round(40 + 8 * np.sin(cols / 15.0)).astype(int)


@pytest.fixture
def class_png(tmp_path):
    """A class PNG (1 background, 2 front along a wavy line), without CRS or geotransform."""
    classes = np.ones((HEIGHT, WIDTH), dtype=np.uint8)
    cols = np.arange(5, WIDTH - 5)
    classes[front_rows(cols), cols] = FRONT
    path = tmp_path / "classes.png"
    with rasterio.open(path, "w", driver="PNG", width=WIDTH, height=HEIGHT, count=1, dtype="uint8") as dst:
        dst.write(classes, 1)
    return path, classes


def test_front_of_a_png_falls_on_its_front_pixels_in_a_qgis_project(qgis_app, class_png, tmp_path):  # noqa: ARG001
    from qgis.core import QgsPointXY, QgsProject, QgsRasterLayer, QgsVectorLayer

    png, classes = class_png
    reporter = SilentReporter()
    run_job("extract_front", {"input": str(png), "output": str(tmp_path / "front.gpkg"), "method": "front_class",
                              "front_class": FRONT, "smoothing": 0, "simplify": 0, "min_length": 5}, reporter)
    project = QgsProject.instance()
    image = QgsRasterLayer(str(png), "classes", "gdal")
    front = QgsVectorLayer(f"{tmp_path / 'front.gpkg'}|layername=fronts", "front", "ogr")
    assert image.isValid() and front.isValid()
    project.addMapLayers([image, front])
    try:
        extent = image.extent()
        assert (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()) == (0, -HEIGHT, WIDTH, 0)
        vertices = [v for f in front.getFeatures() for v in f.geometry().vertices()]
        assert len(vertices) > 50
        on_front = 0
        for v in vertices:
            value, ok = image.dataProvider().sample(QgsPointXY(v.x(), v.y()), 1)
            assert ok, f"vertex {v.x()}, {v.y()} is off the image QGIS draws"
            on_front += value == FRONT
        assert on_front == len(vertices), f"{len(vertices) - on_front} of {len(vertices)} vertices off the front"
        # and the line spans the front: from its first to its last column
        xs = [v.x() for v in vertices]
        assert min(xs) < 7 and max(xs) > WIDTH - 7
    finally:
        project.removeAllMapLayers()
    assert not any("no CRS" in w and "mirror" in w for w in reporter.of("warning"))


def test_gdal_notice_of_no_georeferencing_is_dropped_and_real_errors_are_printed(class_png, capfd):
    from osgeo import gdal

    from glacier_terminus.glacier_provider.gdal_messages import without_georeferencing_noise

    png, _ = class_png
    # GDAL's messages, not exceptions, whatever an earlier test in this process left set (QGIS 3.40's
    # GDAL provider turns exceptions on for the whole process when Processing loads)
    raising = gdal.GetUseExceptions()
    gdal.DontUseExceptions()
    try:
        ds = gdal.Open(str(png))
        gdal.Transformer(ds, None, [])  # what QGIS's GDAL provider asks of a raster without georeferencing
        assert "ERROR 1: Unable to compute a transformation" in capfd.readouterr().err
        with without_georeferencing_noise():
            gdal.Transformer(ds, None, [])
            assert gdal.Open(str(png.with_name("missing.tif"))) is None
    finally:
        if raising:
            gdal.UseExceptions()
    err = capfd.readouterr().err
    assert "Unable to compute a transformation" not in err
    assert "ERROR 4:" in err and "missing.tif" in err, "a real error is still printed"


@pytest.mark.parametrize("inside", [False, True], ids=["outside", "inside"])
def test_layers_opened_while_reading_user_layers_leave_no_statistics_file(qgis_app, tmp_path, inside):  # noqa: ARG001
    """A raster layer QGIS opens computes statistics for its renderer, which GDAL keeps in
    <raster>.aux.xml beside it; inside reading_user_layers() it keeps none, and GDAL's setting is
    as before afterwards. Outside, the same layer leaves the file (what the block prevents)."""
    from osgeo import gdal
    from qgis.core import QgsRasterLayer

    from glacier_terminus.glacier_provider.gdal_messages import reading_user_layers

    path = tmp_path / "scene.tif"
    with rasterio.open(path, "w", driver="GTiff", width=WIDTH, height=HEIGHT, count=1, dtype="uint16",
                       crs="EPSG:3413", transform=rasterio.Affine(30, 0, -200000, 0, -30, -2200000)) as dst:
        dst.write((np.arange(WIDTH * HEIGHT) % 997).reshape(HEIGHT, WIDTH).astype(np.uint16), 1)
    before = gdal.GetThreadLocalConfigOption("GDAL_PAM_ENABLED", None)
    gdal.SetThreadLocalConfigOption("GDAL_PAM_ENABLED", "YES")  # GDAL's default, whatever the process set
    try:
        if inside:
            with reading_user_layers():
                layer = QgsRasterLayer(str(path), "scene", "gdal")
                assert layer.isValid()
                del layer
        else:
            layer = QgsRasterLayer(str(path), "scene", "gdal")
            assert layer.isValid()
            del layer
        assert gdal.GetThreadLocalConfigOption("GDAL_PAM_ENABLED", None) == "YES", "restored after the block"
    finally:
        gdal.SetThreadLocalConfigOption("GDAL_PAM_ENABLED", before)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == (["scene.tif"] if inside else ["scene.tif", "scene.tif.aux.xml"])
