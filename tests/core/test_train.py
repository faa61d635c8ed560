"""Train Terminus Model in the engine: split, loss, augmentation, training, resume, DDP, errors."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import rasterio
import torch
from training_data import direct_tiles, synthetic_tiles

from glacier_terminus.core.engine.cli import run_job
from glacier_terminus.core.engine.protocol import Cancelled, EngineError, SilentReporter
from glacier_terminus.core.segmentation.package import load_package
from glacier_terminus.core.training.augment import Augmenter
from glacier_terminus.core.training.checkpoint import load_checkpoint
from glacier_terminus.core.training.early_stopping import EarlyStopping
from glacier_terminus.core.training.losses import class_weights
from glacier_terminus.core.training.lr_find import steepest, valley
from glacier_terminus.core.training.report import rename_datasets
from glacier_terminus.core.training.tile_store import TileArrays, open_datasets, split_tiles

LIGHT = "mobilenetv3_fpn"  # where the point is plumbing, not skill


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """One intra-op thread: 64 px tiles gain little from more, and a busy shared CPU loses a lot."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def tiles(tmp_path_factory):
    return synthetic_tiles(tmp_path_factory.mktemp("train"))


def train(tiles, out: Path, reporter=None, **kw) -> tuple[dict, SilentReporter]:
    rep = reporter or SilentReporter()
    job = {"datasets": [str(tiles)], "output_model": str(out), "architecture": LIGHT, "epochs": 2,
           "batch_size": 4, "learning_rate": 2e-3, "validation": 0.34, "augment": ["none"], "device": "cpu",
           "patience": 0, "lr_find_steps": 12}
    job.update(kw)
    return run_job("train", job, rep), rep


# --- pieces -----------------------------------------------------------------------------


def test_split_never_puts_one_image_on_both_sides(tiles):
    col = open_datasets([str(tiles)], SilentReporter())
    sources = [t.source for _, t in col.tiles]
    for fraction in (0.1, 0.34, 0.5, 0.9):
        for seed in range(4):
            s = split_tiles(col, fraction, None, seed)
            assert sorted(s.train + s.validation) == list(range(len(sources)))
            assert not {sources[i] for i in s.train} & {sources[i] for i in s.validation}
            assert s.train and s.validation
    s = split_tiles(col, 0.0, ["EAST"], 0)
    assert {sources[i] for i in s.validation} == {"scene3"} and s.validation_groups == ["east"]
    with pytest.raises(EngineError, match="no tiles of group\\(s\\) north; the datasets' groups are east, west"):
        split_tiles(col, 0.0, ["north"], 0)


def test_tiles_read_from_files_equal_preloaded_tiles(tiles):
    col = open_datasets([str(tiles)], SilentReporter())
    indices = [0, 3, 5, 11]
    memory = TileArrays(col, indices, True, SilentReporter())
    files = TileArrays(col, indices, False, SilentReporter())
    for a, b in zip(memory.batch([3, 1, 0]), files.batch([3, 1, 0]), strict=False):
        assert (a is None and b is None) or np.array_equal(a, b)
    x, y, _ = memory.batch([0])
    ds, record = col.tiles[0]
    with rasterio.open(ds.root / record.image) as im, rasterio.open(ds.root / record.label) as lb:
        raw, labels = im.read().astype(np.float32), lb.read(1)
    mean = np.array([b.mean for b in col.bands], np.float32)[:, None, None]
    std = np.array([b.std for b in col.bands], np.float32)[:, None, None]
    np.testing.assert_allclose(x[0], (raw - mean) / std, rtol=1e-5, atol=1e-5)
    assert np.array_equal(y[0], labels.astype(np.int64) - 1), "values 1..3 become class indices 0..2"
    own, _, _ = TileArrays(col, indices, True, SilentReporter(), normalisation="tile").batch([0])
    np.testing.assert_allclose(own[0], (raw - raw.mean(axis=(1, 2), keepdims=True))
                               / raw.std(axis=(1, 2), keepdims=True), rtol=1e-4, atol=1e-4)


