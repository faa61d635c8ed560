"""Train the shipped SAR model (zones and front) on CaFFe, with leave-one-glacier-out validation,
through the engine's own commands (the same jobs the toolbox runs).

    make model-sar      # or: python models/train_caffe.py --data ../shared/data/caffe256

Data: the CaFFe benchmark's training scenes resized to 256 x 256 px (Gourmelon et al. 2022,
Earth System Science Data 14, 4287-4313, CC BY 4.0), four glaciers: JAC (Jakobshavn), DBE
(Dinsmoor-Bombardier-Edgeworth), SI (Sjogren Inlet), Jorum.

1. For each glacier: export the other three glaciers' scenes as tiles (``export_caffe_tiles``,
   LABELS zones_front: the four zones with the front drawn over them as a fifth class), train on
   them (``train``; early stopping watches a share of those training scenes, or with
   ``--early-stopping-on smallest`` the smallest training glacier, never the held-out glacier),
   then run every held-out scene through ``classify`` with TTA off and on and ``extract_front``
   with each candidate route (zone boundary: CaFFe's rule, the front pixels given to their
   likelier zone; front class: the front class grown through its probability; each with every
   piece kept or only the main front; between rock: the least-cost path through the front
   probability from the rock on one side of the fjord to the rock on the other, the model's rock
   class standing in for hand-drawn walls; supported boundary: the zone boundary kept within
   JOIN_DISTANCE of the grown front class) and measure it against the manual front
   (``evaluate_fronts``: CaFFe's distances both ways) and the zones against the manual zones (IoU
   per class).
2. Train the shipped model the same way on all four glaciers (or, with ``--ship-fold DBE``, as
   ``make model-sar`` does, ship the model of the fold that never saw DBE, whose DBE row is then a
   test of the shipped weights on a glacier they never saw).
3. Record in the package the TTA and route the folds chose (model.json's ``classify`` and
   ``front_extraction``: the lowest pooled error with at most 5 % of scenes without a front), that it
   is a SAR amplitude model (``imagery``), the data's attribution and the fold table
   (``validation.json``), and draw the figure of each fold's median scene.

Front errors are in pixels of the 256 px grid (the resized scenes have no cell size: CaFFe's
images were squashed to 256 px without keeping their aspect ratio). The data is read where it
lies; everything else goes under ``--work``, in a folder named after the training settings, so
a rerun with the same settings reuses the tiles and models it finds there.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
import sys
from pathlib import Path

import numpy as np

from glacier_terminus.core.choices import AUGMENTATIONS, CAFFE_LABELS, CLASS_WEIGHTINGS
from glacier_terminus.core.classes import ClassRoles
from glacier_terminus.core.commands.export_caffe_tiles import COMMAND as EXPORT_CAFFE
from glacier_terminus.core.data.caffe_dataset import LABEL_DESIGNS, ZONE_CLASSES, caffe_scene, read_zones, scene_files
from glacier_terminus.core.engine.cli import run_job
from glacier_terminus.core.engine.protocol import Reporter, SilentReporter
from glacier_terminus.core.fronts.evaluate import evaluate_fronts_job
from glacier_terminus.core.fronts.extract import extract_scene_front
from glacier_terminus.core.segmentation.inference import classify_job
from glacier_terminus.core.segmentation.package import NORMALISATIONS, record_recipe, roles_from_package
from glacier_terminus.core.training.report import rename_datasets

ROOT = Path(__file__).resolve().parents[1]
GLACIERS = ("JAC", "DBE", "SI", "Jorum")
#: Classify Pixels' TTA settings the folds measure (the chosen one is recorded in model.json).
TTAS = (0, 1)
ATTRIBUTION = ("CaFFe (Gourmelon, Seehaus, Braun, Maier, Christlein 2022, Earth System Science Data 14, "
               "4287-4313, doi:10.5194/essd-14-4287-2022; data doi:10.1594/PANGAEA.940950), CC BY 4.0; "
               "the training scenes resized to 256 x 256 px")
ZONES = tuple(v for v, *_ in ZONE_CLASSES)
ZONE_NAMES = {v: n for v, n, *_ in ZONE_CLASSES}
#: The candidate routes from the network's output to a front line: extract_front settings.
ROUTES = {
    "zone_boundary": {"method": "zone_boundary", "keep": "all"},
    "zone_boundary_main": {"method": "zone_boundary", "keep": "main"},
    "front_class": {"method": "front_class", "grow_threshold": 0.2, "keep": "all"},
    "front_class_main": {"method": "front_class", "grow_threshold": 0.2, "keep": "main"},
    "between_rock": {"method": "between_rock", "grow_threshold": 0.2},
    "supported_boundary": {"method": "supported_boundary", "grow_threshold": 0.2, "keep": "all"},
}
#: The most scenes without a front a chosen candidate may leave (the issue's target).
MAX_MISSING_SHARE = 0.05


def can_draw(method: str, roles: ClassRoles) -> bool:
    """Whether a model of these class roles can take an extract_front method: the zone routes need
    ocean and glacier, the front routes a front class, between rock a front class and rock."""
    zones, front = bool(roles.ocean and roles.glacier), roles.front is not None
    return {"zone_boundary": zones, "front_class": front, "between_rock": front and bool(roles.rock),
            "supported_boundary": zones and front}[method]


def model_routes(model: Path) -> dict[str, dict]:
    """The candidate routes (:data:`ROUTES`) a model package's classes can take."""
    roles = roles_from_package(str(model))
    return {name: settings for name, settings in ROUTES.items() if can_draw(settings["method"], roles)}


