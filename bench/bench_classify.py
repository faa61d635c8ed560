"""Benchmark Classify Pixels at its defaults against the bare network forward, in one process.

    make bench                      # writes bench/out/classify.json
    python bench/bench_classify.py --size 4096 --memory-size 2048 --big 20000 --out bench/out/classify.json

1. The defaults: the whole ``classify`` job with every setting at its default (the tiles Classify
   Pixels picks, PADDING's default, the model's recorded TTA, RUNTIME auto; loading, reading,
   normalising, blending, writing included; for a model that records TTA on, also with TTA off: the
   tiling's own cost) on a ``--size`` raster, against each runtime's bare forward pass over
   the same area in the model's training tiles, without overlap and without TTA (torch; onnxruntime on
   the CPU when installed), alternated ``--repeats`` times, the fastest run of each kept:
   ``ratio = classify_seconds / forward_seconds`` (targets <= 1.3).
2. The runtimes' bare forwards against each other, from the same runs.
3. The fixed cost: a separate engine process classifying a one-tile raster (interpreter, imports, model,
   one tile; the ONNX export already cached), per runtime, fastest of ``--repeats`` (target 2 s).
4. Peak memory (RSS) of a separate engine process classifying a ``--memory-size`` raster at the defaults
   and a ``--big`` one at the defaults but TTA off (targets 600 MB and 2 GB).
5. Two tilings agree: the defaults against tiles of at most 512 px (classes, probabilities).
6. Batch sizes 1 and 8 give the same classes (and how far probabilities differ).
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import rasterio

from glacier_terminus.core.engine.protocol import SilentReporter
from glacier_terminus.core.geo.tiling import tile_grid
from glacier_terminus.core.segmentation.inference import classify_job, pick_device
from glacier_terminus.core.segmentation.package import load_package
from glacier_terminus.core.segmentation.runtimes import RUNTIMES, installed
from glacier_terminus.core.synthetic.scenes import SceneSpec
from glacier_terminus.core.synthetic.writer import write_scene

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from engine_rss import engine_peak_rss  # noqa: E402 - beside this script


def write_optical_scene(path: Path, size: int, seed: int = 0) -> None:
    """A ``size x size`` synthetic optical scene, written strip by strip."""
    write_scene(SceneSpec(width=size, height=size, seed=seed), str(path))


@functools.lru_cache(maxsize=None)
def model_band_count(model: str) -> int:
    return len(load_package(model).bands)


def job(inp, model, out, **kw):
    """A classify job at the scene's own cell size (no resampling: tiles match the bare forward's);
    the model reads the first of the synthetic scene's 4 optical bands it needs."""
    bands = list(range(1, model_band_count(str(model)) + 1))
    return {"input": str(inp), "model": str(model), "output": str(out), "output_probabilities": None,
            "padding": 0, "batch_size": 4, "cell_size": SceneSpec(width=32, height=32).cell_size,
            "device": "auto", "tta": 0, "runtime": "torch",
            "extent": None, "mask": None, "bands": bands, **kw}


def bare_forward_seconds(model: Path, n_tiles: int, batch: int, device: str, runtime: str) -> float:
    """The network alone in ``runtime`` on ``n_tiles`` random normalised tiles, batch by batch."""
    pkg = load_package(model)
    net = RUNTIMES[runtime](pkg, device)
    x = np.random.default_rng(0).standard_normal((batch, len(pkg.bands), pkg.tile_size, pkg.tile_size)).astype(
        np.float32)
    net.forward(x)  # warm-up
    start = time.perf_counter()
    for i in range(0, n_tiles, batch):
        net.forward(x[: min(batch, n_tiles - i)])
    return time.perf_counter() - start


def peak_rss_mb(model: Path, inp: Path, out: Path, **kw) -> tuple[float, float]:
    """Peak RSS (MB) and seconds of a separate engine process classifying ``inp`` (padding 0 unless ``kw``
    says otherwise: memory, not overlap, is measured)."""
    rss, seconds, _ = engine_peak_rss("classify", job(inp, model, out, **kw), out.with_suffix(".json"))
    return rss, seconds