def test_class_weights_lift_thin_classes():
    w = class_weights([98_000, 2_000], "sqrt")
    assert w[1] / w[0] == pytest.approx(7.0) and sum(w) / 2 == pytest.approx(1.0)
    assert class_weights([98_000, 2_000], "inverse")[1] / class_weights([98_000, 2_000], "inverse")[0] == \
        pytest.approx(49.0)
    assert class_weights([5, 7], "none") == [1.0, 1.0]


def test_front_class_weighting_lifts_only_the_front():
    w = class_weights([40_000, 40_000, 18_000, 2_000], "front", ["rock", "glacier", "ocean", "front"])
    assert w[:3] == [1.0, 1.0, 1.0], "the zones keep weight 1"
    assert w[3] == pytest.approx((100_000 / (4 * 2_000)) ** 0.5), "the front: inverse sqrt of its share of a class"
    with pytest.raises(ValueError, match="role is front"):
        class_weights([5, 7], "front", ["glacier", "ocean"])


def test_augmentation_keeps_images_and_labels_aligned():
    torch.manual_seed(0)
    y = torch.randint(0, 3, (16, 32, 32))
    x = torch.stack([y.float(), -y.float()], 1)  # the image is the label
    valid = torch.ones(16, 32, 32, dtype=torch.bool)
    valid[:, :4] = False
    aug = Augmenter(["flip", "rotate"], [0.0, 0.0], [1.0, 1.0])
    gen = torch.Generator().manual_seed(1)
    xa, ya, va = aug(x.clone(), y.clone(), valid.clone(), gen)
    assert (xa[:, 0] == ya.float()).all() and (xa[:, 1] == -ya.float()).all()
    assert not torch.equal(ya, y), "something moved"
    assert va.sum() == valid.sum() and not torch.equal(va, valid)
    noisy = Augmenter(["brightness", "speckle"], [5.0, 5.0], [1.0, 1.0])
    xb, yb, vb = noisy(x.clone(), y.clone(), valid.clone(), gen)
    assert torch.equal(yb, y) and (xb[:, :, :4] == 0).all(), "NoData stays 0"
    assert not torch.equal(xb, x * valid[:, None])


def test_the_valley_lies_on_the_falling_part_of_the_curve():
    lrs = list(np.logspace(-7, 1, 80))
    losses = [2.0 - 1.5 / (1 + np.exp(-(np.log10(lr) + 3.5) * 3)) for lr in lrs]  # falls around 3e-4
    losses = [v + (0 if lr < 0.1 else 50 * (lr - 0.1)) for v, lr in zip(losses, lrs, strict=False)]  # diverges past 0.1
    v, s = valley(lrs, losses), steepest(lrs, losses)
    assert 1e-6 < v < 1e-1 and 1e-5 < s < 1e-2


def test_early_stopping_keeps_the_best_epoch_and_stops_after_patience():
    stop = EarlyStopping("mean_iou", patience=2)
    entries = [{"epoch": e, "train_loss": 1.0, "valid_loss": 1.0, "mean_iou": v}
               for e, v in enumerate([0.3, 0.5, 0.45, 0.5, 0.2], start=1)]
    assert [stop.update(e) for e in entries[:3]] == [True, True, False] and not stop.stopped
    assert stop.update(entries[3]) is False and stop.stopped and stop.best_epoch == 2
    by_loss = EarlyStopping("valid_loss", patience=0)
    for e, v in enumerate([0.9, 0.7, 0.8, 0.6], start=1):
        by_loss.update({"epoch": e, "train_loss": 1.0, "valid_loss": v})
    assert by_loss.best_epoch == 4 and not by_loss.stopped, "patience 0 never stops"
    no_validation = EarlyStopping("mean_iou", patience=1)
    no_validation.update({"epoch": 1, "train_loss": 0.5})
    assert no_validation.update({"epoch": 2, "train_loss": 0.4}) and no_validation.best_epoch == 2
    diverging = EarlyStopping("valid_loss", patience=5)
    diverging.update({"epoch": 1, "train_loss": 0.5, "valid_loss": 0.6})
    assert not diverging.update({"epoch": 2, "train_loss": float("nan"), "valid_loss": float("nan")})
    assert diverging.stopped and diverging.diverged and diverging.best_epoch == 1


