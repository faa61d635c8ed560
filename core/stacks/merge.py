"""Merge the outputs of a stack's shards (the ``merge_fronts`` job) into what one run would have written."""
from __future__ import annotations

import os

from ..engine.cli import checked_as
from ..engine.protocol import EngineError, Reporter, StepReporter
from .fronts_layer import LAYER, read_stack_fronts, write_stack_fronts
from .map_fronts import check_terminus_job, terminus_series


@checked_as("merge_fronts")
def merge_fronts_job(job: dict, reporter: Reporter) -> dict:
    """The ``merge_fronts`` command: every scene once (a scene in two shards is refused unless both
    mapped it alike), sorted by date, in the first shard's CRS (the others must share it)."""
    from ..geo.vector import check_gpkg_output

    check_gpkg_output(job["output"])
    check_terminus_job(job)
    merged: dict[str, dict] = {}
    crs, first = None, None
    for n, path in enumerate(job["inputs"]):
        reporter.check_cancelled()
        results, layer_crs = read_stack_fronts(path, "INPUTS")
        if first is None:
            crs, first = layer_crs, os.path.basename(path)
        elif layer_crs != crs:
            raise EngineError(f"INPUTS {os.path.basename(path)} is in another CRS than {first}: shards of one stack "
                              "share their first scene's CRS.")
        for result in results:
            earlier = merged.get(result["source"])
            if earlier is not None and earlier != result:
                raise EngineError(f"Scene {result['source']} is in two INPUTS with different fronts: "
                                  "were the shards mapped with other settings?")
            merged[result["source"]] = result
        reporter.progress(80.0 * (n + 1) / len(job["inputs"]))
    results = list(merged.values())
    write_stack_fronts(job["output"], results, crs, f"Calving fronts of {len(results)} scenes (Map Calving Fronts)")
    counts = {s: sum(r["status"] == s for r in results) for s in ("front", "no front", "failed")}
    reporter.info(f"{len(results)} scene(s) from {len(job['inputs'])} shard(s): {counts['front']} front(s), "
                  f"{counts['no front']} without a front, {counts['failed']} failed.")
    series = terminus_series(job, job["output"], StepReporter(reporter, 80, 100, "terminus change"))
    reporter.progress(100)
    return {"output": str(job["output"]), "layer": LAYER, "scenes": len(results), "fronts": counts["front"],
            "no_front": counts["no front"], "failed": [r["source"] for r in results if r["status"] == "failed"],
            "terminus": series}
