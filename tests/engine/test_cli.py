"""The engine's own command line: ``--help`` for every command, the same parameters as the
algorithms, a progress bar at a terminal and JSON lines otherwise."""
from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest
from helpers import engine_env

from glacier_terminus.core.engine.cli import commands

ENGINE = [sys.executable, "-m", "glacier_terminus.core"]


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_command_has_help_listing_its_parameters(engine, name):
    done = engine(name, "--help", timeout=60)
    assert done.returncode == 0, done.stderr
    for param in commands()[name].params:
        assert param.flag in done.stdout, param.flag


def synthetic_args(tmp_path) -> list[str]:
    return [*ENGINE, "synthetic", "--output", str(tmp_path / "s.tif"), "--width", "300", "--height", "600"]


def test_a_terminal_gets_a_progress_bar(tmp_path):
    main, child = pty.openpty()
    proc = subprocess.Popen(synthetic_args(tmp_path), env=engine_env(), stdout=child, stderr=subprocess.DEVNULL)
    os.close(child)
    output = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closed: the process has exited
            break
        if not chunk:
            break
        output += chunk
    os.close(main)
    assert proc.wait(timeout=60) == 0
    text = output.decode()
    assert "\r[" in text and "100.0 %" in text and "#" * 40 in text
    assert '{"progress"' not in text and '"image":' in text  # the result, indented


def test_a_pipe_gets_json_lines(tmp_path):
    done = subprocess.run(synthetic_args(tmp_path), env=engine_env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert any("progress" in m for m in lines) and "result" in lines[-1]


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_choice_is_named_in_the_help(engine, name):
    """``--help`` names each choice of every parameter (METHOD's help once left out between_walls, then
    between_rock)."""
    text = " ".join(engine(name, "--help", timeout=60).stdout.split())  # argparse wraps lines
    for param in commands()[name].params:
        for choice in param.choices or ():
            assert str(choice) in text, f"{name} {param.flag}: {choice} not in --help"


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_command_names_a_job_function_that_checks_against_it(name):
    """A command's job_function exists and checks its jobs against that same command's declaration."""
    import importlib

    command = commands()[name]
    module, function = command.job_function.split(":")
    job_function = getattr(importlib.import_module(f"glacier_terminus.core.{module}"), function)
    assert getattr(job_function, "command", None) == name


def test_a_command_runs_with_gdal_pam_off_and_leaves_the_environment_as_it_was(monkeypatch, tmp_path):
    """main() runs a command with GDAL_PAM_ENABLED=NO (no .aux.xml beside the rasters it reads, in the
    processes it starts too) and restores the caller's environment: tests and scripts call it in-process."""
    from glacier_terminus.core.engine import cli

    seen = {}
    original = cli.Command.run

    def run(self, job, reporter):
        seen["pam"] = os.environ.get("GDAL_PAM_ENABLED")
        return original(self, job, reporter)

    monkeypatch.setattr(cli.Command, "run", run)
    monkeypatch.setenv("GDAL_PAM_ENABLED", "YES")
    assert cli.main(["synthetic", "--output", str(tmp_path / "s.tif"), "--width", "32", "--height", "32"]) == 0
    assert seen["pam"] == "NO"
    assert os.environ["GDAL_PAM_ENABLED"] == "YES"
    monkeypatch.delenv("GDAL_PAM_ENABLED")
    assert cli.main(["synthetic", "--output", str(tmp_path / "t.tif"), "--width", "32", "--height", "32"]) == 0
    assert seen["pam"] == "NO" and "GDAL_PAM_ENABLED" not in os.environ
