"""Starting a network from earlier weights: the tensors of a safetensors file or a model package whose
names and shapes match."""
from __future__ import annotations

from pathlib import Path

import torch

from ..engine.protocol import EngineError, Reporter
from ..segmentation.package import WEIGHTS_FILE


def load_init_weights(net: torch.nn.Module, path: str, reporter: Reporter) -> None:
    """Copy the tensors of a safetensors file (or a package's weights) whose names and shapes
    match the network; names may lack the ``encoder.`` / ``encoder.model.`` prefix."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    p = Path(path)
    if p.is_dir():
        p = p / WEIGHTS_FILE
    if not p.is_file():
        raise EngineError(f"INIT_WEIGHTS {p} does not exist.")
    try:
        state = load_file(str(p))
    except (SafetensorError, OSError, ValueError) as exc:
        raise EngineError(f"INIT_WEIGHTS {p} is not a safetensors file ({exc}).") from None
    own = net.state_dict()
    best: dict = {}
    for prefix in ("", "encoder.model.", "encoder."):
        usable = {prefix + k: v for k, v in state.items()
                  if prefix + k in own and own[prefix + k].shape == v.shape}
        if len(usable) > len(best):
            best = usable
    if not best:
        raise EngineError(f"INIT_WEIGHTS {p} holds no tensor that fits the network's layers (names and shapes).")
    net.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in best.items()}, strict=False)
    skipped = len(own) - len(best)
    reporter.info(f"INIT_WEIGHTS: {len(best)} of {len(own)} tensors taken from {p}"
                  + (f"; {skipped} keep their random start (other names or shapes, e.g. the class head)."
                     if skipped else "."))
