"""Remake ``StudykitHangul-Regular.otf``: Noto Sans CJK KR Regular cut down to the figures' text.

A developer's script, never run at build, install or import time. Run it after adding a Korean
figure label with a new Hangul syllable (``tests/test_plots_korean.py`` says which label)::

    python studykit/plots/fonts/make_subset.py [/path/to/NotoSansCJK-Regular.ttc]

It reads the collection (Debian's ``fonts-noto-cjk`` by default), picks its Korean face
(``Noto Sans CJK KR``, chosen by name, not by position), keeps the glyphs of printable ASCII, a
little punctuation and every character of `studykit.plots.labels.KOREAN`, drops the layout
tables and hints matplotlib does not use, renames the family (a modified font takes a name of
its own) and writes the same bytes for the same input (no time stamp).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTCollection, TTFont  # type: ignore[import-untyped]

from studykit.plots.labels import KOREAN

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FACE = "Noto Sans CJK KR"
FAMILY = "Studykit Hangul"
POSTSCRIPT = "StudykitHangul-Regular"
TARGET = Path(__file__).with_name(f"{POSTSCRIPT}.otf")
PUNCTUATION = "·×−–—…‘’“”→←↑↓∞′″²³°±≈≤≥√∑σαβγδεηλμπθ"


def characters() -> str:
    """Printable ASCII, the punctuation above and every character of the Korean labels."""
    wanted = {chr(code) for code in range(0x20, 0x7F)} | set(PUNCTUATION)
    for text in KOREAN.values():
        wanted |= set(text)
    return "".join(sorted(wanted))


def korean_face(collection: Path) -> TTFont:
    """The face of ``collection`` whose family is `FACE`."""
    for face in TTCollection(collection).fonts:
        if face["name"].getDebugName(1) == FACE:
            return face
    raise SystemExit(f"{collection}: no face called {FACE!r}")


def rename(font: TTFont) -> None:
    """Give the subset its own family name (name table and CFF) and say where it came from."""
    names = font["name"]
    source_version = names.getDebugName(5).split(";")[0]  # "Version 2.004"
    names.names = [record for record in names.names if record.nameID in (0, 7, 13, 14)]
    full = f"{FAMILY} Regular"
    for name_id, text in (
        (1, FAMILY),
        (2, "Regular"),
        (3, f"{POSTSCRIPT};subset of NotoSansCJKkr-Regular"),
        (4, full),
        (5, f"{source_version};subset of Noto Sans CJK KR Regular"),
        (6, POSTSCRIPT),
        (10, "Subset of Noto Sans CJK KR Regular for studykit's figures."),
    ):
        names.setName(text, name_id, 3, 1, 0x409)
    cff = font["CFF "].cff
    cff.fontNames = [POSTSCRIPT]
    top = cff.topDictIndex[0]
    top.FamilyName, top.FullName = FAMILY, full


def make(source: Path = SOURCE, target: Path = TARGET) -> Path:
    """Write the subset of ``source``'s Korean face to ``target``."""
    font = korean_face(source)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    rename(font)
    font.recalcTimestamp = False
    font.save(target)
    return target


if __name__ == "__main__":
    written = make(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
    print(f"wrote {written} ({written.stat().st_size:,} bytes, {len(characters())} characters)")