def alternated(runs: dict, repeats: int) -> dict:
    """Each of ``runs`` (name -> no-argument function) ``repeats`` times, in turn: name -> seconds of each run."""
    seconds: dict = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            seconds[name].append(time.perf_counter() - start)
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=str(ROOT / "models" / "default"))
    ap.add_argument("--size", type=int, default=4096, help="side of the throughput raster (px)")
    ap.add_argument("--memory-size", type=int, default=2048, help="side of the first memory raster (px)")
    ap.add_argument("--big", type=int, default=20000, help="side of the second memory raster (px); 0 = skip")
    ap.add_argument("--batch-size", type=int, default=4, help="the bare forwards' batch (training tiles)")
    ap.add_argument("--repeats", type=int, default=3, help="alternated runs of each; the fastest counts")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "classify.json"))
    args = ap.parse_args()
    model = Path(args.model)
    pkg = load_package(model)
    device = pick_device("auto")
    names = ["torch"] + (["onnxruntime"] if device == "cpu" and installed("onnxruntime") and installed("onnx") else [])
    report: dict = {"model": pkg.name, "architecture": pkg.architecture, "tile": pkg.tile_size,
                    "normalisation": pkg.normalisation, "device": device, "runtimes": names,
                    "cpu_count": os.cpu_count(), "command": " ".join(["python", *sys.argv])}
    defaults = {"padding": None, "tta": None, "runtime": "auto", "batch_size": 4, "tile_size": 0}
    with tempfile.TemporaryDirectory(dir=Path(args.out).parent if Path(args.out).parent.exists() else None) as tmp:
        tmp = Path(tmp)
        inp = tmp / "scene.tif"
        write_optical_scene(inp, args.size)
        n_tiles = len(tile_grid(args.size, args.size, pkg.tile_size, 0))
        first = classify_job(job(inp, model, tmp / "warm.tif", **defaults), SilentReporter())  # the ONNX export
        runs = {"classify defaults": functools.partial(classify_job, job(inp, model, tmp / "d.tif", **defaults),
                                                       SilentReporter())}
        if pkg.classify.get("tta"):  # the tiling's own cost, without the model's recorded TTA (4 or 8 views)
            runs["classify defaults, TTA off"] = functools.partial(
                classify_job, job(inp, model, tmp / "d0.tif", **{**defaults, "tta": 0}), SilentReporter())
        for name in names:
            runs[f"forward {name}"] = functools.partial(bare_forward_seconds, model, n_tiles, args.batch_size,
                                                        device, name)
        seconds = alternated(runs, args.repeats)  # alternated, so that load from elsewhere hits all alike
        fastest = {name: min(t) for name, t in seconds.items()}
        report["defaults"] = {
            "raster_px": [args.size, args.size], "classify_tiles": first["tiles"], "classify_runtime": first["runtime"],
            "settings": "every setting at its default: the tiles Classify Pixels picks, PADDING's default, the "
                        f"model's recorded TTA ({'on' if pkg.classify.get('tta') else 'off'}), RUNTIME auto",
            "bare_forward": f"{n_tiles} tiles of {pkg.tile_size} px, batch {args.batch_size}, no overlap, no TTA",
            "seconds_runs": {name: [round(t, 2) for t in ts] for name, ts in seconds.items()},
            "classify_seconds": round(fastest["classify defaults"], 2),
            **{f"bare_forward_{name}_seconds": round(fastest[f"forward {name}"], 2) for name in names},
            **{f"over_bare_forward_{name}": round(fastest["classify defaults"] / fastest[f"forward {name}"], 3)
               for name in names},
            **({f"tta_off_over_bare_forward_{name}": round(fastest["classify defaults, TTA off"]
                                                           / fastest[f"forward {name}"], 3) for name in names}
               if "classify defaults, TTA off" in fastest else {}),
            "target (issue 19)": "<= 1.3 over each",
        }
        if "onnxruntime" in names:
            report["runtimes_compared"] = {
                "torch_over_onnxruntime_forward": round(fastest["forward torch"] / fastest["forward onnxruntime"], 3)}
        print(json.dumps(report["defaults"]), flush=True)

        one = tmp / "one_tile.tif"
        write_optical_scene(one, pkg.tile_size, seed=5)
        fixed: dict = {name: [] for name in names}
        for _ in range(args.repeats):
            for name in names:
                fixed[name].append(peak_rss_mb(model, one, tmp / f"one_{name}.tif", runtime=name))
        report["fixed_cost"] = {
            name: {"seconds": round(min(t for _, t in runs_), 2), "peak_rss_mb": round(min(r for r, _ in runs_), 1)}
            for name, runs_ in fixed.items()}
        report["fixed_cost"]["what"] = (f"a separate engine process classifying a {pkg.tile_size} px raster "
                                        "(one tile), TTA 0, padding 0; fastest of the runs; target 2 s")
        print(json.dumps(report["fixed_cost"]), flush=True)

        for key, side in (("memory", args.memory_size), ("memory_big", args.big)):
            if not side:
                continue
            raster = tmp / f"memory_{side}.tif"
            write_optical_scene(raster, side, seed=7)
            # the big raster without TTA, which holds a few more tile-sized arrays, nothing that grows with the
            # raster, and would take its views' time (4 or 8 x) for no other answer
            tta_off = key == "memory_big" and bool(pkg.classify.get("tta"))
            settings = {**defaults, "tta": 0} if tta_off else defaults
            rss, secs = peak_rss_mb(model, raster, tmp / f"memory_{side}_out.tif", **settings)
            report[key] = {"raster_px": [side, side], "input_gb": round(raster.stat().st_size / 1e9, 3),
                           "peak_rss_mb": round(rss, 1), "seconds": round(secs, 1),
                           "settings": "defaults but TTA off" if tta_off else "defaults",
                           "target (issue 19)": "<= 600 MB at 2048 px, < 2048 MB at 20000 px"}
            raster.unlink()
            print(json.dumps(report[key]), flush=True)

        small = tmp / "small.tif"
        write_optical_scene(small, 1500, seed=3)
        read = lambda p: rasterio.open(p).read()  # noqa: E731
        for name, kw in (("defaults", {}), ("tiles of 512 px", {"tile_size": 512}), ("batch 1", {"batch_size": 1}),
                         ("batch 8", {"batch_size": 8})):
            classify_job(job(small, model, tmp / f"c_{name}.tif", **{**defaults, **kw},
                             output_probabilities=str(tmp / f"p_{name}.tif")), SilentReporter())
        for key, a, b in (("tilings", "defaults", "tiles of 512 px"), ("batch_size_1_vs_8", "batch 1", "batch 8")):
            pa, pb = read(tmp / f"p_{a}.tif"), read(tmp / f"p_{b}.tif")
            report[key] = {"raster_px": [1500, 1500], "compared": [a, b],
                           "classes_differing_share": float((read(tmp / f"c_{a}.tif") != read(tmp / f"c_{b}.tif"))
                                                            .mean()),
                           "max_probability_difference": round(float(np.abs(pa - pb).max()), 4),
                           "mean_probability_difference": round(float(np.abs(pa - pb).mean()), 6)}
            print(json.dumps(report[key]), flush=True)
    report["bench_process_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
