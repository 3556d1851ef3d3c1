"""Small pieces the command line shares: argparse value types and where bundled data lives."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

__all__ = ["bundled_folder", "number_in"]


def number_in(
    low: float, high: float, whole: bool = True, unit: str = ""
) -> Callable[[str], float]:
    """An argparse type: a number (a whole one if ``whole``) from ``low`` to ``high``.

    >>> number_in(1, 500)("7")
    7
    """

    def parse(text: str) -> float:
        try:
            value: float = int(text) if whole else float(text)
        except ValueError:
            kind = "a whole number" if whole else f"a number{unit and ' of ' + unit}"
            raise argparse.ArgumentTypeError(f"must be {kind}, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"must be from {low:g} to {high:g}{unit and ' ' + unit}, got {value:g}"
            )
        return value

    return parse


def bundled_folder(variable: str, packaged: str, checkout: str) -> Path:
    """``$variable``, else the copy inside an installed wheel, else the checkout's folder.

    A wheel carries the question bank and the drills inside the package (``setup.py`` copies
    them at build time); an editable install or a plain checkout reads them at the top of the
    repository.
    """
    chosen = os.environ.get(variable)
    if chosen:
        return Path(chosen)
    package = Path(__file__).resolve().parent
    installed = package / packaged
    return installed if installed.is_dir() else package.parent / checkout
