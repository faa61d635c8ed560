"""One process or many: the device, rank and collective helpers training needs.

Under ``torchrun`` (``WORLD_SIZE`` > 1 in the environment) a process group is started:
NCCL with one GPU per process where CUDA is used, gloo on CPUs. Alone, the same calls
are no-ops, so the training loop has one code path.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as torch_dist

from ..engine.protocol import EngineError


def launched_world_size() -> int:
    """The number of processes torchrun started (1 when not under torchrun)."""
    try:
        return max(1, int(os.environ.get("WORLD_SIZE", "1")))
    except ValueError:
        return 1


@dataclass
class Dist:
    """This process's place in the run."""

    rank: int = 0
    world: int = 1
    local_rank: int = 0
    device: torch.device = torch.device("cpu")

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def active(self) -> bool:
        return self.world > 1

    def sum_(self, tensor: torch.Tensor) -> torch.Tensor:
        """Sum a tensor over all processes, in place; returns it."""
        if self.active:
            torch_dist.all_reduce(tensor, op=torch_dist.ReduceOp.SUM)
        return tensor

    def any(self, flag: bool) -> bool:
        """True when ``flag`` is true in any process (every process calls this)."""
        if not self.active:
            return flag
        t = torch.tensor([1.0 if flag else 0.0], device=self.device)
        return bool(self.sum_(t).item() > 0)

    def broadcast_float(self, value: float | None) -> float:
        """Rank 0's ``value`` in every process."""
        if not self.active:
            return float(value) if value is not None else 0.0
        t = torch.tensor([float(value) if value is not None else 0.0], dtype=torch.float64, device=self.device)
        torch_dist.broadcast(t, src=0)
        return float(t.item())

    def barrier(self) -> None:
        if self.active:
            torch_dist.barrier()

    def close(self) -> None:
        if self.active and torch_dist.is_initialized():
            torch_dist.destroy_process_group()


def pick_device(requested: str, local_rank: int = 0) -> torch.device:
    """``auto`` -> this process's GPU when CUDA is available, else the CPU."""
    if requested == "cuda" and not torch.cuda.is_available():
        raise EngineError("DEVICE is cuda but no CUDA GPU is available to the engine; use auto or cpu.")
    if requested == "cpu" or (requested == "auto" and not torch.cuda.is_available()):
        return torch.device("cpu")
    if local_rank >= torch.cuda.device_count():
        raise EngineError(f"Process {local_rank} has no GPU of its own ({torch.cuda.device_count()} visible): "
                          f"start at most that many processes per machine.")
    return torch.device("cuda", local_rank)


def start(requested_device: str) -> Dist:
    """Pick the device and, under torchrun, join the process group."""
    world = launched_world_size()
    if world == 1:
        return Dist(device=pick_device(requested_device))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = pick_device(requested_device, local_rank)
    if device.type == "cuda":
        torch.cuda.set_device(device)
    if not torch_dist.is_initialized():
        torch_dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo")
    return Dist(rank, world, local_rank, device)
