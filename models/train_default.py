"""Train the shipped default model on the FrontLearning Landsat fronts, with leave-one-glacier-out
validation, through the engine's own commands (the same jobs the toolbox runs).

    make model      # or: python models/train_default.py --data ../shared/data/frontlearning

1. For each glacier (Jakobshavn, Sverdrup, Kangerlussuaq): export the scenes of the other two
   as tiles (``export_png_tiles``), train on them (``train``; its early stopping watches a
   share of those training scenes, never the held-out glacier), then run every scene of the
   held-out glacier through ``classify`` (with TTA) and ``extract_front`` (GROW_THRESHOLD 0.2,
   KEEP main) and measure the front against the manual 1 px front (CaFFe's mean distance
   error, both ways). Then the same probabilities again through ``extract_front`` METHOD
   between_walls (MIN_MEAN_PROB 0.2), with walls traced through the ends of the manual fronts
   of the glacier's other scenes (FrontLearning ships no fjord walls; the scene's own front is
   never used). The models scale their input tile by tile (``train``'s NORMALISATION
   ``tile``): FrontLearning's scenes range from dark to nearly white, and with the training
   tiles' statistics the bright ones lost their fronts.
2. Train the shipped model the same way on all three glaciers.
3. Write the fold errors (pixels, and metres at the data's nominal 50 m per pixel) into the
   package's model.json and ``models/default/validation.json``.

The glaciers of FrontLearning's scenes flow up the image (ice below the front, ocean above); the
packages record that (model.json's ``flow``), so Classify Pixels' FLOW can turn rasters that lie
otherwise. ``--quarter-turn 1`` also measures every held-out scene turned a quarter turn
anticlockwise, as a glacier flowing west lies in a north-up raster, classified as it is (FLOW
``as_trained``) and with FLOW ``left`` (those turned copies are written under ``--work``).

The data is read where it lies (the scenes are linked, never copied); everything else goes
under ``--work``, in a folder named after the training settings: a rerun with the same settings
reuses the tiles and models it finds there. On 2 CPU cores the whole run takes about an hour: about
50 minutes of training (15 epochs per model) and 9 minutes of measuring the folds, turned scenes
included (what a rerun with the models in place takes).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

import numpy as np

from glacier_terminus.core.choices import AUGMENTATIONS, KEEP
from glacier_terminus.core.commands.export_png_tiles import COMMAND as EXPORT_PNG
from glacier_terminus.core.data.png_dataset import FRONTLEARNING_GLACIERS, group_of, read_groups
from glacier_terminus.core.engine.cli import run_job
from glacier_terminus.core.engine.protocol import Reporter, SilentReporter
from glacier_terminus.core.fronts.evaluate import evaluate_fronts_job
from glacier_terminus.core.fronts.extract import extract_scene_front
from glacier_terminus.core.geo.flow import AS_TRAINED
from glacier_terminus.core.segmentation.inference import classify_job
from glacier_terminus.core.segmentation.package import NORMALISATIONS, record_recipe
from glacier_terminus.core.training.report import rename_datasets

ROOT = Path(__file__).resolve().parents[1]
#: The FrontLearning authors' per-glacier errors (metres at their resolution) and the
#: data's nominal cell size (their README: about 50 m per pixel).
PUBLISHED_M = {"Sverdrup": 137.6, "Kangerlussuaq": 124.4}
NOMINAL_CELL_M = 50.0
#: The way the glaciers flow in the FrontLearning scenes: up the image, towards the ocean at the top.
FRONTLEARNING_FLOW = "up"


class LogReporter(Reporter):
    """Prints the engine's info and warning lines for a person; drops progress."""

    def _emit(self, key: str, value) -> None:
        if key in ("info", "warning", "error"):
            print(f"  [{key}] {value}", flush=True)


def link_scenes(data: Path, scenes: list[str], folder: Path) -> None:
    """A folder pair images/ labels/ of links to ``scenes`` of the data (nothing copied)."""
    for sub, suffix in (("images", "_Subset.png"), ("labels", "_Front.png")):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        for scene in scenes:
            link = folder / sub / f"{scene}{suffix}"
            if not link.exists():
                link.symlink_to((data / sub / f"{scene}{suffix}").resolve())


def export_tiles(scene_folder: Path, out: Path, args) -> None:
    job = {p.name: p.default for p in EXPORT_PNG.params}
    job.update(images=str(scene_folder / "images"), labels=str(scene_folder / "labels"), output=str(out),
               tile_size=args.tile_size, cell_size=NOMINAL_CELL_M, line_width=args.line_width)
    EXPORT_PNG.run(job, LogReporter())


