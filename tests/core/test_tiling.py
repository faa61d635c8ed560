"""Tile geometry and blending: pure functions, checked exhaustively on small sizes."""
import numpy as np
import pytest

from glacier_terminus.core.geo.tiling import (
    Tile,
    blend_window,
    edge_ramp,
    final_rows,
    row_bands,
    tile_grid,
    tile_starts,
)


@pytest.mark.parametrize("length,tile,overlap", [(1, 8, 0), (7, 8, 2), (8, 8, 2), (9, 8, 2),
                                                 (100, 32, 0), (101, 32, 8), (257, 64, 30)])
def test_tile_starts_cover_axis(length, tile, overlap):
    starts = tile_starts(length, tile, overlap)
    covered = np.zeros(length, int)
    for s in starts:
        covered[s : s + tile] += 1
    assert covered.min() >= 1
    assert starts[0] == 0 and starts == sorted(set(starts))
    assert all(s + min(tile, length) <= length for s in starts)
    if length > tile:
        assert starts[-1] == length - tile
        assert all(b - a <= tile - overlap for a, b in zip(starts, starts[1:], strict=False))


def test_tile_starts_rejects_bad_overlap():
    with pytest.raises(ValueError):
        tile_starts(100, 32, 32)


def test_no_overlap_tiles_partition_raster():
    # padding 0 and a raster that is a multiple of the tile: every pixel in exactly one tile
    count = np.zeros((96, 128), int)
    for t in tile_grid(96, 128, 32, 0):
        count[t.rows, t.cols] += 1
    assert (count == 1).all()


def test_edge_ramp_is_positive_and_rises():
    w = edge_ramp(16, 6, True, True)
    assert (w > 0).all() and w.max() == 1
    assert np.all(np.diff(w[:6]) > 0) and np.all(np.diff(w[-6:]) < 0)
    assert (edge_ramp(16, 6, False, False) == 1).all()


@pytest.mark.parametrize("h,w,tile,overlap", [(64, 64, 32, 16), (100, 37, 32, 8), (20, 300, 32, 10),
                                              (5, 7, 32, 8), (97, 131, 40, 20)])
def test_blend_weights_cover_every_pixel(h, w, tile, overlap):
    total = np.zeros((h, w))
    for t in tile_grid(h, w, tile, overlap):
        win = blend_window(t, h, w, overlap)
        assert win.shape == (t.height, t.width) and (win > 0).all()
        total[t.rows, t.cols] += win
    assert total.min() > 0


def test_regular_overlap_is_a_partition_of_unity():
    # with tiles evenly spaced by tile - overlap, sine-squared ramps sum to exactly one
    h = w = 32 + 3 * 24  # four tiles of 32 with overlap 8
    total = np.zeros((h, w))
    for t in tile_grid(h, w, 32, 8):
        total[t.rows, t.cols] += blend_window(t, h, w, 8)
    np.testing.assert_allclose(total, 1.0, atol=1e-6)


def test_blending_constant_logits_is_exact():
    # blending any constant field returns the constant everywhere (weights normalised)
    h, w = 77, 91
    acc = np.zeros((h, w))
    wsum = np.zeros((h, w))
    for t in tile_grid(h, w, 24, 10):
        win = blend_window(t, h, w, 10)
        acc[t.rows, t.cols] += 3.5 * win
        wsum[t.rows, t.cols] += win
    np.testing.assert_allclose(acc / wsum, 3.5)


@pytest.mark.parametrize("h,tile,overlap", [(10, 32, 8), (32, 32, 8), (100, 32, 8), (250, 64, 0)])
def test_final_rows_partition_the_raster(h, tile, overlap):
    tiles = tile_grid(h, 50, tile, overlap)
    bands = row_bands(tiles)
    spans = final_rows(bands, h)
    assert spans[0][0] == 0 and spans[-1][1] == h
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    # a finished span is touched by no later row of tiles
    for i, (start, stop) in enumerate(spans):
        for row, _ in bands[i + 1 :]:
            assert row >= stop
        assert stop - start <= min(tile, h)


def test_tile_slices():
    t = Tile(3, 5, 10, 20)
    assert (t.rows, t.cols) == (slice(3, 13), slice(5, 25))
