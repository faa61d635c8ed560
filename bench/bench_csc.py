"""Benchmark CSC Refine: accuracy on synthetic 7-class scenes, inference speed, memory.

    make bench                      # writes bench/out/csc.json
    python bench/bench_csc.py --size 1000 --seeds 1 2 3 --patches 1 3 7 15 --big 10000 --out bench/out/csc.json

1. Accuracy: synthetic optical scenes (SEE_ICE's seven surface classes) whose coarse map is
   the 50 px tile majority map of the truth (the form of SEE_ICE's phase-1 output); weighted
   F1 of the coarse and the refined map against the truth, per patch size (target: refined at
   least 5 points above coarse for patch 1 and patch 7). ``--table`` prints it for the README.
2. Speed: at patch 7 on a ``--speed`` square image, the same network classifies every pixel
   fully convolutionally (block by block) and by cutting out every pixel's window (batches of
   1024, its fastest), alternated twice with the fastest of each kept; the ratio of the times
   (also at patch 15, on at most 500 x 500 px). ``flops_ratio`` is how much more arithmetic
   the window-by-window path does, counted by torch on the first block. The speedup is that
   ratio times how much faster the same arithmetic runs on whole blocks than on small windows,
   so the network's shape bounds it: at patch 7 the windows share little work.
3. Memory: peak RSS of a separate engine process running ``csc_refine`` at patch 15 on a
   ``--big`` square 4-band scene (target < 2048 MB).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import rasterio
import torch
from torch.utils.flop_counter import FlopCounterMode

from glacier_terminus.core.csc import inference as ci
from glacier_terminus.core.csc.model import PatchNet
from glacier_terminus.core.csc.refine import refine_job
from glacier_terminus.core.engine.protocol import SilentReporter
from glacier_terminus.core.synthetic.scenes import SceneSpec, surface_window, tile_majority
from glacier_terminus.core.synthetic.writer import write_scene

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engine_rss import engine_peak_rss  # noqa: E402 - beside this script

TILE = 50  # px per tile of the coarse map


def write_coarse(truth_path: Path, coarse_path: Path, strip: int = 1000) -> None:
    """The tile-majority map of a truth raster, strip by strip (``strip`` a multiple of TILE)."""
    with rasterio.open(truth_path) as src:
        profile = {**src.profile}
        profile.pop("photometric", None)
        with rasterio.open(coarse_path, "w", **profile) as dst:
            for r0 in range(0, src.height, strip):
                window = rasterio.windows.Window(0, r0, src.width, min(strip, src.height - r0))
                dst.write(tile_majority(src.read(1, window=window), TILE), 1, window=window)


def scene(folder: Path, size: int, seed: int) -> dict:
    paths = {k: folder / f"{k}{seed}_{size}.tif" for k in ("image", "truth", "coarse")}
    write_scene(SceneSpec(width=size, height=size, seed=seed), str(paths["image"]), surface_path=str(paths["truth"]))
    write_coarse(paths["truth"], paths["coarse"])  # no colour table: SEE_ICE's classes by default
    return paths


def accuracy(folder: Path, size: int, seeds: list[int], patches: list[int]) -> list[dict]:
    rows = []
    for seed in seeds:
        paths = scene(folder, size, seed)
        for patch in patches:
            job = {"input": str(paths["image"]), "coarse": str(paths["coarse"]), "validation": str(paths["truth"]),
                   "output": str(folder / "refined.tif"), "patch_size": patch, "samples_per_class": 5000,
                   "epochs": 30, "patience": 5, "modal_filter": 0, "device": "auto", "seed": 0}
            result = refine_job(job, SilentReporter())
            f1 = result["weighted_f1"]
            rows.append({"seed": seed, "patch": patch, "coarse_f1": f1["coarse"], "refined_f1": f1["refined"],
                         "gain_points": round(100 * (f1["refined"] - f1["coarse"]), 1), "epochs": result["epochs"],
                         "seconds": result["seconds"]})
            print(json.dumps(rows[-1]), flush=True)
    return rows


def speed(size: int, patch: int, repeats: int = 2) -> dict:
    """Fully convolutional against window-by-window inference of one network on one image."""
    torch.manual_seed(0)
    net = PatchNet(4, 7, patch).for_inference()  # as csc_refine classifies with it
    image = surface_window(SceneSpec(width=size, height=size, seed=1), 0, 0, size, size)  # any structured data
    image = np.stack([image * (b + 1.0) for b in range(4)]).astype(np.float32)
    image = (image - image.mean()) / image.std()
    h = net.halo
    padded = ci.mirrored(image, h, h, h, h)
    blocks = ci.blocks(size, size)

    def run(scores) -> tuple[float, np.ndarray]:
        out = np.zeros((size, size), np.uint8)
        start = time.perf_counter()
        for r0, r1, c0, c1 in blocks:
            out[r0:r1, c0:c1] = scores(net, padded[:, r0: r1 + 2 * h, c0: c1 + 2 * h], "cpu").argmax(0)
        return time.perf_counter() - start, out

    with FlopCounterMode(display=False) as counted:  # the arithmetic of each path on the first block
        ci.scores_fully_convolutional(net, padded[:, : ci.BLOCK + 2 * h, : ci.BLOCK + 2 * h], "cpu")
    fcn_flops = counted.get_total_flops()
    with FlopCounterMode(display=False) as counted:
        ci.scores_by_patches(net, padded[:, : ci.BLOCK + 2 * h, : ci.BLOCK + 2 * h], "cpu")
    patch_flops = counted.get_total_flops()

    fcn, patches = [], []
    for _ in range(repeats):
        seconds, a = run(ci.scores_fully_convolutional)
        fcn.append(seconds)
        seconds, b = run(ci.scores_by_patches)
        patches.append(seconds)
    return {"image_px": [size, size], "patch": patch, "device": "cpu",
            "fully_convolutional_seconds": round(min(fcn), 2), "by_patches_seconds": round(min(patches), 2),
            "speedup": round(min(patches) / min(fcn), 1), "same_classes": bool((a == b).all()),
            "flops_ratio": round(patch_flops / fcn_flops, 2),
            "target": "speedup >= 20"}


def memory(folder: Path, size: int) -> dict:
    paths = scene(folder, size, seed=7)
    job = {"input": str(paths["image"]), "coarse": str(paths["coarse"]), "output": str(folder / "big_refined.tif"),
           "patch_size": 15, "samples_per_class": 2000, "epochs": 3, "patience": 0, "modal_filter": 2,
           "device": "auto", "report": str(folder / "big_report.html")}
    rss, seconds, result = engine_peak_rss("csc_refine", job, folder / "big.json")
    return {"image_px": [size, size], "bands": 4, "input_gb": round(paths["image"].stat().st_size / 1e9, 2),
            "patch": 15, "modal_filter": 2, "peak_rss_mb": round(rss, 1), "seconds": round(seconds, 1),
            "device": result["device"], "target": "peak_rss_mb < 2048"}


def markdown(rows: list[dict]) -> str:
    """The README's table: weighted F1 per scene and patch size."""
    patches = sorted({r["patch"] for r in rows})
    lines = ["| scene (seed) | coarse F1 | " + " | ".join(f"patch {p}" for p in patches) + " |"]
    lines.append("|---|---|" + "---|" * len({r["patch"] for r in rows}))
    for seed in sorted({r["seed"] for r in rows}):
        mine = sorted((r for r in rows if r["seed"] == seed), key=lambda r: r["patch"])
        lines.append(f"| {seed} | {mine[0]['coarse_f1']:.3f} | "
                     + " | ".join(f"{r['refined_f1']:.3f} ({r['gain_points']:+.1f})" for r in mine) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="side of the accuracy scenes, px")
    parser.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3], help="none: skip the accuracy part")
    parser.add_argument("--patches", type=int, nargs="*", default=[1, 3, 7, 15])
    parser.add_argument("--speed", type=int, default=2000, help="side of the speed image, px (0 = skip)")
    parser.add_argument("--big", type=int, default=10000, help="side of the memory scene, px (0 = skip)")
    parser.add_argument("--out", default="bench/out/csc.json")
    args = parser.parse_args()
    report: dict = {"torch_threads": torch.get_num_threads(), "cpu_count": os.cpu_count()}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        tmp = Path(tmp)
        if args.seeds and args.patches:
            report["accuracy"] = accuracy(tmp, args.size, args.seeds, args.patches)
            report["accuracy_table"] = markdown(report["accuracy"])
            print(report["accuracy_table"], flush=True)
        if args.speed:
            report["speed"] = speed(args.speed, 7)
            print(json.dumps(report["speed"]), flush=True)
            report["speed_patch_15"] = speed(min(args.speed, 500), 15)  # windows of 15 px: slow by patches
            print(json.dumps(report["speed_patch_15"]), flush=True)
        if args.big:
            report["memory"] = memory(tmp, args.big)
            print(json.dumps(report["memory"]), flush=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
