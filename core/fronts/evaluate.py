"""Front errors of predicted against reference front lines (the ``evaluate_fronts`` job).

Fronts are paired per image (by date, by source file name, one to one in feature
order, or all as one image), measured with :mod:`.metrics`, and reported as a
CSV (one row per image), a summary (the command's result) and an optional HTML report
with the error histogram (10 m bins) and overlays of the worst fronts.
"""
from __future__ import annotations

import math
import os

import numpy as np

from ..engine.cli import checked_as
from ..engine.protocol import EngineError, Reporter

CSV_COLUMNS = (
    "key", "status", "mean", "median", "max", "pred_to_ref_mean", "ref_to_pred_mean",
    "predicted_length", "reference_length", "predicted_px", "reference_px", "units",
)
WORST_SHOWN = 6
HISTOGRAM_BIN = {"m": 10.0, "px": 1.0}


# ----------------------------------------------------------------------------- pairing


def _date_key(props: dict, date_field: str | None, source_field: str | None) -> str | None:
    from ..geo.dates import feature_date

    day = feature_date(props, date_field, source_field)
    return day.isoformat() if day else None


def _source_key(value) -> str | None:
    if value in (None, ""):
        return None
    name = os.path.basename(str(value).replace("\\", "/"))
    return os.path.splitext(name)[0].lower() or None


def _keys(layer, how: str, match_field: str | None, label: str) -> list[str | None]:
    """The pairing key of every feature of a layer."""
    if not layer.features:
        return []
    if how == "all":
        return ["all"] * len(layer.features)
    if how == "order":
        return [str(i + 1) for i in range(len(layer.features))]
    source_field = layer.field_named(match_field if how == "source" and match_field else "source")
    if how == "source":
        if source_field is None:
            raise EngineError(f"{label} has no field {(match_field or 'source')!r} to match by source.")
        return [_source_key(f.properties.get(source_field)) for f in layer.features]
    date_field = layer.field_named(match_field or "date")
    if date_field is None and source_field is None:
        raise EngineError(f"{label} has no field {(match_field or 'date')!r} (nor 'source') to match by date.")
    return [_date_key(f.properties, date_field, source_field) for f in layer.features]


def _choose_match(predicted, reference, match_field: str | None) -> str:
    """auto: by date when every front has one, else by source, else one to one, else all as one image."""
    for how in ("date", "source"):
        try:
            pk, rk = _keys(predicted, how, match_field, "PREDICTED"), _keys(reference, how, match_field, "REFERENCE")
        except EngineError:
            continue
        if rk and all(rk) and (not pk or (all(pk) and set(pk) & set(rk))):
            return how
    if len(predicted.features) == len(reference.features) and len(reference.features) > 1:
        return "order"
    return "all"


def pair_fronts(predicted, reference, how: str, match_field: str | None) -> dict[str, tuple[list, list]]:
    """``{key: (predicted lines, reference lines)}`` in the order keys first appear."""
    from ..geo.vector import line_parts

    pairs: dict[str, tuple[list, list]] = {}
    for side, (layer, label) in enumerate(((reference, "REFERENCE"), (predicted, "PREDICTED"))):
        keys = _keys(layer, how, match_field, label)
        for i, (key, feature) in enumerate(zip(keys, layer.features, strict=False), start=1):
            if key is None:
                what = "date" if how == "date" else "source"
                raise EngineError(f"{label} feature {i} has no {what} to match by (MATCH {how}).")
            entry = pairs.setdefault(key, ([], []))
            entry[1 - side].extend(line_parts(feature.geometry))
    return pairs


# ----------------------------------------------------------------------------- report