def has_zones(model: Path) -> bool:
    """Whether a model package predicts the four zones (so its zone IoU can be measured)."""
    return can_draw("zone_boundary", roles_from_package(str(model)))


def candidate(route: str, tta: int) -> str:
    """A candidate's name: the route, with TTA on or off."""
    return f"{route}, TTA {'on' if tta else 'off'}"


#: Every (TTA, route) pair the folds measure, by name.
CANDIDATES = {candidate(r, t): (t, r) for t in TTAS for r in ROUTES}


def zones_key(tta: int) -> str:
    """The key of a scene row's zone confusion with TTA ``tta``."""
    return f"zones_tta{tta}"


def iou_key(tta: int) -> str:
    """The key of a table's zone IoU with TTA ``tta``."""
    return f"tta {tta}"


def scene_record(row: dict) -> dict:
    """A scene row as validation.json keeps it: its front errors, without its zone confusions."""
    return {k: v for k, v in row.items() if k not in {zones_key(t) for t in TTAS}}


class LogReporter(Reporter):
    """Prints the engine's info and warning lines for a person; drops progress."""

    def _emit(self, key: str, value) -> None:
        if key in ("info", "warning", "error"):
            print(f"  [{key}] {value}", flush=True)


def early_stopping_glacier(glaciers: list[str], scenes: dict[str, int], rule: str) -> str | None:
    """The training glacier whose scenes early stopping watches instead of a share of every
    glacier's (``--early-stopping-on``): ``smallest``, the one with the fewest scenes; None for
    ``scenes``."""
    return min(glaciers, key=lambda g: (scenes[g], g)) if rule == "smallest" else None


def trained_model(data: Path, glaciers: list[str], folder: Path, args, name: str, scenes: dict[str, int]) -> Path:
    """``folder``/model trained on ``glaciers``' scenes (exported as tiles); what exists is reused."""
    tiles, model = folder / "tiles", folder / "model"
    watched = early_stopping_glacier(glaciers, scenes, args.early_stopping_on)
    folder.mkdir(parents=True, exist_ok=True)
    if not (tiles / "dataset.json").exists():
        job = {p.name: p.default for p in EXPORT_CAFFE.params}
        job.update(input=str(data), output=str(tiles), glaciers=glaciers, labels=args.labels,
                   front_width=args.front_width, tile_size=args.tile_size, stride=args.stride)
        EXPORT_CAFFE.run(job, LogReporter())
    if not (model / "model.json").exists():
        run_job("train", {
            "datasets": [str(tiles)], "output_model": str(model), "report": str(model / "report.html"),
            "architecture": args.architecture, "epochs": args.epochs, "batch_size": args.batch_size,
            "learning_rate": args.learning_rate, "validation": args.validation,
            "validation_groups": [watched] if watched else None,
            "patience": args.patience, "monitor": "valid_loss", "augment": args.augment,
            "normalisation": args.normalisation, "flow": None, "class_weighting": args.class_weighting,
            "dice_weight": args.dice_weight, "weight_decay": 1e-4, "device": args.device, "init_weights": None,
            "resume": 0, "checkpoint": None, "lr_find_steps": 100, "seed": args.seed, "name": name,
            "weights_dtype": "float16",
        }, LogReporter())
    return model


