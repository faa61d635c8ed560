"""Terminus positions of dated fronts along a box or centreline (the ``terminus_change`` job).

Fronts of the same date (pieces of one front) are measured together. The table holds,
per date, the terminus position (distance from the upstream end of the box or
centreline: larger is farther down-fjord), the change since the previous date
(negative = retreat) and its rate per year; a PNG and an HTML page plot the series.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from ..engine.cli import checked_as
from ..engine.protocol import EngineError, Reporter

DAYS_PER_YEAR = 365.25


def _dated_fronts(layer, date_field: str, reporter: Reporter) -> dict[dt.date, list[np.ndarray]]:
    """Front lines by date (``date_field``, else a date in the ``source`` file name)."""
    from ..geo.dates import feature_date
    from ..geo.vector import line_parts

    field = layer.field_named(date_field)
    if field is None:
        listed = ", ".join(layer.fields) or "none"
        raise EngineError(
            f"FRONTS has no date field {date_field!r} (its fields: {listed}); set DATE_FIELD to the field "
            "holding each front's acquisition date."
        )
    source = layer.field_named("source")
    by_date: dict[dt.date, list[np.ndarray]] = {}
    undated = 0
    for feature in layer.features:
        parts = line_parts(feature.geometry)
        if not parts:
            continue
        day = feature_date(feature.properties, field, source)
        if day is None:
            undated += 1
            continue
        by_date.setdefault(day, []).extend(parts)
    if undated:
        reporter.warning(f"{undated} front(s) without a readable date in {field!r} were left out.")
    if not by_date:
        raise EngineError(f"No front in FRONTS has a date in field {field!r} (YYYY-MM-DD).")
    return dict(sorted(by_date.items()))


def _reference(layer, method: str):
    """('box', ring) or ('centreline', line) from REFERENCE's single feature."""
    from ..geo.vector import line_parts
    from .terminus import polygon_area, ring_crosses_itself

    shapes = [f.geometry for f in layer.features if f.geometry]
    if len(shapes) != 1:
        raise EngineError(f"REFERENCE must hold one box polygon or one centreline, not {len(shapes)} features.")
    geometry = shapes[0]
    kind = geometry["type"]
    if kind in ("Polygon", "MultiPolygon"):
        if method == "centreline":
            raise EngineError("METHOD is centreline but REFERENCE is a polygon (a box).")
        polygons = [geometry["coordinates"]] if kind == "Polygon" else geometry["coordinates"]
        if len(polygons) != 1:
            raise EngineError("REFERENCE must be a single box polygon, not a multi-part polygon.")
        ring = np.asarray(polygons[0][0], dtype=float)
        if len(ring) < 4:
            raise EngineError("REFERENCE's box polygon has fewer than three corners.")
        if not np.isfinite(ring).all() or polygon_area(ring) <= 0:
            raise EngineError("REFERENCE's box polygon has no area: draw the box around the fjord's terminus zone.")
        if ring_crosses_itself(ring):
            raise EngineError("REFERENCE's box polygon crosses itself: redraw it as a simple outline "
                              "(QGIS: Fix geometries, or check it with Check validity).")
        return "box", ring
    parts = line_parts(geometry)
    if not parts:
        raise EngineError(f"REFERENCE must be a box polygon or a centreline, not a {kind}.")
    if method == "box":
        raise EngineError("METHOD is box but REFERENCE is a line (a centreline).")
    if len(parts) != 1:
        raise EngineError("REFERENCE must be a single centreline, not a multi-part line.")
    return "centreline", parts[0]


