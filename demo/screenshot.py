"""Take the README's screenshots of Glacier Terminus dialogs, in QGIS's own Python on a screen
(a virtual one will do):

    xvfb-run -a -s "-screen 0 1600x1200x24" /usr/bin/python3 demo/screenshot.py demo/cscrefine_dialog.png

Opens the Processing dialog of an algorithm (CSC Refine unless ``--algorithm`` says another)
as a QGIS user sees it, lets it draw, and saves the window as a PNG.
"""
from __future__ import annotations

import argparse
import os
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", help="PNG file to write")
    parser.add_argument("--algorithm", default="glacierterminus:cscrefine")
    parser.add_argument("--size", default="900x860", help="dialog size, WIDTHxHEIGHT")
    args = parser.parse_args()

    from qgis.core import QgsApplication

    app = QgsApplication([], True)
    app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing

    Processing.initialize()
    from glacier_terminus.glacier_provider.provider import GlacierTerminusProvider

    provider = GlacierTerminusProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    from processing.gui.AlgorithmDialog import AlgorithmDialog
    from qgis.PyQt.QtCore import QEventLoop, QTimer

    algorithm = QgsApplication.processingRegistry().createAlgorithmById(args.algorithm)
    if algorithm is None:
        print(f"{args.algorithm} is not registered", file=sys.stderr)
        return 1
    dialog = AlgorithmDialog(algorithm, False, None)
    width, height = (int(v) for v in args.size.split("x"))
    dialog.resize(width, height)
    dialog.show()
    loop = QEventLoop()
    QTimer.singleShot(1500, loop.quit)  # let the help panel and widgets draw
    loop.exec()
    ok = dialog.grab().save(os.path.abspath(args.output), "PNG")
    dialog.close()
    print(f"wrote {args.output}" if ok else f"could not write {args.output}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
