"""One look for every figure, readable on light and dark pages, and reproducible files.

- **Palette**: the Okabe-Ito colours (told apart with every common colour-vision deficiency),
  on a transparent background, with axes, ticks and text in a mid grey that reads on white and
  on Material's dark slate alike.
- **Files**: `save` writes SVG (or PNG) without a date and with a fixed id salt, so the same
  figure is the same bytes and the site build stays reproducible.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["COLORS", "INK", "new_figure", "save"]

COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")
INK = "#808080"


def _matplotlib() -> Any:
    import matplotlib
    from cycler import cycler

    matplotlib.use("Agg")  # no display: files only
    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "studykit",
            "svg.fonttype": "none",  # text stays text: searchable, and the page's font
            "font.family": ["DejaVu Sans", "Noto Sans CJK KR", "sans-serif"],
            "axes.prop_cycle": cycler(color=COLORS),
            "axes.edgecolor": INK,
            "axes.labelcolor": INK,
            "axes.titlecolor": INK,
            "xtick.color": INK,
            "ytick.color": INK,
            "text.color": INK,
            "legend.frameon": False,
            "axes.grid": True,
            "grid.color": INK,
            "grid.alpha": 0.25,
            "figure.facecolor": "none",
            "axes.facecolor": "none",
            "savefig.transparent": True,
        }
    )
    return matplotlib


def new_figure(rows: int = 1, cols: int = 1, width: float = 6.4, height: float = 3.6) -> Any:
    """A ``(figure, axes)`` pair in the studykit style (``axes`` an array when more than one)."""
    _matplotlib()
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.subplots(rows, cols, squeeze=True)
    return figure, axes


def save(figure: Any, path: Path) -> Path:
    """Write ``figure`` to ``path`` (``.svg`` or ``.png``), the same bytes for the same figure."""
    _matplotlib()
    path.parent.mkdir(parents=True, exist_ok=True)
    kind = path.suffix.lstrip(".").lower() or "svg"
    metadata = {"Date": None} if kind == "svg" else {}
    figure.savefig(path, format=kind, metadata=metadata)
    return path
