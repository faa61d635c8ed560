"""Benchmark Classify Pixels against the bare network forward, in one process.

    make bench                      # writes bench/out/classify.json
    python bench/bench_classify.py --size 2048 --big 20000 --out bench/out/classify.json

1. Throughput, for each runtime (torch; onnxruntime on CPU when installed): the whole ``classify``
   job (loading the model, reading, normalising, blending, writing) at padding 0 against the same
   runtime's bare forward pass over the same number of tiles, same batch size, same device,
   alternated ``--repeats`` times with the fastest run of each kept: ``ratio = job_seconds /
   forward_seconds`` (target <= 1.15 on CPU; >= 0.8 of forward throughput on GPU).
2. The runtimes' bare forwards against each other, in the same alternation.
3. The defaults: ``classify`` with every setting at its default (PADDING a quarter of the tile, the
   model's recorded TTA, RUNTIME auto) against the bare forward over the raster's area without
   overlap and without TTA.
4. The fixed cost: a separate engine process classifying a one-tile raster (interpreter, imports,
   model, one tile; the ONNX export already cached), per runtime, fastest of ``--repeats``; and its
   peak memory, and that of a ``--size`` classify at the defaults.
5. Batch sizes 1 and 8 give the same classes (and how far probabilities differ).
6. Peak memory (RSS) of a separate engine process classifying a ``big x big`` raster.
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
    ap.add_argument("--size", type=int, default=2048, help="side of the throughput raster (px)")
    ap.add_argument("--big", type=int, default=20000, help="side of the memory raster (px); 0 = skip")
    ap.add_argument("--batch-size", type=int, default=4)
    ap.add_argument("--repeats", type=int, default=3, help="alternated runs of each; the fastest counts")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "classify.json"))
    args = ap.parse_args()
    model = Path(args.model)
    pkg = load_package(model)
    device = pick_device("auto")
    names = ["torch"] + (["onnxruntime"] if device == "cpu" and installed("onnxruntime") and installed("onnx") else [])
    report: dict = {"model": pkg.name, "architecture": pkg.architecture, "tile": pkg.tile_size,
                    "device": device, "runtimes": names, "cpu_count": os.cpu_count()}
    with tempfile.TemporaryDirectory(dir=Path(args.out).parent if Path(args.out).parent.exists() else None) as tmp:
        tmp = Path(tmp)
        inp = tmp / "scene.tif"
        write_optical_scene(inp, args.size)
        n_tiles = len(tile_grid(args.size, args.size, pkg.tile_size, 0))
        megapixels = args.size * args.size / 1e6
        for name in names:  # warm caches (and make the ONNX export once)
            classify_job(job(inp, model, tmp / "warm.tif", runtime=name), SilentReporter())
        runs = {}
        for name in names:
            runs[f"classify {name}"] = functools.partial(
                classify_job, job(inp, model, tmp / f"b_{name}.tif", batch_size=args.batch_size, runtime=name),
                SilentReporter())
            runs[f"forward {name}"] = functools.partial(bare_forward_seconds, model, n_tiles, args.batch_size,
                                                        device, name)
        runs["classify defaults"] = functools.partial(
            classify_job, {"input": str(inp), "model": str(model), "output": str(tmp / "d.tif"),
                           "bands": job(inp, model, tmp / "x.tif")["bands"]}, SilentReporter())
        seconds = alternated(runs, args.repeats)  # alternated, so that load from elsewhere hits all alike
        fastest = {name: min(t) for name, t in seconds.items()}
        report["throughput"] = {
            "raster_px": [args.size, args.size], "tiles": n_tiles, "batch_size": args.batch_size, "padding": 0,
            "seconds_runs": {name: [round(t, 2) for t in ts] for name, ts in seconds.items()},
            **{name: {"classify_seconds": round(fastest[f"classify {name}"], 2),
                      "bare_forward_seconds": round(fastest[f"forward {name}"], 2),
                      "time_ratio": round(fastest[f"classify {name}"] / fastest[f"forward {name}"], 3),
                      "classify_mpx_per_s": round(megapixels / fastest[f"classify {name}"], 3)} for name in names},
            "target": "time_ratio <= 1.15 on CPU; throughput_ratio >= 0.8 on GPU",
        }
        if "onnxruntime" in names:
            report["runtimes_compared"] = {
                "torch_over_onnxruntime_forward": round(fastest["forward torch"] / fastest["forward onnxruntime"], 3)}
        fastest_forward = min(fastest[f"forward {name}"] for name in names)
        report["defaults"] = {
            "classify_seconds": round(fastest["classify defaults"], 2),
            "settings": "PADDING a quarter of the tile, the model's recorded TTA "
                        f"({'on' if pkg.classify.get('tta') else 'off'}), RUNTIME auto",
            "over_fastest_bare_forward_without_overlap": round(fastest["classify defaults"] / fastest_forward, 3),
            "target (issue 19)": "<= 1.3",
        }
        print(json.dumps({k: report[k] for k in ("throughput", "defaults")}), flush=True)

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
                                        "(one tile), TTA 0, padding 0; fastest of the runs")
        rss, secs = peak_rss_mb(model, inp, tmp / "mem.tif", padding=None, tta=None, runtime="auto")
        report["memory_defaults"] = {"raster_px": [args.size, args.size], "peak_rss_mb": round(rss, 1),
                                     "seconds": round(secs, 1), "target (issue 19)": "<= 600 MB at 2048 px"}
        print(json.dumps({k: report[k] for k in ("fixed_cost", "memory_defaults")}), flush=True)

        small = tmp / "small.tif"
        write_optical_scene(small, 700, seed=3)
        for b in (1, 8):
            classify_job(job(small, model, tmp / f"c{b}.tif", padding=None, batch_size=b,
                             output_probabilities=str(tmp / f"p{b}.tif")), SilentReporter())
        read = lambda p: rasterio.open(p).read()  # noqa: E731
        report["batch_size_1_vs_8"] = {
            "classes_identical": bool((read(tmp / "c1.tif") == read(tmp / "c8.tif")).all()),
            "max_probability_difference": float(np.abs(read(tmp / "p1.tif") - read(tmp / "p8.tif")).max()),
        }
        print(json.dumps(report["batch_size_1_vs_8"]), flush=True)

        if args.big:
            big = tmp / "big.tif"
            write_optical_scene(big, args.big)
            rss, seconds = peak_rss_mb(model, big, tmp / "big_out.tif", runtime="auto")
            report["memory"] = {"raster_px": [args.big, args.big], "input_gb": round(big.stat().st_size / 1e9, 2),
                                "peak_rss_mb": round(rss, 1), "seconds": round(seconds, 1),
                                "target": "peak_rss_mb < 2048"}
            print(json.dumps(report["memory"]), flush=True)
    report["bench_process_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
