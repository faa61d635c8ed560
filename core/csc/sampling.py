"""CSC training samples: which pixels of the coarse map teach the image's own model.

Pure functions on arrays (no I/O). Samples are pixels whose whole ``patch x patch``
window, centred on the pixel, lies inside the image and on valid data, and whose
coarse class is known. Per class, a uniform sample without replacement is kept while
the coarse map streams past strip by strip (:class:`StratifiedSample`): each eligible
pixel draws a random key and the smallest keys win, so memory holds one strip plus the
sample, whatever the image's size. Positions are always ``(row, col)``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def window_fits(valid: np.ndarray, halo: int) -> np.ndarray:
    """True where the ``(2 * halo + 1)`` square window centred on a pixel lies inside the array
    and on valid pixels only."""
    if halo == 0:
        return valid.astype(bool, copy=True)
    from scipy.ndimage import minimum_filter

    return minimum_filter(valid.astype(np.uint8), size=2 * halo + 1, mode="constant", cval=0).astype(bool)


def strip_eligible(valid: np.ndarray, labels: np.ndarray, halo: int, top: int, bottom: int) -> np.ndarray:
    """Eligible pixels of a strip read with up to ``halo`` extra rows above and below.

    ``valid`` holds the strip's rows plus ``top`` rows above and ``bottom`` rows below (fewer
    than ``halo`` at the image's top or bottom edge: missing rows count as outside the
    image); ``labels`` holds the strip's rows only. Returns a mask of the strip's shape.
    """
    rows = labels.shape[0]
    padded = np.zeros((rows + 2 * halo, valid.shape[1]), dtype=bool)
    padded[halo - top: halo + rows + bottom] = valid
    fits = window_fits(padded, halo)[halo: halo + rows]
    return fits & (labels > 0)


@dataclass
class Samples:
    """Sample positions and their coarse classes, sorted by ``(row, col)``."""

    rows: np.ndarray  # int64
    cols: np.ndarray  # int64
    classes: np.ndarray  # class values, uint8
    eligible: dict[int, int]  # class value -> eligible pixels seen

    def __len__(self) -> int:
        return len(self.rows)


class StratifiedSample:
    """Up to ``per_class`` pixels of each class, uniform without replacement, fed strip by strip."""

    def __init__(self, per_class: int, seed: int = 0) -> None:
        if per_class < 1:
            raise ValueError("per_class must be at least 1")
        self.per_class = int(per_class)
        self.rng = np.random.default_rng(seed)
        self._kept: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # class -> (keys, flat indices)
        self._eligible: dict[int, int] = {}
        self._width: int | None = None

    def add(self, labels: np.ndarray, eligible: np.ndarray, row_offset: int) -> None:
        """Offer the eligible pixels of a strip whose first row is image row ``row_offset``."""
        width = labels.shape[1]
        if self._width is None:
            self._width = width
        elif width != self._width:
            raise ValueError("every strip must have the image's width")
        rows, cols = np.nonzero(eligible)
        values = labels[rows, cols]
        flat = (rows.astype(np.int64) + row_offset) * width + cols
        for value in np.unique(values):
            value = int(value)
            mine = values == value
            keys = self.rng.random(int(mine.sum()))
            self._eligible[value] = self._eligible.get(value, 0) + len(keys)
            old_keys, old_flat = self._kept.get(value, (np.empty(0), np.empty(0, np.int64)))
            keys = np.concatenate([old_keys, keys])
            index = np.concatenate([old_flat, flat[mine]])
            if len(keys) > self.per_class:
                best = np.argpartition(keys, self.per_class - 1)[: self.per_class]
                keys, index = keys[best], index[best]
            self._kept[value] = (keys, index)

    def result(self) -> Samples:
        """The samples, sorted by position."""
        if not self._kept:
            empty = np.empty(0, np.int64)
            return Samples(empty, empty, np.empty(0, np.uint8), {})
        flat = np.concatenate([index for _, index in self._kept.values()])
        classes = np.concatenate([np.full(len(index), v, np.uint8) for v, (_, index) in self._kept.items()])
        order = np.argsort(flat, kind="stable")
        flat, classes = flat[order], classes[order]
        return Samples(flat // self._width, flat % self._width, classes, dict(sorted(self._eligible.items())))


def patch_windows(image: np.ndarray, rows: np.ndarray, cols: np.ndarray, halo: int) -> np.ndarray:
    """The ``(2 * halo + 1)`` square windows of ``image`` (bands, height, width) centred on
    ``(rows, cols)``, as ``(n, bands, size, size)``; every window must lie inside the image."""
    size = 2 * halo + 1
    rows, cols = np.asarray(rows, np.int64), np.asarray(cols, np.int64)
    if len(rows) and (rows.min() < halo or cols.min() < halo or rows.max() >= image.shape[1] - halo
                      or cols.max() >= image.shape[2] - halo):
        raise ValueError("a window reaches outside the image")
    views = np.lib.stride_tricks.sliding_window_view(image, (size, size), axis=(1, 2))  # type: ignore[call-overload]  # numpy's stub takes one axis, the function a tuple too
    return np.ascontiguousarray(views[:, rows - halo, cols - halo].transpose(1, 0, 2, 3))


__all__ = ["window_fits", "strip_eligible", "Samples", "StratifiedSample", "patch_windows"]
