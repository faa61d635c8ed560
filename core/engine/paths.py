"""A run's file paths: an output that would overwrite one of the run's inputs, or another of its
outputs, is refused before any work starts (symbolic links, ``..`` and letter case included); and
the GDAL settings under which inputs are read without anything written beside them."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Mapping, Union

from .protocol import EngineError

#: GDAL's settings for reading a user's rasters, by the engine and by the plugin's QGIS alike: no
#: auxiliary file (``<input>.aux.xml``, GDAL's PAM: statistics, histograms) written beside them.
#: GDAL reads them when it opens a dataset.
READ_ONLY_GDAL = {"GDAL_PAM_ENABLED": "NO"}

#: A parameter's value: one path, or the paths of a parameter that takes several.
Paths = Union[str, os.PathLike, Iterable[Union[str, os.PathLike]]]


def file_part(source: str | os.PathLike) -> str:
    """The file of a layer source: ``fronts.gpkg|layername=x`` -> ``fronts.gpkg``."""
    return str(source).split("|", 1)[0]


def resolved(path: str | os.PathLike) -> Path:
    """The absolute path with every symbolic link and ``..`` resolved (also for a file not there yet)."""
    return Path(os.path.normcase(os.path.realpath(os.path.expanduser(file_part(path)))))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)  # one file under two names: hard links, a case-insensitive disk
    except OSError:
        return False


def _relation(a: Path, b: Path) -> str | None:
    """How ``a`` and ``b`` touch: "same", "holds" (a folder holding b), "in" (a inside folder b)."""
    if a == b or _same_file(a, b):
        return "same"
    if a in b.parents:
        return "holds"
    if b in a.parents:
        return "in"
    return None


def _each(values: Mapping[str, Paths]) -> list[tuple[str, Path]]:
    found = []
    for name, value in values.items():
        for path in ([value] if isinstance(value, (str, os.PathLike)) else value):
            if path not in (None, ""):
                found.append((name, resolved(path)))
    return found


def refuse_overlaps(inputs: Mapping[str, Paths], outputs: Mapping[str, Paths]) -> None:
    """Raise a one-line :class:`EngineError` when an output (parameter name -> path or paths) is an
    input, holds one or lies inside an input folder, or when two outputs name the same file (an
    output inside another output's folder is fine: a training report in its model package)."""
    ins, outs = _each(inputs), _each(outputs)
    for out_name, out in outs:
        for in_name, path in ins:
            how = _relation(out, path)
            if how == "same":
                raise EngineError(f"{out_name} would overwrite {in_name} ({path}): choose another output.")
            if how == "holds":
                raise EngineError(f"{out_name} ({out}) holds {in_name} ({path}): choose an output outside it.")
            if how == "in":
                raise EngineError(f"{out_name} ({out}) lies inside {in_name} ({path}): choose an output outside it.")
    for k, (name, out) in enumerate(outs):  # one output may hold another (a report in its package)
        for other_name, other in outs[k + 1:]:
            if _relation(out, other) == "same":
                raise EngineError(f"{name} and {other_name} name the same place ({out}): give each output its own."
                                  if name != other_name else f"{name} names {out} twice: give each output its own.")


__all__ = ["READ_ONLY_GDAL", "file_part", "refuse_overlaps", "resolved"]
