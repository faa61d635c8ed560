"""Runs the Qt-free engine in its own Python interpreter and relays its messages.

The algorithm side of the engine boundary (see DESIGN.md): the job's parameters are
written as JSON, ``python -m glacier_terminus.core <command> --job job.json`` runs as
a subprocess, and its stdout is read as JSON lines::

    {"progress": 0..100}  -> feedback.setProgress
    {"info": "..."}       -> feedback.pushInfo
    {"warning": "..."}    -> feedback.pushWarning
    {"result": {...}}     -> returned by run_engine
    {"error": "..."}      -> QgsProcessingException(message)

Other stdout lines and all of stderr go to feedback.pushDebugInfo. Both pipes are read
by threads into a queue and every feedback call happens on the calling thread, which
also polls ``feedback.isCanceled()`` every 0.1 s: a cancel sends SIGTERM (the engine
stops at its next batch and removes its partial output), waits up to
``CANCEL_GRACE_S`` seconds, then kills the process. The engine writes every output
under a temporary name holding its process id (``.<name>.<pid>.partial<ext>``, see
``core/geo/raster.partial_path``); whatever a killed or crashed engine left under such a
name in the job's output folders is removed here.
"""
from __future__ import annotations

import glob
import json
import os
import queue
import re
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from qgis.core import QgsProcessingException, QgsProcessingFeedback

from ..core.engine.protocol import MESSAGE_KEYS
from . import settings
from .messages import tr

#: The engine's package name: the plugin folder must be importable under it.
PACKAGE = "glacier_terminus"
#: Seconds a cancelled engine gets to stop by itself before it is killed.
CANCEL_GRACE_S = 10.0
#: Seconds to wait for the pipes to close once the engine has exited (a child process
#: of the engine could hold them open).
PIPE_GRACE_S = 2.0
#: Stderr lines kept for the message of a run that fails without an error line.
STDERR_TAIL = 15
#: Variables of QGIS's own environment that would point the engine's Python, GDAL or
#: PROJ at QGIS's versions (set by the Windows and macOS QGIS bundles).
_DROPPED_ENV = ("PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP", "GDAL_DATA", "GDAL_DRIVER_PATH", "PROJ_LIB", "PROJ_DATA")
_MISSING_MODULE = re.compile(r"No module named '([\w.]+)'")


def setup_command(plugin_dir: str = settings.PLUGIN_DIR) -> str:
    """The shell command that gives the plugin its own engine interpreter (``<plugin>/.venv``)."""
    venv = os.path.join(plugin_dir, ".venv")
    pip = os.path.join(venv, "Scripts", "pip.exe") if os.name == "nt" else os.path.join(venv, "bin", "pip")
    requirements = os.path.join(plugin_dir, "requirements.txt")
    python = "python" if os.name == "nt" else "python3"
    return (f"{python} -m venv {shlex.quote(venv)} && {shlex.quote(pip)} install -r "
            f"{shlex.quote(requirements)}")


def setup_hint() -> str:
    return tr(
        "Fix: create the engine's Python environment with: {0} (a few GB: PyTorch), or set Settings > "
        "Options > Processing > Providers > Glacier Terminus > Engine Python interpreter (or the "
        "environment variable {1}) to a Python that has torch, rasterio and segmentation-models-pytorch."
    ).format(setup_command(), settings.ENV_PYTHON)


#: What the engine imports; checked when the plugin loads in QGIS desktop.
ENGINE_MODULES = ("torch", "rasterio", "segmentation_models_pytorch", "skimage", "sklearn", "matplotlib",
                  "safetensors")


def engine_problem(python: str | None = None, timeout: float = 180.0) -> str | None:
    """Why the engine interpreter cannot run jobs (one line with the fix), or None when it can."""
    python = python or settings.engine_python()
    code = "; ".join(f"import {m}" for m in ENGINE_MODULES)
    try:
        done = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, env=engine_env(os.path.dirname(settings.PLUGIN_DIR)))
    except FileNotFoundError:
        return interpreter_error(python, tr("does not exist"))
    except (OSError, subprocess.TimeoutExpired) as exc:
        return interpreter_error(python, tr("cannot be started ({0})").format(exc))
    if done.returncode == 0:
        return None
    return _missing_module_message(python, done.stderr) or interpreter_error(
        python, tr("cannot be started ({0})").format((done.stderr.strip().splitlines() or ["?"])[-1]))


def interpreter_error(python: str, problem: str) -> str:
    return tr("The Glacier Terminus engine interpreter {0} {1}. {2}").format(python, problem, setup_hint())


