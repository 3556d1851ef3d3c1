"""What a format writer gets besides the items, and how it writes a file safely.

A writer is ``write(items, out, settings) -> list[Path]`` (`Writer`): it writes the export to
``out`` (and, for a worksheet, files beside it) through `atomic_write`, so a failure never
leaves half a file, and returns the paths it wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from studykit.exports.items import ExportError, ExportItem

__all__ = ["ExportSettings", "Writer", "atomic_write"]


@dataclass(frozen=True)
class ExportSettings:
    """What a writer needs besides the items.

    Attributes:
        lang: The language of the items' texts (``en`` or ``ko``).
        title: The export's title (a quiz name, a deck name, a worksheet heading).
        seed: The first seed; version ``v`` of a worksheet uses seed ``seed + v``.
        variants: How many variants (versions) of each template there are.
        command: The command line that makes this export again (recorded where a format can
            hold a comment).
        pdf: Whether a worksheet also prints a PDF (with Chromium, where it is installed).
    """

    lang: str = "en"
    title: str = "studykit"
    seed: int = 0
    variants: int = 1
    command: str = ""
    pdf: bool = True


Writer = Callable[[Sequence[ExportItem], Path, ExportSettings], list[Path]]
"""``write(items, out, settings)``: write the export to ``out`` (and beside it); the paths."""


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it (never half a file).

    Raises:
        ExportError: The file cannot be written (one line naming it).
    """
    temporary = path.with_name(f".{path.name}.part")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write: {error.strerror or error}") from None