def _background(raster_path: str | None, box: tuple[float, float, float, float]):
    """(RGB image, extent) of RASTER around a box in map coordinates, or None."""
    if not raster_path:
        return None
    from rasterio.windows import Window

    from ..classes import colorize
    from ..geo.raster import colormap_or_none, grid_transform, open_raster, quiet_georeferencing, window_grid_transform
    from ..reports.preview import rgb_of

    with quiet_georeferencing(), open_raster(raster_path, "RASTER") as ds:
        # From the box's corners through the inverse transform (any sign of the pixel sizes)
        inv = ~grid_transform(ds)
        cols, rows = zip(*(inv * (x, y) for x in (box[0], box[2]) for y in (box[1], box[3])), strict=False)
        c0, c1 = max(0, math.floor(min(cols))), min(ds.width, math.ceil(max(cols)))
        r0, r1 = max(0, math.floor(min(rows))), min(ds.height, math.ceil(max(rows)))
        if c1 - c0 < 2 or r1 - r0 < 2:
            return None
        win = Window(c0, r0, c1 - c0, r1 - r0)
        factor = max(1.0, max(win.width, win.height) / 600)
        shape = (max(1, int(win.height / factor)), max(1, int(win.width / factor)))
        band = ds.read(1, window=win, out_shape=shape)
        colormap = colormap_or_none(ds) if ds.dtypes[0] == "uint8" else None
        if colormap:  # a class raster: its colours paled, so that the fronts drawn over it stay visible
            image = (0.45 * colorize(band, colormap) + 0.55 * 255).astype("uint8")
        else:
            image = rgb_of(band[None], [])
        t = window_grid_transform(ds, win)
    # imshow's extent: (left, right, y of the last row, y of the first row)
    return image, (t.c, t.c + t.a * win.width, t.f + t.e * win.height, t.f)


def raster_scene(raster_path: str | None) -> tuple[str, str | None]:
    """RASTER's scene for figure titles: its file name (or the ``source`` classify wrote) and date."""
    if not raster_path:
        return "", None
    from ..geo.dates import acquisition_date
    from ..geo.raster import open_raster, quiet_georeferencing

    with quiet_georeferencing(), open_raster(raster_path, "RASTER") as ds:
        tags = ds.tags()
    source = tags.get("source") or os.path.basename(raster_path)
    day = tags.get("acquisition_date") or acquisition_date(source)
    return source, str(day) if day else None


def _panel_title(key: str, how: str, scene: tuple[str, str | None], error: float, units: str) -> str:
    """A worst-front panel's title: the scene and its date (RASTER's for a single image), and its error."""
    source, day = scene
    if how == "all" or key in ("all", None):
        name = source or "all fronts"
    else:
        name = key
    if len(name) > 34 and "_" in name:  # a long product name: broken at the underscore nearest its middle
        cuts = [i for i, c in enumerate(name) if c == "_"]
        cut = min(cuts, key=lambda i: abs(i - len(name) / 2))
        name = f"{name[:cut + 1]}\n{name[cut + 1:]}"
    when = f", {day}" if day and day not in name else ""
    return f"{name}\n{error:.1f} {units}{when}"


