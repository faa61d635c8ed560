"""Translations: i18n/ holds every user-facing string, its German translation is compiled and
current, the contexts pylupdate files strings under are the ones the code translates in, and
QGIS running in German shows the German dialog strings."""
from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import PLUGIN_DIR
from qgis.PyQt.QtCore import QCoreApplication, QTranslator
from qgis_helpers import QGIS_PROCESS

from glacier_terminus.algorithms import ALGORITHMS
from glacier_terminus.glacier_provider import messages

I18N = PLUGIN_DIR / "i18n"
GERMAN_TS, GERMAN_QM = I18N / "glacier_terminus_de.ts", I18N / "glacier_terminus_de.qm"
SOURCES = sorted(str(p.relative_to(PLUGIN_DIR)) for p in [*PLUGIN_DIR.glob("algorithms/*.py"),
                                                          *PLUGIN_DIR.glob("glacier_provider/*.py"),
                                                          PLUGIN_DIR / "plugin.py"])


def messages_of(ts: Path) -> dict[tuple[str, str], str | None]:
    """``{(context, source): translation or None}`` of a .ts file."""
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            finished = translation is not None and translation.get("type") != "unfinished" and translation.text
            found[(name, message.findtext("source"))] = translation.text if finished else None
    return found


def needs(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (Debian: pyqt5-dev-tools, qttools5-dev-tools)")
    return path


def test_the_ts_file_holds_every_string_in_the_code(tmp_path):
    fresh = tmp_path / "fresh.ts"
    done = subprocess.run([needs("pylupdate5"), "-noobsolete", *SOURCES, "-ts", str(fresh)], cwd=PLUGIN_DIR,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert set(messages_of(fresh)) == set(messages_of(GERMAN_TS)), "run `make translations`"


def test_the_qm_file_is_compiled_from_the_ts_file(tmp_path):
    compiled = tmp_path / "de.qm"
    done = subprocess.run([needs("lrelease"), str(GERMAN_TS), "-qm", str(compiled)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert compiled.read_bytes() == GERMAN_QM.read_bytes(), "run `make translations`"


def test_contexts_are_those_the_code_translates_in():
    contexts = {context for context, _ in messages_of(GERMAN_TS)}
    # algorithms: their class name (GlacierTerminusAlgorithm.tr); base-class messages: the base's
    # name; module-level functions of the provider: pylupdate's @default (glacier_provider.messages).
    allowed = {a.__name__ for a in ALGORITHMS} | {"GlacierTerminusAlgorithm", messages.CONTEXT}
    assert contexts <= allowed, contexts - allowed
    assert {a.__name__ for a in ALGORITHMS} <= contexts


def test_german_strings_are_found_at_run_time(qgis_app):  # noqa: ARG001 - QGIS must be running
    translator = QTranslator()
    assert translator.load(str(GERMAN_QM))
    QCoreApplication.installTranslator(translator)
    try:
        by_class = {a.__name__: a() for a in ALGORITHMS}
        for a in by_class.values():
            a.initAlgorithm()
        assert by_class["CscRefine"].displayName() == "CSC-Verfeinerung"
        assert by_class["ClassifyPixels"].displayName() == "Pixel klassifizieren (HRNet)"
        assert by_class["CscRefine"].group() == by_class["ClassifyPixels"].group() == "Segmentierung"
        assert by_class["CscRefine"].parameterDefinition("PATCH_SIZE").description() == "Fenstergröße (Pixel)"
        assert by_class["CscRefine"].shortHelpString().startswith("CNN-überwachte Klassifikation")
        assert messages.tr("Cancelled.") == "Abgebrochen."
        assert QCoreApplication.translate("GlacierTerminusAlgorithm", "{0} must be {1}.") == "{0} muss {1} sein."
        assert [key for key, text in messages_of(GERMAN_TS).items() if text is None] == []
        assert by_class["TrainTerminusModel"].shortHelpString().startswith("Trainiert ein Segmentierungsnetz")
    finally:
        QCoreApplication.removeTranslator(translator)


@pytest.mark.skipif(not Path(QGIS_PROCESS).is_file(), reason="qgis_process.bin is not installed")
def test_qgis_in_german_shows_german_names(qgis_process, qgis_env):  # noqa: F811
    german = dict(qgis_env, LC_ALL="de_DE.UTF-8", LANG="de_DE.UTF-8")
    done = subprocess.run([QGIS_PROCESS, "list"], env=german, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "glacierterminus:cscrefine\tCSC-Verfeinerung" in done.stdout
    assert "glacierterminus:extractcalvingfront\tKalbungsfront extrahieren" in done.stdout
    english = qgis_process("list")  # the suite's own locale: C
    assert "glacierterminus:cscrefine\tCSC Refine" in english.stdout
