"""One look for every figure, readable on light and dark pages, and reproducible files.

- **Palette**: the Okabe-Ito colours (told apart with every common colour-vision deficiency),
  on a transparent background, with axes, ticks and text in a mid grey that reads on white and
  on Material's dark slate alike.
- **Files**: `save` writes SVG (or PNG) without a date and with a fixed id salt, so the same
  figure is the same bytes and the site build stays reproducible.
- **Hangul** (한글): matplotlib measures and draws text with the fonts it finds, and a system
  may have none with Hangul. The package carries its own, `HANGUL_FONT` (a small subset of
  Noto Sans CJK KR, see ``studykit/plots/fonts/README.md``), registered with matplotlib's font
  manager before the first figure and placed after DejaVu Sans in the font list, so Latin text
  is DejaVu Sans and Hangul is the subset on every machine. SVG text stays text: a viewer shows
  it with its own fonts (every system a Korean reader uses has a Hangul one).
- **Korean y labels**: `y_label` writes a label of Hangul words top to bottom with upright
  characters (turned sideways, 손실 reads poorly), as ``studykit.questions.charts`` does; Latin
  labels, and Korean ones that mix in Latin letters (``BCE 손실``), turn a quarter left.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from studykit.plots.labels import check_language, has_hangul

__all__ = ["COLORS", "HANGUL_FAMILY", "HANGUL_FONT", "INK", "new_figure", "save", "y_label"]

COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")
INK = "#808080"
HANGUL_FONT = Path(__file__).with_name("fonts") / "StudykitHangul-Regular.otf"
"""The vendored Hangul font: only the characters the figures' Korean labels use."""
HANGUL_FAMILY = "Studykit Hangul"
"""`HANGUL_FONT`'s family name, the second in every figure's font list."""


@functools.cache
def _register_hangul_font() -> None:
    """Add `HANGUL_FONT` to matplotlib's font manager (once per process).

    A copy of the package without it (a broken install) still draws English figures; a Korean
    one then warns of each missing glyph, as matplotlib does.
    """
    from matplotlib import font_manager

    if HANGUL_FONT.is_file():
        font_manager.fontManager.addfont(str(HANGUL_FONT))


def _matplotlib() -> Any:
    import matplotlib
    from cycler import cycler

    matplotlib.use("Agg")  # no display: files only
    _register_hangul_font()
    matplotlib.rcParams.update(
        {
            "svg.hashsalt": "studykit",
            "svg.fonttype": "none",  # text stays text: searchable, and the page's font
            "font.family": ["DejaVu Sans", HANGUL_FAMILY, "sans-serif"],
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


def new_figure(
    rows: int = 1, cols: int = 1, width: float = 6.4, height: float = 3.6, language: str = "en"
) -> Any:
    """A ``(figure, axes)`` pair in the studykit style (``axes`` an array when more than one).

    Raises:
        ValueError: ``language`` (the labels' language) is not ``"en"`` or ``"ko"``.
    """
    check_language(language)
    _matplotlib()
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.subplots(rows, cols, squeeze=True)
    return figure, axes


def y_label(axes: Any, text: str) -> None:
    """Label the y axis of ``axes``: Hangul top to bottom and upright, Latin turned a quarter left.

    Only a label of Hangul words is stacked (``속도``, ``이미지 수``: a space stays a gap);
    one that mixes in Latin letters, digits or brackets (``BCE 손실``, ``MSE(로그 눈금)``) turns
    a quarter left like a Latin one, since upright Latin letters and brackets read worse still.
    A label on the right of the axes (a colorbar's) is stacked the same way, on that side.
    """
    if not _hangul_words(text):
        axes.set_ylabel(text)
        return
    stacked = "\n".join(text)
    outside = "left" if axes.yaxis.get_label_position() == "right" else "right"
    axes.set_ylabel(
        stacked,
        rotation=0,
        rotation_mode="anchor",
        horizontalalignment=outside,
        verticalalignment="center",
        linespacing=1.0,
    )


def _hangul_words(text: str) -> bool:
    """Whether ``text`` is Hangul words and nothing else (spaces between them)."""
    words = text.split(" ")
    return all(word and has_hangul(word) and word.isalpha() for word in words)


def save(figure: Any, path: Path) -> Path:
    """Write ``figure`` to ``path`` (``.svg`` or ``.png``), the same bytes for the same figure."""
    _matplotlib()
    path.parent.mkdir(parents=True, exist_ok=True)
    kind = path.suffix.lstrip(".").lower() or "svg"
    metadata = {"Date": None} if kind == "svg" else {}
    figure.savefig(path, format=kind, metadata=metadata)
    return path
