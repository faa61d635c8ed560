"""Train a segmentation network on tile datasets: the ``train`` command's job.

The loop: tiles preloaded as arrays, batches normalised in a background thread and
augmented on the device; class-weighted cross-entropy + Dice; AdamW with a one-cycle
schedule (peak rate given, or found by a range test); mixed precision on CUDA; progress
and cancellation per batch; validation, early stopping and an atomic checkpoint after
every epoch. Under torchrun every process trains on its share of each epoch
(DistributedSampler, DistributedDataParallel) and rank 0 alone writes.
"""
from __future__ import annotations

import datetime
import math
import platform
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..engine.cli import checked_as
from ..engine.protocol import Cancelled, EngineError, Reporter
from ..segmentation.architectures import get_architecture
from ..segmentation.inference import in_background
from ..segmentation.package import Band, ModelClass, ModelPackage, load_package, save_package
from . import distributed
from .augment import Augmenter
from .checkpoint import load_checkpoint, restore_rng, rng_state, save_checkpoint
from .config import RESUME_KEYS, TrainConfig
from .early_stopping import EarlyStopping
from .init_weights import load_init_weights
from .losses import SegmentationLoss, class_weights
from .lr_find import LrFindResult, cycle, lr_find
from .metrics import MetricAccumulator, summarise
from .tile_store import TileArrays, TileCollection, check_classes, fits_in_memory, open_datasets, split_tiles

#: Where the phases of a run sit on the progress bar (percent).
LOAD_END, LR_FIND_END, TRAIN_END = 4.0, 12.0, 97.0


@dataclass
class EpochResult:
    """What one epoch gave: losses, validation metrics, time."""

    epoch: int
    train_loss: float
    lr: float
    seconds: float
    tiles_per_second: float
    validation: dict | None

    def to_json(self) -> dict:
        d = {"epoch": self.epoch, "train_loss": self.train_loss, "lr": self.lr, "seconds": round(self.seconds, 2),
             "tiles_per_second": round(self.tiles_per_second, 3)}
        if self.validation:
            v = self.validation
            d.update(valid_loss=v["loss"], accuracy=v["accuracy"], mean_iou=v["mean_iou"], mean_f1=v["mean_f1"],
                     per_class=v["per_class"])
        return d


