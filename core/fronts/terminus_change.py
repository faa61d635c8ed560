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
from ..engine.protocol import EngineError, Reporter, StepReporter

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
    line = np.asarray(parts[0], dtype=float)
    if not np.isfinite(line).all() or not np.hypot(*np.diff(line, axis=0).T).sum() > 0:
        raise EngineError("REFERENCE's centreline has no length (its vertices lie on one point): draw it along the "
                          "fjord, from upstream across the fronts.")
    return "centreline", line


def _series(by_date: dict[dt.date, list[np.ndarray]], kind: str, shape: np.ndarray, reverse: bool, factor: float,
            reporter: Reporter | None, progress: tuple[float, float] = (0.0, 80.0)) -> list[dict[str, Any]]:
    """Per date: the position (map units x ``factor``), change and rate since the previous position, the
    number of lines and the share of the box they cross."""
    from .terminus import box_position, centreline_position

    rows: list[dict[str, Any]] = []
    previous = None
    for n, (day, lines) in enumerate(by_date.items(), start=1):
        if reporter is not None:
            reporter.check_cancelled()
        found = box_position(shape, lines, reverse) if kind == "box" else centreline_position(shape, lines, reverse)
        position = found.position * factor if found.position is not None else None
        row: dict[str, Any] = {"date": day, "position": position, "change": None, "rate": None,
                               "fronts": len(lines), "coverage": round(found.coverage, 3)}
        if position is None and reporter is not None:
            what = "crosses too little of the box" if kind == "box" else "does not cross the centreline"
            reporter.warning(f"The front of {day.isoformat()} {what}: no position.")
        elif position is not None and previous is not None:
            change = position - previous[1]
            years = (day - previous[0]).days / DAYS_PER_YEAR
            row["change"] = change
            row["rate"] = change / years if years > 0 else None
        if position is not None:
            previous = (day, position)
        rows.append(row)
        if reporter is not None:
            reporter.progress(progress[0] + (progress[1] - progress[0]) * n / len(by_date))
    return rows


def _checked_layers(job: dict, reporter: Reporter):
    """FRONTS, REFERENCE (and REFERENCE_FRONTS) read, in one CRS, with what the positions are measured in."""
    from ..geo.lines import metres_per_unit
    from ..geo.vector import in_crs, in_qgis_pixels, layer_bounds, read_vector

    fronts = read_vector(job["fronts"], "FRONTS")
    reference = in_crs(read_vector(job["reference"], "REFERENCE"), fronts.crs, "REFERENCE", reporter)
    manual = None
    if job["reference_fronts"]:
        manual = in_crs(read_vector(job["reference_fronts"], "REFERENCE_FRONTS"), fronts.crs, "REFERENCE_FRONTS",
                        reporter)
    if fronts.crs is None:
        reference = in_qgis_pixels(reference, layer_bounds(fronts), "REFERENCE", reporter)
        if manual is not None:
            manual = in_qgis_pixels(manual, layer_bounds(fronts), "REFERENCE_FRONTS", reporter)
    crs = fronts.crs if fronts.crs is not None else reference.crs
    if crs is not None and crs.is_geographic:
        raise EngineError(
            f"FRONTS are in a geographic CRS ({crs.to_string()}): terminus positions need a projected CRS; "
            "reproject FRONTS and REFERENCE first."
        )
    scale = metres_per_unit(crs, pixel_size=job["pixel_size"])
    return fronts, reference, manual, ("m" if scale is not None else "px"), (scale[0] if scale else 1.0)


@checked_as("terminus_change")
def terminus_change_job(job: dict, reporter: Reporter) -> dict:
    from ..geo.dates import decimal_year
    from ..reports.pages import csv_text, html_page, html_table, png_img, write_files
    from ..reports.terminus import fronts_map_png, series_png

    reverse = bool(job["reverse"])
    fronts, reference, manual, units, factor = _checked_layers(job, reporter)
    by_date = _dated_fronts(fronts, job["date_field"], reporter)
    kind, shape = _reference(reference, job["method"])
    rows = _series(by_date, kind, shape, reverse, factor, reporter)
    manual_rows: dict[dt.date, dict] = {}
    if manual is not None:
        manual_by_date = _dated_fronts(manual, job["date_field"], StepReporter(reporter, 0, 0, "REFERENCE_FRONTS"))
        manual_rows = {r["date"]: r for r in _series(manual_by_date, kind, shape, reverse, factor, None)}

    columns = ["date", "decimal_year", f"position_{units}", f"change_{units}", f"rate_{units}_per_yr", "fronts",
               "coverage"]
    if manual is not None:
        columns += [f"reference_position_{units}", f"difference_{units}"]
    table = []
    for r in rows:
        entry = {"date": r["date"].isoformat(), "decimal_year": round(decimal_year(r["date"]), 4),
                 columns[2]: r["position"], columns[3]: r["change"], columns[4]: r["rate"], "fronts": r["fronts"],
                 "coverage": r["coverage"]}
        if manual is not None:
            theirs = manual_rows.get(r["date"], {}).get("position")
            entry[columns[7]] = theirs
            entry[columns[8]] = r["position"] - theirs if r["position"] is not None and theirs is not None else None
        table.append(entry)
    title = f"Terminus position ({'box method' if kind == 'box' else 'centreline'})"
    outputs: dict = {job["output"]: csv_text(table, columns)}
    plot = (series_png(rows, list(manual_rows.values()), units, title)
            if job["output_plot"] or job["output_html"] else None)
    if job["output_plot"]:
        outputs[job["output_plot"]] = plot
    if job["output_html"]:
        note = (
            "Box method: the area of the box between its upstream end and the front, divided by the box's width."
            if kind == "box" else "Centreline: distance along the centreline from its upstream end to the front."
        )
        assert plot is not None, "drawn for OUTPUT_HTML"
        fronts_map = fronts_map_png(by_date, kind, shape, fronts.crs is None, units, factor)
        compared = [r for r in table if manual is not None and r[columns[8]] is not None]
        agreement = ""
        if compared:
            differences = np.array([r[columns[8]] for r in compared], dtype=float)
            agreement = (f"<p>Against REFERENCE_FRONTS on {len(compared)} date(s): mean difference "
                         f"{differences.mean():.1f} {units}, mean absolute difference "
                         f"{np.abs(differences).mean():.1f} {units}.</p>")
        outputs[job["output_html"]] = html_page(title, [
            png_img(plot, title),
            agreement,
            "<h2>The fronts, coloured by date (a map of the fronts)</h2>",
            png_img(fronts_map, "The fronts coloured by date"),
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
        "output_plot": job["output_plot"] or None,
        "output_html": job["output_html"] or None,
        "method": kind,
        "units": units,
        "dates": len(rows),
        "measured": len(measured),
        "total_change": total,
        "positions": [[r["date"].isoformat(), r["position"]] for r in rows],
    }