def _report_html(rows: list[dict], stats: dict, errors: list, pairs: dict, units: str,
                 raster_path: str | None, how: str, crs_units: str) -> str:
    """The HTML report; ``crs_units`` names the fronts' coordinates (m, pixels, or the CRS's unit)."""
    from matplotlib import patheffects

    from ..reports.pages import figure_png, html_page, html_table, new_figure, png_img

    sections = []
    summary_rows = [
        {"measure": "images", "value": stats["images"]},
        {"measure": "evaluated", "value": stats["evaluated"]},
        {"measure": "no predicted front", "value": stats["missing_predictions"]},
        {"measure": f"mean over all distances ({units})", "value": stats["mean_distance"]},
        {"measure": f"mean of per-image means ({units})", "value": stats["mean_of_image_means"]},
        {"measure": f"median distance ({units})", "value": stats["median_distance"]},
    ]
    sections.append("<h2>Summary</h2>" + html_table(summary_rows, ("measure", "value")))
    sections.append(
        f'<p class="note">Fronts paired by {how}. Distances from every predicted front pixel to the '
        "nearest reference pixel and from every reference pixel to the nearest predicted one "
        f"(CaFFe's mean distance error), in {'metres' if units == 'm' else 'pixels'}. Images without a "
        "predicted front are counted, not averaged.</p>"
    )
    if errors:
        pooled = np.concatenate([e.distances for e in errors])
        width = HISTOGRAM_BIN[units]
        top = max(width, math.ceil(float(pooled.max()) / width) * width)
        fig = new_figure(7, 3.5)
        ax = fig.add_subplot()
        ax.hist(pooled, bins=np.arange(0, top + width, width), color="#3b6fb6")
        ax.set_xlabel(f"distance to the other front ({units}, {width:g} {units} bins)")
        ax.set_ylabel("front pixels")
        ax.set_title("Error histogram")
        histogram = png_img(figure_png(fig), "error histogram")
        sections.append(f"<h2>Error histogram ({width:g} {units} bins)</h2>" + histogram)
        worst = sorted(errors, key=lambda e: -float(e.distances.mean()))[:WORST_SHOWN]
        scene = raster_scene(raster_path)
        # RASTER is one scene: drawn under the panel of that scene only (the one image, or the key naming it)
        under = {e.key for e in errors if len(errors) == 1 or e.key in scene or how == "all"}
        cols = min(3, len(worst))
        nrows = math.ceil(len(worst) / cols)
        fig = new_figure(4.0 * cols, 3.6 * nrows)
        for i, e in enumerate(worst, start=1):
            ax = fig.add_subplot(nrows, cols, i)
            pred, ref = pairs[e.key]
            points = np.concatenate(pred + ref)
            (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
            pad = 0.1 * max(x1 - x0, y1 - y0, 1e-9)
            box = (x0 - pad, y0 - pad, x1 + pad, y1 + pad)
            background = _background(raster_path, box) if e.key in under else None
            if background is not None:
                ax.imshow(background[0], extent=background[1], interpolation="nearest")
            halo = [patheffects.withStroke(linewidth=3.2, foreground="white")]
            for k, line in enumerate(ref):
                ax.plot(line[:, 0], line[:, 1], color="#00a5c8", lw=2.0, path_effects=halo,
                        label="reference (manual)" if k == 0 else None)
            for k, line in enumerate(pred):
                ax.plot(line[:, 0], line[:, 1], color="#c8102e", lw=1.3, path_effects=halo,
                        label="predicted" if k == 0 else None)
            ax.set_xlim(box[0], box[2])
            ax.set_ylim(box[1], box[3])  # y up, as QGIS draws the map (rasters without CRS: y = -row)
            ax.set_aspect("equal")
            ax.set_title(_panel_title(e.key, how, scene, float(e.distances.mean()), units), fontsize=8)
            axis_units = "m" if units == "m" and crs_units == "m" else ("pixels" if units == "px" else crs_units)
            ax.set_xlabel(f"x ({axis_units})", fontsize=7)
            ax.set_ylabel(f"y ({axis_units})", fontsize=7)
            ax.tick_params(labelsize=6)
            ax.ticklabel_format(useOffset=False, style="plain")
            if i == 1:
                ax.legend(fontsize=7, loc="best")
        sections.append("<h2>Worst fronts</h2>" + png_img(figure_png(fig), "worst fronts"))
    sections.append("<h2>Per image</h2>" + html_table(rows, CSV_COLUMNS))
    return html_page("Front evaluation", sections)


# ----------------------------------------------------------------------------- the job


def _coordinate_units(crs) -> str:
    """What the fronts' coordinates count: pixels without a CRS, else the CRS's linear unit (m, ft) or degrees."""
    if crs is None:
        return "pixels"
    if crs.is_geographic:
        return "degrees"
    try:
        name = crs.linear_units
    except Exception:  # noqa: BLE001 - a CRS without a linear unit
        return "m"
    return "m" if name in ("metre", "meter", "m") else str(name)


def _target(job: dict, predicted, reference):
    """(CRS, RASTER's grid or None, metres per unit) the fronts are measured in."""
    from ..geo.lines import metres_per_unit
    from ..geo.raster import open_raster, quiet_georeferencing
    from .metrics import grid_from_raster

    if job.get("raster"):
        with quiet_georeferencing(), open_raster(job["raster"], "RASTER") as ds:
            crs = ds.crs
            lat = (ds.transform * (ds.width / 2, ds.height / 2))[1] if crs is not None and crs.is_geographic else None
            scale = metres_per_unit(crs, lat, job["pixel_size"], abs(ds.transform.a))
            return crs, grid_from_raster(ds, scale), scale
    crs = predicted.crs if predicted.crs is not None else reference.crs
    lat = None
    if crs is not None and crs.is_geographic:
        points = reference.lines()
        lat = float(np.concatenate(points)[:, 1].mean()) if points else None
    return crs, None, metres_per_unit(crs, lat, job["pixel_size"])


@checked_as("evaluate_fronts")
def evaluate_fronts_job(job: dict, reporter: Reporter) -> dict:
    from ..geo.vector import in_crs, in_qgis_pixels, layer_bounds, read_vector
    from ..reports.pages import csv_text, write_files
    from .metrics import front_error, grid_for_lines, summary

    how = job["match"]
    match_field = job.get("match_field") or None
    predicted = read_vector(job["predicted"], "PREDICTED")
    reference = read_vector(job["reference"], "REFERENCE")
    if not reference.lines():
        raise EngineError("REFERENCE has no lines.")
    crs, raster_grid, scale = _target(job, predicted, reference)
    predicted = in_crs(predicted, crs, "PREDICTED", reporter)
    reference = in_crs(reference, crs, "REFERENCE", reporter)
    if crs is None and raster_grid is not None:
        from rasterio.transform import array_bounds

        extent = array_bounds(*raster_grid.shape, raster_grid.transform)
        predicted = in_qgis_pixels(predicted, extent, "PREDICTED", reporter)
        reference = in_qgis_pixels(reference, extent, "REFERENCE", reporter)
    elif crs is None:
        reference = in_qgis_pixels(reference, layer_bounds(predicted), "REFERENCE", reporter)
    units = "m" if scale is not None else "px"
    if crs is not None and crs.is_geographic:
        reporter.warning("The fronts are in a geographic CRS: distances use the size of a degree at their latitude.")
    cell = job["cell_size"]
    if raster_grid is None and cell == 0:
        if crs is not None:
            raise EngineError("Give RASTER (to measure on its pixel grid) or CELL_SIZE (in the fronts' CRS units).")
        cell = 1.0  # pixel units: one pixel
    if how == "auto":
        how = _choose_match(predicted, reference, match_field)
    reporter.info(f"Fronts paired by {how}.")
    pairs = pair_fronts(predicted, reference, how, match_field)

    errors, rows, missing, unmatched, off_grid = [], [], 0, 0, 0
    for n, (key, (pred, ref)) in enumerate(pairs.items(), start=1):
        reporter.check_cancelled()
        row = {"key": key, "units": units}
        if not ref:
            row["status"] = "no reference"
            unmatched += 1
        elif not pred:
            row["status"] = "no prediction"
            missing += 1
        else:
            grid = raster_grid if raster_grid is not None else grid_for_lines(pred + ref, cell, scale)
            error = front_error(key, pred, ref, grid)
            if error is None:
                row["status"] = "off the grid"
                off_grid += 1
            else:
                row.update(error.row(), status="ok")
                errors.append(error)
        rows.append(row)
        reporter.progress(80.0 * n / max(1, len(pairs)))
    missing += off_grid
    if unmatched:
        reporter.warning(f"{unmatched} predicted front(s) have no reference front and were not evaluated.")
    if missing:
        reporter.warning(f"{missing} image(s) have no predicted front: counted, not averaged.")
    if off_grid:
        reporter.warning(f"{off_grid} front pair(s) lie outside RASTER and count as missing predictions.")
    stats = summary(errors, missing)
    outputs = {job["output"]: csv_text(rows, CSV_COLUMNS)}
    if job.get("output_html"):
        outputs[job["output_html"]] = _report_html(rows, stats, errors, pairs, units, job.get("raster"), how,
                                                   _coordinate_units(crs))
    write_files(outputs)
    reporter.progress(100)
    if stats["mean_distance"] is not None:
        reporter.info(
            f"Mean distance {stats['mean_distance']:.2f} {units} over {stats['evaluated']} image(s); "
            f"{stats['missing_predictions']} without a predicted front."
        )
    return {
        "output": str(job["output"]),
        "output_html": job.get("output_html") or None,
        "match": how,
        "units": units,
        "unmatched_predictions": unmatched,
        **stats,
    }
