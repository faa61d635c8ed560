"""Re-measure the shipped models with the current code, through the same jobs their training
scripts measured them with, and say whether the numbers are still the recorded ones.

    make model-check        # or: python models/check_shipped.py --out build/check/shipped.json

- ``models/caffe-sar``: its weights are those of one fold (validation.json's ``--ship-fold``),
  so every scene of that fold's held-out glacier is classified again and its front error per
  route compared with validation.json's per-scene rows (the fold numbers of the shipped model).
- ``models/default``: trained on every FrontLearning scene, so its fold numbers belong to fold
  models that are not shipped; the shipped weights are measured on ``--optical-scenes`` scenes
  per glacier with the recorded extraction settings, and ``--against`` an earlier run's JSON
  compares them scene by scene (the check that a change of code left the results alone).

With ``--seen``, the shipped SAR weights are also measured on the scenes their training held out
for early stopping (model.json's ``training.sources.validation``): glaciers they trained on, on
dates they never saw; how far the recipe gets without the change of glacier (reported, not
compared).

Exits 1 when a number differs by more than ``--tolerance`` pixels.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_caffe  # noqa: E402  (the scripts beside this one)
import train_default  # noqa: E402

from glacier_terminus.core.data.caffe_dataset import caffe_scene, scene_files  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAR_MODEL = ROOT / "models" / "caffe-sar"


def sar_rows(data: Path, work: Path) -> tuple[str, list[dict]]:
    """The ship fold's glacier and its scenes' front errors per candidate (TTA and route), measured now."""
    recorded = json.loads((SAR_MODEL / "validation.json").read_text())
    fold = recorded["command"].split("--ship-fold ")[1].split()[0]
    scenes = [s for s in scene_files(data) if caffe_scene(s[0]).glacier == fold]
    return fold, train_caffe.measure_scenes(SAR_MODEL, scenes, work / "caffe-sar")


def seen_rows(data: Path, work: Path) -> list[dict]:
    """The shipped SAR weights on the scenes their training held out for early stopping (seen
    glaciers, unseen dates), every candidate measured as the folds measure it."""
    held = set(json.loads((SAR_MODEL / "model.json").read_text())["training"]["sources"]["validation"])
    return train_caffe.measure_scenes(SAR_MODEL, [s for s in scene_files(data) if s[0] in held], work / "seen")


def optical_rows(data: Path, work: Path, per_glacier: int) -> list[dict]:
    """The shipped optical model's front error on the first scenes of each glacier, with the
    extraction settings its validation recorded."""
    recorded = json.loads((ROOT / "models" / "default" / "validation.json").read_text())
    args = train_default.build_parser().parse_args(recorded["command"].split()[2:])
    scenes = [row["scene"] for rows in recorded["per_scene"].values() for row in rows[:per_glacier]]
    return train_default.front_errors(ROOT / "models" / "default", data, scenes, work / "default", args)["scenes"]


def differences(now: list[dict], then: list[dict], keys: tuple[str, ...], tolerance: float) -> list[str]:
    """Lines naming each scene and route whose front error moved by more than ``tolerance`` (the
    key "" for rows that hold one error); routes the earlier rows lack are not compared."""
    before = {row["scene"]: row for row in then}
    found = []
    for row in now:
        old = before.get(row["scene"])
        if old is None:
            found.append(f"{row['scene']}: not measured before")
            continue
        for key in keys:
            if key and key not in old:
                continue  # a candidate the recorded run did not measure (named by main)
            x, y = (r[key]["mean_px"] if key else r["mean_px"] for r in (row, old))
            if (x is None) != (y is None) or (x is not None and abs(x - y) > tolerance):
                found.append(f"{row['scene']} {key}: {y} before, {x} now")
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--caffe", default=str(ROOT.parent / "shared" / "data" / "caffe256"))
    ap.add_argument("--frontlearning", default=str(ROOT.parent / "shared" / "data" / "frontlearning"))
    ap.add_argument("--optical-scenes", type=int, default=4, help="scenes per FrontLearning glacier")
    ap.add_argument("--against", help="an earlier run's --out JSON to compare the optical rows with")
    ap.add_argument("--tolerance", type=float, default=1e-6, help="pixels")
    ap.add_argument("--seen", action="store_true",
                    help="also measure the SAR weights on their training glaciers' early-stopping scenes")
    ap.add_argument("--out", default=str(ROOT / "build" / "check" / "shipped.json"))
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="glacier-terminus-check-") as tmp:
        fold, sar = sar_rows(Path(args.caffe), Path(tmp))
        optical = optical_rows(Path(args.frontlearning), Path(tmp), args.optical_scenes)
        seen = seen_rows(Path(args.caffe), Path(tmp)) if args.seen else []
    recorded = json.loads((SAR_MODEL / "validation.json").read_text())["per_scene"]
    then = [r for r in recorded if r["glacier"] == fold]
    found = differences(sar, then, tuple(train_caffe.CANDIDATES), args.tolerance)
    unrecorded = [c for c in train_caffe.CANDIDATES if then and c not in then[0]]
    if unrecorded:
        print("caffe-sar: measured but not in its validation.json, so not compared: " + "; ".join(unrecorded))
    if args.against:
        found += differences(optical, json.loads(Path(args.against).read_text())["optical"], ("",), args.tolerance)
    sar_fold = train_caffe.table(sar)["fronts"]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    sar_seen = train_caffe.table(seen) if seen else None
    out.write_text(json.dumps({"sar_fold": fold, "sar": sar_fold, "sar_rows": [
        train_caffe.scene_record(r) for r in sar], "sar_seen": sar_seen, "optical": optical}, indent=2) + "\n")
    print(f"caffe-sar, fold {fold} (shipped weights): " + ", ".join(
        f"{name} pooled {v['pooled_px']} px" for name, v in sar_fold.items()))
    if sar_seen:
        print(f"caffe-sar on {sar_seen['scenes']} scenes of its training glaciers held out for early stopping: "
              + ", ".join(f"{name} {train_caffe._front_cell(v)}" for name, v in sar_seen["fronts"].items())
              + "; zone IoU " + json.dumps(sar_seen["zone_iou"]))
    print(f"default: {len(optical)} scenes measured; wrote {out}")
    if found:
        sys.exit("Changed:\n" + "\n".join(found))
    print("Same as recorded" + (f" and as {args.against}" if args.against else "") + ".")


if __name__ == "__main__":
    main()
