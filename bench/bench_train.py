"""Benchmark training throughput: the engine's training loop against a bare
segmentation-models-pytorch loop on the same tiles, in one process.

    python bench/bench_train.py --out bench/out/train.json
    python bench/bench_train.py --tile 256 --tiles 64 --batch 8 --device cuda

Both loops train the same network from the same initial weights on the same tiles
(synthetic optical scenes cut by ``export_tiles``) with AdamW, over whole epochs of the
same number of steps (mixed precision on CUDA in both). The engine's epoch is timed as
``train`` runs it: batches cut from the preloaded tiles and normalised in a background
thread, augmentation (flips, quarter turns, brightness, speckle) on the device, the
class-weighted cross-entropy + Dice loss, the one-cycle schedule, progress and
cancellation checks per batch. The bare loop has the tiles as one normalised tensor
and plain cross-entropy. Rounds alternate (bare, engine, bare, ...) after one warm-up
epoch each, and each side's best round counts:
``ratio = engine tiles/s / bare tiles/s`` (target >= 0.9).
"""
from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from pathlib import Path

import torch

from glacier_terminus.core.commands.train import COMMAND as TRAIN
from glacier_terminus.core.data.dataset import load_dataset
from glacier_terminus.core.data.tile_export import export_tiles_job
from glacier_terminus.core.engine.protocol import SilentReporter
from glacier_terminus.core.synthetic.scenes import SceneSpec
from glacier_terminus.core.synthetic.writer import write_scene
from glacier_terminus.core.training import distributed
from glacier_terminus.core.training.config import TrainConfig
from glacier_terminus.core.training.trainer import Trainer, one_cycle

TARGET = 0.9


def make_tiles(folder: Path, tile: int, n_tiles: int) -> Path:
    """Synthetic scenes of 2 x 4 tiles each, cut into ``tile`` px tiles (at least ``n_tiles``)."""
    out = folder / "tiles"
    for seed in range(math.ceil(n_tiles / 8)):
        image, zones = folder / f"scene{seed}.tif", folder / f"zones{seed}.tif"
        write_scene(SceneSpec(width=4 * tile, height=2 * tile, seed=100 + seed), str(image), zones_path=str(zones))
        export_tiles_job({"input": str(image), "labels": str(zones), "output": str(out), "tile_size": tile,
                          "stride": tile, "min_labeled": 0.0}, SilentReporter())
    return out


def engine_trainer(tiles: Path, folder: Path, args) -> Trainer:
    """The ``train`` command's trainer, built and ready for epochs (no validation, a set rate)."""
    cfg = TrainConfig.from_job(TRAIN.checked_job({
        "datasets": [str(tiles)], "output_model": str(folder / "model"), "architecture": args.architecture,
        "epochs": 1000, "batch_size": args.batch, "learning_rate": 1e-3, "validation": 0.0, "device": args.device,
        "augment": ["flip", "rotate", "brightness", "speckle"], "seed": 0,
    }))
    trainer = Trainer(cfg, distributed.start(cfg.device), SilentReporter())
    trainer.prepare_data()
    trainer.build()
    trainer.scheduler = one_cycle(trainer.optimizer, cfg.learning_rate, cfg.epochs * trainer.steps_per_epoch)
    return trainer


class BareLoop:
    """The textbook loop: one normalised tensor of tiles, cross-entropy, AdamW."""

    def __init__(self, trainer: Trainer, args) -> None:
        data = trainer.train_data
        x, y, _ = data.batch(list(range(len(data))))
        self.device = trainer.device
        self.x, self.y = torch.from_numpy(x).to(self.device), torch.from_numpy(y).to(self.device)
        torch.manual_seed(0)
        self.net = trainer.arch.build(x.shape[1], len(trainer.class_names)).to(self.device)
        self.opt = torch.optim.AdamW(self.net.parameters(), lr=1e-3, weight_decay=1e-4)
        self.amp = self.device.type == "cuda"
        self.scaler = torch.amp.GradScaler("cuda", enabled=self.amp)
        self.batch = args.batch
        self.steps = trainer.steps_per_epoch

    def epoch(self) -> float:
        """Seconds for one epoch of ``steps`` batches."""
        self.net.train()
        order = torch.randperm(len(self.x), device=self.device)
        sync(self.device)
        start = time.perf_counter()
        for i in range(self.steps):
            idx = order[i * self.batch:(i + 1) * self.batch]
            with torch.autocast(device_type=self.device.type, dtype=torch.float16, enabled=self.amp):
                loss = torch.nn.functional.cross_entropy(self.net(self.x[idx]), self.y[idx], ignore_index=255)
            self.opt.zero_grad(set_to_none=True)
            self.scaler.scale(loss).backward()
            self.scaler.step(self.opt)
            self.scaler.update()
        sync(self.device)
        return time.perf_counter() - start


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--architecture", default="hrnet_w18_small")
    ap.add_argument("--tile", type=int, default=128)
    ap.add_argument("--tiles", type=int, default=32)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    ap.add_argument("--threads", type=int, default=0, help="torch intra-op threads (0 = torch's default)")
    ap.add_argument("--out", default="bench/out/train.json")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    with tempfile.TemporaryDirectory(prefix="bench_train_") as tmp:
        folder = Path(tmp)
        tiles = make_tiles(folder, args.tile, args.tiles)
        n_tiles = len(load_dataset(tiles).tiles)
        trainer = engine_trainer(tiles, folder, args)
        bare = BareLoop(trainer, args)
        tiles_per_epoch = trainer.steps_per_epoch * args.batch
        engine_rates, bare_rates = [], []
        bare.epoch()  # warm-up
        trainer.train_epoch(trainer.net, 0)
        for r in range(1, args.rounds + 1):
            bare_rates.append(tiles_per_epoch / bare.epoch())
            engine_rates.append(trainer.train_epoch(trainer.net, r).tiles_per_second)
            print(f"round {r}: engine {engine_rates[-1]:.2f} tiles/s, bare {bare_rates[-1]:.2f} tiles/s", flush=True)
    ratio = max(engine_rates) / max(bare_rates)
    report = {
        "device": trainer.device.type,
        "threads": torch.get_num_threads(),
        "architecture": args.architecture,
        "tile_size": args.tile,
        "batch_size": args.batch,
        "tiles": n_tiles,
        "steps_per_epoch": trainer.steps_per_epoch,
        "engine_tiles_per_second": [round(v, 3) for v in engine_rates],
        "bare_tiles_per_second": [round(v, 3) for v in bare_rates],
        "ratio": round(ratio, 4),
        "target": TARGET,
        "meets_target": ratio >= TARGET,
        "torch": torch.__version__,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
