"""``python -m glacier_terminus.core <command>``: the engine's one entry point.

Every command is a :class:`Command` declared once, in its own module: its parameters
make both the command-line flags and the keys of a ``--job`` JSON file (flags win).
Messages go to stdout as JSON lines (see :mod:`.protocol`), or, when stdout is a
terminal, as a progress bar and plain text.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

from .protocol import Cancelled, EngineError, QuietReporter, Reporter, TerminalReporter

#: Modules that each define one ``COMMAND``; importing them must stay light (no torch).
COMMAND_MODULES = (
    "classify", "synthetic", "preview", "export_tiles", "export_png_tiles", "train",
    "extract_front", "evaluate_fronts", "terminus_change", "csc_refine", "export_caffe_tiles",
)


@dataclass(frozen=True)
class Param:
    """One parameter of an engine command (a job key, lower case)."""

    name: str
    help: str
    type: Callable[[str], Any] = str
    default: Any = None
    required: bool = False
    choices: tuple | None = None
    multiple: bool = False  # a list of values

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class Command:
    """An engine command: its name, help, parameters and the function that runs a job."""

    name: str
    help: str
    run: Callable[[dict, Reporter], dict]
    params: tuple[Param, ...] = field(default_factory=tuple)

    def job_from(self, args: argparse.Namespace) -> dict:
        """Merge ``--job`` JSON and command-line flags into one job dict with defaults."""
        job: dict = {}
        if args.job:
            try:
                with open(args.job, encoding="utf-8") as f:
                    job = json.load(f)
            except (OSError, ValueError) as exc:
                raise EngineError(f"Cannot read job file {args.job}: {exc}") from None
            if not isinstance(job, dict):
                raise EngineError(f"Job file {args.job} must hold a JSON object.")
        known = {p.name for p in self.params}
        unknown = sorted(set(job) - known)
        if unknown:
            raise EngineError(f"Unknown parameter(s) for '{self.name}': {', '.join(unknown)}")
        for p in self.params:
            value = getattr(args, p.name)
            if value is not None:
                job[p.name] = value
            job.setdefault(p.name, p.default)
            if p.required and job[p.name] in (None, ""):
                raise EngineError(f"Parameter {p.name.upper()} is required.")
            if p.choices and job[p.name] is not None and job[p.name] not in p.choices:
                raise EngineError(
                    f"Parameter {p.name.upper()} must be one of {', '.join(map(str, p.choices))}, "
                    f"not {job[p.name]!r}."
                )
        return job


def commands() -> dict[str, Command]:
    """The registry: command name -> :class:`Command`."""
    found = {}
    for module in COMMAND_MODULES:
        command = importlib.import_module(f"{__package__}.{module}").COMMAND
        found[command.name] = command
    return found


def build_parser(registry: dict[str, Command]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m glacier_terminus.core",
        description="Glacier Terminus engine: maps calving fronts in satellite rasters.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in registry.values():
        p = sub.add_parser(command.name, help=command.help, description=command.help)
        p.add_argument("--job", help="JSON file with the job's parameters (flags override it)")
        for param in command.params:
            p.add_argument(
                param.flag,
                dest=param.name,
                type=param.type,
                nargs="+" if param.multiple else None,
                help=f"{param.help} (default: {param.default})",
            )
    return parser


#: GDAL's block cache for engine processes (MB). GDAL's default, 5 % of the machine's
#: memory, lets the cache of a large output grow past what the engine itself needs.
GDAL_CACHE_MB = "256"


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("GDAL_CACHEMAX", GDAL_CACHE_MB)  # read when GDAL first caches a block
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
        reporter.error(f"Internal error ({type(exc).__name__}): {exc}")
        return 1
    finally:
        sys.stdout = protocol_stream
    reporter.result(result)
    return 0