def _plot_png(rows: list[dict], units: str, title: str) -> bytes:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    from ..reports.pages import figure_png, new_figure

    fig = new_figure(7.5, 4.0)
    ax = fig.add_subplot()
    dated = [(r["date"], r["position"]) for r in rows if r["position"] is not None]
    if dated:
        days, values = zip(*dated, strict=False)
        ax.plot(days, values, "-o", color="#1f4e9c", ms=4, lw=1.2)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.set_ylabel(f"terminus position ({units} from the upstream end)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    return figure_png(fig)


@checked_as("terminus_change")
def terminus_change_job(job: dict, reporter: Reporter) -> dict:
    from ..geo.lines import metres_per_unit
    from ..geo.vector import in_crs, in_qgis_pixels, layer_bounds, read_vector
    from ..reports.pages import csv_text, html_page, html_table, png_img, write_files
    from .terminus import box_position, centreline_position

    method = job["method"]
    reverse = bool(job.get("reverse"))
    fronts = read_vector(job["fronts"], "FRONTS")
    by_date = _dated_fronts(fronts, job["date_field"], reporter)
    reference = in_crs(read_vector(job["reference"], "REFERENCE"), fronts.crs, "REFERENCE", reporter)
    if fronts.crs is None:
        reference = in_qgis_pixels(reference, layer_bounds(fronts), "REFERENCE", reporter)
    kind, shape = _reference(reference, method)
    crs = fronts.crs if fronts.crs is not None else reference.crs
    if crs is not None and crs.is_geographic:
        raise EngineError(
            f"FRONTS are in a geographic CRS ({crs.to_string()}): terminus positions need a projected CRS; "
            "reproject FRONTS and REFERENCE first."
        )
    scale = metres_per_unit(crs)
    units = "m" if scale is not None else "px"
    factor = scale[0] if scale else 1.0

    rows, previous = [], None
    for n, (day, lines) in enumerate(by_date.items(), start=1):
        reporter.check_cancelled()
        if kind == "box":
            found = box_position(shape, lines, reverse)
        else:
            found = centreline_position(shape, lines, reverse)
        position = found.position * factor if found.position is not None else None
        row: dict[str, Any] = {"date": day, "position": position, "change": None, "rate": None,
               "fronts": len(lines), "coverage": round(found.coverage, 3)}
        if position is None:
            what = "crosses too little of the box" if kind == "box" else "does not cross the centreline"
            reporter.warning(f"The front of {day.isoformat()} {what}: no position.")
        elif previous is not None:
            change = position - previous[1]
            years = (day - previous[0]).days / DAYS_PER_YEAR
            row["change"] = change
            row["rate"] = change / years if years > 0 else None
        if position is not None:
            previous = (day, position)
        rows.append(row)
        reporter.progress(80.0 * n / len(by_date))

    columns = ("date", f"position_{units}", f"change_{units}", f"rate_{units}_per_yr", "fronts", "coverage")
    table = [
        {"date": r["date"].isoformat(), columns[1]: r["position"], columns[2]: r["change"],
         columns[3]: r["rate"], "fronts": r["fronts"], "coverage": r["coverage"]}
        for r in rows
    ]
    title = f"Terminus position ({'box method' if kind == 'box' else 'centreline'})"
    outputs: dict = {job["output"]: csv_text(table, columns)}
    plot = _plot_png(rows, units, title) if job.get("output_plot") or job.get("output_html") else None
    if job.get("output_plot"):
        outputs[job["output_plot"]] = plot
    if job.get("output_html"):
        note = (
            "Box method: the area of the box between its upstream end and the front, divided by the box's width."
            if kind == "box" else "Centreline: distance along the centreline from its upstream end to the front."
        )
        assert plot is not None, "drawn for OUTPUT_HTML"
        outputs[job["output_html"]] = html_page(title, [
            png_img(plot, title),
            f'<p class="note">{note} Positions grow down-fjord: a negative change is a retreat. '
            f"Units: {'metres' if units == 'm' else 'pixels'}.</p>",
            html_table(table, columns, digits=1),
        ])
    write_files(outputs)
    reporter.progress(100)
    measured = [r for r in rows if r["position"] is not None]
    total = measured[-1]["position"] - measured[0]["position"] if len(measured) > 1 else None
    return {
        "output": str(job["output"]),
        "output_plot": job.get("output_plot") or None,
        "output_html": job.get("output_html") or None,
        "method": kind,
        "units": units,
        "dates": len(rows),
        "measured": len(measured),
        "total_change": total,
        "positions": [[r["date"].isoformat(), r["position"]] for r in rows],
    }
