"""The scenes of a stack: files, folders and globs in, one sorted list out; and a shard's share of it."""
from __future__ import annotations

import datetime as dt
import glob
import os
from dataclasses import dataclass
from pathlib import Path

from ..engine.protocol import EngineError

#: The file name endings taken as rasters when INPUTS names a folder or a glob.
RASTER_SUFFIXES = (".tif", ".tiff", ".png", ".jpg", ".jpeg", ".jp2", ".vrt", ".img")


@dataclass(frozen=True)
class Scene:
    """One raster of the stack: its path, its file name (the ``source`` of its front) and its date."""

    path: str
    source: str
    date: dt.date | None

    @property
    def order(self) -> tuple:
        """Scenes sort by date (undated ones last), then by name."""
        return (self.date is None, self.date or dt.date.min, self.source)


def _rasters_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in RASTER_SUFFIXES)


def expand_inputs(inputs: list[str]) -> list[Path]:
    """Each entry of INPUTS as the raster files it names: a file, a folder (its rasters) or a glob."""
    found: list[Path] = []
    for entry in inputs:
        path = Path(entry).expanduser()
        if path.is_dir():
            rasters = _rasters_in(path)
            if not rasters:
                raise EngineError(f"INPUTS folder {entry} holds no rasters ({', '.join(RASTER_SUFFIXES)}).")
            found.extend(rasters)
        elif path.is_file():
            found.append(path)
        elif glob.has_magic(entry):
            matched = sorted(Path(p) for p in glob.glob(os.path.expanduser(entry))
                             if Path(p).suffix.lower() in RASTER_SUFFIXES and Path(p).is_file())
            if not matched:
                raise EngineError(f"INPUTS pattern {entry} matches no raster.")
            found.extend(matched)
        else:
            raise EngineError(f"INPUTS: {entry} does not exist.")
    return found


def stack_scenes(inputs: list[str]) -> list[Scene]:
    """The stack's scenes in date order (undated last, then by name); two scenes of one file name are
    refused (a front is named after its scene's file)."""
    from ..geo.dates import acquisition_date

    paths = expand_inputs(inputs)
    if not paths:
        raise EngineError("INPUTS names no raster.")
    scenes: dict[str, Scene] = {}
    for path in paths:
        if path.name in scenes:
            if Path(scenes[path.name].path).resolve() == path.resolve():
                continue  # named twice (a folder and a file in it): one scene
            raise EngineError(f"INPUTS holds two scenes named {path.name} ({scenes[path.name].path} and {path}): "
                              "fronts are named after their scene's file; rename one.")
        scenes[path.name] = Scene(str(path), path.name, acquisition_date(path.name))
    return sorted(scenes.values(), key=lambda s: s.order)


def parse_shard(text: str | None) -> tuple[int, int]:
    """SHARD ``K/N`` (this is share K of N, 1 <= K <= N) as ``(K, N)``; empty: ``(1, 1)``, the whole stack."""
    if not text:
        return 1, 1
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise EngineError(f"SHARD must be K/N (for example 2/8), not {text!r}.") from None
    if not 1 <= k <= n:
        raise EngineError(f"SHARD {text}: K must be between 1 and N.")
    return k, n


def shard_of(scenes: list[Scene], shard: tuple[int, int]) -> list[Scene]:
    """Share K of N of the (sorted) scenes: every N-th, from the K-th on, so that each share spans the
    whole period and the shares together hold every scene once."""
    k, n = shard
    return scenes[k - 1 :: n]
