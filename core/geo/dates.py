"""Acquisition dates: from file names and from attribute values."""
from __future__ import annotations

import datetime as dt
import os
import re

from .scene_names import EARLIEST_YEAR, LATEST_YEAR, checked_date, parse_scene_name


def acquisition_date(name: str | os.PathLike | None) -> dt.date | None:
    """The acquisition date in a Landsat / Sentinel / CaFFe file or product name, else the first
    stand-alone date in it, else None (:func:`.scene_names.parse_scene_name`)."""
    return parse_scene_name(name).date if name else None


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
        if EARLIEST_YEAR <= year < LATEST_YEAR + 1:
            start = dt.date(int(year), 1, 1)
            days = (dt.date(int(year) + 1, 1, 1) - start).days
            return start + dt.timedelta(days=int((year - int(year)) * days))
        if 1e7 <= year < 1e8 and year.is_integer():  # 20140801
            number = int(year)
            return checked_date(number // 10000, number // 100 % 100, number % 100)
        return None
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?", text)
    if match:
        return checked_date(*match.groups())
    match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if match:
        return checked_date(*match.groups())
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
