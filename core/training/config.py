"""The ``train`` job as a typed configuration: lists and paths resolved, outputs checked, the keys a
resumed run must share with its checkpoint."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..engine.protocol import EngineError
from .augment import KINDS as AUGMENT_KINDS


def _listed(value) -> list[str]:
    """Items of a list parameter given as a list and/or comma-separated text, stripped, empty ones dropped."""
    parts = [value] if isinstance(value, str) else list(value or [])
    return [item.strip() for part in parts for item in str(part).split(",") if item.strip()]


#: Keys of the configuration that a resumed run must share with its checkpoint.
RESUME_KEYS = ("architecture", "epochs", "batch_size", "validation", "validation_groups", "seed", "augment",
               "normalisation", "class_weighting", "dice_weight", "weight_decay", "monitor")
@dataclass
class TrainConfig:
    """The ``train`` job's parameters, checked."""

    datasets: list[str]
    output_model: Path
    report: Path
    checkpoint: Path
    architecture: str
    epochs: int
    batch_size: int
    learning_rate: float
    validation: float
    validation_groups: list[str]
    patience: int
    monitor: str
    augment: list[str]
    normalisation: str
    flow: str | None
    class_weighting: str
    dice_weight: float
    weight_decay: float
    device: str
    init_weights: str | None
    resume: bool
    lr_find_steps: int
    seed: int
    name: str
    weights_dtype: str
    job: dict = field(default_factory=dict)

    @classmethod
    def from_job(cls, job: dict) -> "TrainConfig":
        """The configuration of a job checked against the ``train`` command's declaration (types,
        bounds, choices and defaults are checked there, once: :meth:`.cli.Command.checked_job`)."""
        augment = [a.lower() for a in _listed(job["augment"])]
        if augment == ["none"]:
            augment = []
        unknown = sorted(set(augment) - set(AUGMENT_KINDS))
        if unknown:
            raise EngineError(f"AUGMENT: unknown augmentation(s) {', '.join(unknown)}; known: "
                              f"{', '.join(AUGMENT_KINDS)} (or none).")
        output = Path(job["output_model"]).absolute()
        report = Path(job["report"] or output / "report.html").absolute()
        checkpoint = Path(job["checkpoint"] or output.with_name(output.name + ".checkpoint.pt")).absolute()
        for label, folder in (("OUTPUT_MODEL", output.parent), ("REPORT", report.parent), ("CHECKPOINT",
                                                                                          checkpoint.parent)):
            if folder != output and not folder.is_dir():
                raise EngineError(f"{label}: folder {folder} does not exist.")
        if output.exists() and not output.is_dir():
            raise EngineError(f"OUTPUT_MODEL {output} is a file; a model package is a folder.")
        if output.is_dir() and any(output.iterdir()) and not (output / "model.json").is_file():
            raise EngineError(f"OUTPUT_MODEL folder {output} holds other files and is not a model package; "
                              f"choose a new or empty folder (a package there would replace it).")
        return cls(
            datasets=[str(d) for d in job["datasets"]],
            output_model=output,
            report=report,
            checkpoint=checkpoint,
            architecture=job["architecture"],
            epochs=job["epochs"],
            batch_size=job["batch_size"],
            learning_rate=job["learning_rate"],
            validation=job["validation"],
            validation_groups=_listed(job["validation_groups"]),
            patience=job["patience"],
            monitor=job["monitor"],
            augment=augment,
            normalisation=job["normalisation"],
            flow=job["flow"] or None,
            class_weighting=job["class_weighting"],
            dice_weight=job["dice_weight"],
            weight_decay=job["weight_decay"],
            device=job["device"],
            init_weights=job["init_weights"] or None,
            resume=bool(job["resume"]),
            lr_find_steps=job["lr_find_steps"],
            seed=job["seed"],
            name=job["name"] or output.name,
            weights_dtype=job["weights_dtype"],
            job={k: v for k, v in job.items() if v not in (None, "", [])},
        )

    def resume_key(self) -> dict:
        return {k: getattr(self, k) for k in RESUME_KEYS}
