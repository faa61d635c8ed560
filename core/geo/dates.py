"""Acquisition dates: from Landsat / Sentinel file names and from attribute values."""
from __future__ import annotations

import datetime as dt
import os
import re

#: Landsat Collection 1/2 product id: LC08_L1TP_020007_20140801_20170420_01_T1 (acquisition 4th).
_LANDSAT_COLLECTION = re.compile(
    r"(?<![A-Za-z0-9])L[COTEM]0\d_[A-Z0-9]{4}_\d{6}_(\d{4})(\d{2})(\d{2})_\d{8}_\d{2}_[A-Z0-9]{2}"
)
#: Landsat scene id before collections: LC80200072014213LGN00 (year and day of year).
_LANDSAT_SCENE = re.compile(r"(?<![A-Za-z0-9])L[COTEM]\d\d{6}(\d{4})(\d{3})[A-Z]{3}\d{2}")
#: Sentinel-1 / -2 product names: the first YYYYMMDDTHHMMSS is the sensing start.
_SENTINEL = re.compile(r"(?<![A-Za-z0-9])S[12][A-D]_[A-Z0-9_]*?(\d{4})(\d{2})(\d{2})T\d{6}")
#: Anything else: a stand-alone YYYYMMDD, YYYY-MM-DD, YYYY_MM_DD or YYYY.MM.DD.
_GENERIC = re.compile(r"(?<!\d)(\d{4})([-_.]?)(\d{2})\2(\d{2})(?!\d)")
_EARLIEST, _LATEST = 1960, 2100


def _date(year: str | int, month: str | int, day: str | int) -> dt.date | None:
    try:
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if _EARLIEST <= value.year <= _LATEST else None


def acquisition_date(name: str | os.PathLike | None) -> dt.date | None:
    """The acquisition date in a Landsat / Sentinel file or product name, else None.

    ``LC08_L1TP_020007_20140801_20170420_01_T1_B2.tif`` -> 2014-08-01 (not the
    processing date), ``LC80200072014213LGN00`` -> 2014-08-01 (day of year 213),
    ``S2A_MSIL1C_20190812T150721_...`` and ``S1A_IW_GRDH_1SDH_20190812T093243_...`` ->
    2019-08-12. Other names: the first stand-alone date written YYYYMMDD or YYYY-MM-DD.
    """
    if not name:
        return None
    text = os.path.basename(str(name))
    match = _LANDSAT_COLLECTION.search(text)
    if match:
        return _date(*match.groups())
    match = _LANDSAT_SCENE.search(text)
    if match:
        year, doy = int(match.group(1)), int(match.group(2))
        if _EARLIEST <= year <= _LATEST and 1 <= doy <= 366:
            value = dt.date(year, 1, 1) + dt.timedelta(days=doy - 1)
            if value.year == year:
                return value
    match = _SENTINEL.search(text)
    if match:
        return _date(*match.groups())
    for match in _GENERIC.finditer(text):
        value = _date(match.group(1), match.group(3), match.group(4))
        if value is not None:
            return value
    return None


def parse_date(value) -> dt.date | None:
    """A date from an attribute value: a date, an ISO text (``2014-08-01``, ``2014/08/01``,
    ``2014-08-01T10:00:00``), ``20140801`` or a decimal year (``2014.58``); None otherwise."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        year = float(value)
        if _EARLIEST <= year < _LATEST + 1:
            start = dt.date(int(year), 1, 1)
            days = (dt.date(int(year) + 1, 1, 1) - start).days
            return start + dt.timedelta(days=int((year - int(year)) * days))
        if 1e7 <= year < 1e8 and year.is_integer():  # 20140801
            number = int(year)
            return _date(number // 10000, number // 100 % 100, number % 100)
        return None
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?", text)
    if match:
        return _date(*match.groups())
    match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if match:
        return _date(*match.groups())
    match = re.fullmatch(r"\d{4}(?:\.\d+)?", text)
    if match:
        return parse_date(float(text))
    return None


def decimal_year(day: dt.date) -> float:
    """A date as a decimal year (2014-07-02 -> about 2014.5)."""
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def feature_date(properties: dict, date_field: str | None, source_field: str | None) -> dt.date | None:
    """A feature's date: its ``date_field`` value, else the acquisition date in its ``source_field``
    (an image file name)."""
    day = parse_date(properties.get(date_field)) if date_field else None
    if day is None and source_field:
        day = acquisition_date(properties.get(source_field))
    return day


__all__ = ["acquisition_date", "parse_date", "feature_date", "decimal_year"]
