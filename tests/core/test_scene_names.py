"""The one reader of scene names (core/geo/scene_names.py): dates, sensors, imagery, footprints, CaFFe."""
from __future__ import annotations

import datetime as dt

import pytest

from glacier_terminus.core.data.dataset import default_group
from glacier_terminus.core.geo.dates import acquisition_date
from glacier_terminus.core.geo.imagery import imagery_of
from glacier_terminus.core.geo.scene_names import parse_scene_name


@pytest.mark.parametrize("name,date,imagery,sensor,footprint", [
    ("LC08_L1TP_020007_20140801_20170420_01_T1_B2.tif", dt.date(2014, 8, 1), "optical", "Landsat", "020007"),
    ("LE07_L1TP_009011_20000805_20170210_01_T1_B2_Subset.png", dt.date(2000, 8, 5), "optical", "Landsat", "009011"),
    ("LC80200072014213LGN00_B8.TIF", dt.date(2014, 8, 1), "optical", "Landsat", None),
    ("S2A_MSIL1C_20190812T150721_N0208_R082_T22WEV_20190812T165027.tif", dt.date(2019, 8, 12), "optical",
     "Sentinel-2", "T22WEV"),
    ("S1A_IW_GRDH_1SDH_20190812T093243_20190812T093308_028520_033900_1F5C.tif", dt.date(2019, 8, 12), "sar",
     "Sentinel-1", None),
    ("JAC_2009-06-21_TSX_6_1_005", dt.date(2009, 6, 21), "sar", "TerraSAR-X / TanDEM-X", None),
    ("/data/scenes/helheim_2016-07-04.tif", dt.date(2016, 7, 4), None, None, None),
    ("classes.tif", None, None, None, None),
    ("scene_20231399.tif", None, None, None, None),  # not a date
])
def test_a_name_says_its_date_sensor_and_footprint(name, date, imagery, sensor, footprint):
    scene = parse_scene_name(name)
    assert (scene.date, scene.imagery, scene.sensor, scene.footprint) == (date, imagery, sensor, footprint)
    # the readers that answer one question each all read the name the same way
    assert acquisition_date(name) == date
    assert (imagery_of(name, 1) or (None,))[0] == imagery
    assert default_group(name) == (footprint or name)


def test_a_caffe_name_also_says_glacier_sensor_and_resolution():
    scene = parse_scene_name("Jorum_2011-09-04_RSAT_20_3_154")
    assert (scene.glacier, scene.caffe_sensor, scene.resolution_m) == ("Jorum", "RADARSAT-1", 20.0)
    assert parse_scene_name("LC08_L1TP_020007_20140801_20170420_01_T1_B2").glacier is None
