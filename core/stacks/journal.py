"""A stack run's journal: each finished scene's result, one JSON file per scene, beside OUTPUT.

``fronts.gpkg`` keeps its journal in ``fronts.scenes/``: ``settings.json`` (what the results depend
on) and ``<scene file name>.json``. A rerun with the same settings takes the scenes found there
instead of mapping them again (so a killed run resumes where it stopped); a rerun with other
settings starts afresh. Failed scenes are not recorded: a rerun tries them again.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from ..engine.protocol import EngineError, Reporter

SETTINGS_FILE = "settings.json"
WORK_FOLDER = ".work"


def journal_folder(output: str | os.PathLike) -> Path:
    """The journal of OUTPUT ``x/fronts.gpkg``: ``x/fronts.scenes``."""
    out = Path(output)
    return out.with_name(f"{out.stem}.scenes")


class Journal:
    """The finished scenes of the runs into one OUTPUT with one set of settings."""

    def __init__(self, output: str | os.PathLike, settings: dict[str, Any], reporter: Reporter) -> None:
        self.folder = journal_folder(output)
        settings_path = self.folder / SETTINGS_FILE
        if self.folder.exists() and not self.folder.is_dir():
            raise EngineError(f"{self.folder} (where the run records its finished scenes) exists and is not a folder.")
        if self.folder.is_dir():
            earlier = self._read(settings_path)
            if earlier != settings:
                changed = sorted(k for k in set(settings) | set(earlier or {})
                                 if (earlier or {}).get(k) != settings.get(k))
                reporter.warning(f"{self.folder.name} holds scenes mapped with other settings "
                                 f"({', '.join(changed) or 'unreadable'}): every scene is mapped again.")
                shutil.rmtree(self.folder)
        self.work = self.folder / WORK_FOLDER
        shutil.rmtree(self.work, ignore_errors=True)  # what a killed run was writing
        self.work.mkdir(parents=True, exist_ok=True)
        if not settings_path.is_file():
            self._write(settings_path, settings)

    @staticmethod
    def _read(path: Path) -> Any:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    @staticmethod
    def _write(path: Path, value: Any) -> None:
        tmp = path.with_name(f".{path.name}.partial")
        tmp.write_text(json.dumps(value, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)  # a scene is recorded whole or not at all

    def _path(self, source: str) -> Path:
        return self.folder / f"{source}.json"

    def finished(self, source: str) -> dict | None:
        """The recorded result of scene ``source``, or None when it is still to be mapped."""
        found = self._read(self._path(source))
        return found if isinstance(found, dict) and found.get("source") == source else None

    def record(self, result: dict) -> None:
        """Record a scene's result (a dict with its ``source``)."""
        self._write(self._path(result["source"]), result)

    def close(self) -> None:
        """Remove the scratch folder (the records stay, for the next run)."""
        shutil.rmtree(self.work, ignore_errors=True)