def reference_front(front_png: Path, out: Path) -> Path:
    """The manual front (bright on dark) as a line layer, drawn as it is."""
    if not out.exists():
        extract_scene_front({"input": str(front_png), "method": "front_class", "front_class": 255, "smoothing": 0.0,
                           "min_length": 0.0, "output": str(out)}, SilentReporter())
    return out


def front_error(predicted: Path, reference: Path, classes: Path, out_csv: Path) -> dict:
    """One scene's front error: mean of both-way distances, and the pixel counts behind it (for pooling)."""
    result = evaluate_fronts_job({"predicted": str(predicted), "reference": str(reference), "output": str(out_csv),
                                  "raster": str(classes), "match": "all"}, SilentReporter())
    with open(out_csv, newline="", encoding="utf-8") as f:
        row = next(csv.DictReader(f))
    count = int(float(row["predicted_px"] or 0)) + int(float(row["reference_px"] or 0))
    return {"mean_px": result["mean_distance"], "missing": bool(result["missing_predictions"]),
            "distances": count if result["mean_distance"] is not None else 0}


def likeliest_zone(probabilities: Path) -> np.ndarray:
    """Each pixel's likeliest zone (1-4) in a probability raster, front pixels included."""
    import rasterio

    with rasterio.open(probabilities) as ds:
        p = ds.read(list(ZONES)).astype(np.float32)
    return np.asarray(ZONES)[np.argmax(np.nan_to_num(p, nan=-1.0), axis=0)]


def zone_confusion(predicted: np.ndarray, zones_png: Path) -> np.ndarray:
    """4 x 4 confusion (manual zone x predicted zone) of one scene."""
    truth = read_zones(zones_png)
    matrix = np.zeros((len(ZONES), len(ZONES)), np.int64)
    np.add.at(matrix, (truth.ravel() - 1, predicted.ravel() - 1), 1)
    return matrix


def iou(matrix: np.ndarray) -> dict[str, float | None]:
    """IoU per zone from a confusion matrix; None for a zone absent from both."""
    hit = np.diag(matrix).astype(float)
    union = matrix.sum(0) + matrix.sum(1) - hit
    return {ZONE_NAMES[v]: (round(float(hit[k] / union[k]), 4) if union[k] else None) for k, v in enumerate(ZONES)}


def summary(rows: list[dict], route: str) -> dict:
    """Front error over scenes: pooled over all front pixels, mean and median of scene means, missing."""
    errs = [r[route] for r in rows]
    means = [e["mean_px"] for e in errs if e["mean_px"] is not None]
    weights = sum(e["distances"] for e in errs if e["mean_px"] is not None)
    pooled = sum(e["mean_px"] * e["distances"] for e in errs if e["mean_px"] is not None) / weights if weights else None
    return {"images": len(errs), "missing_predictions": sum(e["missing"] for e in errs),
            "missing_share": round(sum(e["missing"] for e in errs) / len(errs), 4) if errs else None,
            "pooled_px": round(pooled, 3) if pooled is not None else None,
            "mean_of_image_means_px": round(float(np.mean(means)), 3) if means else None,
            "median_of_image_means_px": round(float(np.median(means)), 3) if means else None}


def classified(model: Path, name: str, image: Path, tta: int, work: Path) -> tuple[Path, Path]:
    """A scene's class and probability rasters from ``classify`` with TTA ``tta`` (reused when they exist)."""
    classes, probs = work / f"{name}_tta{tta}_classes.tif", work / f"{name}_tta{tta}_probabilities.tif"
    if not probs.exists():
        classify_job({"input": str(image), "model": str(model), "output": str(classes),
                      "output_probabilities": str(probs), "padding": None, "batch_size": 4, "cell_size": 0.0,
                      "device": "auto", "tta": tta, "flow": "as_trained", "extent": None, "mask": None,
                      "bands": [1]}, SilentReporter())
    return classes, probs


