# Glacier Terminus: setup, test, demo, bench, package.
# The checkout is linked as build/plugins/glacier_terminus so that the package name is
# glacier_terminus for the engine, the tests and qgis_process (QGIS_PLUGINPATH).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PLUGINS := build/plugins
LINK := $(PLUGINS)/glacier_terminus
export PYTHONPATH := $(CURDIR)/$(PLUGINS)
export QT_QPA_PLATFORM := offscreen

.PHONY: setup qgis venv link test demo bench model clean

setup: qgis venv link

qgis:
	@if [ -x /usr/bin/qgis_process.bin ] && /usr/bin/python3 -c "import qgis.core" 2>/dev/null; then \
	  echo "QGIS is installed."; \
	else \
	  if [ "$$(id -u)" != 0 ]; then echo "Installing QGIS needs root: sudo make qgis"; exit 1; fi; \
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

test: setup
	$(PY) -m pytest -q tests

clean:
	rm -rf build demo/out bench/out .pytest_cache