class Trainer:
    """One training run (one process of it under torchrun)."""

    def __init__(self, cfg: TrainConfig, dist: distributed.Dist, reporter: Reporter) -> None:
        self.cfg, self.dist, self.reporter = cfg, dist, reporter
        self.device = dist.device
        self.amp = self.device.type == "cuda"
        self.started = time.perf_counter()

    # -- data ------------------------------------------------------------------------

    def prepare_data(self) -> None:
        cfg, rep = self.cfg, self.reporter
        self.col: TileCollection = open_datasets(cfg.datasets, rep)
        try:
            self.arch = get_architecture(cfg.architecture)
        except KeyError as exc:
            raise EngineError(str(exc.args[0])) from None
        if self.col.tile_size % self.arch.multiple:
            raise EngineError(f"ARCHITECTURE {cfg.architecture} needs tiles whose side is a multiple of "
                              f"{self.arch.multiple} px; the datasets' tiles are {self.col.tile_size} px.")
        self.split = split_tiles(self.col, cfg.validation, cfg.validation_groups, cfg.seed)
        check_classes(self.col, self.split)
        self.class_names = [c.name for c in self.col.classes]
        s = self.split
        rep.info(f"{len(s.train)} training tile(s) from {len(s.train_sources)} image(s), {len(s.validation)} "
                 f"validation tile(s) from {len(s.validation_sources)} image(s): {s.how}.")
        if not s.validation:
            rep.warning("No validation: the best epoch and early stopping follow the training loss.")
        preload = fits_in_memory(self.col, len(s.train) + len(s.validation), self.dist.world)
        if not preload:
            rep.info("The tiles do not fit in memory: they are read from their files batch by batch.")
        share = len(s.train) / max(1, len(s.train) + len(s.validation))
        self.train_data = TileArrays(self.col, s.train, preload, rep, (0.0, LOAD_END * share), cfg.normalisation)
        self.val_data = TileArrays(self.col, s.validation, preload, rep, (LOAD_END * share, LOAD_END * (1 - share)),
                                   cfg.normalisation)
        try:
            self.weights = class_weights(self.col.pixels(s.train).tolist(), cfg.class_weighting,
                                         [c.role for c in self.col.classes])
        except ValueError as exc:
            raise EngineError(f"CLASS_WEIGHTING {exc}; the datasets' classes are "
                              + ", ".join(f"{c.name} ({c.role})" for c in self.col.classes) + ".") from None
        self.loss_fn = SegmentationLoss(self.weights, cfg.dice_weight).to(self.device)
        self.augmenter = Augmenter(cfg.augment, [b.mean for b in self.col.bands], [b.std for b in self.col.bands])

    def epoch_batches(self, epoch: int) -> list[list[int]]:
        """This process's batches of training-tile positions for an epoch (same count in every process)."""
        from torch.utils.data import DistributedSampler

        sampler: DistributedSampler = DistributedSampler(range(len(self.train_data)),  # type: ignore[arg-type]  # needs only len()
                                     num_replicas=self.dist.world,
                                     rank=self.dist.rank, shuffle=True, seed=self.cfg.seed, drop_last=False)
        sampler.set_epoch(epoch)
        order = list(sampler)
        size = self.cfg.batch_size
        batches = [order[i:i + size] for i in range(0, len(order), size)]
        if len(batches) > 1 and len(batches[-1]) < 2:
            batches.pop()  # a batch of one tile upsets batch normalisation
        return batches

    def tensors(self, data: TileArrays, batches: list[list[int]]):
        """Batches as tensors (None for an empty batch), prepared in a background thread."""
        pin = self.device.type == "cuda"

        def make():
            for b in batches:
                if not b:
                    yield None
                    continue
                x, y, valid = data.batch(b)
                out = [torch.from_numpy(x), torch.from_numpy(y), None if valid is None else torch.from_numpy(valid)]
                yield [t.pin_memory() if pin and t is not None else t for t in out]

        return in_background(make())

    def to_device(self, batch):
        return [None if t is None else t.to(self.device, non_blocking=True) for t in batch]

    # -- steps -----------------------------------------------------------------------

    def train_step(self, model, x, y, valid, gen: torch.Generator) -> torch.Tensor:
        x, y, valid = self.augmenter(x, y, valid, gen)
        with torch.autocast(device_type=self.device.type, dtype=torch.float16, enabled=self.amp):
            logits = model(x)
        loss = self.loss_fn(logits, y)
        self.optimizer.zero_grad(set_to_none=True)
        self.scaler.scale(loss).backward()
        self.scaler.step(self.optimizer)
        self.scaler.update()
        return loss.detach()

    def evaluate(self, data: TileArrays) -> dict:
        """Validation metrics over this process's share of ``data``, summed over processes.

        Every process goes through the same number of batch slots (some may be empty), so
        the per-batch cancellation check stays in step across processes.
        """
        acc = MetricAccumulator(len(self.class_names), self.device)
        positions = list(range(self.dist.rank, len(data), self.dist.world))
        size, world = self.cfg.batch_size, self.dist.world
        slots = math.ceil(math.ceil(len(data) / world) / size)
        batches = [positions[i * size:(i + 1) * size] for i in range(slots)]
        self.net.eval()
        with torch.inference_mode():
            for batch in self.tensors(data, batches):
                if self.dist.any(self.reporter.cancel_requested):
                    raise Cancelled()
                if batch is None:
                    continue
                x, y, _ = self.to_device(batch)
                with torch.autocast(device_type=self.device.type, dtype=torch.float16, enabled=self.amp):
                    logits = self.net(x)
                acc.add(logits, y, self.loss_fn(logits, y))
        self.net.train()
        for t in acc.tensors():
            self.dist.sum_(t)
        return summarise(acc, self.class_names)

    def predict(self, images: np.ndarray) -> np.ndarray:
        """Class indices (N, T, T) of normalised tiles (N, C, T, T) with the current weights."""
        self.net.eval()
        out = []
        with torch.inference_mode():
            for i in range(0, len(images), self.cfg.batch_size):
                x = np.ascontiguousarray(images[i:i + self.cfg.batch_size])
                out.append(self.net(torch.from_numpy(x).to(self.device)).argmax(1).cpu().numpy())
        return np.concatenate(out) if out else np.zeros((0,), np.int64)

    # -- learning rate -----------------------------------------------------------------

    def find_lr(self) -> LrFindResult:
        """Rank 0 runs the range test on its network; every process gets the rate."""
        result = None
        if self.dist.is_main:
            gen = torch.Generator().manual_seed(self.cfg.seed + 7)
            self.reporter.info(f"Learning-rate range test ({self.cfg.lr_find_steps} steps)...")
            batches = cycle(lambda: self.tensors(self.train_data, self.epoch_batches(10_000)))

            def step() -> torch.Tensor:
                self.reporter.check_cancelled()
                x, y, valid = self.to_device(next(batches))
                return self.train_step(self.net, x, y, valid, gen)

            def on_step(i: int) -> None:
                self.reporter.progress(LOAD_END + (LR_FIND_END - LOAD_END) * (i + 1) / self.cfg.lr_find_steps)

            result = lr_find(self.net, self.optimizer, step, self.cfg.lr_find_steps, on_step)
            self.reporter.info(f"Learning rate {result.suggestion:.2e} ({result.how}).")
        lr = self.dist.broadcast_float(result.suggestion if result else None)
        return result if result else LrFindResult([], [], None, None, lr, "range test on rank 0")

    # -- the run ---------------------------------------------------------------------

    def build(self) -> None:
        cfg = self.cfg
        torch.manual_seed(cfg.seed)
        self.net = self.arch.build(len(self.col.bands), len(self.col.classes)).to(self.device)
        self.optimizer = torch.optim.AdamW(self.net.parameters(), lr=1e-3, weight_decay=cfg.weight_decay)
        self.scaler = torch.amp.GradScaler("cuda", enabled=self.amp)
        self.steps_per_epoch = len(self.epoch_batches(0))

    def load_or_start(self) -> dict | None:
        """The checkpoint to resume from, or None; warns about a stale one."""
        cfg, path = self.cfg, self.cfg.checkpoint
        if not path.is_file():
            if cfg.resume:
                self.reporter.warning(f"RESUME: no checkpoint at {path}; starting from epoch 1.")
            return None
        if not cfg.resume:
            self.reporter.warning(f"A checkpoint of an earlier run is at {path}; it will be replaced. Set RESUME "
                                  f"to continue that run instead.")
            return None
        state = load_checkpoint(path)
        theirs, mine = state.get("config", {}), cfg.resume_key()
        differ = [k for k in RESUME_KEYS if k in theirs and theirs[k] != mine[k]]
        if differ or state.get("sources") != {"train": self.split.train_sources,
                                              "validation": self.split.validation_sources}:
            what = ", ".join(f"{k.upper()}={theirs[k]!r} there, {mine[k]!r} now" for k in differ) or \
                "the datasets' images differ"
            raise EngineError(f"RESUME: the checkpoint {path} was made with other settings ({what}); use the same "
                              f"settings, or train without RESUME to start anew.")
        if state.get("steps_per_epoch") != self.steps_per_epoch:
            raise EngineError(f"RESUME: the checkpoint {path} was made with {state.get('steps_per_epoch')} steps per "
                              f"epoch, this run has {self.steps_per_epoch} (another number of processes?).")
        return state

    def run(self) -> dict:
        cfg, rep, dist = self.cfg, self.reporter, self.dist
        self.prepare_data()
        self.build()
        state = self.load_or_start()
        history: list[dict] = []
        stopping = EarlyStopping(cfg.monitor, cfg.patience)
        best_state, start_epoch = None, 0
        lr_result: LrFindResult | None = None
        if state is not None:
            self.net.load_state_dict(state["model"])
            lr = float(state["lr"])
            lr_result = LrFindResult(**state["lr_find"]) if state.get("lr_find") else None
            history, start_epoch, best_state = list(state["history"]), int(state["epoch"]), state.get("best")
            stopping.load_state_dict(state["stopping"])
            rep.info(f"Resuming from the checkpoint {cfg.checkpoint}: {start_epoch} of {cfg.epochs} epoch(s) done.")
        else:
            if cfg.init_weights:
                load_init_weights(self.net, cfg.init_weights, rep)
            if cfg.learning_rate > 0:
                lr = cfg.learning_rate
            else:
                lr_result = self.find_lr()
                lr = lr_result.suggestion
        self.scheduler = one_cycle(self.optimizer, lr, cfg.epochs * self.steps_per_epoch)
        if state is not None:
            self.optimizer.load_state_dict(state["optimizer"])
            self.scheduler.load_state_dict(state["scheduler"])
            self.scaler.load_state_dict(state["scaler"])
            restore_rng(state["rng"])
        model = self.net
        if dist.active:
            model = torch.nn.parallel.DistributedDataParallel(
                self.net, device_ids=[self.device.index] if self.device.type == "cuda" else None)
        if start_epoch == 0:
            rep.info(f"Training {cfg.architecture} on {dist.world} x {self.device.type}"
                     f"{' with mixed precision' if self.amp else ''}: {cfg.epochs} epoch(s) of "
                     f"{self.steps_per_epoch} step(s), batch {cfg.batch_size}, peak learning rate {lr:.2e}.")
        epoch = start_epoch
        while epoch < cfg.epochs and not stopping.stopped:
            try:
                result = self.train_epoch(model, epoch)
            except Cancelled:
                if dist.is_main and epoch > 0:
                    rep.info(f"Stopped in epoch {epoch + 1}; the checkpoint {cfg.checkpoint} holds {epoch} "
                             f"epoch(s): run again with RESUME to continue.")
                raise
            entry = result.to_json()
            history.append(entry)
            improved = stopping.update(entry)
            if improved:
                best_state = {k: v.detach().to("cpu", copy=True) for k, v in self.net.state_dict().items()}
            epoch += 1
            rep.info(self.epoch_line(entry, cfg.epochs, improved))
            if stopping.diverged:
                if best_state is None:
                    raise EngineError(f"Training diverged in epoch {epoch} (the loss is not a finite number): "
                                      f"lower LEARNING_RATE.")
                rep.warning(f"Training diverged in epoch {epoch} (the loss is not a finite number); keeping epoch "
                            f"{stopping.best_epoch}. A lower LEARNING_RATE may train further.")
            elif stopping.stopped and epoch < cfg.epochs:
                rep.info(f"Early stopping: no improvement of {cfg.monitor if result.validation else 'train_loss'} "
                         f"for {cfg.patience} epoch(s); the best epoch was {stopping.best_epoch}.")
            if dist.is_main:
                save_checkpoint(cfg.checkpoint, {
                    "epoch": epoch, "model": self.net.state_dict(), "optimizer": self.optimizer.state_dict(),
                    "scheduler": self.scheduler.state_dict(), "scaler": self.scaler.state_dict(),
                    "best": best_state, "stopping": stopping.state_dict(), "history": history, "lr": lr,
                    "lr_find": lr_result.to_json() if lr_result else None, "rng": rng_state(),
                    "config": cfg.resume_key(), "steps_per_epoch": self.steps_per_epoch,
                    "sources": {"train": self.split.train_sources, "validation": self.split.validation_sources},
                })
        finished: dict = {}
        if dist.is_main:
            stopped_early = stopping.stopped and len(history) < cfg.epochs
            finished = self.finish(history, best_state, stopping.best_epoch, lr, lr_result, stopped_early)
        dist.barrier()
        return finished

    def train_epoch(self, model, epoch: int) -> EpochResult:
        cfg, rep, dist = self.cfg, self.reporter, self.dist
        batches = self.epoch_batches(epoch)
        gen = torch.Generator().manual_seed(cfg.seed * 1_000_003 + dist.rank * 7919 + epoch)
        first = LR_FIND_END if cfg.learning_rate == 0 else LOAD_END
        span = (TRAIN_END - first) / cfg.epochs
        total = torch.zeros(2, dtype=torch.float64, device=self.device)
        started = time.perf_counter()
        model.train()
        for i, batch in enumerate(self.tensors(self.train_data, batches)):
            if dist.any(rep.cancel_requested):
                raise Cancelled()
            x, y, valid = self.to_device(batch)
            loss = self.train_step(model, x, y, valid, gen)
            self.scheduler.step()
            total[0] += loss.double() * x.shape[0]
            total[1] += x.shape[0]
            rep.progress(first + span * (epoch + (i + 1) / len(batches)))
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
        seconds = time.perf_counter() - started
        dist.sum_(total)
        validation = self.evaluate(self.val_data) if len(self.val_data) else None
        tiles = float(total[1])
        return EpochResult(epoch + 1, float(total[0] / max(tiles, 1)), self.scheduler.get_last_lr()[0],
                           seconds, tiles / max(seconds, 1e-9), validation)

    def epoch_line(self, entry: dict, epochs: int, improved: bool) -> str:
        text = f"Epoch {entry['epoch']}/{epochs}: train loss {entry['train_loss']:.4f}"
        if "valid_loss" in entry:
            text += (f", valid loss {entry['valid_loss']:.4f}, accuracy {entry['accuracy']:.3f}, "
                     f"mean IoU {entry['mean_iou']:.3f}, mean F1 {entry['mean_f1']:.3f}")
        return text + f" ({entry['seconds']:.0f} s, {entry['tiles_per_second']:.1f} tiles/s)" + \
            (" *" if improved else "")

    # -- outputs ---------------------------------------------------------------------

    def finish(self, history: list[dict], best_state: dict | None, best_epoch: int, lr: float,
               lr_result: LrFindResult | None, stopped: bool) -> dict:
        """Rank 0: the package (best weights), the report, and the checkpoint removed."""
        from .report import ReportData, write_report

        cfg, rep = self.cfg, self.reporter
        if best_state is not None:
            self.net.load_state_dict(best_state)
        best = history[best_epoch - 1] if best_epoch else history[-1]
        pkg = self.package(history, best, lr, lr_result, stopped)
        save_package(cfg.output_model, pkg, self.net.state_dict())
        load_package(cfg.output_model)  # what was written must load
        rep.progress(98.0)
        shown = self.val_data if len(self.val_data) else self.train_data
        positions = pick_tiles(shown, 6)
        x, truth, _ = shown.batch(positions) if positions else (None, None, None)
        write_report(cfg.report, ReportData(
            name=cfg.name, config=cfg, classes=self.col.classes, band_names=[b.name for b in self.col.bands],
            history=history, best_epoch=best_epoch or len(history), lr=lr, lr_find=lr_result,
            split=self.split, weights=self.weights, device=f"{self.dist.world} x {self.device.type}",
            batch_sample=self.sample_batch(), results=(x, truth, self.predict(x) if x is not None else None),
            results_are_validation=bool(len(self.val_data)), seconds=time.perf_counter() - self.started,
        ))
        if cfg.checkpoint.exists():
            cfg.checkpoint.unlink()
        rep.progress(100.0)
        metrics = {k: best.get(k) for k in ("valid_loss", "accuracy", "mean_iou", "mean_f1") if k in best}
        rep.info(f"Model package {cfg.output_model} (epoch {best['epoch']}); report {cfg.report}.")
        return {"output_model": str(cfg.output_model), "report": str(cfg.report), "epochs_run": len(history),
                "best_epoch": best["epoch"], "learning_rate": lr, "stopped_early": stopped,
                "train_loss": [h["train_loss"] for h in history], "validation": metrics,
                "device": self.device.type, "processes": self.dist.world}

    def sample_batch(self) -> tuple[np.ndarray, np.ndarray]:
        """A few augmented training tiles with their labels (for the report's batch view)."""
        gen = torch.Generator().manual_seed(self.cfg.seed + 11)
        n = min(8, len(self.train_data))
        order = torch.randperm(len(self.train_data), generator=gen)[:n].tolist()
        images, labels, valid = self.train_data.batch(order)
        x, y, _ = self.augmenter(torch.from_numpy(images), torch.from_numpy(labels),
                                 None if valid is None else torch.from_numpy(valid), gen)
        return x.numpy(), y.numpy()

    def package(self, history: list[dict], best: dict, lr: float, lr_result: LrFindResult | None,
                stopped: bool) -> ModelPackage:
        cfg, col = self.cfg, self.col
        lows = [b.min for b in col.bands if b.min is not None]
        highs = [b.max for b in col.bands if b.max is not None]
        validation = {k: best.get(k) for k in ("valid_loss", "accuracy", "mean_iou", "mean_f1", "per_class")
                      if k in best}
        training = {
            "data": [str(Path(d).absolute()) for d in cfg.datasets],
            "tiles": {"train": len(self.split.train), "validation": len(self.split.validation)},
            "split": self.split.how,
            "sources": {"train": self.split.train_sources, "validation": self.split.validation_sources},
            "validation_groups": self.split.validation_groups,
            "epochs": cfg.epochs,
            "epochs_run": len(history),
            "best_epoch": best["epoch"],
            "stopped_early": stopped,
            "batch_size": cfg.batch_size,
            "learning_rate": lr,
            "lr_find": None if lr_result is None else {"suggestion": lr_result.suggestion, "how": lr_result.how,
                                                       "valley": lr_result.valley, "steepest": lr_result.steepest},
            "augment": cfg.augment,
            "loss": f"cross-entropy ({cfg.class_weighting} class weights) + {cfg.dice_weight:g} x Dice",
            "class_weights": {c.name: round(w, 4) for c, w in zip(col.classes, self.weights, strict=False)},
            "optimizer": f"AdamW (weight decay {cfg.weight_decay:g}), one-cycle schedule",
            "monitor": cfg.monitor,
            "validation": validation,
            "history": history,
            "device": self.device.type,
            "processes": self.dist.world,
            "mixed_precision": self.amp,
            "seconds": round(time.perf_counter() - self.started, 1),
            "date": datetime.date.today().isoformat(),
            "versions": {"torch": torch.__version__, "python": platform.python_version()},
            "parameters": cfg.job,
        }
        training = finite_only(training)
        return ModelPackage(
            name=cfg.name, architecture=cfg.architecture,
            bands=[Band(b.name, b.mean, b.std) for b in col.bands],
            classes=[ModelClass(c.value, c.name, c.color, c.role) for c in col.classes],
            tile_size=col.tile_size, cell_size=col.cell_size, dtype=col.dtype,
            value_range=(min(lows) if lows else 0.0, max(highs) if highs else 1.0),
            weights_dtype=cfg.weights_dtype, normalisation=cfg.normalisation, flow=cfg.flow,
            training=training,
        )