def measure_scenes(model: Path, scenes: list[tuple], work: Path) -> list[dict]:
    """Every scene through classify (TTA off and on) and each route the model's classes can take;
    its front errors and, for a model of the zones, its zone confusion (:func:`zones_key`)."""
    work.mkdir(parents=True, exist_ok=True)
    routes, zones = model_routes(model), has_zones(model)
    rows = []
    for name, image, zones_png, front_png in scenes:
        reference = reference_front(front_png, work / f"{name}_reference.gpkg")
        row: dict = {"scene": name, "sensor": caffe_scene(name).sensor}
        for tta in TTAS:
            classes, probs = classified(model, name, image, tta, work)
            if zones:
                row[zones_key(tta)] = zone_confusion(likeliest_zone(probs), zones_png).tolist()
            for route, settings in routes.items():
                predicted = work / f"{name}_tta{tta}_{route}.gpkg"
                extract_scene_front({**settings, "input": str(classes), "probabilities": str(probs),
                                   "model": str(model), "source": name, "smoothing": 1.0, "output": str(predicted)},
                                  SilentReporter())
                row[candidate(route, tta)] = front_error(predicted, reference, classes,
                                                         work / f"{name}_tta{tta}_{route}.csv")
        rows.append(row)
        print(f"  {name}: " + ", ".join(f"{c} {row[c]['mean_px'] if row[c]['mean_px'] is not None else 'none'}"
                                       for c in CANDIDATES if c in row), flush=True)
    return rows


def zones_of_classes(classes: Path, probabilities: Path) -> np.ndarray:
    """A class raster's zones (CSC Refine's): its zone pixels as they are, its front pixels given
    their likeliest zone."""
    import rasterio

    with rasterio.open(classes) as ds:
        predicted = ds.read(1)
    return np.where(np.isin(predicted, ZONES), predicted, likeliest_zone(probabilities))


def csc_rows(model: Path, scenes: list[tuple], work: Path, patch_sizes: tuple[int, ...], tta: int) -> list[dict]:
    """The SEE_ICE route on real SAR: each scene's classes (classify with TTA ``tta``) refined by CSC
    Refine (each patch size), then its zones and its front (zone boundary, the classes alone)
    against the manual ones; the same measures without CSC beside them. None for a model without
    the zones."""
    from glacier_terminus.core.csc.refine import refine_job

    if not has_zones(model):
        return []
    rows = []
    for name, image, zones_png, front_png in scenes:
        classes, probs = classified(model, name, image, tta, work)
        reference = reference_front(front_png, work / f"{name}_reference.gpkg")
        row = {"scene": name}
        for patch in (0, *patch_sizes):
            refined = classes if patch == 0 else work / f"{name}_tta{tta}_csc{patch}.tif"
            if patch and not refined.exists():
                refine_job({"input": str(image), "coarse": str(classes), "output": str(refined), "patch_size": patch,
                            "samples_per_class": 5000, "epochs": 30, "patience": 5, "modal_filter": 0,
                            "device": "auto", "seed": 0}, SilentReporter())
            predicted = work / f"{name}_tta{tta}_csc{patch}_zone_boundary.gpkg"
            extract_scene_front({**ROUTES["zone_boundary"], "input": str(refined), "probabilities": str(probs),
                               "model": str(model), "source": name, "output": str(predicted)}, SilentReporter())
            key = "without_csc" if patch == 0 else f"csc_patch_{patch}"
            row[key] = {"zones": zone_confusion(zones_of_classes(refined, probs), zones_png).tolist(),
                        "front": front_error(predicted, reference, classes,
                                             work / f"{name}_tta{tta}_csc{patch}.csv")}
        rows.append(row)
        print(f"  CSC {name}: " + ", ".join(f"{k} {v['front']['mean_px']}" for k, v in row.items() if k != "scene"),
              flush=True)
    return rows


def csc_table(rows: list[dict]) -> dict:
    keys = [k for k in rows[0] if k != "scene"] if rows else []
    out = {}
    for key in keys:
        matrix = np.sum([np.asarray(r[key]["zones"]) for r in rows], axis=0)
        out[key] = {"zone_iou": iou(matrix),
                    "front_zone_boundary": summary([{"f": r[key]["front"]} for r in rows], "f")}
    return out


