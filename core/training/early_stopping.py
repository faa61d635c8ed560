"""Which epoch is best, and when to stop: early stopping on a monitored quantity."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass


def monitored(entry: dict, monitor: str) -> tuple[float, bool]:
    """(value, higher is better) of the monitored quantity in an epoch's history entry;
    the training loss when the run has no validation."""
    if "valid_loss" not in entry:
        return entry["train_loss"], False
    if monitor == "valid_loss":
        return entry["valid_loss"], False
    return entry[monitor], True


@dataclass
class EarlyStopping:
    """Tracks the best epoch; stops after ``patience`` epochs without improvement (0 = never)
    and at once when the loss stops being a finite number (a diverging run)."""

    monitor: str
    patience: int
    best_value: float | None = None
    best_epoch: int = 0
    bad_epochs: int = 0
    stopped: bool = False
    diverged: bool = False

    def update(self, entry: dict) -> bool:
        """Take an epoch's entry; True when it is the best so far."""
        value, higher = monitored(entry, self.monitor)
        if not (math.isfinite(entry["train_loss"]) and math.isfinite(value)):
            self.diverged = self.stopped = True
            return False
        improved = self.best_value is None or (value > self.best_value if higher else value < self.best_value)
        if improved:
            self.best_value, self.best_epoch, self.bad_epochs = value, int(entry["epoch"]), 0
        else:
            self.bad_epochs += 1
            self.stopped = bool(self.patience and self.bad_epochs >= self.patience)
        return improved

    def state_dict(self) -> dict:
        return asdict(self)

    def load_state_dict(self, state: dict) -> None:
        for key, value in state.items():
            setattr(self, key, value)
