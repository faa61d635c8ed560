"""The preview command: image | classes PNG, front lines drawn where they lie, small rasters enlarged."""
import numpy as np
import pytest
from skimage.io import imread

from glacier_terminus.core.engine.cli import main
from glacier_terminus.core.reports.preview import LINE_COLOURS, MAX_SIDE, MIN_SIDE, preview_factor
from glacier_terminus.core.synthetic.scenes import SceneSpec
from glacier_terminus.core.synthetic.writer import write_scene


@pytest.mark.parametrize("side,factor", [(200, 3), (300, 2), (600, 1), (1200, 1), (2400, 0.5)])
def test_preview_factor(side, factor):
    assert preview_factor(side, side // 2) == factor
    assert preview_factor(side, side) * side <= max(MAX_SIDE, MIN_SIDE)


def test_front_drawn_on_the_image_panel(tmp_path):
    spec = SceneSpec(width=150, height=100, seed=3)
    write_scene(spec, str(tmp_path / "scene.tif"), zones_path=str(tmp_path / "zones.tif"),
                front_path=str(tmp_path / "front.geojson"))
    assert main(["preview", "--input", str(tmp_path / "scene.tif"), "--classes", str(tmp_path / "zones.tif"),
                 "--fronts", str(tmp_path / "front.geojson"), "--output", str(tmp_path / "p.png")]) == 0
    figure = imread(tmp_path / "p.png")[..., :3]
    factor = preview_factor(100, 150)
    assert figure.shape[0] == 100 * factor
    image_panel = figure[:, : 150 * int(factor)]
    red = np.all(image_panel == LINE_COLOURS["fronts"], axis=-1)
    rows, cols = np.nonzero(red)
    assert len(np.unique(cols)) > 0.5 * image_panel.shape[1], "the front crosses the fjord"
    # the drawn line follows the zone raster's ocean/glacier boundary
    import rasterio

    with rasterio.open(tmp_path / "zones.tif") as z:
        zones = z.read(1)
    for col in np.unique(cols)[::25]:
        c = int(col / factor)
        ocean = np.nonzero(zones[:, c] == 1)[0]
        glacier = np.nonzero(zones[:, c] == 2)[0]
        if len(ocean) and len(glacier):
            boundary = (glacier.max() + 1) if glacier.mean() < ocean.mean() else (ocean.max() + 1)
            assert abs(np.median(rows[cols == col]) / factor - boundary) < 3


def colour_share(panel: np.ndarray, rows: np.ndarray, cols: np.ndarray, colour) -> float:
    """Share of the preview pixels at (rows, cols) that are drawn in ``colour``."""
    return float(np.mean(np.all(panel[rows, cols] == colour, axis=-1)))


@pytest.mark.parametrize("georeferencing", ["none (a PNG)", "EPSG:3413 GeoTIFF"])
def test_both_fronts_drawn_where_their_pixels_are(tmp_path, georeferencing):
    """The manual (cyan) and the predicted (red) front lie on the image panel over the pixels they
    were drawn from, for a raster without georeferencing (whose fronts are in QGIS's y = -row
    coordinates) and for a georeferenced one."""
    import rasterio
    from rasterio.crs import CRS

    from glacier_terminus.core.geo.raster import grid_transform
    from glacier_terminus.core.geo.vector import write_lines

    height, width = 90, 120
    image = (np.add.outer(np.arange(height), np.arange(width)) % 200 + 20).astype(np.uint8)
    if georeferencing.startswith("none"):
        path, profile = tmp_path / "scene.png", {"driver": "PNG"}
        crs = None
    else:
        crs = CRS.from_epsg(3413)
        path = tmp_path / "scene.tif"
        profile = {"driver": "GTiff", "crs": crs,
                   "transform": rasterio.Affine(50.0, 0, -200000.0, 0, -50.0, -2200000.0)}
    with rasterio.open(path, "w", width=width, height=height, count=1, dtype="uint8", **profile) as dst:
        dst.write(image, 1)
    with rasterio.open(path) as ds:
        transform = grid_transform(ds)
    # manual front: a bent line over rows 30..60; predicted: 15 rows below it
    manual_rc = np.array([[30.0, 10.0], [45.0, 60.0], [30.0, 110.0]])
    predicted_rc = manual_rc + [15.0, 0.0]

    def in_map(rc):
        cols, rows = rc[:, 1] + 0.5, rc[:, 0] + 0.5
        return np.column_stack(transform * (cols, rows))

    fields = [("name", "TEXT")]
    write_lines(tmp_path / "manual.gpkg", [(in_map(manual_rc), {"name": "manual"})], crs, fields)
    write_lines(tmp_path / "predicted.gpkg", [(in_map(predicted_rc), {"name": "predicted"})], crs, fields)
    assert main(["preview", "--input", str(path), "--fronts", str(tmp_path / "predicted.gpkg"),
                 "--reference", str(tmp_path / "manual.gpkg"), "--output", str(tmp_path / "p.png")]) == 0
    panel = imread(tmp_path / "p.png")[..., :3]
    factor = preview_factor(height, width)
    assert panel.shape[:2] == (height * factor, width * factor)
    for rc, colour in ((manual_rc, LINE_COLOURS["reference"]), (predicted_rc, LINE_COLOURS["fronts"])):
        # the pixels of the line, sampled densely along each segment, in preview pixels
        along = np.concatenate([np.linspace(a, b, 200) for a, b in zip(rc[:-1], rc[1:], strict=False)])
        rows, cols = np.round((along + 0.5) * factor - 0.5).astype(int).T
        assert colour_share(panel, rows, cols, colour) > 0.95, f"{colour} not drawn along its front"
        drawn = np.argwhere(np.all(panel == colour, axis=-1))
        off = np.min(np.hypot(*(drawn[:, None, :] - np.column_stack([rows, cols])[None]).transpose(2, 0, 1)), axis=1)
        assert off.max() <= 3, f"{colour} drawn {off.max():.0f} preview px away from its front"