def table(rows: list[dict]) -> dict:
    """Per candidate front summaries (the candidates the rows hold) and, with TTA off and on, the
    zone IoU of a set of scenes (None for a model without zones)."""
    zones = zones_key(TTAS[0]) in rows[0]
    return {"fronts": {name: summary(rows, name) for name in CANDIDATES if name in rows[0]},
            "zone_iou": {iou_key(tta): iou(np.sum([np.asarray(r[zones_key(tta)]) for r in rows], axis=0))
                         for tta in TTAS} if zones else None,
            "scenes": len(rows)}


def chosen_candidate(pooled: dict) -> str:
    """The candidate of the lowest pooled front error among those leaving at most MAX_MISSING_SHARE
    of the scenes without a front (all candidates when none does)."""
    fronts = pooled["fronts"]
    allowed = [c for c in fronts if (fronts[c]["missing_share"] or 0) <= MAX_MISSING_SHARE] or list(fronts)
    return min(allowed, key=lambda c: fronts[c]["pooled_px"] if fronts[c]["pooled_px"] is not None else float("inf"))


def by_sensor(rows: list[dict]) -> dict:
    return {s: table([r for r in rows if r["sensor"] == s]) for s in sorted({r["sensor"] for r in rows})}


def folds_figure(data: Path, rows: list[dict], chosen: str, work: Path, path: Path, design: str) -> Path:
    """A PNG with, per held-out glacier, its scene of median front error (the chosen candidate): the
    SAR image with the manual front (cyan) and the predicted one (red), and the predicted classes
    (of LABELS ``design``) beside the manual zones."""
    import rasterio
    from matplotlib.colors import ListedColormap

    from glacier_terminus.core.geo.lines import map_to_pixel
    from glacier_terminus.core.geo.vector import read_vector
    from glacier_terminus.core.reports.pages import figure_png, new_figure

    palettes = {"predicted": LABEL_DESIGNS[design], "manual zones": ZONE_CLASSES}
    glaciers = [g for g in GLACIERS if any(r["glacier"] == g for r in rows)]
    tta, route = CANDIDATES[chosen]
    fig = new_figure(2.6 * len(glaciers), 8.0)
    for k, glacier in enumerate(glaciers):
        measured = sorted((r for r in rows if r["glacier"] == glacier and r[chosen]["mean_px"] is not None),
                          key=lambda r: r[chosen]["mean_px"])
        if not measured:
            continue
        row = measured[len(measured) // 2]
        scene, test = row["scene"], work / f"fold-{glacier}" / "test"
        with rasterio.open(data / "images" / f"{scene}.png") as ds:
            image = ds.read(1)
        with rasterio.open(test / f"{scene}_tta{tta}_classes.tif") as ds:
            classes, transform = ds.read(1), ds.transform
        ax = fig.add_subplot(3, len(glaciers), k + 1)
        ax.imshow(image, cmap="gray")
        for file, colour, label in ((f"{scene}_reference.gpkg", "cyan", "manual front"),
                                    (f"{scene}_tta{tta}_{route}.gpkg", "red", "predicted front")):
            for n, line in enumerate(read_vector(test / file).lines()):
                rows_cols = map_to_pixel(line, transform)  # the lines are in the class raster's coordinates
                ax.plot(rows_cols[:, 1], rows_cols[:, 0], color=colour, lw=1.0, label=label if n == 0 else None)
        ax.set_title(f"{glacier} {row['sensor']}\n{scene.split('_')[1]}: {row[chosen]['mean_px']:.1f} px", fontsize=7)
        ax.set_axis_off()
        for r, (values, title) in enumerate(((classes, "predicted"), (read_zones(data / "zones" / f"{scene}_zones.png"),
                                                                        "manual zones")), start=1):
            ax = fig.add_subplot(3, len(glaciers), r * len(glaciers) + k + 1)
            palette = palettes[title]
            ax.imshow(np.ma.masked_equal(values, 0), cmap=ListedColormap([c for _, _, c, _ in palette]), vmin=0.5,
                      vmax=len(palette) + 0.5, interpolation="nearest")
            ax.set_title(title, fontsize=7)
            ax.set_axis_off()
    if fig.axes:
        fig.axes[0].legend(loc="lower left", fontsize=6, framealpha=0.8)
    path.write_bytes(figure_png(fig))
    return path


def _px(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def _front_cell(f: dict) -> str:
    return (f"{_px(f['pooled_px'])} / {_px(f['mean_of_image_means_px'])} / {_px(f['median_of_image_means_px'])}, "
            f"{f['missing_predictions']}")


def _row(cells: list) -> str:
    """A Markdown table row."""
    return "| " + " | ".join(map(str, cells)) + " |"


def markdown_tables(result: dict) -> str:
    """The fold, sensor and CSC tables of a run, as Markdown (for the model card and the README); the
    zone columns only for a model of the zones."""
    chosen = result["chosen"]
    tta = iou_key(CANDIDATES[chosen][0])
    zones = list(ZONE_NAMES.values()) if result["pooled"]["zone_iou"] else []
    folds = [*result["folds"].items(), ("pooled", result["pooled"])]
    lines = [f"Front error of each candidate (pixels of the 256 px grid; chosen: {chosen}): pooled over all front "
             "pixels / mean of scene means / median of scene means, scenes without a front", "",
             "| candidate | " + " | ".join(f"{name} ({t['scenes']})" for name, t in folds) + " |",
             "|---|" + "---|" * len(folds)]
    for name in result["pooled"]["fronts"]:
        lines.append(f"| {name} | " + " | ".join(_front_cell(t["fronts"][name]) for _, t in folds) + " |")
    if zones:
        lines += ["", "Zone IoU (the likeliest zone of each pixel against the manual zones), TTA off / on:", "",
                  "| held-out glacier | " + " | ".join(zones) + " |", "|---|" + "---|" * len(zones)]
        for name, t in folds:
            lines.append(f"| {name} | " + " | ".join(" / ".join(_px(t["zone_iou"][iou_key(k)][z]) for k in TTAS)
                                                     for z in zones) + " |")
    lines += ["", f"By sensor (every held-out scene of the folds above; {chosen}):", "",
              _row(["sensor", "scenes", "front: pooled / mean / median, without", *zones]),
              "|---|---|---|" + "---|" * len(zones)]
    for sensor, t in result["by_sensor"].items():
        lines.append(_row([sensor, t["scenes"], _front_cell(t["fronts"][chosen]),
                           *(_px(t["zone_iou"][tta][z]) for z in zones)]))
    csc = result["csc_refine"]
    if not csc["scenes"]:
        return "\n".join(lines) + "\n"
    lines += ["", f"CSC Refine on {len(csc['scenes'])} held-out scenes ({csc['per_glacier']} per glacier, evenly "
              f"spaced; classified with TTA {'on' if csc['tta'] else 'off'}), fronts by zone boundary from the "
              "classes alone:", "",
              "| classes | front: pooled / mean / median, without | " + " | ".join(zones) + " |",
              "|---|---|" + "---|" * len(zones)]
    for key, t in csc["table"].items():
        lines.append(f"| {key.replace('_', ' ')} | {_front_cell(t['front_zone_boundary'])} | "
                     + " | ".join(_px(t["zone_iou"][z]) for z in zones) + " |")
    return "\n".join(lines) + "\n"


#: Settings added after the first recipes, with the values those recipes had (whole 256 px scenes as
#: tiles): left out of a recipe's settings at these values, so that the earlier recipes keep their
#: folders and commands.
LATER_SETTINGS = {"labels": CAFFE_LABELS[0], "tile_size": 256, "stride": 0}


def recipe_settings(args: argparse.Namespace) -> dict:
    """The settings that shape the trained models (what the recipe folder and the recorded command
    name): every option but where things are, which folds run and what is measured."""
    shaping = {k: v for k, v in vars(args).items()
               if k not in ("data", "work", "output", "folds", "no_final", "train_only", "device", "csc_scenes",
                            "csc_patch_sizes", "ship_fold")}
    return {k: v for k, v in shaping.items() if k not in LATER_SETTINGS or v != LATER_SETTINGS[k]}


def recipe_folder(settings: dict) -> str:
    """The work folder's name for a recipe: a hash of its settings, so a rerun reuses what it trained."""
    return "recipe-" + hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:10]


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``make model-sar``."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "caffe256"))
    ap.add_argument("--work", default=str(ROOT / "build" / "caffe"))
    ap.add_argument("--output", default=str(ROOT / "models" / "caffe-sar"))
    ap.add_argument("--architecture", default="mobilenetv3_unet")
    ap.add_argument("--labels", default=CAFFE_LABELS[0], choices=CAFFE_LABELS,
                    help="what the network learns (export_caffe_tiles LABELS): the zones with the front over them, "
                         "the zones, or the front over a background")
    ap.add_argument("--front-width", type=float, default=0.0, help="front width of the labels (0 = as drawn)")
    ap.add_argument("--tile-size", type=int, default=128,
                    help="training tile side (export_caffe_tiles TILE_SIZE): under the scenes' 256 px the network "
                         "sees a part of a scene at a time, not its whole layout; Classify Pixels runs it on tiles "
                         "of that size")
    ap.add_argument("--stride", type=int, default=128, help="pixels between training tiles (export_caffe_tiles "
                                                            "STRIDE; 0 = half the tile)")
    ap.add_argument("--normalisation", default="tile", choices=NORMALISATIONS)
    ap.add_argument("--augment", nargs="+", default=["flip", "rotate", "speckle"], choices=AUGMENTATIONS)
    ap.add_argument("--class-weighting", default="sqrt", choices=CLASS_WEIGHTINGS)
    ap.add_argument("--dice-weight", type=float, default=1.0)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--patience", type=int, default=4)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--learning-rate", type=float, default=3e-3)
    ap.add_argument("--validation", type=float, default=0.1, help="share of training scenes for early stopping")
    ap.add_argument("--early-stopping-on", choices=("scenes", "smallest"), default="scenes",
                    help="what early stopping watches: a share of the training scenes (--validation), or the "
                         "smallest training glacier, held out of training (how well the model does on a glacier "
                         "it never saw)")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", nargs="*", default=list(GLACIERS), help="glaciers to hold out")
    ap.add_argument("--csc-scenes", type=int, default=3,
                    help="held-out scenes per glacier (evenly spaced) measured with and without CSC Refine")
    ap.add_argument("--csc-patch-sizes", type=int, nargs="*", default=[1, 5], help="CSC Refine's PATCH_SIZE values")
    ap.add_argument("--train-only", action="store_true", help="train the fold and final models, measure nothing")
    ap.add_argument("--no-final", action="store_true", help="only the validation folds")
    ap.add_argument("--ship-fold", choices=GLACIERS, default=None,
                    help="ship the model of this fold (trained without that glacier) instead of training one on all "
                         "four glaciers")
    return ap


