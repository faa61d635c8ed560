"""Map Calving Fronts (the ``map_fronts`` job): every scene of a stack classified and its front extracted
with one model, into one GeoPackage of dated fronts, with the terminus series along a box or centreline.

Each scene runs the ``classify`` and ``extract_front`` jobs themselves (same settings, same results as
the two algorithms one by one), with the network built once. A scene that fails is reported and
recorded as failed, not the end of the run; finished scenes are kept in the run's journal
(:mod:`.journal`), so a rerun resumes. ``shard K/N`` maps share K of N of the stack (one job of a
job array); ``merge_fronts`` joins the shards' outputs.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from ..engine.cli import checked_as
from ..engine.protocol import Cancelled, EngineError, Reporter, StepReporter
from .fronts_layer import LAYER, write_stack_fronts
from .journal import Journal
from .scenes import Scene, parse_shard, shard_of, stack_scenes
from .settings import CLASSIFY_KEYS, EXTRACT_JOB_KEYS, EXTRACT_KEYS


def result_settings(job: dict) -> dict[str, Any]:
    """What a scene's result depends on besides the scene: the classify and extract settings, the model's
    weights and the content of MASK and WALLS (the journal's key: other settings, other results)."""
    from ..segmentation.package import file_sha256, load_package

    pkg = load_package(job["model"] or job["shipped_model"])
    settings: dict[str, Any] = {k: job[k] for k in (*CLASSIFY_KEYS, *EXTRACT_KEYS)
                                if k not in ("model", "mask", "walls")}
    settings["model"] = {"name": pkg.name, "weights_sha256": pkg.weights_sha256 or file_sha256(pkg.weights_path),
                         "classify": pkg.classify, "front_extraction": pkg.front_extraction}
    for key in ("mask", "walls"):
        settings[key] = file_sha256(Path(job[key])) if job[key] else None
    return json.loads(json.dumps(settings))


def _merged_lines(lines: list[tuple[list, dict]]) -> dict[str, Any]:
    """A scene's attributes from its front's pieces: lengths summed, the mean probability weighted by length."""
    total_px = sum(p["length_px"] or 0.0 for _, p in lines)
    metres = [p["length_m"] for _, p in lines]
    weighted = [(p["mean_prob"], p["length_px"] or 0.0) for _, p in lines if p["mean_prob"] is not None]
    weight = sum(w for _, w in weighted)
    return {
        "length_px": round(total_px, 3),
        "length_m": round(sum(metres), 3) if all(m is not None for m in metres) else None,
        "mean_prob": round(sum(m * w for m, w in weighted) / weight, 4) if weight > 0 else None,
        "pieces": len(lines),
    }


def map_scene(scene: Scene, job: dict, work: Path, reporter: StepReporter) -> dict[str, Any]:
    """Classify one scene and extract its front; its result as a journal record."""
    from ..fronts.extract import extract_scene_front
    from ..fronts.routes import METHOD_NAMES
    from ..geo.vector import read_vector
    from ..segmentation.inference import classify_job

    stem = Path(scene.source).stem
    folder = Path(job["rasters"]) if job["rasters"] else work
    classes, probabilities = folder / f"{stem}_classes.tif", folder / f"{stem}_probabilities.tif"
    classify_job({**{k: job[k] for k in CLASSIFY_KEYS}, "input": scene.path, "output": str(classes),
                  "output_probabilities": str(probabilities)}, StepReporter(reporter, 0, 85))
    front = work / f"{stem}.gpkg"
    extracted = extract_scene_front({**{k: job[k] for k in EXTRACT_JOB_KEYS}, "input": str(classes),
                                   "model": job["model"], "probabilities": str(probabilities), "output": str(front)},
                                  StepReporter(reporter, 85, 100))
    layer = read_vector(str(front), "front")
    front.unlink()
    if not job["rasters"]:
        classes.unlink()
        probabilities.unlink()
    lines = [(f.geometry["coordinates"], f.properties) for f in layer.features if f.geometry is not None]
    return {
        "source": scene.source,
        "date": extracted["date"],
        "status": "front" if lines else "no front",
        "method": METHOD_NAMES[extracted["method"]],  # as Extract Calving Front's layer names it
        **_merged_lines(lines),
        "message": None if lines else "; ".join(reporter.warnings[-1:]) or None,
        "lines": [part for part, _ in lines],
        "crs": layer.crs.to_wkt() if layer.crs is not None else None,
    }


def failed(scene: Scene, message: str) -> dict[str, Any]:
    """The record of a scene that could not be mapped."""
    return {"source": scene.source, "date": scene.date.isoformat() if scene.date else None, "status": "failed",
            "method": None, "length_m": None, "length_px": None, "mean_prob": None, "pieces": 0,
            "message": message, "lines": [], "crs": None}


def stack_crs(scenes: list[Scene]):
    """The CRS of the stack's fronts: that of its first scene (in date order) with a CRS, or None."""
    from ..geo.raster import open_raster, quiet_georeferencing

    for scene in scenes:
        try:
            with quiet_georeferencing(), open_raster(scene.path) as ds:
                if ds.crs is not None:
                    return ds.crs
        except EngineError:
            continue
    return None


def in_stack_crs(result: dict, crs) -> dict:
    """A scene's record with its lines in the stack's CRS (scenes of other UTM zones reprojected)."""
    if not result["lines"] or crs is None or result.get("crs") is None:
        return result
    from rasterio.crs import CRS

    from ..geo.vector import Feature, VectorLayer, in_crs

    own = CRS.from_wkt(result["crs"])
    if own == crs:
        return result
    layer = in_crs(VectorLayer([Feature({"type": "MultiLineString", "coordinates": result["lines"]})], own),
                   crs, result["source"])
    moved = layer.features[0].geometry
    assert moved is not None, "a geometry stays a geometry"
    return {**result, "lines": moved["coordinates"], "crs": crs.to_wkt()}


def check_terminus_job(job: dict) -> None:
    """Refuse, before any scene is mapped, a terminus series that could not be drawn."""
    given = [k.upper() for k in ("output_table", "output_plot", "output_html") if job[k]]
    if given and not job["reference"]:
        raise EngineError(f"{', '.join(given)} need REFERENCE (a box polygon or a centreline).")
    if job["reference"] and not job["output_table"]:
        raise EngineError("REFERENCE needs OUTPUT_TABLE (the CSV of terminus positions).")
    if job["reference"]:
        from ..fronts.terminus_change import _reference
        from ..geo.vector import read_vector

        _reference(read_vector(job["reference"], "REFERENCE"), "auto")


def terminus_series(job: dict, fronts: str, reporter: Reporter) -> dict | None:
    """The terminus-change table (and plot, report) of the written fronts, when REFERENCE is given."""
    if not job["reference"]:
        return None
    from ..fronts.terminus_change import terminus_change_job

    return terminus_change_job({"fronts": fronts, "reference": job["reference"], "output": job["output_table"],
                                "output_plot": job["output_plot"], "output_html": job["output_html"],
                                "reference_fronts": job["reference_fronts"], "reverse": job["reverse"],
                                "pixel_size": job.get("pixel_size")}, reporter)


@checked_as("map_fronts")
def map_fronts_job(job: dict, reporter: Reporter) -> dict:
    """The ``map_fronts`` command."""
    from ..geo.vector import check_gpkg_output

    check_gpkg_output(job["output"])
    folder = Path(job["output"]).resolve().parent
    if not folder.is_dir():
        raise EngineError(f"Output folder {folder} does not exist.")
    if not os.access(folder, os.W_OK):
        raise EngineError(f"Output folder {folder} is not writable.")
    check_terminus_job(job)
    if job["rasters"] and not Path(job["rasters"]).is_dir():
        raise EngineError(f"RASTERS folder {job['rasters']} does not exist.")
    every = stack_scenes(job["inputs"])
    shard = parse_shard(job["shard"])
    scenes = shard_of(every, shard)
    if not scenes:
        raise EngineError(f"SHARD {shard[0]}/{shard[1]} holds no scene: the stack has {len(every)}.")
    journal = Journal(job["output"], result_settings(job), reporter)
    crs = stack_crs(every)
    share = 95.0 if job["reference"] else 100.0
    results: list[dict] = []
    resumed, started, shown = 0, time.monotonic(), set[str]()
    dates = [s.date for s in scenes if s.date]
    reporter.info(f"{len(scenes)} scene(s)" + (f" (share {shard[0]} of {shard[1]} of {len(every)})" if shard[1] > 1
                                               else "")
                  + (f", {dates[0]} to {dates[-1]}" if dates else "") + "; a warning met again in a later scene "
                  "is shown once.")
    try:
        for n, scene in enumerate(scenes):
            reporter.check_cancelled()
            start, stop = share * n / len(scenes), share * (n + 1) / len(scenes)
            result = journal.finished(scene.source)
            if result is not None:
                resumed += 1
            else:
                step = StepReporter(reporter, start, stop, scene.source, shown)
                try:
                    result = map_scene(scene, job, journal.work, step)
                    journal.record(result)
                except Cancelled:
                    raise
                except EngineError as exc:
                    result = failed(scene, str(exc))
                    reporter.warning(f"{scene.source}: failed, left out: {exc}")
                except Exception as exc:  # noqa: BLE001 - one scene's bug must not lose the stack
                    from ..engine.cli import raster_io_problem

                    result = failed(scene, raster_io_problem(exc) or f"Internal error ({type(exc).__name__}): {exc}")
                    reporter.warning(f"{scene.source}: failed, left out: {result['message']}")
            results.append(in_stack_crs(result, crs))
            reporter.progress(stop)
    finally:
        journal.close()
    if resumed:
        reporter.info(f"{resumed} scene(s) already mapped by an earlier run into this OUTPUT ({journal.folder.name}): "
                      "taken from there.")
    counts = {s: sum(r["status"] == s for r in results) for s in ("front", "no front", "failed")}
    write_stack_fronts(job["output"], results, crs, f"Calving fronts of {len(results)} scenes (Map Calving Fronts)")
    reporter.info(f"{counts['front']} front(s), {counts['no front']} scene(s) without a front, {counts['failed']} "
                  f"failed, in {time.monotonic() - started:.0f} s.")
    series = terminus_series(job, job["output"], StepReporter(reporter, share, 100, "terminus change"))
    reporter.progress(100)
    return {
        "output": str(job["output"]),
        "layer": LAYER,
        "scenes": len(results),
        "fronts": counts["front"],
        "no_front": counts["no front"],
        "failed": [r["source"] for r in results if r["status"] == "failed"],
        "resumed": resumed,
        "journal": str(journal.folder),
        "terminus": series,
    }
