"""Calving fronts from class rasters: pure functions from boolean masks to pixel paths.

Every function returns lines as (N, 2) float arrays of ``(row, col)`` index coordinates
(the centre of pixel ``[r, c]`` is at ``(r, c)``); :func:`.lines.pixel_to_map` turns
them into map coordinates. Four routes:

* :func:`front_from_zones` (CaFFe's definition): the front is where ocean pixels touch
  glacier pixels, after keeping the largest ocean component and filling its holes
  (icebergs, islands), so rock and no-data never make a front. The line runs along the
  pixel edges between those ocean pixels and the glacier pixels they touch.
* :func:`front_from_class`: a predicted front class, thinned to a skeleton; the longest
  path through each piece is kept and pieces that line up are joined.
* :func:`front_by_active_contour` (SEE_ICE): the glacier mask is smoothed by a
  morphological geodesic active contour; its boundary inside a buffer around the ocean
  is the front.
* :func:`front_between_walls` (FrontLearning's post-processing): the least-cost path
  through the front probability from one fjord wall to the other.
"""
from __future__ import annotations

import math

import numpy as np

#: 8-connectivity structuring element.
EIGHT = np.ones((3, 3), dtype=bool)


# ----------------------------------------------------------------------------- masks


def largest_component(mask: np.ndarray) -> np.ndarray:
    """The largest 8-connected component of a boolean mask (all False when empty)."""
    from scipy import ndimage

    labels, count = ndimage.label(mask, structure=EIGHT)
    if count == 0:
        return np.zeros_like(mask, dtype=bool)
    sizes = np.bincount(labels.ravel())
    sizes[0] = 0
    return labels == int(np.argmax(sizes))


def grown(seeds: np.ndarray, weak: np.ndarray) -> np.ndarray:
    """Hysteresis: the 8-connected pieces of ``weak | seeds`` that hold at least one seed pixel."""
    from scipy import ndimage

    labels, count = ndimage.label(weak | seeds, structure=EIGHT)
    seeded = np.zeros(count + 1, dtype=bool)
    seeded[labels[seeds]] = True  # every seed pixel is in a piece: label 0 stays False
    return seeded[labels]


def clean_ocean(ocean: np.ndarray) -> np.ndarray:
    """CaFFe's ocean: its largest component with holes (icebergs, islands) filled."""
    from scipy import ndimage

    return ndimage.binary_fill_holes(largest_component(ocean))


# ----------------------------------------------------------------------------- zone boundary


