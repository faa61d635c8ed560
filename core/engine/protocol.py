"""The engine's JSON-lines protocol: progress, info, warning, result and error on stdout."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sys
from typing import IO, Any

#: Temporary outputs (files or folders) being written now; a second Ctrl-C removes them and exits.
PARTIAL_OUTPUTS: set[str] = set()


def remove_partial_outputs() -> None:
    """Remove every temporary output still being written (what a hard stop would leave behind)."""
    for path in list(PARTIAL_OUTPUTS):
        for leftover in (path, path + ".aux.xml"):
            try:
                shutil.rmtree(leftover) if os.path.isdir(leftover) else os.remove(leftover)
            except OSError:
                pass
        PARTIAL_OUTPUTS.discard(path)


#: The keys of the protocol's messages, one JSON object with one of them per line.
MESSAGE_KEYS = ("progress", "info", "warning", "result", "error")


class EngineError(Exception):
    """A problem the user can fix; its message is shown as the one-line error."""


class Cancelled(EngineError):
    """The run was cancelled (SIGTERM / SIGINT from the caller)."""

    def __init__(self) -> None:
        super().__init__("Cancelled.")


class Reporter:
    """Writes protocol messages as JSON lines and tracks cancellation.

    ``stream`` is the protocol channel (the real stdout); everything else the engine
    or its libraries print goes to stderr so it can never corrupt the protocol.
    """

    def __init__(self, stream: IO[str] | None = None) -> None:
        self._stream = stream if stream is not None else sys.stdout
        self._last_progress = -1.0
        self.cancel_requested = False

    def _emit(self, key: str, value: Any) -> None:
        self._stream.write(json.dumps({key: value}) + "\n")
        self._stream.flush()

    def progress(self, percent: float) -> None:
        """Report overall progress in percent; repeated equal values are dropped."""
        percent = round(max(0.0, min(100.0, float(percent))), 1)
        if percent != self._last_progress:
            self._last_progress = percent
            self._emit("progress", percent)

    def info(self, text: str) -> None:
        self._emit("info", text)

    def warning(self, text: str) -> None:
        self._emit("warning", text)

    def result(self, values: dict) -> None:
        self._emit("result", values)

    def error(self, text: str) -> None:
        self._emit("error", text)

    def check_cancelled(self) -> None:
        """Raise :class:`Cancelled` if the caller asked the run to stop."""
        if self.cancel_requested:
            raise Cancelled()

    def install_signal_handlers(self) -> None:
        """Turn SIGTERM / SIGINT into a cancel request, checked once per batch."""

        def _request(_signum, _frame):
            if self.cancel_requested:  # second signal: stop at once, without unwinding (no traceback,
                remove_partial_outputs()  # whatever Python was doing), leaving no partial output
                try:
                    self.error("Cancelled.")
                finally:
                    os._exit(2)
            self.cancel_requested = True

        signal.signal(signal.SIGTERM, _request)
        signal.signal(signal.SIGINT, _request)


class SilentReporter(Reporter):
    """A reporter for library use and tests: keeps messages in lists instead of printing."""

    def __init__(self) -> None:
        super().__init__(stream=None)
        self.messages: list[dict] = []

    def _emit(self, key: str, value: Any) -> None:
        self.messages.append({key: value})

    def of(self, key: str) -> list:
        return [m[key] for m in self.messages if key in m]


class StepReporter(Reporter):
    """The reporter of one step of a longer job (one scene of a stack): its progress is mapped onto the
    ``start``..``stop`` part of ``parent``'s, its warnings go to ``parent`` prefixed with ``prefix`` (once
    each, with a ``shown`` set shared by the steps), its info lines are kept in :attr:`infos` (the job says
    what matters once), and it is cancelled when ``parent`` is."""

    def __init__(self, parent: Reporter, start: float, stop: float, prefix: str = "",
                 shown: set[str] | None = None) -> None:
        super().__init__(stream=None)
        self.parent, self.start, self.stop, self.prefix = parent, start, stop, prefix
        self.shown = shown  # warnings already shown for an earlier step: not repeated
        self.infos: list[str] = []
        self.warnings: list[str] = []

    def progress(self, percent: float) -> None:
        self.parent.progress(self.start + (self.stop - self.start) * max(0.0, min(100.0, percent)) / 100)

    def info(self, text: str) -> None:
        self.infos.append(text)

    def warning(self, text: str) -> None:
        self.warnings.append(text)
        if self.shown is not None and text in self.shown:
            return
        if self.shown is not None:
            self.shown.add(text)
        self.parent.warning(f"{self.prefix}: {text}" if self.prefix else text)

    def result(self, values: dict) -> None:
        pass

    def error(self, text: str) -> None:
        self.parent.error(f"{self.prefix}: {text}" if self.prefix else text)

    def check_cancelled(self) -> None:
        self.parent.check_cancelled()


class QuietReporter(Reporter):
    """The reporter of a worker process (rank > 0 under torchrun): only rank 0 speaks the
    protocol; a worker's errors go to stderr, the rest is dropped."""

    def __init__(self, rank: int) -> None:
        super().__init__(stream=sys.stderr)
        self.rank = rank

    def _emit(self, key: str, value: Any) -> None:
        if key == "error":
            sys.stderr.write(f"[rank {self.rank}] error: {value}\n")
            sys.stderr.flush()


class TerminalReporter(Reporter):
    """The reporter for a person at a terminal: a progress bar redrawn in place, messages as
    text lines and the result as indented JSON, instead of JSON lines."""

    WIDTH = 40

    def _emit(self, key: str, value: Any) -> None:
        if key == "progress":
            done = int(self.WIDTH * value / 100)
            self._stream.write(f"\r[{'#' * done}{'.' * (self.WIDTH - done)}] {value:5.1f} %")
            if value >= 100:
                self._stream.write("\n")
        else:
            if 0 < self._last_progress < 100:
                self._stream.write("\n")  # keep the bar's line; the bar resumes on a new one
            if key == "result":
                self._stream.write(json.dumps(value, indent=2) + "\n")
            else:
                self._stream.write(f"{key}: {value}\n" if key != "info" else f"{value}\n")
        self._stream.flush()
