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

.PHONY: setup qgis venv link plugin-enabled lint test test-debian13 demo bench model model-sar package translations screenshots model-check clean

setup: qgis venv link plugin-enabled

# QGIS, the venv module and the translation tools from the distribution's own packages (the same
# names on Debian 12 and 13 and on Ubuntu 22.04 and 24.04); only the missing ones are installed.
SYSTEM_PACKAGES := qgis python3-qgis qgis-providers python3-venv pyqt5-dev-tools qttools5-dev-tools
SUPPORTED_SYSTEMS := debian-12 debian-13 ubuntu-22.04 ubuntu-24.04
qgis:
	@. /etc/os-release 2>/dev/null; case " $(SUPPORTED_SYSTEMS) " in *" $$ID-$$VERSION_ID "*) ;; \
	  *) echo "warning: $${PRETTY_NAME:-this system} is not one of $(SUPPORTED_SYSTEMS); trying its packages";; esac
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then \
	  echo "QGIS $$(dpkg-query -W -f='$${Version}' qgis) and the venv module are installed."; \
	else \
	  if [ "$$(id -u)" != 0 ]; then echo "Installing $$missing needs root: run 'sudo make qgis'"; exit 1; fi; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

venv: $(VENV)/.installed

# The venv sees the system's qgis and osgeo (--system-site-packages); requirements.txt pins numpy
# to the major version the system's GDAL is built for. Wheels only: never a source build (numpy
# from source would need a compiler and Python's headers, and shadow the system's numpy). A venv
# without a working pip (a failed creation) is removed, not taken for a venv. --no-warn-conflicts: pip
# would print an "ERROR" about the system's own packages that the venv sees (Debian 13's types-seaborn
# wants pandas-stubs); the import check after the install is what says the venv works.
$(VENV)/.installed: requirements.txt
	@$(PY) -m pip --version >/dev/null 2>&1 || { rm -rf $(VENV); \
	  /usr/bin/python3 -m venv --system-site-packages $(VENV) || { rm -rf $(VENV); \
	  echo "could not create $(VENV): install python3-venv (sudo make qgis)"; exit 1; }; }
	$(PY) -m pip install -q --disable-pip-version-check --no-warn-conflicts --only-binary=:all: -r requirements.txt
	@$(PY) -c "from osgeo import gdal_array; import qgis.core, torch, rasterio, segmentation_models_pytorch" \
	  || { echo "$(VENV) cannot import the system's GDAL/QGIS beside its packages (see above)"; exit 1; }
	@touch $@

link:
	@mkdir -p $(PLUGINS)
	@test -L $(LINK) || ln -s $(CURDIR) $(LINK)

plugin-enabled: link
	@mkdir -p $(QGIS_PROFILE)
	@$(QGIS_PROCESS) plugins 2>/dev/null | grep -q '^\* glacier_terminus$$' \
	  || $(QGIS_PROCESS) plugins enable glacier_terminus >/dev/null

# ruff (pycodestyle, pyflakes, import order, bugbear) and mypy (the types of core/, algorithms/ and
# glacier_provider/, through the package name the link gives them); settings in pyproject.toml.
# Pinned so that every machine finds the same things; installed into the venv on first use.
RUFF_VERSION := 0.17.6
MYPY_VERSION := 2.4.1
lint: venv link
	@$(VENV)/bin/ruff --version 2>/dev/null | grep -q " $(RUFF_VERSION)$$" \
	  || $(PY) -m pip install -q --disable-pip-version-check --only-binary=:all: ruff==$(RUFF_VERSION)
	@$(VENV)/bin/mypy --version 2>/dev/null | grep -q "^mypy $(MYPY_VERSION) " \
	  || $(PY) -m pip install -q --disable-pip-version-check --only-binary=:all: mypy==$(MYPY_VERSION)
	$(VENV)/bin/ruff check .
	cd $(PLUGINS) && $(CURDIR)/$(VENV)/bin/mypy --config-file $(CURDIR)/pyproject.toml \
	  -p glacier_terminus.core -p glacier_terminus.algorithms -p glacier_terminus.glacier_provider

TESTS ?= tests
test: setup
	$(PY) -m pytest -q $(TESTS)

# The README's two commands (make demo, make test) from a clean clone of HEAD on a fresh Debian 13
# root (debootstrap, cached in ~/.cache/glacier-terminus); needs root. Not part of make test: it
# installs QGIS and the venv from scratch and runs the whole suite (about an hour).
test-debian13:
	bash .ci/debian13

