"""Model packages: round trip, and a clear one-line error for every kind of broken package."""
import json
import shutil

import pytest

from glacier_terminus.core.architectures import ARCHITECTURES, get_architecture
from glacier_terminus.core.package import load_package
from glacier_terminus.core.protocol import EngineError
from helpers import make_package


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return make_package(tmp_path_factory.mktemp("pkg") / "model", tile=64)


def test_round_trip(good):
    pkg = load_package(good)
    assert (pkg.architecture, pkg.tile_size, len(pkg.bands), len(pkg.classes)) == ("hrnet_w18_small", 64, 4, 3)
    assert pkg.class_with_role("ocean").value == 1
    net = pkg.build_network()
    assert not net.training
    meta = json.loads((good / "model.json").read_text())
    assert len(meta["weights_sha256"]) == 64


def test_registry_has_hrnet_and_others():
    assert "hrnet_w18_small" in ARCHITECTURES and any("hrnet" not in k for k in ARCHITECTURES)
    with pytest.raises(KeyError, match="known"):
        get_architecture("nope")


def broken(good, tmp_path, edit):
    bad = tmp_path / "bad"
    shutil.copytree(good, bad)
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
def test_broken_packages_fail_clearly(good, tmp_path, edit, message):
    with pytest.raises(EngineError, match=message) as err:
        load_package(broken(good, tmp_path, edit))
    assert "\n" not in str(err.value)


def test_weights_that_do_not_match_the_architecture(good, tmp_path):
    other = make_package(tmp_path / "other", n_classes=2, tile=64)
    bad = broken(good, tmp_path, lambda p: shutil.copy(other / "weights.safetensors", p / "weights.safetensors"))
    with pytest.raises(EngineError, match="do not match architecture"):
        load_package(bad).build_network()


def test_corrupt_weights_file(good, tmp_path):
    bad = broken(good, tmp_path, lambda p: (p / "weights.safetensors").write_bytes(b"\x00" * 100))
    with pytest.raises(EngineError, match="Cannot read weights"):
        load_package(bad).build_network()


def test_quarter_turns_come_from_the_training_augmentation(good, tmp_path):
    """Classify's TTA adds the transposed views only for a model trained with quarter turns."""
    assert not load_package(good).trained_with_quarter_turns
    turned = tmp_path / "turned"
    shutil.copytree(good, turned)
    meta = json.loads((turned / "model.json").read_text())
    meta["training"] = {"parameters": {"augment": ["flip", "rotate"]}}
    (turned / "model.json").write_text(json.dumps(meta))
    assert load_package(turned).trained_with_quarter_turns
