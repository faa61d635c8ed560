"""Model packages: a folder with ``model.json`` (what the model expects and knows) and
``weights.safetensors`` (tensors only: loading a model can never run code)."""
from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, Sequence

from ..choices import EXTRACT_METHODS
from ..classes import ClassRoles, hex_rgb, roles_from_names
from ..engine.protocol import PARTIAL_OUTPUTS, EngineError
from ..geo.flow import DIRECTIONS
from .architectures import get_architecture

if TYPE_CHECKING:
    import numpy as np

SCHEMA_VERSION = 1
MODEL_FILE = "model.json"
WEIGHTS_FILE = "weights.safetensors"
ROLES = ("ocean", "glacier", "front", "rock", "no_information", "background", "other")
#: How input values are scaled for the network: ``dataset``, with each band's mean and standard
#: deviation over the training tiles; ``tile``, with each tile's own (over its valid pixels), so that
#: a brighter, darker or flatter scene reaches the network as the scenes it learnt from did;
#: ``window``, each pixel with the mean and standard deviation of the valid pixels in the square of the
#: training tile's side centred on it (clipped at the raster's edges): what ``tile`` does for a tile
#: centred on the pixel, but the same whatever the tiling, so inference may run larger tiles.
NORMALISATIONS = ("dataset", "tile", "window")
#: The normalisations whose values do not depend on where inference cuts its tiles.
TILING_INDEPENDENT = ("dataset", "window")
#: The imagery a model was trained on (model.json's ``imagery``): optical reflectance or SAR amplitude.
IMAGERY = ("optical", "sar")
#: What model.json's ``front_extraction`` may hold: Extract Calving Front's METHOD (not auto) and the
#: settings the model's validation chose with it; METHOD auto and empty settings take these.
ROUTE_SETTINGS = ("method", "grow_threshold", "keep", "min_length_cells", "min_mean_prob")
#: What model.json's ``classify`` may hold: the Classify Pixels settings its validation measured with
#: (``{"tta": 1}``); a job that leaves them empty takes these.
CLASSIFY_SETTINGS = ("tta",)


@dataclass(frozen=True)
class Band:
    """An input band and its normalisation: ``(value - mean) / std``."""

    name: str
    mean: float
    std: float


class BandStatistics(Protocol):
    """What normalising by dataset statistics reads of a band (a :class:`Band`, or a dataset's band statistics)."""

    @property
    def mean(self) -> float: ...

    @property
    def std(self) -> float: ...