def train(datasets: list[Path], out: Path, args, name: str) -> dict:
    return run_job("train", {
        "datasets": [str(d) for d in datasets], "output_model": str(out), "report": str(out / "report.html"),
        "architecture": args.architecture, "epochs": args.epochs, "batch_size": args.batch_size,
        "learning_rate": args.learning_rate, "validation": args.validation, "validation_groups": None,
        "patience": args.patience, "monitor": "valid_loss", "augment": args.augment,
        "normalisation": args.normalisation, "flow": FRONTLEARNING_FLOW, "class_weighting": "sqrt",
        "dice_weight": 1.0, "weight_decay": 1e-4,
        "device": args.device,
        "init_weights": None, "resume": 0, "checkpoint": None, "lr_find_steps": 100, "seed": args.seed,
        "name": name, "weights_dtype": "float16",
    }, LogReporter())


def trained_model(data: Path, scenes: list[str], folder: Path, args, name: str) -> Path:
    """``folder``/model trained on ``scenes`` (linked, exported as tiles); what exists is reused."""
    link_scenes(data, scenes, folder / "scenes")
    if not (folder / "tiles" / "dataset.json").exists():
        export_tiles(folder / "scenes", folder / "tiles", args)
    if not (folder / "model" / "model.json").exists():
        train([folder / "tiles"], folder / "model", args, name)
    return folder / "model"


def turned_scenes(data: Path, scenes: list[str], folder: Path) -> Path:
    """``folder`` with images/ and labels_1px/ of ``scenes`` turned a quarter turn (anticlockwise):
    their glaciers then flow left, as a glacier flowing west lies in a north-up raster."""
    from PIL import Image

    for sub, suffix in (("images", "_Subset.png"), ("labels_1px", "_Front.png")):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        for scene in scenes:
            target = folder / sub / f"{scene}{suffix}"
            if not target.exists():
                with Image.open(data / sub / f"{scene}{suffix}") as im:
                    im.transpose(Image.Transpose.ROTATE_90).save(target)
    return folder


def measured(scene: str, predicted: Path, reference: Path, classes: Path, csv: Path) -> dict:
    """One scene's front error (pixels) and whether it has no front."""
    result = evaluate_fronts_job({"predicted": str(predicted), "reference": str(reference), "output": str(csv),
                                  "raster": str(classes), "match": "all"}, SilentReporter())
    print(f"  {predicted.name}: {result['mean_distance'] if result['mean_distance'] is not None else 'no front'}",
          flush=True)
    return {"scene": scene, "mean_px": result["mean_distance"],
            "missing": bool(result["missing_predictions"])}


def summarised(rows: list[dict]) -> dict:
    """The per-scene rows and their summary: mean and median over the scenes with a front, and how many lack one."""
    means = [r["mean_px"] for r in rows if r["mean_px"] is not None]
    return {"scenes": rows, "images": len(rows), "missing_predictions": sum(r["missing"] for r in rows),
            "mean_of_image_means_px": float(np.mean(means)) if means else None,
            "median_of_image_means_px": float(np.median(means)) if means else None}


def front_errors(model: Path, data: Path, scenes: list[str], work: Path, args, flow: str = AS_TRAINED) -> dict:
    """Classify, extract and measure every scene; per-scene rows and the pooled summary (pixels)."""
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for scene in scenes:
        image = data / "images" / f"{scene}_Subset.png"
        classes, probs = work / f"{scene}_classes.tif", work / f"{scene}_probabilities.tif"
        classify_job({"input": str(image), "model": str(model), "output": str(classes),
                      "output_probabilities": str(probs), "padding": None, "batch_size": 4, "cell_size": 0.0,
                      "tile_size": args.inference_tile, "device": "auto", "tta": args.tta, "flow": flow,
                      "extent": None, "mask": None, "bands": [1]}, SilentReporter())
        predicted, reference = work / f"{scene}_front.gpkg", work / f"{scene}_reference.gpkg"
        extract = {"method": "front_class", "source": scene, "smoothing": 1.0}
        extract_scene_front({**extract, "input": str(classes), "probabilities": str(probs), "output": str(predicted),
                           "min_length": args.min_length, "grow_threshold": args.grow_threshold or None,
                           "keep": args.keep}, SilentReporter())
        extract_scene_front({**extract, "input": str(data / "labels_1px" / f"{scene}_Front.png"),
                           "front_class": 0, "output": str(reference), "smoothing": 0.0}, SilentReporter())
        rows.append(measured(scene, predicted, reference, classes, work / f"{scene}_error.csv"))
    return summarised(rows)


