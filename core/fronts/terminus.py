"""Terminus position of a front: the box method and the centreline crossing (pure geometry).

Box method (Moon and Joughin 2008; Lea et al. 2014): a box is drawn along the fjord,
its long axis along flow. The terminus position is the area of the box between its
upstream end and the front, divided by the box's width: the mean distance of the front
from the upstream end, averaged across the fjord. The box's axes come from its
minimum-area bounding rectangle; the width is the box's area over its length, which
is the rectangle's width for a rectangular box.

Centreline method: the distance along a centreline, from its upstream end, to where
the front first crosses it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Samples across the box.
ACROSS_SAMPLES = 2000
#: Share of the box's width a front must span for a position (the rest is filled in).
MIN_COVERAGE = 0.5


def polygon_area(ring: np.ndarray) -> float:
    """Area of a ring (shoelace), whatever its orientation."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def _cross(o, a, b):
    """The z of (a - o) x (b - o): > 0 when o, a, b turn left. Points (..., 2) broadcast."""
    return (a[..., 0] - o[..., 0]) * (b[..., 1] - o[..., 1]) - (a[..., 1] - o[..., 1]) * (b[..., 0] - o[..., 0])


def ring_crosses_itself(ring: np.ndarray) -> bool:
    """Whether two edges of a closed ring that are not neighbours touch or cross (a bow tie)."""
    ring = np.asarray(ring, dtype=float)
    if len(ring) > 1 and np.array_equal(ring[0], ring[-1]):
        ring = ring[:-1]
    n = len(ring)
    a, b = ring, np.roll(ring, -1, axis=0)
    for i in range(n):
        j = np.arange(i + 2, n)
        j = j[(j + 1) % n != i]  # the last edge neighbours the first
        if j.size == 0:
            continue
        o1, o2 = np.sign(_cross(a[i], b[i], a[j])), np.sign(_cross(a[i], b[i], b[j]))
        o3, o4 = np.sign(_cross(a[j], b[j], a[i])), np.sign(_cross(a[j], b[j], b[i]))
        if np.any((o1 * o2 < 0) & (o3 * o4 < 0)):
            return True
    return False


def _convex_hull(points: np.ndarray) -> np.ndarray:
    """Monotone chain convex hull (counter-clockwise, no repeated point)."""
    pts = np.unique(points, axis=0)
    if len(pts) < 3:
        return pts
    lower: list[np.ndarray] = []
    upper: list[np.ndarray] = []
    for p in pts:
        while len(lower) >= 2 and _cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in pts[::-1]:
        while len(upper) >= 2 and _cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1])


@dataclass(frozen=True)
class BoxFrame:
    """A box's frame: origin, unit vectors along flow (u) and across (v), extents."""

    origin: np.ndarray  # a point on the upstream end (u = 0)
    along: np.ndarray  # unit vector pointing downstream
    across: np.ndarray
    length: float  # along u
    breadth: float  # extent along v of the bounding rectangle
    v_min: float

    def to_uv(self, xy: np.ndarray) -> np.ndarray:
        d = np.asarray(xy, dtype=float) - self.origin
        return np.stack([d @ self.along, d @ self.across], axis=1)


def box_frame(ring: np.ndarray, reverse: bool = False) -> BoxFrame:
    """The minimum-area rectangle's frame of a box ring; the upstream end is the end
    nearest the ring's first vertex (the far end with ``reverse``)."""
    ring = np.asarray(ring, dtype=float)
    hull = _convex_hull(ring)
    best = None
    for i in range(len(hull)):
        edge = hull[(i + 1) % len(hull)] - hull[i]
        norm = math.hypot(*edge)
        if norm == 0:
            continue
        e = edge / norm
        n = np.array([-e[1], e[0]])
        u, v = hull @ e, hull @ n
        area = (u.max() - u.min()) * (v.max() - v.min())
        if best is None or area < best[0]:
            best = (area, e, n, u.min(), u.max(), v.min(), v.max())
    assert best is not None, "a hull of three or more points has an edge"
    _, e, n, u0, u1, v0, v1 = best
    if (u1 - u0) < (v1 - v0):  # make u the long axis
        e, n = n, -e
        u, v = hull @ e, hull @ n
        u0, u1, v0, v1 = u.min(), u.max(), v.min(), v.max()
    first = ring[0] @ e
    upstream_low = abs(first - u0) <= abs(first - u1)
    if reverse:
        upstream_low = not upstream_low
    if not upstream_low:
        e, n = -e, -n
        u0, u1, v0, v1 = -u1, -u0, -v1, -v0
    origin = e * u0  # u measured from the upstream end; v kept absolute
    return BoxFrame(origin, e, n, float(u1 - u0), float(v1 - v0), float(v0))