def _window_ends(n: int, side: int, part: slice) -> tuple[np.ndarray, np.ndarray]:
    """For the pixels ``part`` of an axis of ``n``: the first and one past the last index of the ``side``
    square centred on each (``i - side // 2`` to ``i + side - side // 2 - 1``), clipped to ``0 .. n``."""
    import numpy as np

    i = np.arange(*part.indices(n))
    return np.clip(i - side // 2, 0, n), np.clip(i + side - side // 2, 0, n)


def window_sums(a: np.ndarray, side: int, part: tuple[slice, slice] = (slice(None), slice(None))) -> np.ndarray:
    """Sums of ``a`` ``(..., h, w)`` over the ``side`` x ``side`` square centred on each pixel (rows and
    columns ``i - side // 2`` to ``i + side - side // 2 - 1``), clipped at the array's edges, for the pixels
    ``part`` (rows, columns) only; float64 (running box sums, one axis after the other)."""
    import numpy as np
    from scipy.ndimage import uniform_filter1d

    # uniform_filter1d's box of even ``side`` also runs from i - side // 2 to i + side - side // 2 - 1;
    # outside the array it adds zeros, as clipping does
    rows = uniform_filter1d(np.asarray(a, dtype=np.float64), side, axis=-2, mode="constant", cval=0.0)[..., part[0], :]
    return uniform_filter1d(rows, side, axis=-1, mode="constant", cval=0.0)[..., part[1]] * float(side * side)


def window_counts(shape: tuple[int, int], side: int, part: tuple[slice, slice]) -> np.ndarray:
    """How many pixels of an array of ``shape`` (h, w) the clipped ``side`` square of each pixel of ``part``
    holds: :func:`window_sums` of ones, without summing."""
    import numpy as np

    (r0, r1), (c0, c1) = _window_ends(shape[0], side, part[0]), _window_ends(shape[1], side, part[1])
    return np.outer(r1 - r0, c1 - c0).astype(np.float64)


def normalised(values: np.ndarray, valid: np.ndarray | None, bands: Sequence[BandStatistics], how: str,
               window: int = 0, part: tuple[slice, slice] = (slice(None), slice(None))) -> np.ndarray:
    """Input values ``(..., bands, h, w)`` scaled as NORMALISATIONS says, float32, NoData 0;
    ``valid`` broadcasts to ``values`` (None: all valid); non-finite values are NoData too; ``window``
    is the side of ``window``'s square in pixels of ``values``. Only the pixels ``part`` (rows, columns)
    are returned: with ``window``, the others are the context their statistics read."""
    import numpy as np

    x = values.astype(np.float32)
    finite = np.isfinite(x)
    valid = finite if valid is None else np.broadcast_to(valid, x.shape) & finite  # NaN is never data
    x = np.where(valid, x, np.float32(0))
    if how == "window":
        if window < 1:
            raise ValueError("normalisation 'window' needs the window's side")
        if valid.all():
            count = window_counts((x.shape[-2], x.shape[-1]), window, part)
        else:
            count = np.maximum(window_sums(valid, window, part), 1.0)
        mean = window_sums(x, window, part) / count
        spread = np.sqrt(np.maximum(window_sums(np.square(x, dtype=np.float64), window, part) / count - mean**2, 0.0))
        x, valid = x[..., part[0], part[1]], valid[..., part[0], part[1]]
        x = ((x - mean) / np.where(spread > 1e-6, spread, 1.0)).astype(np.float32)
        return np.where(valid, x, np.float32(0))
    if how == "tile":
        weight = valid.astype(np.float32)
        count = np.maximum(weight.sum(axis=(-2, -1), keepdims=True), 1.0)
        mean = (x * weight).sum(axis=(-2, -1), keepdims=True) / count
        std = np.sqrt(((x - mean) ** 2 * weight).sum(axis=(-2, -1), keepdims=True) / count)
        x = (x - mean) / np.where(std > 0, std, 1.0)
    else:
        x = (x - np.array([b.mean for b in bands], np.float32)[:, None, None]) / \
            np.array([b.std for b in bands], np.float32)[:, None, None]
    return np.where(valid, x, np.float32(0))[..., part[0], part[1]]


@dataclass(frozen=True)
class ModelClass:
    """An output class: raster value (from 1), name, colour ``#rrggbb`` and role."""

    value: int
    name: str
    color: str
    role: str = "other"

    @property
    def rgb(self) -> tuple[int, int, int]:
        return hex_rgb(self.color)


@dataclass
class ModelPackage:
    """Everything model.json says, plus where the package lives."""

    name: str
    architecture: str
    bands: list[Band]
    classes: list[ModelClass]
    tile_size: int
    cell_size: float | None  # in CRS units; None = trained in pixel units
    dtype: str
    value_range: tuple[float, float]
    architecture_args: dict[str, Any] = field(default_factory=dict)
    weights_dtype: str = "float32"
    normalisation: str = "dataset"  # one of NORMALISATIONS
    flow: str | None = None  # the way the glaciers flow in the training tiles (flow.DIRECTIONS), if recorded
    imagery: str | None = None  # IMAGERY the model was trained on, if recorded
    front_extraction: dict[str, Any] = field(default_factory=dict)  # the route its validation chose
    classify: dict[str, Any] = field(default_factory=dict)  # the classify settings its validation used
    training: dict[str, Any] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION
    weights_sha256: str | None = None  # of weights.safetensors, recorded when the package was written
    path: Path | None = None

    @property
    def trained_with_quarter_turns(self) -> bool:
        """Whether training turned its tiles by quarter turns (AUGMENT held ``rotate``)."""
        return "rotate" in ((self.training.get("parameters") or {}).get("augment") or [])

    def to_json(self) -> dict:
        d = asdict(self)
        d.pop("path")
        d["value_range"] = list(self.value_range)
        return d

    @property
    def weights_path(self) -> Path:
        assert self.path is not None
        return self.path / WEIGHTS_FILE

    def class_with_role(self, role: str) -> ModelClass | None:
        return next((c for c in self.classes if c.role == role), None)

    def build_network(self, device: str = "cpu"):
        """The network with this package's weights, in eval mode, on ``device``."""
        import torch
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        try:
            with torch.device("meta"):  # no random initialisation: every tensor comes from the file
                net = get_architecture(self.architecture).build(
                    len(self.bands), len(self.classes), **self.architecture_args
                )
        except Exception as exc:  # noqa: BLE001 - any library's complaint about the arguments
            raise _fail(self.path, f"architecture '{self.architecture}' cannot be built with architecture_args "
                                   f"{json.dumps(self.architecture_args)} ({type(exc).__name__}: "
                                   f"{str(exc).splitlines()[0] if str(exc) else 'no detail'}).") from None
        self.check_weights_file()
        try:
            state = load_file(str(self.weights_path))
        except (SafetensorError, OSError, ValueError) as exc:
            raise EngineError(f"Cannot read weights {self.weights_path}: {exc}") from None
        broken = sorted(k for k, v in state.items() if v.is_floating_point() and not bool(torch.isfinite(v).all()))
        if broken:
            raise _fail(self.path, f"{WEIGHTS_FILE} holds NaN or infinite values ({', '.join(broken[:3])}"
                                   f"{' ...' if len(broken) > 3 else ''}): the package is damaged.")
        expected = net.state_dict()
        missing = sorted(set(expected) - set(state))
        unexpected = sorted(set(state) - set(expected))
        wrong = sorted(k for k in set(state) & set(expected) if state[k].shape != expected[k].shape)
        if missing or unexpected or wrong:
            detail = "; ".join(
                f"{label}: {', '.join(keys[:3])}{' ...' if len(keys) > 3 else ''}"
                for label, keys in (("missing", missing), ("unexpected", unexpected), ("wrong shape", wrong))
                if keys
            )
            raise EngineError(
                f"Weights in {self.weights_path} do not match architecture '{self.architecture}' "
                f"with {len(self.bands)} bands and {len(self.classes)} classes ({detail})."
            )
        net.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in state.items()}, assign=True)
        if any(t.is_meta for t in (*net.parameters(), *net.buffers())):
            raise EngineError(f"Weights in {self.weights_path} leave tensors of '{self.architecture}' unset.")
        return net.eval().to(device)


    def check_weights_file(self) -> str:
        """The weights file's SHA-256, refusing weights that are not the ones model.json recorded
        (``weights_sha256``)."""
        digest = file_sha256(self.weights_path)
        if self.weights_sha256 and digest != self.weights_sha256:
            raise _fail(self.path, f"{WEIGHTS_FILE} is not the file model.json records (weights_sha256 differs): "
                                   "the package is damaged or its weights were replaced; copy it again.")
        return digest

    def network_key(self) -> str:
        """A digest of what makes the network (the weights file as it is on disk, the architecture, its
        arguments, bands and classes): equal keys, equal networks. Checks the weights first."""
        facts = [self.check_weights_file(), self.architecture, self.architecture_args, len(self.bands),
                 len(self.classes)]
        return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fail(path: Path | None, why: str) -> EngineError:
    return EngineError(f"Model package {path}: {why}")


