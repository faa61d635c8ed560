"""Report outputs: CSV tables, matplotlib figures (Agg) and self-contained HTML pages.

Figures are embedded in the HTML as base64 PNGs, so a report is one file that can be
mailed or archived. Every file is written under a temporary name and renamed when
complete (:func:`.raster.atomic_output`).
"""
from __future__ import annotations

import base64
import csv
import html
import io
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..geo.raster import atomic_output


def new_figure(width: float = 7.0, height: float = 4.0):
    """A matplotlib figure drawn by the Agg renderer (no pyplot, no display needed)."""
    import warnings

    with warnings.catch_warnings():  # a system matplotlib beside the venv's: no 3-D axes, not needed
        warnings.filterwarnings("ignore", message="Unable to import Axes3D")
        from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def figure_png(fig) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def png_img(png: bytes, alt: str) -> str:
    """An ``<img>`` tag embedding PNG bytes."""
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _cell(value: Any, digits: int) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def html_table(rows: Sequence[dict], columns: Sequence[str], digits: int = 2) -> str:
    """An HTML table of dict rows (missing values blank, floats rounded)."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(r.get(c), digits))}</td>" for c in columns) + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_STYLE = """
body { font-family: sans-serif; margin: 2em; max-width: 70em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 90%; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: right; }
th { background: #eef; } td:first-child, th:first-child { text-align: left; }
img { max-width: 100%; margin: 0.5em 0; }
.note { color: #555; font-size: 90%; }
"""


def html_page(title: str, sections: Iterable[str]) -> str:
    """A complete HTML document with a title and the given body fragments."""
    body = "\n".join(sections)
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n"
    )


def csv_text(rows: Sequence[dict], columns: Sequence[str], digits: int = 3) -> str:
    """CSV text of dict rows (missing values empty, floats rounded)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([_cell(r.get(c), digits) for c in columns])
    return buffer.getvalue()


def write_files(contents: Mapping[str, str | bytes]) -> None:
    """Write several files together: all appear only if every one was written."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        temporary = {path: stack.enter_context(atomic_output(path)) for path in contents}
        for path, data in contents.items():
            if isinstance(data, bytes):
                Path(temporary[path]).write_bytes(data)
            else:
                with open(temporary[path], "w", encoding="utf-8", newline="") as f:
                    f.write(data)


__all__ = ["new_figure", "figure_png", "png_img", "html_table", "html_page", "csv_text", "write_files"]