# --- training ---------------------------------------------------------------------------


def test_two_epochs_lower_the_loss_and_write_a_loadable_package(tiles, tmp_path):
    out = tmp_path / "model"
    result, rep = train(tiles, out, architecture="hrnet_w18_small", learning_rate=3e-3, validation_groups=["east"],
                        augment=["flip", "rotate", "brightness", "speckle"])
    assert result["epochs_run"] == 2
    assert result["train_loss"][1] < 0.9 * result["train_loss"][0], result["train_loss"]
    pkg = load_package(out)
    net = pkg.build_network("cpu")
    assert net(torch.zeros(1, 4, 64, 64)).shape == (1, 3, 64, 64)
    assert pkg.architecture == "hrnet_w18_small" and pkg.tile_size == 64 and pkg.cell_size == pytest.approx(30.0)
    assert [(c.value, c.name, c.role) for c in pkg.classes] == [(1, "ocean", "ocean"), (2, "glacier", "glacier"),
                                                                 (3, "rock", "rock")]
    meta = json.loads((tiles / "dataset.json").read_text())
    assert [b.mean for b in pkg.bands] == pytest.approx([b["mean"] for b in meta["bands"]])
    training = pkg.training
    assert len(training["history"]) == 2 and training["best_epoch"] in (1, 2)
    assert set(training["validation"]) >= {"valid_loss", "accuracy", "mean_iou", "mean_f1", "per_class"}
    assert set(training["validation"]["per_class"]["ocean"]) >= {"precision", "recall", "f1", "iou", "dice"}
    assert not set(training["sources"]["train"]) & set(training["sources"]["validation"])
    report = (out / "report.html").read_text()
    assert report.count("data:image/png;base64,") == 3, "curves, batch, results (no range test at a set rate)"
    for heading in ("Loss and metrics per epoch", "Per-class validation metrics", "A training batch",
                    "Ground truth and prediction", "IoU", "Dice (soft)", "precision", "recall"):
        assert heading in report
    assert not Path(str(out) + ".checkpoint.pt").exists(), "the checkpoint goes when training completes"
    assert [m for m in rep.of("progress")][-1] == 100.0
    assert sum(1 for m in rep.of("info") if m.startswith("Epoch ")) == 2


def test_a_shipped_report_names_its_data_not_the_folders_it_was_trained_from(tiles, tmp_path):
    train(tiles, tmp_path / "model", epochs=1)
    report = tmp_path / "model" / "report.html"
    before = report.read_text()
    assert str(tiles.absolute()) in before
    rename_datasets(report, "Some data <CC BY 4.0>")
    after = report.read_text()
    assert str(tiles.absolute()) not in after
    assert "<tr><td>Datasets</td><td>Some data &lt;CC BY 4.0&gt;</td></tr>" in after
    assert re.sub(r"<tr><td>Datasets</td>.*?</tr>", "", after) == re.sub(r"<tr><td>Datasets</td>.*?</tr>", "", before)
    (tmp_path / "page.html").write_text("<p>no table</p>")
    with pytest.raises(EngineError, match="no Datasets row: not a training report"):
        rename_datasets(tmp_path / "page.html", "Some data")
    assert (tmp_path / "page.html").read_text() == "<p>no table</p>"