def _edge_pixels(rc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two pixels either side of contour vertices that lie midway between pixel centres."""
    r, c = rc[:, 0], rc[:, 1]
    row_is_integer = np.abs(r - np.round(r)) < 1e-6
    r0 = np.where(row_is_integer, np.round(r), np.floor(r)).astype(int)
    c0 = np.where(row_is_integer, np.floor(c), np.round(c)).astype(int)
    r1 = np.where(row_is_integer, r0, r0 + 1)
    c1 = np.where(row_is_integer, c0 + 1, c0)
    return np.stack([r0, c0], axis=1), np.stack([r1, c1], axis=1)


def _runs(keep: np.ndarray, closed: bool) -> list[tuple[int, int]]:
    """``[start, stop)`` index ranges of consecutive True values (wrapping when closed)."""
    n = len(keep)
    if n == 0 or not keep.any():
        return []
    if keep.all():
        return [(0, n)]
    padded = np.concatenate([[False], keep, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    runs = list(zip(edges[::2], edges[1::2], strict=False))
    if closed and len(runs) > 1 and runs[0][0] == 0 and runs[-1][1] == n:
        first = runs.pop(0)
        last = runs.pop()
        runs.append((last[0], n + first[1]))  # wraps around the end
    return runs


def contour_pieces(mask: np.ndarray, keep) -> list[np.ndarray]:
    """The pieces of the 0.5 contours of ``mask`` ((row, col) vertices) where ``keep(vertices)``
    (a boolean per vertex) holds, at least two vertices long; closed contours wrap around."""
    from skimage.measure import find_contours

    pieces = []
    for contour in find_contours(mask.astype(np.float32), 0.5):
        closed = len(contour) > 2 and np.allclose(contour[0], contour[-1])
        points = contour[:-1] if closed else contour
        for start, stop in _runs(keep(points), closed):
            idx = np.arange(start, stop) % len(points)
            if len(idx) >= 2:
                pieces.append(points[idx])
    return pieces


def boundary_lines(inside: np.ndarray, outside: np.ndarray, near: np.ndarray | None = None) -> list[np.ndarray]:
    """Lines along the pixel edges between ``inside`` pixels and 4-adjacent ``outside`` pixels (only
    the edges with a ``near`` pixel on either side, when ``near`` is given)."""
    if not inside.any() or not outside.any():
        return []
    h, w = inside.shape

    def between_inside_and_outside(points: np.ndarray) -> np.ndarray:
        a, b = _edge_pixels(points)
        ok = (a[:, 0] >= 0) & (a[:, 0] < h) & (a[:, 1] >= 0) & (a[:, 1] < w)
        ok &= (b[:, 0] >= 0) & (b[:, 0] < h) & (b[:, 1] >= 0) & (b[:, 1] < w)
        keep = np.zeros(len(points), dtype=bool)
        ia, ib = a[ok], b[ok]
        in_a, in_b = inside[ia[:, 0], ia[:, 1]], inside[ib[:, 0], ib[:, 1]]
        out_a, out_b = outside[ia[:, 0], ia[:, 1]], outside[ib[:, 0], ib[:, 1]]
        keep[ok] = (in_a & out_b) | (in_b & out_a)
        if near is not None:
            keep[ok] &= near[ia[:, 0], ia[:, 1]] | near[ib[:, 0], ib[:, 1]]
        return keep

    return contour_pieces(inside, between_inside_and_outside)


def front_from_zones(ocean: np.ndarray, glacier: np.ndarray, near: np.ndarray | None = None) -> list[np.ndarray]:
    """CaFFe's front: edges between the cleaned ocean and the glacier pixels touching it (only
    those next to a ``near`` pixel, when ``near`` is given).

    ``ocean`` and ``glacier`` are boolean masks (no-data and rock are in neither). The
    ocean is reduced to its largest component with holes filled (:func:`clean_ocean`);
    glacier pixels inside it (icebergs) no longer count.
    """
    sea = clean_ocean(ocean)
    ice = glacier & ~sea
    return boundary_lines(ice, sea, near)


def front_from_supported_zones(ocean: np.ndarray, glacier: np.ndarray, front: np.ndarray,
                               reach: float) -> list[np.ndarray]:
    """The zone boundary (:func:`front_from_zones`) where the front class supports it: the edges
    within ``reach`` pixels of a ``front`` pixel; the whole boundary where no edge is that near
    (the zones alone, rather than no front)."""
    from scipy.ndimage import distance_transform_edt

    if front.any():
        supported = front_from_zones(ocean, glacier, distance_transform_edt(~front) <= reach)
        if supported:
            return supported
    return front_from_zones(ocean, glacier)


# ----------------------------------------------------------------------------- front class


def _pixel_graph(mask: np.ndarray):
    """Sparse 8-neighbour graph of a mask's pixels (edge weights 1 or sqrt 2) and their (row, col)."""
    from scipy import sparse

    rows, cols = np.nonzero(mask)
    n = len(rows)
    index = np.full(mask.shape, -1, dtype=np.int64)
    index[rows, cols] = np.arange(n)
    h, w = mask.shape
    src, dst, weight = [], [], []
    for dr, dc in ((0, 1), (1, -1), (1, 0), (1, 1)):
        r2, c2 = rows + dr, cols + dc
        ok = (r2 >= 0) & (r2 < h) & (c2 >= 0) & (c2 < w)
        j = np.full(n, -1, dtype=np.int64)
        j[ok] = index[r2[ok], c2[ok]]
        ok = j >= 0
        src.append(np.flatnonzero(ok))
        dst.append(j[ok])
        weight.append(np.full(int(ok.sum()), math.hypot(dr, dc)))
    graph = sparse.coo_matrix((np.concatenate(weight), (np.concatenate(src), np.concatenate(dst))),
                              shape=(n, n)).tocsr()
    return graph, np.stack([rows, cols], axis=1).astype(float)


def longest_paths(skeleton: np.ndarray) -> list[np.ndarray]:
    """The longest path through each 8-connected piece of a one-pixel-wide skeleton.

    Two Dijkstra sweeps per piece (farthest pixel from any pixel, then the farthest from
    that one) give the piece's diameter: spurs and short branches are left out.
    """
    from scipy.sparse.csgraph import connected_components, dijkstra

    if not skeleton.any():
        return []
    graph, pixels = _pixel_graph(skeleton)
    count, labels = connected_components(graph, directed=False)
    seeds = np.unique(labels, return_index=True)[1]  # the first pixel of each piece (labels 0..count-1)
    dist = dijkstra(graph, directed=False, indices=seeds, min_only=True)
    ends = _farthest_per_label(dist, labels, count)
    dist, pred, _ = dijkstra(graph, directed=False, indices=ends, min_only=True, return_predecessors=True)
    others = _farthest_per_label(dist, labels, count)
    paths = []
    for start, node in zip(ends, others, strict=False):
        chain = [node]
        while node != start and pred[node] >= 0:
            node = pred[node]
            chain.append(node)
        if len(chain) >= 2:
            paths.append(pixels[np.array(chain[::-1])])
    return paths


