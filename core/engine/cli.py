"""``python -m glacier_terminus.core <command>``: the engine's one entry point.

Every command is a :class:`Command` declared once, in its own module: its parameters
make both the command-line flags and the keys of a ``--job`` JSON file (flags win).
Messages go to stdout as JSON lines (see :mod:`.protocol`), or, when stdout is a
terminal, as a progress bar and plain text.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import json
import math
import os
import sys
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, cast

from .paths import READ_ONLY_GDAL, refuse_overlaps
from .protocol import Cancelled, EngineError, QuietReporter, Reporter, TerminalReporter

#: Modules of :mod:`..commands` that each define one ``COMMAND``; importing them must stay light (no torch).
COMMANDS_PACKAGE = __package__.rsplit(".", 1)[0] + ".commands"
COMMAND_MODULES = (
    "classify", "synthetic", "preview", "export_tiles", "export_png_tiles", "train",
    "extract_front", "evaluate_fronts", "terminus_change", "csc_refine", "export_caffe_tiles",
    "map_fronts", "merge_fronts",
)


#: What the file name endings of :attr:`Param.suffixes` are called in messages.
FORMAT_NAMES = {".tif": "GeoTIFF", ".gpkg": "GeoPackage", ".csv": "CSV", ".html": "HTML", ".png": "PNG"}


@dataclass(frozen=True)
class Param:
    """One parameter of an engine command (a job key, lower case), declared once: its type,
    default, bounds and choices check job files and command-line flags alike."""

    name: str
    help: str
    type: Callable[[str], Any] = str  # str, int or float
    default: Any = None
    required: bool = False
    choices: tuple | None = None
    multiple: bool = False  # a list of values
    minimum: float | None = None  # inclusive bounds of a number
    maximum: float | None = None
    path: str = ""  # "in": a file or folder the run reads; "out": one it writes
    suffixes: tuple[str, ...] = ()  # the file name endings a path may have (lower case)

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def label(self) -> str:
        return self.name.upper()

    def checked(self, value: Any) -> Any:
        """``value`` (from a job file or a flag) as this parameter's type, or a one-line
        :class:`EngineError` naming the parameter."""
        if value is None:
            return None
        if self.multiple:
            values = value if isinstance(value, list) else [value]
            return [self._one(v) for v in values]
        if isinstance(value, (list, dict)):
            raise EngineError(f"Parameter {self.label} takes one value, not a {type(value).__name__}.")
        return self._one(value)

    def _one(self, value: Any) -> Any:
        kind = {int: "a whole number", float: "a number", str: "text"}[cast(type, self.type)]
        if isinstance(value, (list, dict)) or (self.type is str and isinstance(value, bool)):
            raise EngineError(f"Parameter {self.label} must be {kind}, not {json.dumps(value)}.")
        if self.type is str:
            value = str(value)
        else:
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise EngineError(f"Parameter {self.label} must be {kind}, not {json.dumps(value)}.") from None
            if not math.isfinite(number) or (self.type is int and not number.is_integer()):
                raise EngineError(f"Parameter {self.label} must be {kind}, not {json.dumps(value)}.")
            value = int(number) if self.type is int else number
            if self.minimum is not None and value < self.minimum:
                raise EngineError(f"Parameter {self.label} must be at least {self.minimum:g}, not {value:g}.")
            if self.maximum is not None and value > self.maximum:
                raise EngineError(f"Parameter {self.label} must be at most {self.maximum:g}, not {value:g}.")
        if self.suffixes and value and not value.lower().endswith(self.suffixes):
            kind = FORMAT_NAMES.get(self.suffixes[0], self.suffixes[0])
            raise EngineError(f"{self.label} must be a {kind} file ({' or '.join(self.suffixes)}), "
                              f"not {os.path.basename(value)}.")
        if self.choices and value not in self.choices:
            raise EngineError(
                f"Parameter {self.label} must be one of {', '.join(map(str, self.choices))}, not {value!r}.")
        return value


@dataclass(frozen=True)
class Command:
    """An engine command: its name, help, parameters and the function that runs a job, named
    ``"<module under core>:<function>"`` and imported only when a job runs (so that declaring
    commands imports nothing heavy). The function checks its job (:func:`checked_as`)."""

    name: str
    help: str
    job_function: str
    params: tuple[Param, ...] = field(default_factory=tuple)

    def run(self, job: dict, reporter: Reporter) -> dict:
        """Run ``job`` (checked, defaults filled in, by the job function itself)."""
        module, function = self.job_function.split(":")
        core = __package__.rsplit(".", 1)[0]
        return getattr(importlib.import_module(f"{core}.{module}"), function)(job, reporter)

    def param(self, name: str) -> Param:
        """The parameter of that name (job key, or the algorithm's upper-case name)."""
        wanted = name.lower()
        found = next((p for p in self.params if p.name == wanted), None)
        if found is None:
            raise KeyError(f"'{self.name}' has no parameter {name}")
        return found

    def job_from(self, args: argparse.Namespace) -> dict:
        """Merge ``--job`` JSON and command-line flags into one job dict (flags win); the job
        function checks it."""
        job: dict = {}
        if args.job:
            try:
                with open(args.job, encoding="utf-8") as f:
                    job = json.load(f)
            except (OSError, ValueError) as exc:
                raise EngineError(f"Cannot read job file {args.job}: {exc}") from None
            if not isinstance(job, dict):
                raise EngineError(f"Job file {args.job} must hold a JSON object.")
        for p in self.params:
            value = getattr(args, p.name)
            if value is not None:
                job[p.name] = value
        return job

    def checked_job(self, job: dict) -> dict:
        """``job`` checked against the parameters' declaration (names, types, bounds, choices,
        required ones) with defaults filled in, and refused when an output would overwrite an
        input or another output; the first problem is a one-line :class:`EngineError`."""
        unknown = sorted(set(job) - {p.name for p in self.params})
        if unknown:
            raise EngineError(f"Unknown parameter(s) for '{self.name}': {', '.join(unknown)}")
        checked = {}
        for p in self.params:
            given = job.get(p.name)
            checked[p.name] = p.checked(p.default if given is None else given)  # null: the default
            if p.required and checked[p.name] in (None, "", []):
                raise EngineError(f"Parameter {p.label} is required.")
        refuse_overlaps(*(
            {p.label: checked[p.name] for p in self.params if p.path == role and checked[p.name] not in (None, "")}
            for role in ("in", "out")))
        return checked


def commands() -> dict[str, Command]:
    """The registry: command name -> :class:`Command`."""
    found = {}
    for module in COMMAND_MODULES:
        command = importlib.import_module(f"{COMMANDS_PACKAGE}.{module}").COMMAND
        found[command.name] = command
    return found


def _choices(param: Param) -> str:
    """``; one of ...`` for a parameter whose help does not name every one of its choices."""
    named = all(str(c) in param.help for c in param.choices or ())
    return "" if named else "; one of " + ", ".join(map(str, param.choices or ()))


def _bounds(param: Param) -> str:
    low = "" if param.minimum is None else f"{param.minimum:g} <= "
    high = "" if param.maximum is None else f" <= {param.maximum:g}"
    return f"; {low}{param.label}{high}" if low or high else ""


def checked_as(name: str) -> Callable[[Callable[[dict, Reporter], dict]], Callable[[dict, Reporter], dict]]:
    """Decorates the job function of command ``name``: the job it gets is checked against the command's
    declaration, with every default filled in, whoever calls it (the command line, :func:`run_job`, a
    script), so the function reads ``job[key]`` and never restates a default or a bound. Checking a
    checked job again changes nothing."""

    def decorate(job_function: Callable[[dict, Reporter], dict]) -> Callable[[dict, Reporter], dict]:
        @functools.wraps(job_function)
        def checked_job_function(job: dict, reporter: Reporter) -> dict:
            return job_function(commands()[name].checked_job(job), reporter)

        checked_job_function.command = name  # type: ignore[attr-defined]  # which declaration it checks against
        return checked_job_function

    return decorate


def run_job(name: str, job: dict, reporter: Reporter | None = None) -> dict:
    """Run engine command ``name`` on ``job`` in this process, as the command line does: the job is
    checked against the command's declaration first (types, bounds, choices, defaults, outputs
    apart from inputs). For scripts and tests; messages go to ``reporter`` (default: kept silently)."""
    from .protocol import SilentReporter

    command = commands()[name]
    return command.run(job, reporter if reporter is not None else SilentReporter())


def build_parser(registry: dict[str, Command]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m glacier_terminus.core",
        description="Glacier Terminus engine: maps calving fronts in satellite rasters.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in registry.values():
        text = command.help.replace("%", "%%")  # argparse formats help with %
        p = sub.add_parser(command.name, help=text, description=text)
        p.add_argument("--job", help="JSON file with the job's parameters (flags override it)")
        for param in command.params:
            p.add_argument(
                param.flag,
                dest=param.name,
                nargs="+" if param.multiple else None,
                help=f"{param.help} (default: {param.default}{_bounds(param)}{_choices(param)})".replace("%", "%%"),
            )
    return parser


def raster_io_problem(exc: BaseException) -> str | None:
    """A one-line message for a GDAL read or write failure met half-way through a file (a truncated
    or damaged raster), from the deepest of rasterio's chained errors, which names the file;
    None for anything else."""
    if not type(exc).__module__.startswith("rasterio"):
        return None
    from ..geo.raster import gdal_detail  # rasterio is loaded already: it raised

    return f"Cannot read or write a raster: {gdal_detail(exc)} (the file is damaged or truncated)."


#: GDAL's block cache for engine processes (MB). GDAL's default, 5 % of the machine's
#: memory, lets the cache of a large output grow past what the engine itself needs.
GDAL_CACHE_MB = "256"


@contextlib.contextmanager
def gdal_forced() -> Iterator[None]:
    """:data:`.paths.READ_ONLY_GDAL` in the environment, whatever it said (read by GDAL when it opens
    each dataset, and inherited by the processes a run starts) while a command runs; the environment
    as it was afterwards, for whoever calls :func:`main` in their own process."""
    before = {key: os.environ.get(key) for key in READ_ONLY_GDAL}
    os.environ.update(READ_ONLY_GDAL)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("GDAL_CACHEMAX", GDAL_CACHE_MB)  # read when GDAL first caches a block
    with gdal_forced():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    registry = commands()
    args = build_parser(registry).parse_args(argv)
    protocol_stream = sys.stdout
    sys.stdout = sys.stderr  # library prints must never corrupt the protocol
    rank = os.environ.get("RANK", "0")  # set by torchrun: only rank 0 speaks the protocol
    if rank != "0":
        reporter: Reporter = QuietReporter(int(rank))
    elif protocol_stream.isatty():  # a person, not the plugin: a progress bar and plain text
        reporter = TerminalReporter(protocol_stream)
    else:
        reporter = Reporter(protocol_stream)
    reporter.install_signal_handlers()
    try:
        command = registry[args.command]
        result = command.run(command.job_from(args), reporter)
    except Cancelled as exc:
        reporter.error(str(exc))
        return 2
    except EngineError as exc:
        reporter.error(str(exc))
        return 1
    except MemoryError:
        reporter.error("Out of memory: try a smaller BATCH_SIZE.")
        return 1
    except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into a message
        traceback.print_exc(file=sys.stderr)
        reporter.error(raster_io_problem(exc) or f"Internal error ({type(exc).__name__}): {exc}")
        return 1
    finally:
        sys.stdout = protocol_stream
    reporter.result(result)
    return 0
