"""Inference runtimes: what runs a model package's network on a batch of tiles (numpy in, logits out).

Two are registered. ``torch`` is the network as trained, on CPU or CUDA (half precision on CUDA).
``onnxruntime`` runs the same network exported to ONNX, on CPU: faster there than torch, steadier
on a loaded machine, and it needs neither torch nor segmentation-models-pytorch at run time. The
export is made once per weights file (by torch, on first use) and cached under
:func:`cache_folder`. RUNTIME ``auto`` takes onnxruntime on CPU when it is installed, else torch.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol

import numpy as np

from ..engine.protocol import PARTIAL_OUTPUTS, EngineError

if TYPE_CHECKING:
    from .package import ModelPackage

#: ONNX operator set of the exports (onnxruntime 1.16 and later run it).
ONNX_OPSET = 17


class Runtime(Protocol):
    """A network ready to run: ``forward`` maps (B, bands, H, W) float32 to (B, classes, H, W) float32 logits."""

    name: str

    def forward(self, x: np.ndarray) -> np.ndarray: ...


class TorchRuntime:
    """The package's network in torch, on ``device`` (CUDA: autocast to float16)."""

    name = "torch"

    def __init__(self, pkg: ModelPackage, device: str) -> None:
        import torch

        self.torch, self.device = torch, device
        if device == "cpu":
            torch.set_num_threads(max(1, torch.get_num_threads()))
        self.net = pkg.build_network(device)

    def forward(self, x: np.ndarray) -> np.ndarray:
        torch = self.torch
        tensor = torch.from_numpy(np.ascontiguousarray(x)).to(self.device, non_blocking=True)
        with torch.inference_mode():
            if self.device == "cuda":
                with torch.autocast("cuda", dtype=torch.float16):
                    return self.net(tensor).float().cpu().numpy()
            return self.net(tensor).numpy()


def cache_folder() -> Path:
    """Where ONNX exports are kept: ``$GLACIER_TERMINUS_CACHE``, else ``$XDG_CACHE_HOME/glacier-terminus``,
    else ``~/.cache/glacier-terminus``."""
    if os.environ.get("GLACIER_TERMINUS_CACHE"):
        return Path(os.environ["GLACIER_TERMINUS_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "glacier-terminus"


def onnx_file(pkg: ModelPackage) -> Path:
    """The package's network as ONNX: from the cache (named by :meth:`ModelPackage.network_key`, so
    replaced weights or changed arguments are exported again, and damaged weights are refused before the
    cache is looked at), exported by torch on first use (written atomically)."""
    path = cache_folder() / "onnx" / f"{pkg.architecture}-{pkg.network_key()[:32]}-opset{ONNX_OPSET}.onnx"
    if path.is_file():
        return path
    import warnings

    import torch

    net = pkg.build_network("cpu")
    side = pkg.tile_size
    example = torch.zeros(1, len(pkg.bands), side, side)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    PARTIAL_OUTPUTS.add(str(tmp))
    try:
        with warnings.catch_warnings():  # the TorchScript exporter's deprecation notice: the export is checked below
            warnings.simplefilter("ignore")
            torch.onnx.export(net, (example,), str(tmp), dynamo=False, input_names=["tiles"], output_names=["logits"],
                              dynamic_axes={"tiles": {0: "batch", 2: "height", 3: "width"},
                                            "logits": {0: "batch", 2: "height", 3: "width"}},
                              opset_version=ONNX_OPSET)
        os.replace(tmp, path)
    except Exception as exc:  # noqa: BLE001 - the exporter's many errors: torch stays usable
        raise EngineError(f"Cannot export model '{pkg.name}' to ONNX ({type(exc).__name__}: "
                          f"{str(exc).splitlines()[0] if str(exc) else 'no detail'}); use RUNTIME torch.") from None
    finally:
        PARTIAL_OUTPUTS.discard(str(tmp))
        if tmp.exists():
            tmp.unlink()
    return path


class OnnxRuntime:
    """The package's network exported to ONNX, run by onnxruntime on the CPU's cores (threads that sleep
    rather than spin when they wait, so that a loaded machine does not slow them down several times)."""

    name = "onnxruntime"

    def __init__(self, pkg: ModelPackage, device: str) -> None:
        if device != "cpu":
            raise EngineError("RUNTIME onnxruntime runs on the CPU: use DEVICE cpu, or RUNTIME torch for CUDA.")
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                                           else (os.cpu_count() or 1))
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # errors only: the log is the protocol's
        options.enable_mem_pattern = False  # tiles vary in size; planning memory per shape peaks higher, no faster
        self.session = onnxruntime.InferenceSession(str(onnx_file(pkg)), options, providers=["CPUExecutionProvider"])

    def forward(self, x: np.ndarray) -> np.ndarray:
        return self.session.run(None, {"tiles": np.ascontiguousarray(x, dtype=np.float32)})[0]


#: RUNTIME's choices (``auto``: :func:`pick_runtime`) -> the class that runs a package.
RUNTIMES: dict[str, Callable[[ModelPackage, str], Runtime]] = {"torch": TorchRuntime, "onnxruntime": OnnxRuntime}


def installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def pick_runtime(requested: str, device: str) -> str:
    """``auto`` -> onnxruntime on CPU when it is installed (and the network can be exported, or is), else
    torch; a runtime asked for by name must be installed and suit the device."""
    if requested == "auto":
        return "onnxruntime" if device == "cpu" and installed("onnxruntime") and installed("onnx") else "torch"
    if requested == "onnxruntime":
        if not installed("onnxruntime"):
            raise EngineError("RUNTIME onnxruntime is not installed in the engine's Python (pip install onnxruntime "
                              "onnx); use RUNTIME auto or torch.")
        if device != "cpu":
            raise EngineError("RUNTIME onnxruntime runs on the CPU: use DEVICE cpu, or RUNTIME torch for CUDA.")
    return requested


_LOADED: dict[tuple[str, str | None, str, str], Runtime] = {}


def runtime_for(pkg: ModelPackage, device: str, name: str) -> Runtime:
    """``pkg``'s network in runtime ``name`` on ``device``, loaded on first use and then reused (a stack of
    scenes loads it once); one network at a time."""
    key = (str(pkg.path), pkg.weights_sha256, device, name)
    if key not in _LOADED or not pkg.weights_sha256:
        _LOADED.clear()
        _LOADED[key] = RUNTIMES[name](pkg, device)
    return _LOADED[key]


def cuda_available() -> bool:
    """Whether CUDA can be used, asking torch only where an NVIDIA driver is installed (importing torch
    costs more than a second)."""
    if not (os.path.exists("/proc/driver/nvidia/version") or os.name == "nt" or os.environ.get("CUDA_VISIBLE_DEVICES")):
        return False
    import torch

    return bool(torch.cuda.is_available())


__all__ = ["RUNTIMES", "Runtime", "TorchRuntime", "OnnxRuntime", "pick_runtime", "runtime_for", "onnx_file",
           "cache_folder", "cuda_available"]