def _farthest_per_label(dist: np.ndarray, labels: np.ndarray, count: int) -> np.ndarray:
    """For each label, the node with the largest finite distance."""
    finite = np.where(np.isfinite(dist), dist, -1.0)
    order = np.lexsort((finite, labels))  # by label, then distance
    last = np.flatnonzero(np.diff(np.append(labels[order], count)) != 0)
    return order[last]


def _direction_out(path: np.ndarray, at_start: bool, reach: int = 5) -> np.ndarray:
    """Unit vector pointing out of a path at one end (from a few vertices in to the end)."""
    k = min(reach, len(path) - 1)
    v = path[0] - path[k] if at_start else path[-1] - path[-1 - k]
    norm = math.hypot(*v)
    return v / norm if norm > 0 else v


def join_aligned(paths: list[np.ndarray], max_gap: float, max_angle_deg: float = 45.0) -> list[np.ndarray]:
    """Join paths whose ends face each other across a gap of at most ``max_gap`` pixels.

    Two ends line up when the straight gap between them leaves each path within
    ``max_angle_deg`` of the direction the path points at that end. Closest pairs are
    joined first; each end joins at most once and no loop is made.
    """
    if len(paths) < 2 or max_gap <= 0:
        return list(paths)
    from scipy.spatial import cKDTree

    ends = np.array([p[0] if side == 0 else p[-1] for p in paths for side in (0, 1)])
    tree = cKDTree(ends)
    pairs = tree.query_pairs(max_gap, output_type="ndarray")
    cos_limit = math.cos(math.radians(max_angle_deg))
    candidates = []
    for a, b in pairs:
        i, j = a // 2, b // 2
        if i == j:
            continue
        gap = ends[b] - ends[a]
        dist = math.hypot(*gap)
        if dist > 0:
            u = gap / dist
            if _direction_out(paths[i], a % 2 == 0) @ u < cos_limit:
                continue
            if _direction_out(paths[j], b % 2 == 0) @ -u < cos_limit:
                continue
        candidates.append((dist, int(a), int(b)))
    candidates.sort()
    parent = list(range(len(paths)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    link: dict[int, int] = {}
    for _, a, b in candidates:
        if a in link or b in link or root(a // 2) == root(b // 2):
            continue
        link[a], link[b] = b, a
        parent[root(a // 2)] = root(b // 2)
    joined, used = [], set()
    for k in range(len(paths)):
        if k in used:
            continue
        # Walk to one end of the chain holding path k, then along it.
        end = 2 * k
        while end in link:
            nxt = link[end]
            end = nxt ^ 1  # the other end of the next path
            if end // 2 == k:
                break
        chain = []
        current = end  # a free end: the chain starts here
        while True:
            i = current // 2
            used.add(i)
            chain.append(paths[i] if current % 2 == 0 else paths[i][::-1])
            far = current ^ 1
            if far not in link:
                break
            current = link[far]
        joined.append(np.concatenate(chain))
    return joined


def front_from_class(front: np.ndarray, max_gap: float = 10.0) -> list[np.ndarray]:
    """Front lines from a front-class mask: skeleton, longest path per piece, aligned pieces joined."""
    from skimage.morphology import skeletonize

    if not front.any():
        return []
    return join_aligned(longest_paths(skeletonize(front)), max_gap)


def main_front(paths: list[np.ndarray], within: float) -> list[np.ndarray]:
    """The longest path and the paths that come within ``within`` pixels of it."""
    if len(paths) < 2:
        return list(paths)
    from scipy.spatial import cKDTree

    from ..geo.lines import length

    main = max(range(len(paths)), key=lambda k: length(paths[k]))
    tree = cKDTree(paths[main])
    return [p for k, p in enumerate(paths) if k == main or tree.query(p)[0].min() <= within]


# ----------------------------------------------------------------------------- between walls


def front_between_walls(probability: np.ndarray, wall_a: np.ndarray, wall_b: np.ndarray,
                        floor: float = 0.01) -> np.ndarray | None:
    """The least-cost path from any pixel of mask ``wall_a`` to the cheapest pixel of mask ``wall_b``.

    A step costs its length times ``1 / (p + floor)``: the path follows the front where its
    probability ``p`` is high and crosses what the network missed (towards the walls, mostly)
    by the shortest way. NaN (no data) is impassable. None when ``wall_b`` cannot be reached.
    """
    from skimage.graph import MCP_Geometric

    passable = np.isfinite(probability)
    cost = np.where(passable, 1.0 / (np.where(passable, probability, 0.0) + floor), -1.0)
    starts, ends = np.argwhere(wall_a & passable), np.argwhere(wall_b & passable)
    if len(starts) == 0 or len(ends) == 0:
        return None
    mcp = MCP_Geometric(cost, fully_connected=True)
    cumulative, _ = mcp.find_costs([tuple(s) for s in starts])
    reached = cumulative[ends[:, 0], ends[:, 1]]
    if not np.isfinite(reached).any():
        return None
    end = ends[int(np.argmin(reached))]
    return np.asarray(mcp.traceback(tuple(end)), dtype=float)


def rock_walls(rock: np.ndarray, front: np.ndarray, reach: float = 20.0) -> tuple[np.ndarray, np.ndarray] | None:
    """The fjord walls a model's rock class gives: the two largest pieces of rock that come within
    ``reach`` pixels of the likely front (``front``: a mask); None without two such pieces."""
    from scipy import ndimage

    if not rock.any() or not front.any():
        return None
    near = ndimage.distance_transform_edt(~front) <= reach
    labels, _ = ndimage.label(rock, structure=EIGHT)
    touching = np.unique(labels[near & rock])
    touching = touching[touching > 0]
    if len(touching) < 2:
        return None
    sizes = np.bincount(labels.ravel())[touching]
    first, second = touching[np.argsort(sizes)[::-1][:2]]
    return labels == first, labels == second


# ----------------------------------------------------------------------------- active contour


def front_by_active_contour(
    ocean: np.ndarray,
    glacier: np.ndarray,
    iterations: int = 50,
    buffer: float = 3.0,
    smoothing: int = 2,
) -> list[np.ndarray]:
    """SEE_ICE's front: the boundary of the active-contour-smoothed glacier near the ocean.

    The glacier mask (after :func:`clean_ocean` removes icebergs) seeds scikit-image's
    morphological geodesic active contour on an edge map of the glacier mask; the
    boundary of the result is kept where it lies within ``buffer`` pixels of the ocean
    and closer to the ocean than to rock or no-data.
    """
    from scipy import ndimage
    from skimage.segmentation import inverse_gaussian_gradient, morphological_geodesic_active_contour

    sea = clean_ocean(ocean)
    ice = glacier & ~sea
    if not ice.any() or not sea.any():
        return []
    # Work on the part of the raster where glacier and ocean meet (plus a margin).
    near = ndimage.binary_dilation(sea, EIGHT, iterations=2) & ndimage.binary_dilation(ice, EIGHT, iterations=2)
    if not near.any():
        return []
    margin = int(buffer) + 2 * smoothing + 8
    rows, cols = np.nonzero(near)
    r0, r1 = max(0, rows.min() - margin), min(ice.shape[0], rows.max() + margin + 1)
    c0, c1 = max(0, cols.min() - margin), min(ice.shape[1], cols.max() + margin + 1)
    sea_w, ice_w = sea[r0:r1, c0:c1], ice[r0:r1, c0:c1]
    other = ~(sea_w | ice_w)  # rock and no-data
    edges = inverse_gaussian_gradient(ice_w.astype(float), alpha=100.0, sigma=1.5)
    level = morphological_geodesic_active_contour(
        edges, int(iterations), init_level_set=ice_w.astype(np.int8), smoothing=int(smoothing), balloon=0
    ).astype(bool)
    to_sea = ndimage.distance_transform_edt(~sea_w)
    to_other = ndimage.distance_transform_edt(~other) if other.any() else np.full(sea_w.shape, np.inf)

    def near_the_sea(points: np.ndarray) -> np.ndarray:
        idx = np.clip(np.round(points).astype(int), 0, np.array(level.shape) - 1)
        d_sea = to_sea[idx[:, 0], idx[:, 1]]
        return (d_sea <= buffer) & (d_sea < to_other[idx[:, 0], idx[:, 1]])

    return [piece + np.array([r0, c0], dtype=float) for piece in contour_pieces(level, near_the_sea)]


__all__ = [
    "largest_component",
    "clean_ocean",
    "contour_pieces",
    "boundary_lines",
    "front_from_zones",
    "longest_paths",
    "join_aligned",
    "front_from_class",
    "front_between_walls",
    "rock_walls",
    "front_by_active_contour",
]
