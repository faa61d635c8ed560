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