def _crossings(segments_uv: np.ndarray, v: np.ndarray) -> list[np.ndarray]:
    """For each v, the u values where the segments (S, 2, 2) cross the line v = const."""
    a, b = segments_uv[:, 0], segments_uv[:, 1]
    lo, hi = np.minimum(a[:, 1], b[:, 1]), np.maximum(a[:, 1], b[:, 1])
    order = np.argsort(lo)
    lo, hi, a, b = lo[order], hi[order], a[order], b[order]
    out = []
    for value in v:
        k = np.searchsorted(lo, value, side="right")
        sel = np.flatnonzero(hi[:k] > value) if k else np.array([], dtype=int)
        if sel.size == 0:
            out.append(np.empty(0))
            continue
        pa, pb = a[sel], b[sel]
        t = (value - pa[:, 1]) / (pb[:, 1] - pa[:, 1])
        out.append(pa[:, 0] + t * (pb[:, 0] - pa[:, 0]))
    return out


def _segments(lines: list[np.ndarray]) -> np.ndarray:
    parts = [np.stack([line[:-1], line[1:]], axis=1) for line in lines if len(line) >= 2]
    return np.concatenate(parts) if parts else np.zeros((0, 2, 2))


@dataclass(frozen=True)
class Position:
    """A terminus position (None when the front does not reach the reference) and how much of it was seen."""

    position: float | None
    coverage: float  # share of the box width crossed by the front (1 for a centreline crossing)


def box_position(ring: np.ndarray, front: list[np.ndarray], reverse: bool = False,
                 samples: int = ACROSS_SAMPLES, min_coverage: float = MIN_COVERAGE) -> Position:
    """Box-method position of a front (map units): upstream area / box width.

    Across the box, at ``samples`` positions, the front's first crossing from the
    upstream end gives the along-flow distance from the box's upstream edge; positions
    the front does not span are filled from their neighbours, and the front must span
    at least ``min_coverage`` of the width.
    """
    frame = box_frame(ring, reverse)
    box_uv = frame.to_uv(ring)
    edges_uv = _segments([np.vstack([box_uv, box_uv[:1]])])
    front_uv = _segments([frame.to_uv(line) for line in front])
    dv = frame.breadth / samples
    v = frame.v_min + (np.arange(samples) + 0.5) * dv
    upstream = np.full(samples, np.nan)
    downstream = np.full(samples, np.nan)
    for i, us in enumerate(_crossings(edges_uv, v)):
        if us.size >= 2:
            upstream[i], downstream[i] = us.min(), us.max()
    inside = np.isfinite(upstream)
    front_u = np.full(samples, np.nan)
    if len(front_uv):
        for i, us in enumerate(_crossings(front_uv, v)):
            if not inside[i]:
                continue
            us = us[(us >= upstream[i]) & (us <= downstream[i])]
            if us.size:
                front_u[i] = us.min()
    covered = np.isfinite(front_u)
    coverage = float(covered.sum()) / max(1, int(inside.sum()))
    if coverage < min_coverage or not covered.any():
        return Position(None, coverage)
    idx = np.flatnonzero(inside)
    filled = np.interp(v[idx], v[covered], front_u[covered])
    area = float(np.sum(filled - upstream[idx]) * dv)
    width = polygon_area(box_uv) / frame.length
    return Position(area / width, coverage)


def centreline_position(centreline: np.ndarray, front: list[np.ndarray], reverse: bool = False) -> Position:
    """Distance along the centreline, from its upstream end, to the first front crossing."""
    line = np.asarray(centreline, dtype=float)
    if reverse:
        line = line[::-1]
    seg_a, seg_b = line[:-1], line[1:]
    seg_len = np.hypot(*(seg_b - seg_a).T)
    start = np.concatenate([[0.0], np.cumsum(seg_len)])[:-1]
    front_seg = _segments(front)
    if len(front_seg) == 0:
        return Position(None, 0.0)
    p, r = front_seg[:, 0], front_seg[:, 1] - front_seg[:, 0]
    found = []
    for a, b, s0, ln in zip(seg_a, seg_b, start, seg_len, strict=False):
        if ln == 0:
            continue
        d = b - a
        denom = d[0] * r[:, 1] - d[1] * r[:, 0]
        ok = np.abs(denom) > 1e-12
        q = p[ok] - a
        t = (q[:, 0] * r[ok, 1] - q[:, 1] * r[ok, 0]) / denom[ok]  # along the centreline segment
        w = (q[:, 0] * d[1] - q[:, 1] * d[0]) / denom[ok]  # along the front segment
        hit = (t >= 0) & (t <= 1) & (w >= 0) & (w <= 1)
        found.extend((s0 + t[hit] * ln).tolist())
    if not found:
        return Position(None, 0.0)
    return Position(float(min(found)), 1.0)


__all__ = ["polygon_area", "box_frame", "BoxFrame", "box_position", "centreline_position", "Position"]
