"""Training checkpoints: everything needed to continue a run, written atomically."""
from __future__ import annotations

import random
from pathlib import Path

import torch

from ..engine.protocol import EngineError
from ..geo.raster import atomic_output


def rng_state() -> dict:
    """The global random states (python, torch CPU and CUDA)."""
    state = {"python": random.getstate(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng(state: dict) -> None:
    random.setstate(state["python"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available() and len(state["cuda"]) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all(state["cuda"])


def save_checkpoint(path: Path, state: dict) -> None:
    """Write ``state`` to a temporary file beside ``path`` and rename it over ``path``."""
    with atomic_output(path) as tmp:
        torch.save(state, tmp)


def load_checkpoint(path: Path) -> dict:
    """Read a checkpoint (tensors and plain data only: loading cannot run code)."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same message
        why = (str(exc).strip().splitlines() or [""])[0]
        raise EngineError(f"Cannot read the checkpoint {path} ({type(exc).__name__}: {why}); delete it and "
                          f"train without RESUME.") from None
    if not isinstance(state, dict) or "epoch" not in state or "model" not in state:
        raise EngineError(f"{path} is not a Glacier Terminus training checkpoint.")
    return state
