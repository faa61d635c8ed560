"""What a scene's file name says: the one reader of Landsat, Sentinel and CaFFe names (acquisition
date, sensor, optical or SAR, footprint, and a CaFFe scene's glacier and resolution)."""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass

#: Landsat Collection 1/2 product id: LC08_L1TP_020007_20140801_20170420_01_T1 (path/row 3rd, acquisition 4th).
_LANDSAT_COLLECTION = re.compile(
    r"(?<![A-Za-z0-9])L[COTEM]0\d_[A-Z0-9]{4}_\d{6}_(\d{4})(\d{2})(\d{2})_\d{8}_\d{2}_[A-Z0-9]{2}"
)
#: Landsat scene id before collections: LC80200072014213LGN00 (year and day of year).
_LANDSAT_SCENE = re.compile(r"(?<![A-Za-z0-9])L[COTEM]\d\d{6}(\d{4})(\d{3})[A-Z]{3}\d{2}")
#: Sentinel-1 / -2 product names: the first YYYYMMDDTHHMMSS is the sensing start.
_SENTINEL = re.compile(r"(?<![A-Za-z0-9])S[12][A-D]_[A-Z0-9_]*?(\d{4})(\d{2})(\d{2})T\d{6}")
#: Anything else: a stand-alone YYYYMMDD, YYYY-MM-DD, YYYY_MM_DD or YYYY.MM.DD.
_GENERIC = re.compile(r"(?<!\d)(\d{4})([-_.]?)(\d{2})\2(\d{2})(?!\d)")
#: Footprints, the validation groups of scenes: a Landsat path/row, a Sentinel-2 tile.
_LANDSAT_PATH_ROW = re.compile(r"L[COTEM]0\d_[A-Z0-9]{4}_(\d{6})_\d{8}")
_SENTINEL2_TILE = re.compile(r"_(T\d{2}[A-Z]{3})_")
#: File-name marks of optical scenes: Landsat and Sentinel-2 product names.
_OPTICAL = (
    ("Landsat", re.compile(r"(?<![A-Za-z0-9])L[COTEM]0?\d[_0-9]")),
    ("Sentinel-2", re.compile(r"(?<![A-Za-z0-9])S2[A-D]_|_T\d{2}[A-Z]{3}_")),
)
#: File-name marks of SAR scenes: Sentinel-1 product names and the SAR sensors CaFFe names.
_SAR = (
    ("Sentinel-1", re.compile(r"(?<![A-Za-z0-9])S1[A-D]_|_S1_")),
    ("TerraSAR-X / TanDEM-X", re.compile(r"(?<![A-Za-z0-9])(TSX|TDX)[_0-9]|_(TSX|TDX)_")),
    ("ERS / Envisat / RADARSAT / ALOS PALSAR", re.compile(r"_(ERS|ENVISAT|RSAT|PALSAR)_", re.IGNORECASE)),
)
#: A CaFFe scene: <glacier>_<YYYY-MM-DD>_<sensor>_<m per px>_<quality>_<orbit>.
_CAFFE = re.compile(r"^(?P<glacier>[A-Za-z]+)_(?P<date>\d{4}-\d{2}-\d{2})_(?P<sensor>[A-Za-z0-9]+)_"
                    r"(?P<resolution>\d+(?:\.\d+)?)_(?P<quality>\d+)_(?P<orbit>\w+)$")
#: CaFFe's sensor abbreviations -> the sensor's name.
CAFFE_SENSORS = {
    "TSX": "TerraSAR-X", "TDX": "TanDEM-X", "ENVISAT": "Envisat", "ERS": "ERS-1/2", "RSAT": "RADARSAT-1",
    "PALSAR": "ALOS PALSAR", "S1": "Sentinel-1",
}
EARLIEST_YEAR, LATEST_YEAR = 1960, 2100


@dataclass(frozen=True)
class SceneName:
    """What a file name says; None where it says nothing."""

    name: str
    date: dt.date | None
    imagery: str | None  # "optical" or "sar"
    sensor: str | None  # the sensor family the name marks ("Landsat", "Sentinel-1", ...)
    footprint: str | None  # Landsat path/row or Sentinel-2 tile
    glacier: str | None = None  # CaFFe names only, like the two below
    caffe_sensor: str | None = None
    resolution_m: float | None = None


def checked_date(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    """The date, or None when it is not one or lies outside 1960-2100."""
    try:
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if EARLIEST_YEAR <= value.year <= LATEST_YEAR else None


def _date(text: str) -> dt.date | None:
    match = _LANDSAT_COLLECTION.search(text)
    if match:
        return checked_date(*match.groups())
    match = _LANDSAT_SCENE.search(text)
    if match:
        year, doy = int(match.group(1)), int(match.group(2))
        if EARLIEST_YEAR <= year <= LATEST_YEAR and 1 <= doy <= 366:
            value = dt.date(year, 1, 1) + dt.timedelta(days=doy - 1)
            if value.year == year:
                return value
    match = _SENTINEL.search(text)
    if match:
        return checked_date(*match.groups())
    for match in _GENERIC.finditer(text):
        day = checked_date(match.group(1), match.group(3), match.group(4))
        if day is not None:
            return day
    return None


def _sensor(text: str) -> tuple[str | None, str | None]:
    for imagery, marks in (("optical", _OPTICAL), ("sar", _SAR)):
        for sensor, pattern in marks:
            if pattern.search(text):
                return imagery, sensor
    return None, None


def _footprint(text: str) -> str | None:
    for pattern in (_LANDSAT_PATH_ROW, _SENTINEL2_TILE):
        match = pattern.search(text)
        if match:
            return match.group(1)
    return None


def parse_scene_name(name: str | os.PathLike) -> SceneName:
    """What ``name`` (a file name or path: only its last part is read) says.

    Dates: ``LC08_L1TP_020007_20140801_20170420_01_T1_B2.tif`` -> 2014-08-01 (not the processing
    date), ``LC80200072014213LGN00`` -> 2014-08-01 (day of year 213), ``S2A_MSIL1C_20190812T150721_...``
    and ``S1A_IW_GRDH_1SDH_20190812T093243_...`` -> 2019-08-12; other names: the first stand-alone
    date written YYYYMMDD or YYYY-MM-DD. ``JAC_2009-06-21_TSX_6_1_005`` (CaFFe) -> glacier JAC,
    TerraSAR-X, 6 m per pixel.
    """
    text = os.path.basename(str(name))
    imagery, sensor = _sensor(text)
    caffe = _CAFFE.match(text)
    return SceneName(
        text, _date(text), imagery, sensor, _footprint(text),
        glacier=caffe["glacier"] if caffe else None,
        caffe_sensor=CAFFE_SENSORS.get(caffe["sensor"].upper(), caffe["sensor"]) if caffe else None,
        resolution_m=float(caffe["resolution"]) if caffe else None,
    )