def test_learning_rate_zero_runs_the_range_test(tiles, tmp_path):
    result, rep = train(tiles, tmp_path / "model", learning_rate=0, epochs=1, resume=1)
    assert any("no checkpoint" in w for w in rep.of("warning")), "RESUME without a checkpoint starts anew"
    assert 1e-7 <= result["learning_rate"] <= 10
    lr_find = load_package(tmp_path / "model").training["lr_find"]
    assert lr_find["suggestion"] == pytest.approx(result["learning_rate"])
    report = (tmp_path / "model" / "report.html").read_text()
    assert "Learning-rate range test" in report and report.count("data:image/png;base64,") == 4


def test_init_weights_start_from_another_package(tiles, tmp_path):
    train(tiles, tmp_path / "first", epochs=1, normalisation="tile", flow="left")
    first = load_package(tmp_path / "first")
    assert first.normalisation == "tile", "the package records how to scale input"
    assert first.flow == "left", "the package records which way the training glaciers flow"
    stale = tmp_path / "second.checkpoint.pt"
    stale.write_bytes(b"left over by an earlier run")
    result, rep = train(tiles, tmp_path / "second", epochs=1, init_weights=str(tmp_path / "first"))
    assert any(re.match(r"INIT_WEIGHTS: (\d+) of \1 tensors taken", m) for m in rep.of("info")), rep.of("info")
    assert any("checkpoint of an earlier run" in w and "RESUME" in w for w in rep.of("warning"))
    assert not stale.exists()