def main() -> None:
    args = build_parser().parse_args()

    data = Path(args.data)
    if not (data / "images").is_dir():
        sys.exit(f"No CaFFe data at {data} (images/, zones/, fronts/).")
    shaping = recipe_settings(args)
    work = Path(args.work) / recipe_folder(shaping)
    print(f"Working in {work}", flush=True)
    scenes = scene_files(data)
    glacier = {s[0]: caffe_scene(s[0]).glacier for s in scenes}
    counts = {g: sum(v == g for v in glacier.values()) for g in GLACIERS}
    models = {g: trained_model(data, [o for o in GLACIERS if o != g], work / f"fold-{g}", args, f"caffe-without-{g}",
                               counts)
              for g in args.folds}
    if args.ship_fold:  # the fold's model is shipped: its held-out glacier's row is a true test of those weights
        if args.ship_fold not in models:
            sys.exit(f"--ship-fold {args.ship_fold} is not one of the folds ({', '.join(models)}).")
        final = models[args.ship_fold]
    elif not args.no_final:
        final = trained_model(data, list(GLACIERS), work / "all", args,
                              "caffe-sar-" + args.labels.replace("_", "-"), counts)
    if args.train_only:
        return
    folds, rows = {}, []
    for held_out, model in models.items():
        print(f"Fold: {held_out} held out", flush=True)
        fold_rows = measure_scenes(model, [s for s in scenes if glacier[s[0]] == held_out],
                                   work / f"fold-{held_out}" / "test")
        for r in fold_rows:
            r["glacier"] = held_out
        rows += fold_rows
        folds[held_out] = table(fold_rows)
        print(f"Fold {held_out}: " + json.dumps(folds[held_out]["fronts"]), flush=True)
    pooled = table(rows)
    best = chosen_candidate(pooled)
    best_tta, best_route = CANDIDATES[best]
    csc = []
    for held_out, model in models.items():
        held = [s for s in scenes if glacier[s[0]] == held_out]
        step = max(1, len(held) // max(1, args.csc_scenes))
        csc += csc_rows(model, held[::step][: args.csc_scenes], work / f"fold-{held_out}" / "test",
                        tuple(args.csc_patch_sizes), best_tta)
    result = {
        "protocol": "leave one glacier out over JAC, DBE, SI and Jorum: trained on the other three glaciers' "
                    "scenes, every held-out scene through classify (TTA off and on) and extract_front (each "
                    "route), the candidate of the lowest pooled error with at most 5 % of scenes without a front "
                    "chosen, front error "
                    "= CaFFe's mean distance both ways between the predicted and the manual front, in pixels of "
                    "the 256 px grid, pooled over all front pixels and as the mean and median of scene means; "
                    "zone IoU from the likeliest zone of each pixel",
        "routes": {r: settings for r, settings in ROUTES.items() if candidate(r, TTAS[0]) in pooled["fronts"]},
        "candidates": {c: {"tta": t, "route": r} for c, (t, r) in CANDIDATES.items() if c in pooled["fronts"]},
        "chosen": best, "chosen_route": best_route, "chosen_tta": best_tta,
        "folds": folds, "pooled": pooled, "by_sensor": by_sensor(rows),
        "csc_refine": {"scenes": [r["scene"] for r in csc], "per_glacier": args.csc_scenes,
                       "patch_sizes": args.csc_patch_sizes, "tta": best_tta, "table": csc_table(csc)},
        "per_scene": [scene_record(r) for r in rows],
        "command": "python models/train_caffe.py " + " ".join(
            f"--{k.replace('_', '-')} {' '.join(map(str, v)) if isinstance(v, list) else v}"
            for k, v in vars(args).items()
            if k in shaping or (k == "ship_fold" and v) or (k == "folds" and v != list(GLACIERS))),
    }
    (work / "validation.json").write_text(json.dumps(result, indent=2) + "\n")
    figure = folds_figure(data, rows, best, work, work / "folds.png", args.labels)
    (work / "folds.md").write_text(markdown_tables(result), encoding="utf-8")
    print((work / "folds.md").read_text(encoding="utf-8"), flush=True)
    print(json.dumps({"pooled": pooled["fronts"][best], "chosen": best}, indent=2), flush=True)
    if args.no_final and not args.ship_fold:
        return
    out = Path(args.output)
    card = (out / "README.md").read_text(encoding="utf-8") if (out / "README.md").is_file() else None
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(final, out, ignore=shutil.ignore_patterns("*.checkpoint.pt"))
    if card is not None:  # the model card is written by hand from validation.json: kept
        (out / "README.md").write_text(card, encoding="utf-8")
    # Paths of this machine mean nothing to a user of the package: name the data and files instead.
    parameters = json.loads((out / "model.json").read_text())["training"]["parameters"]
    parameters.update(datasets=[ATTRIBUTION], output_model=out.name, report="report.html")
    shipped = (f"the model of the fold without {args.ship_fold} (trained on the other three glaciers; the "
               f"{args.ship_fold} row is a test of these weights on a glacier they never saw)" if args.ship_fold
               else "trained on all four glaciers")
    record_recipe(out, imagery="sar", classify={"tta": best_tta}, front_extraction=ROUTES[best_route],
                  data=[ATTRIBUTION], parameters=parameters, shipped_weights=shipped,
                  licence="trained on CC BY 4.0 data: attribute CaFFe (Gourmelon et al. 2022) when you use or "
                          "share this model or its output",
                  leave_one_glacier_out={"folds": folds, "pooled": pooled}, command=result["command"])
    rename_datasets(out / "report.html", ATTRIBUTION)
    (out / "validation.json").write_text(json.dumps(result, indent=2) + "\n")
    shutil.copyfile(figure, out / "folds.png")
    shutil.copyfile(work / "folds.md", out / "folds.md")
    print(f"wrote {out} ({best})", flush=True)


if __name__ == "__main__":
    main()
