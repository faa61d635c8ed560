"""The layers of the code keep to their places: no import circle, the engine (``core/``) free of QGIS
and Qt, the Processing side (``algorithms/``, ``glacier_provider/``) free of torch."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "algorithms", "glacier_provider")


def modules() -> dict[str, Path]:
    return {".".join(p.relative_to(ROOT).with_suffix("").parts): p
            for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}


def imports_of(name: str, path: Path, known: dict[str, Path]) -> tuple[set[str], set[str]]:
    """(the project's modules ``name`` imports, the top-level names of everything else it imports),
    at any level of the file (a function-level import counts: it is still a dependency)."""
    ours, others = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                package = name.split(".")[: len(name.split(".")) - node.level]
                target = ".".join(package + ([node.module] if node.module else []))
            else:
                target = (node.module or "").removeprefix("glacier_terminus.")
                if not (node.module or "").startswith("glacier_terminus"):
                    others.add((node.module or "").split(".")[0])
                    continue
            for candidate in (target, *(f"{target}.{a.name}" for a in node.names)):
                for module in (candidate, f"{candidate}.__init__"):  # a package is its __init__
                    if module in known and module != name:
                        ours.add(module)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                others.add(alias.name.split(".")[0])
    return ours, others


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known)[0] for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in edges:
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle():
    assert cycles(graph()) == []


@pytest.mark.parametrize("package,forbidden", [
    ("core", {"qgis", "PyQt5", "PyQt6", "PySide2", "PySide6"}),
    ("algorithms", {"torch", "segmentation_models_pytorch", "timm"}),
    ("glacier_provider", {"torch", "segmentation_models_pytorch", "timm"}),
])
def test_no_module_imports_a_higher_or_heavier_layer(package, forbidden):
    known = modules()
    offenders = sorted(f"{name} imports {', '.join(sorted(others & forbidden))}"
                       for name, path in known.items() if name.split(".")[0] == package
                       for others in [imports_of(name, path, known)[1]] if others & forbidden)
    assert offenders == []


def test_loading_the_algorithms_does_not_load_torch():
    """What the Processing side loads at run time, command declarations included, stays light."""
    code = ("import sys; import glacier_terminus.glacier_provider.provider as p; p.GlacierTerminusProvider; "
            "from glacier_terminus.core.engine.cli import commands; commands(); "
            "print(sorted(m for m in ('torch', 'segmentation_models_pytorch', 'timm') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    if "No module named 'qgis'" in done.stderr:
        pytest.skip("QGIS's Python bindings are not importable here")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_no_library_module_imports_a_command_module():
    """``core/commands/`` declares commands on top of the library; the library never reaches up into it."""
    known = modules()
    offenders = sorted(f"{name} imports {module}" for name, path in known.items()
                       if name.startswith("core.") and not name.startswith("core.commands.")
                       for module in imports_of(name, path, known)[0] if module.startswith("core.commands."))
    assert offenders == []


def test_every_core_package_says_what_it_holds():
    """Each subpackage of ``core/`` opens with a one-line description (the map in ``core/__init__.py``)."""
    packages = sorted(p.parent.name for p in (ROOT / "core").glob("*/__init__.py"))
    assert len(packages) >= 8
    text = (ROOT / "core" / "__init__.py").read_text(encoding="utf-8")
    for package in packages:
        doc = ast.get_docstring(ast.parse((ROOT / "core" / package / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "\n" not in doc.strip(), package
        assert f"``{package}/``" in text, f"core/__init__.py does not list {package}/"