def load_package(path: str | os.PathLike) -> ModelPackage:
    """Read and validate a model package folder, or the shipped model of that name (``sar_zones``);
    every problem is a one-line EngineError."""
    from .shipped_models import SHIPPED_MODELS, shipped_model_path

    if str(path) in SHIPPED_MODELS and not Path(path).exists():
        path = shipped_model_path(str(path))
    path = Path(path)
    if not path.is_dir():
        raise _fail(path, "is not a folder.")
    meta_path = path / MODEL_FILE
    if not meta_path.is_file():
        raise _fail(path, f"has no {MODEL_FILE}.")
    if not (path / WEIGHTS_FILE).is_file():
        raise _fail(path, f"has no {WEIGHTS_FILE}.")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _fail(path, f"{MODEL_FILE} is not valid JSON ({exc}).") from None
    if not isinstance(meta, dict):
        raise _fail(path, f"{MODEL_FILE} must hold a JSON object.")
    version = meta.get("schema_version")
    if not isinstance(version, int):
        raise _fail(path, "model.json has no schema_version.")
    if version > SCHEMA_VERSION:
        raise _fail(
            path,
            f"schema version {version} is newer than this Glacier Terminus reads "
            f"({SCHEMA_VERSION}); update the plugin.",
        )
    try:
        pkg = ModelPackage(
            name=str(meta["name"]),
            architecture=str(meta["architecture"]),
            architecture_args=dict(meta.get("architecture_args", {})),
            bands=[Band(str(b["name"]), float(b["mean"]), float(b["std"])) for b in meta["bands"]],
            classes=[
                ModelClass(int(c["value"]), str(c["name"]), str(c["color"]), str(c.get("role", "other")))
                for c in meta["classes"]
            ],
            tile_size=int(meta["tile_size"]),
            cell_size=None if meta.get("cell_size") is None else float(meta["cell_size"]),
            dtype=str(meta["dtype"]),
            value_range=(float(meta["value_range"][0]), float(meta["value_range"][1])),
            weights_dtype=str(meta.get("weights_dtype", "float32")),
            normalisation=str(meta.get("normalisation", "dataset")),
            flow=None if meta.get("flow") is None else str(meta["flow"]),
            imagery=None if meta.get("imagery") is None else str(meta["imagery"]),
            front_extraction=dict(meta.get("front_extraction") or {}),
            classify=dict(meta.get("classify") or {}),
            training=dict(meta.get("training", {})),
            schema_version=version,
            weights_sha256=None if meta.get("weights_sha256") is None else str(meta["weights_sha256"]),
            path=path,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise _fail(path, f"model.json is missing or has a bad field ({exc}).") from None
    _validate(pkg)
    return pkg


def _validate(pkg: ModelPackage) -> None:
    path = pkg.path
    try:
        arch = get_architecture(pkg.architecture)
    except KeyError as exc:
        raise _fail(path, str(exc.args[0])) from None
    if not pkg.bands:
        raise _fail(path, "model.json lists no bands.")
    for b in pkg.bands:
        if not (math.isfinite(b.mean) and math.isfinite(b.std)):
            raise _fail(path, f"band {b.name}'s normalisation (mean {b.mean}, std {b.std}) is not finite: the "
                              "package is damaged.")
    if any(b.std <= 0 for b in pkg.bands):
        raise _fail(path, "every band's std must be positive.")
    if not all(math.isfinite(v) for v in pkg.value_range):
        raise _fail(path, f"value_range {list(pkg.value_range)} is not finite: the package is damaged.")
    if pkg.normalisation not in NORMALISATIONS:
        raise _fail(path, f"unknown normalisation {pkg.normalisation!r}; known: {', '.join(NORMALISATIONS)}.")
    if pkg.flow is not None and pkg.flow not in DIRECTIONS:
        raise _fail(path, f"unknown flow {pkg.flow!r}; known: {', '.join(DIRECTIONS)}.")
    if pkg.imagery is not None and pkg.imagery not in IMAGERY:
        raise _fail(path, f"unknown imagery {pkg.imagery!r}; known: {', '.join(IMAGERY)}.")
    problem = route_problem(pkg.front_extraction) if pkg.front_extraction else None
    if problem:
        raise _fail(path, f"front_extraction {problem}")
    unknown = sorted(set(pkg.classify) - set(CLASSIFY_SETTINGS))
    if unknown:
        raise _fail(path, f"classify has unknown setting(s) {', '.join(unknown)}; "
                          f"known: {', '.join(CLASSIFY_SETTINGS)}.")
    if pkg.classify.get("tta", 0) not in (0, 1):
        raise _fail(path, f"classify's tta must be 0 or 1, not {pkg.classify['tta']!r}.")
    if len(pkg.classes) < 2:
        raise _fail(path, "a model needs at least two classes.")
    values = [c.value for c in pkg.classes]
    if len(set(values)) != len(values) or min(values) < 1 or max(values) > 255:
        raise _fail(path, "class values must be distinct and within 1..255 (0 is no data).")
    bad_roles = {c.role for c in pkg.classes} - set(ROLES)
    if bad_roles:
        raise _fail(path, f"unknown class role(s) {sorted(bad_roles)}; known: {', '.join(ROLES)}.")
    if pkg.tile_size < arch.multiple or pkg.tile_size % arch.multiple:
        raise _fail(path, f"tile_size must be a positive multiple of {arch.multiple}.")
    if pkg.cell_size is not None and pkg.cell_size <= 0:
        raise _fail(path, "cell_size must be positive (or null for pixel units).")


def route_problem(route: Any) -> str | None:
    """What is wrong with a recorded front-extraction route (model.json's ``front_extraction``, a
    class raster's tag), or None."""
    if not isinstance(route, dict):
        return "must be a JSON object."
    if route.get("method") not in EXTRACT_METHODS[1:]:
        return f"names an unknown method {route.get('method')!r}; known: {', '.join(EXTRACT_METHODS[1:])}."
    unknown = sorted(set(route) - set(ROUTE_SETTINGS))
    if unknown:
        return f"has unknown setting(s) {', '.join(unknown)}; known: {', '.join(ROUTE_SETTINGS)}."
    return None


#: The class-raster tag that carries the model's front-extraction route with its output.
ROUTE_TAG = "front_extraction"


def route_tags(pkg: ModelPackage) -> dict[str, str]:
    """Tags for a class raster the package wrote: its route (so that Extract Calving Front's METHOD
    auto follows it without MODEL) and its imagery."""
    tags = {ROUTE_TAG: json.dumps(pkg.front_extraction, sort_keys=True)} if pkg.front_extraction else {}
    if pkg.imagery:
        tags["imagery"] = pkg.imagery
    return tags


def route_from_tags(tags: dict, label: str = "INPUT") -> dict[str, Any]:
    """The route a class raster's tags carry ({} when none); a damaged one is a one-line error."""
    text = tags.get(ROUTE_TAG)
    if not text:
        return {}
    try:
        route = json.loads(text)
    except ValueError:
        route = text
    problem = route_problem(route)
    if problem:
        raise EngineError(f"{label}'s {ROUTE_TAG} tag {problem}")
    return route


def save_package(path: str | os.PathLike, pkg: ModelPackage, state_dict: dict) -> Path:
    """Write a package folder atomically (a temporary sibling renamed when complete)."""
    import torch
    from safetensors.torch import save_file

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    dtype = {"float32": torch.float32, "float16": torch.float16}[pkg.weights_dtype]
    tensors = {
        k: (v.detach().to("cpu", dtype) if v.is_floating_point() else v.detach().cpu()).contiguous()
        for k, v in state_dict.items()
    }
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    PARTIAL_OUTPUTS.add(str(tmp))
    try:
        save_file(tensors, str(tmp / WEIGHTS_FILE))
        meta = pkg.to_json()
        meta["weights_sha256"] = file_sha256(tmp / WEIGHTS_FILE)
        (tmp / MODEL_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        for f in (tmp / WEIGHTS_FILE, tmp / MODEL_FILE):
            f.chmod(0o644)
        tmp.chmod(0o755)
        if path.exists():
            shutil.rmtree(path)
        os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        PARTIAL_OUTPUTS.discard(str(tmp))
    pkg.path = path
    return path


def record_recipe(path: str | os.PathLike, imagery: str | None = None,
                  front_extraction: dict[str, Any] | None = None, classify: dict[str, Any] | None = None,
                  **training: Any) -> ModelPackage:
    """Record in a package what its validation found: the imagery it suits, the classify settings it
    measured with, the front-extraction route it chose and entries of its training summary
    (model.json rewritten atomically, the weights untouched); returns the package as loaded back."""
    path = Path(path)
    meta = json.loads((path / MODEL_FILE).read_text(encoding="utf-8"))
    if imagery is not None:
        meta["imagery"] = imagery
    if front_extraction is not None:
        meta["front_extraction"] = dict(front_extraction)
    if classify is not None:
        meta["classify"] = dict(classify)
    meta.setdefault("training", {}).update(training)
    tmp = path / f".{MODEL_FILE}.partial"
    tmp.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    old = (path / MODEL_FILE).read_bytes()
    os.replace(tmp, path / MODEL_FILE)
    try:
        return load_package(path)
    except EngineError:
        (path / MODEL_FILE).write_bytes(old)
        raise


def roles_from_package(model_path: str) -> ClassRoles:
    """Roles from a model package's model.json (explicit roles; names for the rest)."""
    pkg = load_package(model_path)
    names = {c.value: c.name for c in pkg.classes}
    by_name = roles_from_names(names)
    ocean = tuple(sorted(c.value for c in pkg.classes if c.role == "ocean")) or by_name.ocean
    glacier = tuple(sorted(c.value for c in pkg.classes if c.role == "glacier")) or by_name.glacier
    front = pkg.class_with_role("front")
    rock = tuple(sorted(c.value for c in pkg.classes if c.role == "rock")) or by_name.rock
    return ClassRoles(names, ocean, glacier, front.value if front else by_name.front, rock)
