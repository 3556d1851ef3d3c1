"""What every lab is: a named experiment of the notes, its options, and what it returns.

A lab is one module of `studykit.labs` with a module-level ``LAB = Lab(...)``. Its ``run``
takes the options and a `Progress` (the command line shows it as a rich progress bar; tests
pass a silent one) and returns a `LabResult`: the rows of the results table, the curves it
recorded (loss per epoch, accuracy per epoch, ...), and figures (`studykit.plots`), so the
terminal, ``--plot FILE`` and the study site all show the same numbers. A figure is drawn in
the reader's language: ``result.figures["training"](language="ko")`` writes 에포크 and 검증
정확도 where the English one writes epoch and validation accuracy (`studykit.plots.labels`).

Labs are deterministic for a seed (``torch.manual_seed`` and generators passed explicitly), run
through studykit's own reference code, and take seconds on a laptop CPU.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["DrawFigure", "Lab", "LabOptions", "LabResult", "Progress", "Row", "SilentProgress"]


@dataclass(frozen=True)
class LabOptions:
    """What a student may change: the seed, the epochs, the learning rate, the device.

    ``epochs`` and ``lr`` are ``None`` for the lab's own defaults (the notes' values).
    ``size`` scales the data down for tests (1.0: all of it).
    """

    seed: int = 0
    epochs: int | None = None
    lr: float | None = None
    device: str = "cpu"
    size: float = 1.0


class Progress(Protocol):
    """Where a lab reports its progress: a named task with a total, advanced step by step."""

    def task(self, description: str, total: int) -> Callable[[int], None]:
        """Start a task; the returned function advances it by the given steps."""
        ...


class SilentProgress:
    """A `Progress` that shows nothing (tests, the site build)."""

    def task(self, description: str, total: int) -> Callable[[int], None]:
        """A task nobody watches."""
        return lambda steps: None


class DrawFigure(Protocol):
    """Draws one figure of a lab, its words in ``language`` (``"en"`` or ``"ko"``)."""

    def __call__(self, *, language: str = "en") -> Any:
        """A matplotlib ``Figure``."""
        ...


@dataclass(frozen=True)
class Row:
    """One line of the results table: what was measured, its value, and a note (en, ko)."""

    what: dict[str, str]  # {"en": ..., "ko": ...}
    value: float | int | str
    note: dict[str, str] = field(default_factory=lambda: {"en": "", "ko": ""})


@dataclass
class LabResult:
    """What a lab found: the table, the curves, and the figures that show them.

    ``figures`` maps a figure's name (``mean-images``) to a function that draws it in a
    language and returns a matplotlib ``Figure`` (imported only when a figure is drawn).
    """

    rows: list[Row]
    curves: dict[str, list[float]] = field(default_factory=dict)
    figures: dict[str, DrawFigure] = field(default_factory=dict)
    facts: dict[str, float] = field(default_factory=dict)  # named numbers tests assert on


@dataclass(frozen=True)
class Lab:
    """A runnable experiment of the notes."""

    name: str  # lower-case words joined by '-': `studykit lab run NAME`
    topic: str  # a topic id (studykit.topics)
    title: dict[str, str]  # {"en": ..., "ko": ...}
    summary: dict[str, str]  # one or two sentences: what it shows
    run: Callable[[LabOptions, Progress], LabResult]
    defaults: dict[str, Any] = field(default_factory=dict)  # epochs, lr: the notes' values
