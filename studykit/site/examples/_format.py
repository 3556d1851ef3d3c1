"""What every worked example shares: the two-language result and the Markdown helpers.

An example computes its numbers once and writes them into an English and a Korean text
(`Example`); the helpers below format numbers, tensors, code blocks and tables the same way for
both, so the two texts cannot show different values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from studykit.questions.render import denoise, fmt_num, fmt_tensor

F64 = torch.float64

LANGUAGES: dict[str, str] = {"en": ".md", "ko": ".ko.md"}
"""The languages an example is written in, with the file suffix of each."""


@dataclass(frozen=True)
class Example:
    """One topic's worked example, computed once and written in both languages.

    Attributes:
        en: The English Markdown snippet.
        ko: The Korean Markdown snippet: the same numbers, formulas and code blocks.
    """

    en: str
    ko: str

    def text(self, language: str) -> str:
        """The snippet in ``language`` (``"en"`` or ``"ko"``).

        Args:
            language: A key of `LANGUAGES`.

        Returns:
            The Markdown snippet.

        Raises:
            ValueError: An unknown language.
        """
        if language == "en":
            return self.en
        if language == "ko":
            return self.ko
        raise ValueError(f"unknown language {language!r} (known: {', '.join(LANGUAGES)})")


def num(value: float | int | torch.Tensor) -> str:
    """One number, 4 significant digits (a one-element tensor is read with ``item()``)."""
    if isinstance(value, torch.Tensor):
        value = value.item()
    return fmt_num(denoise(value))


def tens(value: torch.Tensor) -> str:
    """A tensor in torch's nested-list layout."""
    return fmt_tensor(denoise(value.detach().tolist()))


def row(value: torch.Tensor) -> str:
    """A 1-D tensor on one line, for a table cell."""
    return "[" + ", ".join(num(float(v)) for v in value.detach().reshape(-1).tolist()) + "]"


def assign(name: str, text: str) -> str:
    """``name = text`` with the continuation lines of ``text`` lined up under its first one."""
    pad = " " * (len(name) + 3)
    return f"{name} = " + text.replace("\n", "\n" + pad)


def code(*lines: str) -> str:
    """A fenced plain-text block."""
    return "```text\n" + "\n".join(lines) + "\n```"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def join(*parts: str) -> str:
    """Paragraphs separated by blank lines, ending with one newline."""
    return "\n\n".join(part.strip("\n") for part in parts) + "\n"


def vec(*values: float) -> torch.Tensor:
    """A float64 vector from literal inputs."""
    return torch.tensor(values, dtype=F64)