# The main job on the embedded default model, through qgis_process, outputs in demo/out/:
# a FrontLearning Landsat scene classified, its calving front extracted and measured
# against the manual front, and a picture of both.
FRONTLEARNING ?= $(CURDIR)/../shared/data/frontlearning
DEMO_SCENE ?= LE07_L1TP_009011_20000805_20170210_01_T1_B2
DEMO := $(CURDIR)/demo/out
RUN := $(QGIS_PROCESS) run
demo: setup
	@test -f $(FRONTLEARNING)/images/$(DEMO_SCENE)_Subset.png || { echo "make demo reads the FrontLearning \
	  data from $(FRONTLEARNING) (images/, labels_1px/); set FRONTLEARNING=folder"; exit 1; }
	@mkdir -p $(DEMO)
	$(RUN) glacierterminus:classifypixels -- INPUT=$(FRONTLEARNING)/images/$(DEMO_SCENE)_Subset.png BANDS=1 \
	  OUTPUT=$(DEMO)/classes.tif OUTPUT_PROBABILITIES=$(DEMO)/probabilities.tif
	$(RUN) glacierterminus:extractcalvingfront -- INPUT=$(DEMO)/classes.tif \
	  PROBABILITIES=$(DEMO)/probabilities.tif OUTPUT=$(DEMO)/front.gpkg
	$(RUN) glacierterminus:extractcalvingfront -- METHOD=front_class FRONT_CLASS=0 SMOOTHING=0 \
	  INPUT=$(FRONTLEARNING)/labels_1px/$(DEMO_SCENE)_Front.png OUTPUT=$(DEMO)/manual_front.gpkg
	$(RUN) glacierterminus:evaluatefronts -- PREDICTED=$(DEMO)/front.gpkg REFERENCE=$(DEMO)/manual_front.gpkg \
	  RASTER=$(FRONTLEARNING)/images/$(DEMO_SCENE)_Subset.png MATCH=all OUTPUT=$(DEMO)/front_error.csv OUTPUT_HTML=$(DEMO)/front_error.html
	$(ENGINE) preview --input $(FRONTLEARNING)/images/$(DEMO_SCENE)_Subset.png --classes $(DEMO)/classes.tif \
	  --fronts $(DEMO)/front.gpkg --reference $(DEMO)/manual_front.gpkg --output $(DEMO)/demo.png >/dev/null
	@echo "Demo outputs in demo/out/: demo.png (image with the extracted front in red and the manual one in"
	@echo "cyan | classes), classes.tif, probabilities.tif, front.gpkg, front_error.csv, front_error.html"

# The README's pictures: a Processing dialog as QGIS shows it (on a virtual screen: Debian's
# xvfb), CSC Refine's report figure on a synthetic scene and the Sverdrup terminus series.
screenshots: setup
	@command -v xvfb-run >/dev/null || { echo "make screenshots needs xvfb-run: apt-get install xvfb xauth"; exit 1; }
	xvfb-run -a -s "-screen 0 1600x1200x24" /usr/bin/python3 demo/screenshot.py demo/cscrefine_dialog.png
	$(PY) demo/csc_figure.py demo/csc_synthetic.png
	@if [ -d $(FRONTLEARNING)/images ]; then $(PY) demo/stack_figures.py demo $(FRONTLEARNING); \
	  else echo "skipping demo/sverdrup_*.png: the FrontLearning data is not in $(FRONTLEARNING)"; fi

# The zip QGIS's plugin manager installs ("Install from ZIP"): the committed plugin under
# glacier_terminus/, without tests, benchmarks and development scripts (.gitattributes).
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
PACKAGE_ZIP := dist/glacier_terminus-$(VERSION).zip
package:
	@mkdir -p dist
	git archive --format=zip --prefix=glacier_terminus/ -o $(PACKAGE_ZIP) HEAD
	@echo "wrote $(PACKAGE_ZIP) (from the last commit)"

# i18n/*.ts gather every string the plugin shows (pylupdate5 keeps the translations made so
# far and marks new strings unfinished); translate them in Qt Linguist, then compile to .qm.
TRANSLATED := $(sort $(wildcard algorithms/*.py glacier_provider/*.py)) plugin.py
translations:
	@command -v pylupdate5 >/dev/null && command -v lrelease >/dev/null || { echo "make translations needs \
	  pylupdate5 and lrelease: apt-get install pyqt5-dev-tools qttools5-dev-tools"; exit 1; }
	for ts in i18n/*.ts; do pylupdate5 -noobsolete $(TRANSLATED) -ts $$ts; lrelease -silent $$ts; done

bench: setup
	$(PY) bench/bench_classify.py --out bench/out/classify.json
	$(PY) bench/bench_train.py --out bench/out/train.json
	$(PY) bench/bench_csc.py --out bench/out/csc.json

# Retrain the embedded default model on FrontLearning, with leave-one-glacier-out validation
# (about an hour on 2 CPU cores).
model: setup
	$(PY) models/train_default.py --data $(FRONTLEARNING) --output models/default

# Train the shipped SAR model (models/caffe-sar) on CaFFe, with leave-one-glacier-out validation over
# its four glaciers; the shipped weights are those of the fold that never saw DBE (trained on JAC, SI
# and Jorum, so Greenland and the Antarctic Peninsula; its DBE row tests them on a glacier they never
# saw). SAR_SHIP_FOLD= trains a fifth model on all four instead. On 2 CPU cores an epoch took 40 to
# 54 s (2026-12-06): about 9 minutes of training per fold, some 53 minutes in all with the measuring.
CAFFE ?= $(CURDIR)/../shared/data/caffe256
SAR_SHIP_FOLD ?= DBE
model-sar: setup
	$(PY) models/train_caffe.py --data $(CAFFE) --output models/caffe-sar $(if $(SAR_SHIP_FOLD),--ship-fold $(SAR_SHIP_FOLD))

# Re-measure the shipped models with the current code (the SAR model's fold scenes against its
# validation.json; the optical model on 4 scenes per glacier, AGAINST= an earlier run's JSON).
model-check: setup
	$(PY) models/check_shipped.py --caffe $(CAFFE) --frontlearning $(FRONTLEARNING) $(if $(AGAINST),--against $(AGAINST))

clean:
	rm -rf build demo/out bench/out .pytest_cache
