"""Which kind of imagery a raster holds (optical or SAR), as far as its file name and bands tell."""
from __future__ import annotations

from .scene_names import parse_scene_name


def imagery_of(path: str, band_count: int) -> tuple[str, str] | None:
    """``(imagery, why)`` for a raster: ``optical`` or ``sar`` and what says so; None when nothing does.
    Three bands or more (multispectral reflectance) also say optical."""
    scene = parse_scene_name(path)
    if scene.imagery:
        return scene.imagery, f"its name is a {scene.sensor} scene's"
    if band_count >= 3:
        return "optical", f"it has {band_count} bands"
    return None