def _missing_module_message(python: str, text: str) -> str | None:
    """A setup message if ``text`` says a Python package is missing, else None."""
    match = _MISSING_MODULE.search(text or "")
    if not match:
        return None
    module = match.group(1)
    if module.split(".")[0] == PACKAGE:
        return tr(
            "The engine interpreter {0} cannot import {1} from {2}: the plugin folder must be "
            "named {3}."
        ).format(python, module, os.path.dirname(settings.PLUGIN_DIR), PACKAGE)
    return interpreter_error(python, tr("lacks the Python package '{0}'").format(module))


def engine_pythonpath(workdir: str) -> str:
    """The folder to put on PYTHONPATH so that ``import glacier_terminus`` finds this plugin.

    The plugin folder is taken as QGIS reached it, without resolving symlinks (the
    checkout is reached through a link named ``glacier_terminus``). A folder with another
    name (a renamed install) is linked under ``workdir`` with the right name.
    """
    plugin_dir = settings.PLUGIN_DIR
    if os.path.basename(plugin_dir) == PACKAGE:
        return os.path.dirname(plugin_dir)
    link_parent = os.path.join(workdir, "pythonpath")
    os.makedirs(link_parent, exist_ok=True)
    try:
        os.symlink(plugin_dir, os.path.join(link_parent, PACKAGE), target_is_directory=True)
    except OSError as exc:
        raise QgsProcessingException(
            tr("The plugin folder {0} must be named {1} for the engine to import it ({2}).").format(
                plugin_dir, PACKAGE, exc
            )
        ) from None
    return link_parent


def engine_env(pythonpath: str) -> dict:
    """The engine's environment: QGIS's, minus its Python/GDAL/PROJ paths, plus PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    env["PYTHONPATH"] = pythonpath
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _reader(stream, tag: str, lines: "queue.Queue") -> None:
    try:
        for line in stream:
            lines.put((tag, line.rstrip("\r\n")))
    except (OSError, ValueError):
        pass
    finally:
        lines.put((tag, None))


def _warn(feedback, text: str) -> None:
    if hasattr(feedback, "pushWarning"):
        feedback.pushWarning(text)
    else:  # QGIS < 3.16
        feedback.reportError(text, False)


def _terminate(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            if os.name == "nt":
                proc.terminate()
            else:
                proc.send_signal(signal.SIGTERM)
        except OSError:
            pass


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            proc.kill()
        except OSError:
            pass


def _job_folders(job: dict) -> set[str]:
    """Folders the job's paths point into (and folders it names): where outputs go."""
    folders: set[str] = set()
    values = list(job.values())
    while values:
        value = values.pop()
        if isinstance(value, (list, tuple)):
            values.extend(value)
        elif isinstance(value, str) and value and (os.path.sep in value or os.path.exists(value)):
            path = os.path.abspath(value)
            folders.update(p for p in (path, os.path.dirname(path)) if os.path.isdir(p))
    return folders


def remove_partials(job: dict, pid: int) -> list:
    """Remove the temporary outputs engine process ``pid`` left in the job's folders."""
    removed = []
    for folder in _job_folders(job):
        for leftover in glob.glob(os.path.join(glob.escape(folder), f".*.{pid}.partial*")):
            try:
                if os.path.isdir(leftover) and not os.path.islink(leftover):
                    shutil.rmtree(leftover)
                else:
                    os.remove(leftover)
                removed.append(leftover)
            except OSError:
                pass
    return removed


def run_engine(command: str, job: dict, feedback=None, python: str | None = None) -> dict:
    """Run engine ``command`` on ``job`` and return its result dict.

    ``python`` defaults to the configured interpreter (:func:`settings.engine_python`).
    Raises QgsProcessingException with the engine's message on error, "Cancelled." when
    the feedback was cancelled, and a setup message when the interpreter is unusable.
    """
    if feedback is None:
        feedback = QgsProcessingFeedback()
    python = python or settings.engine_python()
    if os.path.sep in python or (os.altsep and os.altsep in python):
        if not os.path.isfile(python):
            raise QgsProcessingException(interpreter_error(python, tr("does not exist")))
    with tempfile.TemporaryDirectory(prefix="glacierterminus_") as workdir:
        job_path = os.path.join(workdir, "job.json")
        with open(job_path, "w", encoding="utf-8") as f:
            json.dump(job, f, indent=1)
        argv = [python, "-m", f"{PACKAGE}.core", command, "--job", job_path]
        env = engine_env(engine_pythonpath(workdir))
        feedback.pushCommandInfo(" ".join(shlex.quote(a) for a in argv))
        feedback.pushDebugInfo(tr("Job: {0}").format(json.dumps(job)))
        popen_kwargs: dict[str, Any] = {}
        if os.name == "nt":
            popen_kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        try:
            proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                cwd=workdir,
                text=True,
                encoding="utf-8",
                errors="replace",
                bufsize=1,
                **popen_kwargs,
            )
        except OSError as exc:
            problem = tr("cannot be started ({0})").format(exc.strerror or exc)
            raise QgsProcessingException(interpreter_error(python, problem)) from None
        try:
            return _relay(proc, feedback, python)
        finally:
            if proc.returncode != 0:
                remove_partials(job, proc.pid)


