"""The model packages shipped with the plugin, under the names users pick them by (light: no torch)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: The plugin's models/ folder.
MODELS_DIR = Path(__file__).resolve().parents[2] / "models"  # core/segmentation/ -> the plugin


@dataclass(frozen=True)
class ShippedModel:
    """A package in models/: its folder, the imagery it suits and what it maps."""

    folder: str
    imagery: str
    description: str


SHIPPED_MODELS: dict[str, ShippedModel] = {
    "optical_fronts": ShippedModel(
        "default", "optical",
        "grey optical scenes (Landsat, Sentinel-2; one band): the calving front as a line "
        "(trained on FrontLearning)"),
    "sar_zones": ShippedModel(
        "caffe-sar", "sar",
        "SAR amplitude scenes (Sentinel-1, TerraSAR-X, ERS, Envisat, RADARSAT, ALOS PALSAR; one band): "
        "no information, rock, glacier and ocean zones with the front over them (trained on CaFFe)"),
}
DEFAULT_SHIPPED_MODEL = "optical_fronts"


def shipped_model_path(name: str, models_dir: Path = MODELS_DIR) -> Path:
    """The folder of the shipped model ``name`` (under ``models_dir``: the plugin's models/ folder, as
    whoever asks reached it)."""
    return Path(models_dir) / SHIPPED_MODELS[name].folder


def for_imagery(imagery: str) -> str | None:
    """The name of the shipped model for ``imagery`` (optical or sar)."""
    return next((n for n, m in SHIPPED_MODELS.items() if m.imagery == imagery), None)
