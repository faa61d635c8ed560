"""The architecture registry: names in model.json -> segmentation-models-pytorch networks."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Architecture:
    """A segmentation network: an smp decoder class with an encoder, and what it needs."""

    decoder: str  # class name in segmentation_models_pytorch
    encoder: str
    description: str
    multiple: int = 32  # input sides must be a multiple of this
    options: tuple[tuple[str, Any], ...] = ()  # decoder arguments of this entry (e.g. decoder_channels)

    def build(self, in_channels: int, classes: int, **kwargs: Any):
        """Build the network with random weights (no download ever happens)."""
        import segmentation_models_pytorch as smp

        decoder = getattr(smp, self.decoder)
        return decoder(
            encoder_name=self.encoder,
            encoder_weights=None,
            in_channels=in_channels,
            classes=classes,
            **{**dict(self.options), **kwargs},
        )


ARCHITECTURES: dict[str, Architecture] = {
    "hrnet_w18_small": Architecture(
        "Unet", "tu-hrnet_w18_small", "U-Net decoder on HRNet-W18-small (7.9 M parameters; default)"
    ),
    "hrnet_w18": Architecture("Unet", "tu-hrnet_w18", "U-Net decoder on HRNet-W18 (larger, slower)"),
    "resnet34_unet": Architecture("Unet", "resnet34", "U-Net on ResNet-34 (the classic U-Net)"),
    "mobilenetv3_fpn": Architecture(
        "FPN", "tu-mobilenetv3_large_100", "FPN on MobileNetV3-large (light, for laptops)"
    ),
    "mobilenetv3_unet": Architecture(
        "Unet", "tu-mobilenetv3_large_100",
        "U-Net on MobileNetV3-large with a slim decoder (4.5 M parameters, light enough to train on a "
        "CPU; the shipped SAR model)",
        options=(("decoder_channels", (128, 64, 32, 16, 16)),),
    ),
}

DEFAULT_ARCHITECTURE = "hrnet_w18_small"


def get_architecture(name: str) -> Architecture:
    """Look an architecture up by name, with a clear message listing the known ones."""
    try:
        return ARCHITECTURES[name]
    except KeyError:
        known = ", ".join(sorted(ARCHITECTURES))
        raise KeyError(f"Unknown architecture '{name}'; known: {known}") from None
