"""What the export tests share: a template of every answer kind, a small question folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from studykit.cli import main
from studykit.questions.commands import default_questions_dir

__all__ = ["KIND_TEMPLATES", "error_lines", "export_twice", "small_bank"]

KIND_TEMPLATES = (
    "tensors/broadcast-shape",  # shape
    "tensors/fancy-indexing",  # tensor
    "tensors/stack-dtype",  # choice
    "tensors/view-storage-index",  # integer
    "losses/binary-cross-entropy",  # number
    "gradients/derivative-formula",  # expression
    "activations/softmax-shift-invariance",  # choices: auto
)
"""A template of every answer kind, and one whose choices are made automatically."""


def small_bank(folder: Path, ids: tuple[str, ...] = KIND_TEMPLATES) -> Path:
    """A question folder holding only ``ids`` (the command line loads it much faster)."""
    source = default_questions_dir()
    for template_id in ids:
        target = folder / f"{template_id}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / f"{template_id}.yaml", target)
    return folder


def error_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Standard error's lines, less the bank's warnings about templates it skipped."""
    err = capsys.readouterr().err
    return [line for line in err.splitlines() if not line.startswith("warning: ")]


def export_twice(
    folder: Path, export_format: str, options: list[str], names: tuple[str, str]
) -> tuple[Path, bytes]:
    """Run the same ``studykit export`` twice (outputs ``names`` in ``folder``): the first
    file and its bytes, after checking that both runs wrote the same bytes."""
    paths = [folder / name for name in names]
    for out in paths:
        assert main(["export", export_format, *options, "-o", str(out)]) == 0
    first, second = (out.read_bytes() for out in paths)
    assert first == second
    return paths[0], first