class CancelAfterEpoch(SilentReporter):
    """Asks to stop once epoch ``n`` has been reported (as a user pressing Cancel)."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    def info(self, text: str) -> None:
        super().info(text)
        if text.startswith(f"Epoch {self.n}/"):
            self.cancel_requested = True


def test_resume_continues_from_the_saved_epoch(tiles, tmp_path):
    out = tmp_path / "model"
    checkpoint = Path(str(out) + ".checkpoint.pt")
    interrupted = CancelAfterEpoch(1)
    with pytest.raises(Cancelled):
        train(tiles, out, reporter=interrupted)
    assert not out.exists() and checkpoint.is_file()
    assert any("run again with RESUME" in m for m in interrupted.of("info"))
    saved = load_checkpoint(checkpoint)
    assert saved["epoch"] == 1 and len(saved["history"]) == 1

    with pytest.raises(EngineError, match="EPOCHS=2 there, 3 now"):
        train(tiles, out, epochs=3, resume=1)
    assert checkpoint.is_file()

    result, rep = train(tiles, out, resume=1)
    assert any("Resuming from the checkpoint" in m and "1 of 2 epoch(s) done" in m for m in rep.of("info"))
    assert [m for m in rep.of("info") if m.startswith("Epoch ")] == [
        m for m in rep.of("info") if m.startswith("Epoch 2/2")], "only epoch 2 runs again"
    history = load_package(out).training["history"]
    assert [h["epoch"] for h in history] == [1, 2]
    assert history[0]["train_loss"] == pytest.approx(saved["history"][0]["train_loss"])
    assert not checkpoint.exists()


@pytest.mark.parametrize("case,message", [
    ("no dataset.json", "has no dataset.json; make a tile dataset with Export Training Tiles"),
    ("class missing", "missing from the training tiles: 'rock' \\(value 3\\) is only in the validation tiles"),
    ("one image", "leaves no validation tiles: the datasets hold tiles of one source image only"),
    ("tile sizes differ", "has tiles of 64 px but .* of 32 px"),
    ("tile not a multiple", "multiple of 32 px; the datasets' tiles are 48 px"),
    ("all groups held out", "holds out every tile"),
    ("output not a package", "holds other files and is not a model package"),
    ("unknown normalisation", "NORMALISATION must be one of dataset, tile, window, not 'scene'"),
    ("unknown flow", "FLOW must be one of right, up, left, down, not 'north'"),
])
def test_bad_input_gives_one_clear_line_and_no_output(tmp_path, case, message):
    kw = {}
    if case == "no dataset.json":
        data = [tmp_path / "empty"]
        data[0].mkdir()
    elif case == "class missing":
        data = [direct_tiles(tmp_path / "d", {"A": [1, 2], "B": [1, 2, 3]}, groups={"A": "a", "B": "b"})]
        kw["validation_groups"] = ["b"]
    elif case == "one image":
        data = [direct_tiles(tmp_path / "d", {"A": [1, 2]})]
    elif case == "tile sizes differ":
        data = [direct_tiles(tmp_path / "d1", {"A": [1, 2]}, tile=32), direct_tiles(tmp_path / "d2", {"B": [1, 2]})]
    elif case == "tile not a multiple":
        data = [direct_tiles(tmp_path / "d", {"A": [1, 2], "B": [1, 2]}, tile=48)]
    elif case == "all groups held out":
        data = [direct_tiles(tmp_path / "d", {"A": [1, 2], "B": [1, 2]}, groups={"A": "g", "B": "g"})]
        kw["validation_groups"] = ["g"]
    elif case == "output not a package":
        data = [direct_tiles(tmp_path / "d", {"A": [1, 2], "B": [1, 2]})]
        (tmp_path / "model").mkdir()
        (tmp_path / "model" / "notes.txt").write_text("mine")
    elif case == "unknown normalisation":
        data = [direct_tiles(tmp_path / "d", {"A": [1, 2], "B": [1, 2]})]
        kw["normalisation"] = "scene"
    elif case == "unknown flow":
        data = [direct_tiles(tmp_path / "d", {"A": [1, 2], "B": [1, 2]})]
        kw["flow"] = "north"
    out = tmp_path / "model"
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(EngineError, match=message) as err:
        run_job("train", {"datasets": [str(d) for d in data], "output_model": str(out), "device": "cpu",
                          "architecture": LIGHT, **kw})
    assert "\n" not in str(err.value)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before, "nothing written, nothing removed"


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA GPU")
def test_asking_for_cuda_without_a_gpu_is_a_clear_error(tiles, tmp_path):
    with pytest.raises(EngineError, match="DEVICE is cuda but no CUDA GPU is available"):
        train(tiles, tmp_path / "model", device="cuda")
    assert not (tmp_path / "model").exists()


# --- the engine's command line and torchrun ---------------------------------------------


def engine_env() -> dict:
    import glacier_terminus

    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(os.path.abspath(glacier_terminus.__file__)))
    return env


def protocol(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def test_the_command_line_gives_a_clear_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "glacier_terminus.core", "train", "--datasets",
                           str(tmp_path / "nowhere"), "--output-model", str(tmp_path / "m")], env=engine_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert protocol(done.stdout) == [{"error": f"DATASETS: {tmp_path / 'nowhere'} does not exist."}]
    assert "Traceback" not in done.stdout + done.stderr


def test_two_processes_with_gloo_give_a_package(tiles, tmp_path):
    out = tmp_path / "model"
    argv = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
            "-m", "glacier_terminus.core", "train", "--datasets", str(tiles), "--output-model", str(out),
            "--architecture", LIGHT, "--epochs", "2", "--batch-size", "2", "--learning-rate", "0.002",
            "--validation", "0.34", "--augment", "flip", "rotate", "--device", "cpu"]
    done = subprocess.run(argv, env=engine_env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    messages = protocol(done.stdout)
    results = [m["result"] for m in messages if "result" in m]
    assert len(results) == 1, "only rank 0 speaks the protocol"
    assert results[0]["processes"] == 2 and results[0]["epochs_run"] == 2
    assert sum(1 for m in messages if "info" in m and m["info"].startswith("Epoch 1/2")) == 1
    pkg = load_package(out)
    assert pkg.training["processes"] == 2 and len(pkg.training["history"]) == 2
    pkg.build_network("cpu")
    assert (out / "report.html").is_file() and not Path(str(out) + ".checkpoint.pt").exists()
