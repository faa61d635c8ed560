"""Which kind of imagery a raster holds (optical or SAR), as far as its file name and bands tell."""
from __future__ import annotations

import os
import re

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


def imagery_of(path: str, band_count: int) -> tuple[str, str] | None:
    """``(imagery, why)`` for a raster: ``optical`` or ``sar`` and what says so; None when nothing does.
    Three bands or more (multispectral reflectance) also say optical."""
    name = os.path.basename(str(path))
    for imagery, marks in (("optical", _OPTICAL), ("sar", _SAR)):
        for sensor, pattern in marks:
            if pattern.search(name):
                return imagery, f"its name is a {sensor} scene's"
    if band_count >= 3:
        return "optical", f"it has {band_count} bands"
    return None
