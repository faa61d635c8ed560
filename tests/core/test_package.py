"""Model packages: round trip, and a clear one-line error for every kind of broken package."""
import json
import shutil

import pytest
from helpers import make_package

from glacier_terminus.core.engine.protocol import EngineError
from glacier_terminus.core.segmentation.architectures import ARCHITECTURES, get_architecture
from glacier_terminus.core.segmentation.package import load_package


def test_round_trip(model):
    pkg = load_package(model)
    assert (pkg.architecture, pkg.tile_size, len(pkg.bands), len(pkg.classes)) == ("hrnet_w18_small", 64, 4, 3)
    assert pkg.class_with_role("ocean").value == 1
    net = pkg.build_network()
    assert not net.training
    meta = json.loads((model / "model.json").read_text())
    assert len(meta["weights_sha256"]) == 64


def test_registry_has_hrnet_and_others():
    assert "hrnet_w18_small" in ARCHITECTURES and any("hrnet" not in k for k in ARCHITECTURES)
    with pytest.raises(KeyError, match="known"):
        get_architecture("nope")


def broken(model, tmp_path, edit):
    bad = tmp_path / "bad"
    shutil.copytree(model, bad)
    edit(bad)
    return bad


def set_field(**fields):
    def edit(path):
        meta = json.loads((path / "model.json").read_text())
        meta.update(fields)
        (path / "model.json").write_text(json.dumps(meta))
    return edit


@pytest.mark.parametrize("edit,message", [
    (lambda p: (p / "weights.safetensors").unlink(), "has no weights.safetensors"),
    (lambda p: (p / "model.json").unlink(), "has no model.json"),
    (lambda p: (p / "model.json").write_text("{not json"), "not valid JSON"),
    (set_field(schema_version=99), "newer than this Glacier Terminus reads"),
    (set_field(architecture="vgg99"), "Unknown architecture"),
    (set_field(tile_size=100), "multiple of 32"),
    (set_field(classes=[{"value": 1, "name": "a", "color": "#000000"}]), "at least two classes"),
    (set_field(bands=[{"name": "x", "mean": 0, "std": 0}] * 4), "std must be positive"),
    (set_field(flow="north"), "unknown flow 'north'; known: right, up, left, down"),
    (lambda p: (p / "model.json").write_text('{"schema_version": 1}'), "missing or has a bad field"),
])
def test_broken_packages_fail_clearly(model, tmp_path, edit, message):
    with pytest.raises(EngineError, match=message) as err:
        load_package(broken(model, tmp_path, edit))
    assert "\n" not in str(err.value)


def without_hash(edit):
    """``edit``, then model.json without its weights_sha256 (a package written by hand or by an old
    version): what the weights themselves hold is checked then."""
    def both(path):
        edit(path)
        meta = json.loads((path / "model.json").read_text())
        meta.pop("weights_sha256")
        (path / "model.json").write_text(json.dumps(meta))
    return both


def test_weights_that_do_not_match_the_architecture(model, tmp_path):
    other = make_package(tmp_path / "other", n_classes=2, tile=64)
    bad = broken(model, tmp_path, without_hash(
        lambda p: shutil.copy(other / "weights.safetensors", p / "weights.safetensors")))
    with pytest.raises(EngineError, match="do not match architecture"):
        load_package(bad).build_network()


def test_corrupt_weights_file(model, tmp_path):
    bad = broken(model, tmp_path, without_hash(lambda p: (p / "weights.safetensors").write_bytes(b"\x00" * 100)))
    with pytest.raises(EngineError, match="Cannot read weights"):
        load_package(bad).build_network()


def flip_one_byte(path):
    weights = bytearray((path / "weights.safetensors").read_bytes())
    weights[-5] ^= 0xFF
    (path / "weights.safetensors").write_bytes(bytes(weights))


def test_weights_damaged_on_disk_are_refused_by_their_recorded_hash(model, tmp_path):
    bad = broken(model, tmp_path, flip_one_byte)
    with pytest.raises(EngineError, match="weights_sha256 differs") as err:
        load_package(bad).build_network()
    assert "\n" not in str(err.value)


def nan_weights(path):
    from safetensors.torch import load_file, save_file

    state = load_file(str(path / "weights.safetensors"))
    name = next(k for k, v in state.items() if v.is_floating_point() and v.numel() > 1)
    state[name][0] = float("nan")
    save_file(state, str(path / "weights.safetensors"))


def test_weights_with_nan_are_refused_by_name(model, tmp_path):
    bad = broken(model, tmp_path, without_hash(nan_weights))
    with pytest.raises(EngineError, match="holds NaN or infinite values"):
        load_package(bad).build_network()


@pytest.mark.parametrize("bands,message", [
    ([{"name": "x", "mean": float("nan"), "std": 1.0}] * 4, "is not finite"),
    ([{"name": "x", "mean": 0.0, "std": float("inf")}] * 4, "is not finite"),
])
def test_normalisation_statistics_that_are_not_finite_are_refused(model, tmp_path, bands, message):
    with pytest.raises(EngineError, match=message):
        load_package(broken(model, tmp_path, set_field(bands=bands)))


def test_impossible_architecture_arguments_are_one_line(model, tmp_path):
    bad = broken(model, tmp_path, set_field(architecture_args={"encoder_depth": 99}))
    with pytest.raises(EngineError, match="cannot be built with architecture_args") as err:
        load_package(bad).build_network()
    assert "\n" not in str(err.value)


def test_quarter_turns_come_from_the_training_augmentation(model, tmp_path):
    """Classify's TTA adds the transposed views only for a model trained with quarter turns."""
    assert not load_package(model).trained_with_quarter_turns
    turned = tmp_path / "turned"
    shutil.copytree(model, turned)
    meta = json.loads((turned / "model.json").read_text())
    meta["training"] = {"parameters": {"augment": ["flip", "rotate"]}}
    (turned / "model.json").write_text(json.dumps(meta))
    assert load_package(turned).trained_with_quarter_turns
