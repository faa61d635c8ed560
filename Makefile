# Glacier Terminus: setup, test, demo, bench, model, package.
# The checkout is linked as build/plugins/glacier_terminus so that the package name is
# glacier_terminus for the engine, the tests and qgis_process (QGIS_PLUGINPATH).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PLUGINS := build/plugins
LINK := $(PLUGINS)/glacier_terminus
QGIS_PROFILE := build/qgis-profile
export PYTHONPATH := $(CURDIR)/$(PLUGINS)
export QT_QPA_PLATFORM := offscreen
export QGIS_PLUGINPATH := $(CURDIR)/$(PLUGINS)
export QGIS_CUSTOM_CONFIG_PATH := $(CURDIR)/$(QGIS_PROFILE)
QGIS_PROCESS := qgis_process.bin
ENGINE := $(PY) -m glacier_terminus.core

.PHONY: setup qgis venv link plugin-enabled test demo bench model package clean

setup: qgis venv link plugin-enabled

qgis:
	@if command -v $(QGIS_PROCESS) >/dev/null && /usr/bin/python3 -c "import qgis.core" 2>/dev/null; then \
	  echo "QGIS is installed."; \
	else \
	  if [ "$$(id -u)" != 0 ]; then echo "Installing QGIS needs root: run 'sudo make qgis'"; exit 1; fi; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q qgis python3-qgis qgis-providers; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || /usr/bin/python3 -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	@touch $@

link:
	@mkdir -p $(PLUGINS)
	@test -L $(LINK) || ln -s $(CURDIR) $(LINK)

plugin-enabled: link
	@mkdir -p $(QGIS_PROFILE)
	@$(QGIS_PROCESS) plugins 2>/dev/null | grep -q '^\* glacier_terminus$$' \
	  || $(QGIS_PROCESS) plugins enable glacier_terminus >/dev/null

test: setup
	$(PY) -m pytest -q tests

# The main job on the embedded default model, through qgis_process, outputs in demo/out/.
demo: setup
	@mkdir -p demo/out
	$(ENGINE) synthetic --output demo/out/scene.tif --zones demo/out/truth_zones.tif \
	  --front demo/out/truth_front.geojson --width 1536 --height 1280 --seed 7 >/dev/null
	$(QGIS_PROCESS) run glacierterminus:classifypixels -- INPUT=demo/out/scene.tif \
	  OUTPUT=demo/out/classes.tif OUTPUT_PROBABILITIES=demo/out/probabilities.tif
	$(ENGINE) preview --input demo/out/scene.tif --classes demo/out/classes.tif \
	  --output demo/out/classes.png >/dev/null
	@echo "Demo outputs in demo/out/: classes.tif, probabilities.tif, classes.png (image | classes)"

bench: setup
	$(PY) bench/bench_classify.py --out bench/out/classify.json

# Retrain the embedded default model (CPU, a few minutes).
model: setup
	$(PY) models/train_default.py --output models/default

clean:
	rm -rf build demo/out bench/out .pytest_cache
