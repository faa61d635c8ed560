"""The Glacier Terminus engine: Qt-free and QGIS-free; run it with ``python -m glacier_terminus.core``.

Where things are (lower layers first; a module imports only from its own layer or below, and
nothing but ``engine/cli.py`` reaches ``commands/``, which it loads by name):

- ``engine/``: the boundary: the command line and job files (``cli``: ``Command``, ``Param``,
  ``run_job``), the JSON-lines protocol and its reporters, the run's file-path rules (``paths``).
- ``choices.py``: the choice lists of parameters, light enough for the Processing algorithms.
- ``classes.py``: class names, roles (ocean, glacier, front, rock, no information) and colours,
  and the raster tags that carry them.
- ``geo/``: rasters, vectors and WKB, polyline geometry, tiles, flow direction, acquisition
  dates, imagery kind.
- ``data/``: tile datasets (``dataset.json``), labels, and exporting rasters, PNG pairs and CaFFe
  scenes as tiles.
- ``segmentation/``: the architecture registry, model packages, the shipped models and
  classifying a raster (``inference``).
- ``training/``: the trainer, its tiles, loss, augmentation, checkpoints, metrics and report.
- ``csc/``: CNN-Supervised Classification: an image's own network trained from a coarse map.
- ``fronts/``: tracing fronts in class rasters, extracting lines, front errors, terminus change.
- ``reports/``: CSV tables, figures and HTML pages, and the preview picture.
- ``synthetic/``: deterministic synthetic fjord scenes with a known front.
- ``stacks/``: a stack of dated scenes mapped in one run (resumable, in shards) and the shards merged.
- ``commands/``: one light declaration per engine command, mirroring ``algorithms/``; each runs
  its job by importing the implementation only when the job runs.
"""
