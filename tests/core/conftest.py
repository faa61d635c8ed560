"""Fixtures of the core tests: what several of them run on, made once per session."""
from __future__ import annotations

import pytest
from helpers import make_package


@pytest.fixture(scope="session")
def model(tmp_path_factory):
    """A 4-band, 3-class HRNet-W18-small package of 64 px tiles with random (seeded) weights."""
    return make_package(tmp_path_factory.mktemp("model") / "model", tile=64)
