"""Apply a trained :class:`.model.PatchNet` to an image, block by block.

Each block of the output is computed from the input block grown by a halo of
``patch // 2`` pixels (plus the modal filter's radius), so memory is bounded by one
block whatever the image's size. At the image's edges the halo is filled by mirroring
the image; no-data pixels inside it take the band mean (0 once normalised), and stay
no-data (class 0) in the output.

:func:`scores_by_patches` is the reference the fully convolutional path is checked and
timed against: it cuts every pixel's window out and classifies the windows one batch at
a time, as patch-based CSC code does.
"""
from __future__ import annotations

import numpy as np
import torch

from .model import PatchNet

BLOCK = 256  # output pixels per block side (small blocks stay in the CPU's caches)


def blocks(height: int, width: int, size: int = BLOCK) -> list[tuple[int, int, int, int]]:
    """``(row0, row1, col0, col1)`` of the blocks that cover the image once, row by row."""
    return [(r, min(r + size, height), c, min(c + size, width))
            for r in range(0, height, size) for c in range(0, width, size)]


def mirrored(data: np.ndarray, top: int, bottom: int, left: int, right: int) -> np.ndarray:
    """``data`` (bands, h, w) grown by mirroring (without repeating the edge pixel); works for
    pads longer than the data too."""
    if not (top or bottom or left or right):
        return data
    if min(data.shape[1:]) > 1:
        return np.pad(data, ((0, 0), (top, bottom), (left, right)), mode="reflect")
    return np.pad(data, ((0, 0), (top, bottom), (left, right)), mode="edge")


def scores_fully_convolutional(net: PatchNet, block: np.ndarray, device: str) -> np.ndarray:
    """Class scores ``(classes, h - 2 * halo, w - 2 * halo)`` of a normalised block ``(bands, h, w)``.

    Channels-last tensors: about twice as fast as the default layout for these convolutions on a CPU.
    """
    with torch.no_grad():
        x = torch.from_numpy(np.ascontiguousarray(block))[None].to(device)
        x = x.contiguous(memory_format=torch.channels_last)
        return net.to(memory_format=torch.channels_last)(x)[0].float().cpu().numpy()


def scores_by_patches(net: PatchNet, block: np.ndarray, device: str, batch: int = 1024) -> np.ndarray:
    """The same scores as :func:`scores_fully_convolutional`, one window per pixel."""
    size = net.patch
    # (b, H, W, s, s)
    views = np.lib.stride_tricks.sliding_window_view(block, (size, size), axis=(1, 2))  # type: ignore[call-overload]  # numpy's stub takes one axis, the function a tuple too
    bands, height, width = views.shape[:3]
    out = np.empty((0, height * width), dtype=np.float32)
    with torch.no_grad():
        for start in range(0, height * width, batch):
            index = np.arange(start, min(start + batch, height * width))
            windows = views[:, index // width, index % width].transpose(1, 0, 2, 3)
            x = torch.from_numpy(np.ascontiguousarray(windows)).to(device)
            scores = net(x)[:, :, 0, 0].float().cpu().numpy()
            if not len(out):
                out = np.empty((scores.shape[1], height * width), dtype=np.float32)
            out[:, index] = scores.T
    return out.reshape(-1, height, width)


def modal_filter(classes: np.ndarray, valid: np.ndarray, radius: int) -> np.ndarray:
    """The most common class within a disk of ``radius`` pixels, counting valid pixels only;
    invalid pixels stay 0. ``radius`` 0 returns the classes unchanged."""
    if radius <= 0:
        return classes
    from skimage.filters.rank import majority
    from skimage.morphology import disk

    filtered = majority(classes.astype(np.uint8), disk(radius), mask=valid.astype(np.uint8))
    return np.where(valid, filtered, 0).astype(np.uint8)


def classify_block(net: PatchNet, image: np.ndarray, valid: np.ndarray, inside: np.ndarray, lut: np.ndarray,
                   radius: int, device: str) -> np.ndarray:
    """Classes (uint8 values from ``lut``) of the centre of a normalised block.

    ``image`` (bands, h, w) and ``valid`` (h, w) carry a margin of ``net.halo + radius``
    pixels on each side, mirrored where it lies beyond the image's edge; ``inside`` marks
    the pixels inside the image. Invalid pixels enter the network as 0 (the band mean) and
    come out as 0 (no data), as do pixels outside the image for the modal filter. The
    result is ``(h - 2 * margin, w - 2 * margin)``.
    """
    halo = net.halo
    image = np.where(valid[None], image, 0.0).astype(np.float32)
    scores = scores_fully_convolutional(net, image, device)
    keep = (valid & inside)[halo: valid.shape[0] - halo, halo: valid.shape[1] - halo]
    classes = np.where(keep, lut[scores.argmax(0)], 0).astype(np.uint8)
    classes = modal_filter(classes, keep, radius)
    if radius:
        classes = classes[radius:-radius, radius:-radius]
    return classes


__all__ = ["BLOCK", "blocks", "mirrored", "scores_fully_convolutional", "scores_by_patches", "modal_filter",
           "classify_block"]