def line_ends(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The west and the east end of the longest line of a front layer."""
    from glacier_terminus.core.geo.vector import read_vector

    line = max(read_vector(path).lines(), key=len)
    return (line[0], line[-1]) if line[0][0] <= line[-1][0] else (line[-1], line[0])


def fjord_walls(ends: list[tuple[np.ndarray, np.ndarray]], path: Path, outward: float = 0.0) -> Path:
    """Two wall lines through the west and the east ``ends`` of manual fronts (:func:`line_ends`;
    each wall ordered along the fjord), moved ``outward`` map units west and east, written to
    ``path`` (GeoJSON): FrontLearning ships no fjord walls, and the fronts of a glacier's other
    scenes all end on its walls."""
    features = []
    for side, shift in ((0, -outward), (1, outward)):
        points = np.array([e[side] for e in ends]) + np.array([shift, 0.0])
        points = points[np.argsort(points[:, 1])]
        features.append({"type": "Feature", "properties": {"wall": side + 1},
                         "geometry": {"type": "LineString", "coordinates": points.tolist()}})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def wall_errors(scenes: list[str], work: Path, args) -> dict:
    """Every scene's front between fjord walls (the walls through the ends of the other scenes' manual
    fronts; MIN_MEAN_PROB ``args.min_mean_prob``), from the rasters :func:`front_errors` left in ``work``."""
    ends = {s: line_ends(work / f"{s}_reference.gpkg") for s in scenes}
    rows = []
    for scene in scenes:
        others = [e for s, e in ends.items() if s != scene]
        walls = fjord_walls(others, work / f"{scene}_walls.geojson", args.wall_offset)
        classes, predicted = work / f"{scene}_classes.tif", work / f"{scene}_front_between_walls.gpkg"
        extract_scene_front({"method": "between_walls", "walls": str(walls), "source": scene, "smoothing": 1.0,
                           "input": str(classes), "probabilities": str(work / f"{scene}_probabilities.tif"),
                           "output": str(predicted), "min_length": args.min_length,
                           "min_mean_prob": args.min_mean_prob or None}, SilentReporter())
        rows.append(measured(scene, predicted, work / f"{scene}_reference.gpkg", classes,
                             work / f"{scene}_error_between_walls.csv"))
    return summarised(rows)


def folds_figure(data: Path, folds: dict[str, Path], rows: dict[str, list[dict]], path: Path) -> Path:
    """A PNG with, per held-out glacier, its scene of median between-walls error: the image, the
    manual front, the front without walls and the front between the walls (pixel coordinates)."""
    from PIL import Image

    from glacier_terminus.core.geo.vector import read_vector
    from glacier_terminus.core.reports.pages import figure_png, new_figure

    fig = new_figure(2.8 * len(folds), 4.9)
    for k, (glacier, test) in enumerate(folds.items(), start=1):
        measured_rows = sorted((r for r in rows[glacier] if r["mean_px"] is not None), key=lambda r: r["mean_px"])
        if not measured_rows:
            continue
        row = measured_rows[len(measured_rows) // 2]
        scene = row["scene"]
        ax = fig.add_subplot(1, len(folds), k)
        with Image.open(data / "images" / f"{scene}_Subset.png") as im:
            ax.imshow(np.asarray(im.convert("L")), cmap="gray")
        for file, colour, label in ((f"{scene}_walls.geojson", "white", "walls"),
                                    (f"{scene}_reference.gpkg", "cyan", "manual"),
                                    (f"{scene}_front.gpkg", "red", "without walls"),
                                    (f"{scene}_front_between_walls.gpkg", "yellow", "between walls")):
            for n, line in enumerate(read_vector(test / file).lines()):
                ax.plot(line[:, 0], line[:, 1], color=colour, lw=1.2, ls=":" if label == "walls" else "-",
                        label=label if n == 0 else None)
        ax.set_title(f"{glacier}, {scene[10:25]}\nbetween walls {row['mean_px']:.2f} px", fontsize=7)
        ax.set_axis_off()
    if fig.axes:
        fig.axes[0].legend(loc="lower left", fontsize=7, framealpha=0.8)
    path.write_bytes(figure_png(fig))
    return path


def build_parser() -> argparse.ArgumentParser:
    """The script's options (also read back from validation.json's command by check_shipped.py)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "frontlearning"))
    ap.add_argument("--work", default=str(ROOT / "build" / "frontlearning"))
    ap.add_argument("--output", default=str(ROOT / "models" / "default"))
    ap.add_argument("--architecture", default="hrnet_w18_small")
    ap.add_argument("--tile-size", type=int, default=224)
    ap.add_argument("--line-width", type=float, default=0.0,
                    help="front width of the training labels in pixels (0 = as drawn, about 3 px)")
    ap.add_argument("--normalisation", default="window", choices=NORMALISATIONS,
                    help="input scaling of the model (train's NORMALISATION)")
    ap.add_argument("--augment", nargs="+", default=["flip", "brightness"], choices=AUGMENTATIONS,
                    help="train's AUGMENT")
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--patience", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--learning-rate", type=float, default=2e-3)
    ap.add_argument("--validation", type=float, default=0.15, help="share of training scenes for early stopping")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--min-length", type=float, default=50.0,
                    help="Extract Calving Front's MIN_LENGTH in pixels (front pieces shorter than this are dropped)")
    ap.add_argument("--grow-threshold", type=float, default=0.2,
                    help="Extract Calving Front's GROW_THRESHOLD (0 = no growing)")
    ap.add_argument("--keep", default="main", choices=KEEP, help="Extract Calving Front's KEEP")
    ap.add_argument("--min-mean-prob", type=float, default=0.2,
                    help="Extract Calving Front's MIN_MEAN_PROB for the fronts between fjord walls (0 = keep all)")
    ap.add_argument("--wall-offset", type=float, default=0.0,
                    help="move the traced fjord walls this many pixels outwards, into the rock beside the fjord "
                         "(how closely a user must draw them)")
    ap.add_argument("--tta", type=int, default=0, choices=(0, 1),
                    help="Classify Pixels' TTA when measuring the folds (1: the mean over flips, 4 times the "
                         "network's time; with MIN_LENGTH 50 the folds were as good without)")
    ap.add_argument("--quarter-turn", type=int, default=1, choices=(0, 1),
                    help="also measure each held-out glacier turned a quarter turn (1: yes)")
    ap.add_argument("--folds", nargs="*", default=list(FRONTLEARNING_GLACIERS), help="glaciers to hold out")
    ap.add_argument("--no-final", action="store_true", help="only the validation folds")
    ap.add_argument("--inference-tile", type=int, default=0,
                    help="Classify Pixels' TILE_SIZE when measuring (0: its default, the device's)")
    ap.add_argument("--train-only", action="store_true",
                    help="train (or find) the fold models and the final one, measure nothing, ship nothing")
    return ap