@dataclass
class Outcome:
    """What the engine's messages said of the run: its result, or its error."""

    result: dict | None = None
    error: str | None = None


def _progress(feedback, outcome: Outcome, value) -> None:  # noqa: ARG001 - a handler's signature
    try:
        feedback.setProgress(float(value))
    except (TypeError, ValueError):
        pass


def _result(feedback, outcome: Outcome, value) -> None:  # noqa: ARG001
    outcome.result = value if isinstance(value, dict) else {"value": value}


def _error(feedback, outcome: Outcome, value) -> None:  # noqa: ARG001
    outcome.error = str(value)


#: What each protocol message (core/engine/protocol.MESSAGE_KEYS) does in QGIS: (feedback, outcome, value).
HANDLERS = {
    "progress": _progress,
    "info": lambda feedback, outcome, value: feedback.pushInfo(str(value)),
    "warning": lambda feedback, outcome, value: _warn(feedback, str(value)),
    "result": _result,
    "error": _error,
}


def _relay(proc: subprocess.Popen, feedback, python: str) -> dict:
    """Forward the engine's messages until it exits; return its result or raise."""
    lines: queue.Queue = queue.Queue()
    readers = [
        threading.Thread(target=_reader, args=(proc.stdout, "out", lines), daemon=True),
        threading.Thread(target=_reader, args=(proc.stderr, "err", lines), daemon=True),
    ]
    for t in readers:
        t.start()
    open_pipes = len(readers)
    outcome = Outcome()
    stderr_tail: deque = deque(maxlen=STDERR_TAIL)
    cancelled_at = None
    exited_at = None
    try:
        while open_pipes:
            now = time.monotonic()
            if cancelled_at is None and feedback.isCanceled():
                cancelled_at = now
                feedback.pushInfo(tr("Cancelling the engine..."))
                _terminate(proc)
            if cancelled_at is not None and now - cancelled_at > CANCEL_GRACE_S:
                _kill(proc)
            if proc.poll() is not None:
                exited_at = exited_at or now
                if now - exited_at > PIPE_GRACE_S:
                    break  # a child of the engine holds the pipes open
            try:
                tag, line = lines.get(timeout=0.1)
            except queue.Empty:
                continue
            if line is None:
                open_pipes -= 1
                continue
            if tag == "err":
                stderr_tail.append(line)
                feedback.pushDebugInfo(line)
                continue
            message = _parse(line)
            if message is None:
                feedback.pushDebugInfo(line)
                continue
            key, value = message
            HANDLERS[key](feedback, outcome, value)
        deadline = time.monotonic() + (CANCEL_GRACE_S if cancelled_at is not None else PIPE_GRACE_S)
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        _kill(proc)
        returncode = proc.wait()
    finally:
        _kill(proc)  # only if still running: an exception above must not leave it behind
        for stream in (proc.stdout, proc.stderr):
            try:
                if stream is not None:
                    stream.close()
            except (OSError, ValueError):
                pass

    result, error = outcome.result, outcome.error
    if cancelled_at is not None:
        raise QgsProcessingException(tr("Cancelled."))
    if error is not None:
        raise QgsProcessingException(_missing_module_message(python, error) or error)
    if returncode != 0:
        tail = "\n".join(stderr_tail)
        setup = _missing_module_message(python, tail)
        if setup:
            raise QgsProcessingException(setup)
        raise QgsProcessingException(
            tr("The engine ({0}) stopped with exit code {1} without an error message. Last lines of its output:\n{2}").format(  # noqa: E501 - one translated message
                python, returncode, tail or tr("(none)")
            )
        )
    if result is None:
        raise QgsProcessingException(tr("The engine ({0}) finished without a result.").format(python))
    return result


def _parse(line: str):
    """``(key, value)`` for a protocol line, None for anything else."""
    text = line.strip()
    if not text.startswith("{"):
        return None
    try:
        message = json.loads(text)
    except ValueError:
        return None
    if not isinstance(message, dict) or len(message) != 1:
        return None
    key, value = next(iter(message.items()))
    if key not in MESSAGE_KEYS:
        return None
    return key, value


__all__ = ["run_engine", "engine_env", "engine_pythonpath", "engine_problem", "interpreter_error", "setup_command",
           "setup_hint"]
