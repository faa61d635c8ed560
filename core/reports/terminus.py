"""The figures of a terminus series: the position through time (with a reference series, gaps where scenes
are missing) and a map of the dated fronts coloured by date."""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from .pages import figure_png, new_figure

#: A gap between two dated positions longer than this many times the median spacing (and than a year)
#: is drawn as a gap, not as a straight line across years without scenes.
GAP_FACTOR = 3.0


def with_gaps(days: list[dt.date], values: list[float]) -> tuple[list[dt.date], list[float | None]]:
    """The series with a None between dates further apart than :data:`GAP_FACTOR` times the median spacing
    (and more than a year), so that matplotlib breaks the line there."""
    if len(days) < 3:
        return list(days), list[float | None](values)
    spacing = np.diff([d.toordinal() for d in days])
    limit = max(365.0, GAP_FACTOR * float(np.median(spacing)))
    out_days: list[dt.date] = [days[0]]
    out_values: list[float | None] = [values[0]]
    for gap, day, value in zip(spacing, days[1:], values[1:], strict=True):
        if gap > limit:
            out_days.append(day - dt.timedelta(days=int(gap) // 2))
            out_values.append(None)
        out_days.append(day)
        out_values.append(value)
    return out_days, out_values


def series_png(rows: list[dict[str, Any]], reference_rows: list[dict[str, Any]], units: str, title: str) -> bytes:
    """The terminus position through time, and the reference (manual) series when there is one."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    fig = new_figure(7.5, 4.0)
    ax = fig.add_subplot()
    for series, label, style in ((reference_rows, "reference (manual) fronts", dict(color="#00a5c8", marker="s",
                                                                                       ms=4, lw=1.0)),
                                 (rows, "mapped fronts", dict(color="#c8102e", marker="o", ms=3.5, lw=1.2))):
        dated = [(r["date"], r["position"]) for r in series if r["position"] is not None]
        if dated:
            days, values = with_gaps(*map(list, zip(*dated, strict=True)))
            ax.plot(days, [np.nan if v is None else v for v in values], label=label, **style)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.set_xlabel("acquisition date")
    ax.set_ylabel(f"terminus position ({units} from the upstream end)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best", fontsize="small")
    return figure_png(fig)


def fronts_map_png(by_date: dict[dt.date, list[np.ndarray]], kind: str, shape: np.ndarray, pixel_rows: bool,
                   units: str, factor: float) -> bytes:
    """A map of the fronts coloured by date, with a colour bar, over the box or centreline (axes in the
    fronts' coordinates, labelled with their units; ``pixel_rows``: QGIS's pixel coordinates, y = -row)."""
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    fig = new_figure(6.5, 5.5)
    ax = fig.add_subplot()
    outline = np.asarray(shape, dtype=float) * factor
    ax.plot(outline[:, 0], outline[:, 1], color="0.35", lw=1.0, ls="--",
            label="box" if kind == "box" else "centreline")
    years = np.array([d.toordinal() for d in by_date], dtype=float)
    first, last = float(years.min()), float(years.max())
    norm = Normalize(first, last if last > first else first + 1)
    cmap = colormaps["viridis"]
    for day, lines in by_date.items():
        for line in lines:
            xy = np.asarray(line, dtype=float) * factor
            ax.plot(xy[:, 0], xy[:, 1], color=cmap(norm(day.toordinal())), lw=1.0)
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.85)
    ticks = np.linspace(first, last if last > first else first + 1, 5)
    bar.set_ticks(ticks, labels=[dt.date.fromordinal(int(t)).isoformat() for t in ticks])
    bar.set_label("acquisition date")
    if pixel_rows:  # QGIS's coordinates of a raster without georeferencing, scaled by PIXEL_SIZE
        size = f" x {factor:g} m" if units == "m" else ""
        ax.set_xlabel(f"x ({units}: column{size})")
        ax.set_ylabel(f"y ({units}: -row{size}, as QGIS draws the scenes)")
    else:
        ax.set_xlabel(f"x ({'m' if units == 'm' else 'pixels'})")
        ax.set_ylabel(f"y ({'m' if units == 'm' else 'pixels'})")
    ax.set_aspect("equal", adjustable="datalim")
    ax.legend(loc="best", fontsize="small")
    ax.set_title(f"{len(by_date)} dated fronts")
    return figure_png(fig)