def finite_only(value):
    """A copy of nested dicts / lists with NaN and infinities replaced by None (valid JSON)."""
    if isinstance(value, dict):
        return {k: finite_only(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_only(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def one_cycle(optimizer: torch.optim.Optimizer, lr: float, total_steps: int):
    """fastai's one-cycle schedule (a quarter warming up); a constant rate for runs too short for it."""
    if total_steps < 3:
        for group in optimizer.param_groups:
            group["lr"] = lr
        return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
    return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=total_steps,
                                               pct_start=min(0.5, max(0.25, 1.5 / total_steps)))


def pick_tiles(data: TileArrays, n: int) -> list[int]:
    """Up to ``n`` tiles to show, of different images where possible: those holding the most
    classes, the rarest first."""
    if not len(data):
        return []
    col = data.col
    rarity = {v: 1.0 / max(1, c.pixels) for v, c in zip(col.class_values, col.classes, strict=False)}
    scores = []
    for k, index in enumerate(data.indices):
        pixels = col.tiles[index][1].class_pixels
        scores.append((len(pixels), sum(rarity[v] for v in pixels), -k))
    order = sorted(range(len(scores)), key=lambda k: scores[k], reverse=True)
    picked: list[int] = []
    sources: set[str] = set()
    for k in order:  # one tile per image first
        source = col.tiles[data.indices[k]][1].source
        if source not in sources and len(picked) < n:
            picked.append(k)
            sources.add(source)
    picked += [k for k in order if k not in picked][: n - len(picked)]
    return sorted(picked)


@checked_as("train")
def train_job(job: dict, reporter: Reporter) -> dict:
    """The ``train`` command: the configuration, the processes, the run."""
    cfg = TrainConfig.from_job(job)
    dist = distributed.start(cfg.device)
    try:
        return Trainer(cfg, dist, reporter).run()
    finally:
        dist.close()


__all__ = ["TrainConfig", "Trainer", "train_job", "load_init_weights"]
