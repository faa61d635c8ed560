"""Train the embedded default model on synthetic fjord scenes, reproducibly, on CPU.

    make model      # or: python models/train_default.py --output models/default

A U-Net on HRNet-W18-small learns the three zones (ocean incl. melange and icebergs,
glacier ice, rock) of 4-band optical synthetic scenes from ``core.synthetic``. It is
the out-of-the-box model until one trained on real fronts replaces it.
"""
from __future__ import annotations

import argparse
import datetime
import json
import platform
import time
from pathlib import Path

import numpy as np
import torch

from glacier_terminus.core.architectures import DEFAULT_ARCHITECTURE, get_architecture
from glacier_terminus.core.package import Band, ModelClass, ModelPackage, save_package
from glacier_terminus.core.synthetic import OPTICAL_BANDS, SceneSpec, image_window, surface_window, zones_from_surface

CLASSES = [
    ModelClass(1, "ocean", "#1f4e9c", "ocean"),
    ModelClass(2, "glacier", "#dceefa", "glacier"),
    ModelClass(3, "rock", "#7a5c3c", "rock"),
]


def scene(seed: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    spec = SceneSpec(width=size, height=size, seed=seed)
    image = image_window(spec, 0, 0, size, size).astype(np.float32)
    zones = zones_from_surface(surface_window(spec, 0, 0, size, size))
    return image, zones.astype(np.int64) - 1  # class index 0..2


def crops(images, labels, n: int, crop: int, rng: np.random.Generator):
    """``n`` random crops with random flips and quarter turns."""
    xs, ys = [], []
    for _ in range(n):
        i = rng.integers(len(images))
        _, h, w = images[i].shape
        r, c = rng.integers(0, h - crop + 1), rng.integers(0, w - crop + 1)
        x, y = images[i][:, r : r + crop, c : c + crop], labels[i][r : r + crop, c : c + crop]
        k = int(rng.integers(4))
        x, y = np.rot90(x, k, (1, 2)), np.rot90(y, k)
        if rng.random() < 0.5:
            x, y = x[:, :, ::-1], y[:, ::-1]
        xs.append(x.copy())
        ys.append(y.copy())
    return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(ys))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--output", default=str(Path(__file__).parent / "default"))
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--crop", type=int, default=160)
    ap.add_argument("--scenes", type=int, default=12)
    ap.add_argument("--scene-size", type=int, default=512)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    train = [scene(1000 + s, args.scene_size) for s in range(args.scenes)]
    val_image, val_zones = scene(999, args.scene_size)
    stack = np.concatenate([im.reshape(im.shape[0], -1) for im, _ in train], axis=1)
    mean, std = stack.mean(axis=1), stack.std(axis=1)
    norm = lambda a: (a - mean[:, None, None]) / std[:, None, None]  # noqa: E731
    images = [norm(im).astype(np.float32) for im, _ in train]
    labels = [z for _, z in train]

    net = get_architecture(DEFAULT_ARCHITECTURE).build(len(OPTICAL_BANDS), len(CLASSES))
    opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=args.steps)
    counts = np.bincount(np.concatenate([z.ravel() for z in labels]), minlength=len(CLASSES))
    weights = torch.tensor((counts.sum() / (len(CLASSES) * counts)) ** 0.5, dtype=torch.float32)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    history = []
    start = time.time()
    net.train()
    for step in range(1, args.steps + 1):
        x, y = crops(images, labels, args.batch_size, args.crop, rng)
        loss = loss_fn(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        history.append(loss.item())
        if step % 25 == 0:
            print(f"step {step}/{args.steps} loss {np.mean(history[-25:]):.4f} ({time.time() - start:.0f} s)", flush=True)

    net.eval()
    with torch.inference_mode():
        pred = net(torch.from_numpy(norm(val_image).astype(np.float32))[None]).argmax(1)[0].numpy()
    accuracy = float((pred == val_zones).mean())
    iou = {
        c.name: float(((pred == i) & (val_zones == i)).sum() / max(1, ((pred == i) | (val_zones == i)).sum()))
        for i, c in enumerate(CLASSES)
    }
    print(f"validation (held-out scene, seed 999): accuracy {accuracy:.4f}, IoU {iou}", flush=True)
    pkg = ModelPackage(
        name="synthetic-zones-hrnet",
        architecture=DEFAULT_ARCHITECTURE,
        bands=[Band(n, float(m), float(s)) for n, m, s in zip(OPTICAL_BANDS, mean, std)],
        classes=CLASSES,
        tile_size=256,
        cell_size=30.0,
        dtype="uint16",
        value_range=(0.0, 10000.0),
        weights_dtype="float16",
        training={
            "data": f"{args.scenes} synthetic optical scenes of {args.scene_size} px (core.synthetic, seeds "
                    f"1000..{999 + args.scenes}); validation: seed 999",
            "command": "python models/train_default.py " + " ".join(
                f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items() if k != "output"),
            "steps": args.steps,
            "batch_size": args.batch_size,
            "crop": args.crop,
            "final_loss": float(np.mean(history[-25:])),
            "loss_history": [round(float(np.mean(history[i:i + 25])), 4) for i in range(0, len(history), 25)],
            "validation": {"accuracy": accuracy, "iou": iou},
            "seconds": round(time.time() - start, 1),
            "date": datetime.date.today().isoformat(),
            "versions": {"torch": torch.__version__, "python": platform.python_version()},
        },
    )
    save_package(args.output, pkg, net.state_dict())
    print(json.dumps({"output": args.output, "accuracy": accuracy}), flush=True)


if __name__ == "__main__":
    main()
