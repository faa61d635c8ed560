"""Benchmark Classify Pixels against the bare network forward, in one process.

    make bench                      # writes bench/out/classify.json
    python bench/bench_classify.py --size 2048 --big 20000 --out bench/out/classify.json

1. Throughput: the whole ``classify`` job (loading the model, reading, normalising,
   blending, writing) at padding 0 against the bare forward pass over the same number of
   tiles, same batch size, same device, alternated ``--repeats`` times with the fastest
   run of each kept: ``ratio = job_seconds / forward_seconds`` (target <= 1.15 on CPU,
   i.e. forward throughput ratio >= 0.87; >= 0.8 of forward throughput on GPU).
2. Batch sizes 1 and 8 give the same classes (and how far probabilities differ).
3. Peak memory (RSS) of a separate engine process classifying a ``big x big`` raster.
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
import torch

from glacier_terminus.core.engine.protocol import SilentReporter
from glacier_terminus.core.geo.tiling import tile_grid
from glacier_terminus.core.segmentation.inference import classify_job, pick_device
from glacier_terminus.core.segmentation.package import load_package
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
            "device": "auto", "tta": 0,
            "extent": None, "mask": None, "bands": bands, **kw}


def bare_forward_seconds(model: Path, n_tiles: int, batch: int, device: str) -> float:
    """The network alone on ``n_tiles`` random normalised tiles, batch by batch."""
    pkg = load_package(model)
    net = pkg.build_network(device)
    x = torch.randn(batch, len(pkg.bands), pkg.tile_size, pkg.tile_size, device=device)
    with torch.inference_mode():
        net(x)  # warm-up
        if device == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        for i in range(0, n_tiles, batch):
            n = min(batch, n_tiles - i)
            if device == "cuda":
                with torch.autocast("cuda", dtype=torch.float16):
                    net(x[:n]).float().cpu()
            else:
                net(x[:n]).cpu()
        if device == "cuda":
            torch.cuda.synchronize()
    return time.perf_counter() - start


def peak_rss_mb(model: Path, inp: Path, out: Path) -> tuple[float, float]:
    """Peak RSS (MB) and seconds of a separate engine process classifying ``inp``."""
    # padding 0: memory, not overlap, is measured
    rss, seconds, _ = engine_peak_rss("classify", job(inp, model, out), out.with_suffix(".json"))
    return rss, seconds


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
    report: dict = {"model": pkg.name, "architecture": pkg.architecture, "tile": pkg.tile_size,
                    "device": device, "torch_threads": torch.get_num_threads(), "cpu_count": os.cpu_count()}
    if device == "cuda":
        report["gpu"] = torch.cuda.get_device_name()
    with tempfile.TemporaryDirectory(dir=Path(args.out).parent if Path(args.out).parent.exists() else None) as tmp:
        tmp = Path(tmp)
        inp = tmp / "scene.tif"
        write_optical_scene(inp, args.size)
        n_tiles = len(tile_grid(args.size, args.size, pkg.tile_size, 0))
        classify_job(job(inp, model, tmp / "warm.tif", extent=None), SilentReporter())  # warm caches
        wholes, bares = [], []
        for _ in range(args.repeats):  # alternated, so that load from elsewhere hits both alike
            start = time.perf_counter()
            classify_job(job(inp, model, tmp / "b4.tif", batch_size=args.batch_size), SilentReporter())
            wholes.append(time.perf_counter() - start)
            bares.append(bare_forward_seconds(model, n_tiles, args.batch_size, device))
        whole, bare = min(wholes), min(bares)  # the least disturbed run of each
        megapixels = args.size * args.size / 1e6
        report["throughput"] = {
            "raster_px": [args.size, args.size], "tiles": n_tiles, "batch_size": args.batch_size, "padding": 0,
            "classify_seconds_runs": [round(t, 2) for t in wholes],
            "bare_forward_seconds_runs": [round(t, 2) for t in bares],
            "classify_seconds": round(whole, 2), "bare_forward_seconds": round(bare, 2),
            "time_ratio": round(whole / bare, 3), "throughput_ratio": round(bare / whole, 3),
            "classify_mpx_per_s": round(megapixels / whole, 3),
            "target": "time_ratio <= 1.15 on CPU; throughput_ratio >= 0.8 on GPU",
        }
        print(json.dumps(report["throughput"]), flush=True)

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
            rss, seconds = peak_rss_mb(model, big, tmp / "big_out.tif")
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