def main() -> None:
    args = build_parser().parse_args()

    data = Path(args.data)
    # What is trained is kept under a folder named after the settings that shape it, so a rerun
    # reuses tiles and models made with the same settings and never those of other settings.
    shaping = {k: v for k, v in vars(args).items() if k not in ("data", "work", "output", "folds", "no_final",
                                                                  "min_length", "grow_threshold", "keep",
                                                                  "min_mean_prob", "wall_offset", "tta", "device",
                                                                  "quarter_turn", "train_only",
                                                                  "inference_tile")}
    work = Path(args.work) / ("recipe-" + hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()[:10])
    print(f"Working in {work}", flush=True)
    if not (data / "images").is_dir():
        sys.exit(f"No FrontLearning data at {data} (images/, labels/, labels_1px/).")
    parts = read_groups(None)
    scenes = sorted(p.name[: -len("_Subset.png")] for p in (data / "images").glob("*_Subset.png"))
    glacier = {s: group_of(s, parts) for s in scenes}
    folds = {}
    for held_out in args.folds:
        print(f"Fold: {held_out} held out", flush=True)
        fold = work / f"fold-{held_out}"
        model = trained_model(data, [s for s in scenes if glacier[s] != held_out], fold, args,
                              f"frontlearning-without-{held_out.lower()}")
        if args.train_only:
            continue
        held = [s for s in scenes if glacier[s] == held_out]
        errors = front_errors(model, data, held, fold / "test", args)
        errors["mean_of_image_means_m"] = (errors["mean_of_image_means_px"] or float("nan")) * NOMINAL_CELL_M
        errors["published_m"] = PUBLISHED_M.get(held_out)
        folds[held_out] = errors
        print(f"Fold {held_out}: mean {errors['mean_of_image_means_px']:.2f} px "
              f"({errors['mean_of_image_means_m']:.0f} m at {NOMINAL_CELL_M:g} m/px), "
              f"{errors['missing_predictions']} of {errors['images']} without a front", flush=True)
        walled = wall_errors(held, fold / "test", args)
        errors["scenes_between_walls"] = walled.pop("scenes")
        walled["mean_of_image_means_m"] = (walled["mean_of_image_means_px"] or float("nan")) * NOMINAL_CELL_M
        errors["between_walls"] = walled
        print(f"  between walls: mean {walled['mean_of_image_means_px'] or float('nan'):.2f} px, "
              f"{walled['missing_predictions']} without a front", flush=True)
        if args.quarter_turn:  # the glacier then flows left: classified without and with FLOW left
            turned = turned_scenes(data, held, fold / "turned")
            for key, flow in (("quarter_turn", AS_TRAINED), ("quarter_turn_flow_left", "left")):
                t = front_errors(model, turned, held, fold / f"test-turned-{flow}", args, flow)
                errors[key] = {k: v for k, v in t.items() if k != "scenes"}
                print(f"  {key}: mean {t['mean_of_image_means_px'] or float('nan'):.2f} px, "
                      f"{t['missing_predictions']} without a front", flush=True)
    if args.train_only:
        if not args.no_final:
            trained_model(data, scenes, work / "all", args, "frontlearning-fronts-hrnet")
        return
    summary = {
        "protocol": "leave one glacier out: trained on the other two glaciers' scenes, fronts of every "
                    f"held-out scene via classify (TTA {args.tta}) + extract_front (front class, MIN_LENGTH "
                    f"{args.min_length:g} px, GROW_THRESHOLD {args.grow_threshold or 'none'}, KEEP {args.keep}), "
                    "mean symmetric distance to the manual 1 px front, averaged over "
                    "the scenes with a front; scenes without one are counted. between_walls: the same "
                    "probabilities, extract_front METHOD between_walls (MIN_MEAN_PROB "
                    f"{args.min_mean_prob or 'none'}) with fjord walls drawn through the ends of the glacier's "
                    "other scenes' manual fronts"
                    + (f", moved {args.wall_offset:g} px outwards" if args.wall_offset else "")
                    + " (FrontLearning ships no walls; its authors drew theirs by hand)",
        "nominal_cell_size_m": NOMINAL_CELL_M,
        "folds": {g: {k: v for k, v in f.items() if not k.startswith("scenes")} for g, f in folds.items()},
        "per_scene": {g: f["scenes"] for g, f in folds.items()},
        "per_scene_between_walls": {g: f["scenes_between_walls"] for g, f in folds.items()},
        "command": "python models/train_default.py " + " ".join(
            f"--{k.replace('_', '-')} {' '.join(map(str, v)) if isinstance(v, list) else v}"
            for k, v in vars(args).items() if k not in ("data", "work", "output", "folds", "no_final", "train_only")),
    }
    (work / "validation.json").write_text(json.dumps(summary, indent=2) + "\n")
    figure = folds_figure(data, {g: work / f"fold-{g}" / "test" for g in folds}, summary["per_scene_between_walls"],
                          work / "between_walls.png")
    if args.no_final:
        return
    print("Final model: all three glaciers", flush=True)
    final = trained_model(data, scenes, work / "all", args, "frontlearning-fronts-hrnet")
    out = Path(args.output)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(final, out)
    # Paths of this machine mean nothing to a user of the package: name the data and files instead.
    data = f"FrontLearning (Mohajerani et al. 2019): {len(scenes)} Landsat scenes, {args.tile_size} px tiles"
    parameters = json.loads((out / "model.json").read_text())["training"]["parameters"]
    parameters.update(datasets=[data], output_model=out.name, report="report.html")
    # the route the folds were measured with (front_errors: no MIN_MEAN_PROB, which only the fronts between
    # walls had, and a route never applies with WALLS): Extract Calving Front's METHOD auto and empty settings
    record_recipe(out, imagery="optical", classify={"tta": args.tta}, front_extraction={
        "method": "front_class", "grow_threshold": args.grow_threshold or None, "keep": args.keep,
        "min_length_cells": args.min_length}, data=[data], parameters=parameters,
        leave_one_glacier_out=summary["folds"], command=summary["command"])
    rename_datasets(out / "report.html", data)
    (out / "validation.json").write_text(json.dumps(summary, indent=2) + "\n")
    shutil.copyfile(figure, out / "between_walls.png")
    print(json.dumps(summary["folds"], indent=2))


if __name__ == "__main__":
    main()
