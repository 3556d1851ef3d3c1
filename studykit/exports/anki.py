r"""Anki deck export (안키 덱 내보내기): one note per variant, a subdeck per topic.

``studykit export anki -o class.apkg`` writes one ``.apkg`` package (genanki): a deck named
after ``--title`` with a subdeck per topic (``studykit::Loss functions``; in Korean
``studykit::손실 함수``), and one note per variant. The front shows the prompt, the lettered
choices, the line saying how to write the answer and a hint to click; the back shows the
answer (정답), the worked solution (풀이 과정) and the common mistakes (흔한 실수): each
misconception's value with its feedback. Math stays ``\(...\)`` and ``\[...\]`` inside
``<span class="arithmatex">``, which Anki's MathJax renders on every platform.

Each note records its ref (``id@seed``) in the ``Ref`` field and in a tag
(``studykit::ref::losses/mse-value@3``), beside ``studykit::<topic>`` and ``difficulty::<1-3>``.

Importing again updates instead of duplicating: the note type's id and the deck ids come from
hashes of fixed strings, and each note's GUID from ``(id, seed, lang)``. The package is the
same bytes for the same command: every time stamp inside (notes, cards, note type, zip entries)
is fixed, by default 2024-01-01, or ``SOURCE_DATE_EPOCH`` (seconds) where that is set.

Example:
    ``studykit export anki --topic losses --variants 3 --lang ko -o losses.apkg``, then in
    Anki: File > Import > ``losses.apkg``.

Common mistakes:
    - Expecting a second import of a changed export to update cards by default: Anki updates a
      note only when the package's note is newer. Export with
      ``SOURCE_DATE_EPOCH=$(date +%s)``, or pick "Update notes: Always" in Anki's import
      dialog. Notes are never duplicated either way.
    - Renaming ``--title`` between exports: the decks' ids follow their names, so the notes
      move to the new decks (their GUIDs, and so their review history, stay).
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

import genanki

from studykit.exports.items import ExportError, ExportItem, by_topic
from studykit.exports.output import ExportSettings, atomic_write
from studykit.exports.sections import mistakes_list, section_title
from studykit.questions.markup import to_html
from studykit.topics import TOPICS

__all__ = [
    "FIELDS",
    "answer_html",
    "deck_id",
    "model",
    "note_fields",
    "note_guid",
    "write",
]

DEFAULT_TIMESTAMP = 1704067200
"""2024-01-01 00:00 UTC: the time stamp of every note and card unless ``SOURCE_DATE_EPOCH``."""
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""The zip entries' date (the earliest a zip file can hold)."""

FIELDS = ("Ref", "Title", "Prompt", "Choices", "Format", "Hint", "Answer", "Solution", "Mistakes")
"""The note type's fields, in order (``Ref`` first: Anki's duplicate check reads it)."""

FRONT = """\
<div class="sk-title">{{Title}}</div>
<div class="sk-prompt">{{Prompt}}</div>
{{#Choices}}<div class="sk-choices">{{Choices}}</div>{{/Choices}}
<p class="sk-format">{{Format}}</p>
{{#Hint}}<div class="sk-hint">{{hint:Hint}}</div>{{/Hint}}"""

BACK = """\
{{FrontSide}}
<hr id="answer">
<h3>{answer}</h3>
<div class="sk-answer">{{Answer}}</div>
<h3>{solution}</h3>
<div class="sk-solution">{{Solution}}</div>
{{#Mistakes}}<h3>{mistakes}</h3><div class="sk-mistakes">{{Mistakes}}</div>{{/Mistakes}}
<p class="sk-ref">{{Ref}}</p>"""

# Hangul from the fonts a reader already has (nothing is downloaded or embedded).
CSS = """\
.card {
  font-family: "Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic",
    "NanumGothic", system-ui, sans-serif;
  font-size: 18px; line-height: 1.5; text-align: left; max-width: 42em; margin: 0 auto;
}
pre, code {
  font-family: "Noto Sans Mono CJK KR", "D2Coding", ui-monospace, "SFMono-Regular", Consolas,
    monospace;
}
pre { white-space: pre-wrap; }
.sk-title { font-size: 0.85em; opacity: 0.7; }
.sk-format { font-size: 0.9em; font-style: italic; }
.sk-choices ol { list-style-type: upper-alpha; }
.sk-ref { font-size: 0.75em; opacity: 0.6; }
.arithmatex.sk-display { display: block; text-align: center; }
"""


def write(items: Sequence[ExportItem], out: Path, settings: ExportSettings) -> list[Path]:
    """Write ``items`` to the Anki package ``out``: a subdeck per topic, a note per variant.

    Raises:
        ExportError: ``SOURCE_DATE_EPOCH`` is not a time, or ``out`` cannot be written.
    """
    timestamp = _timestamp()
    decks = _decks(items, settings)
    atomic_write(out, _package_bytes(decks, timestamp))
    return [out]


def deck_id(name: str) -> int:
    """The id of the deck called ``name`` (the same name, the same id)."""
    return _stable_id(f"studykit deck {name}")


@lru_cache(maxsize=4)
def model(lang: str) -> genanki.Model:
    """The note type of ``lang``: the same id every time, so imports update its notes."""
    back = BACK
    for section in ("answer", "solution", "mistakes"):
        back = back.replace(f"{{{section}}}", section_title(lang, section))
    return genanki.Model(
        _stable_id(f"studykit note type v1 {lang}"),
        f"studykit question ({lang})",
        fields=[{"name": name} for name in FIELDS],
        templates=[
            {
                "name": "Question",
                "qfmt": FRONT,
                "afmt": back,
            }
        ],
        css=CSS,
    )


def note_guid(item: ExportItem) -> str:
    """The note's GUID: from (id, seed, lang), so a variant is one note however often imported."""
    return str(genanki.guid_for(item.id, item.seed, item.lang))


def _stable_id(text: str) -> int:
    """An id in genanki's range [2**30, 2**31) from a hash of ``text``."""
    digest = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
    return (1 << 30) + digest % (1 << 30)


def _timestamp() -> int:
    text = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return DEFAULT_TIMESTAMP
    if not text.isdigit() or not 0 < int(text) < 1 << 33:
        raise ExportError(f"SOURCE_DATE_EPOCH: expected seconds since 1970, got {text!r}")
    return int(text)


def _decks(items: Sequence[ExportItem], settings: ExportSettings) -> list[genanki.Deck]:
    """A deck per topic, ``<title>::<topic title>``, its notes in the items' order."""
    title = _deck_part(settings.title) or "studykit"
    decks, position = [], 0
    for topic, group in by_topic(items).items():
        name = f"{title}::{_deck_part(_topic_title(topic, settings.lang))}"
        deck = genanki.Deck(deck_id(name), name, description=html.escape(settings.command))
        for item in group:
            deck.add_note(_note(item, position))
            position += 1
        decks.append(deck)
    return decks


def _deck_part(text: str) -> str:
    """One level of a deck name: ``::`` would nest deeper, so it becomes ``:``."""
    return " ".join(text.replace("::", ":").split())


def _topic_title(topic: str, lang: str) -> str:
    for known in TOPICS:
        if known.id == topic:
            return known.korean if lang == "ko" else known.title
    return topic


def _note(item: ExportItem, position: int) -> genanki.Note:
    return genanki.Note(
        model=model(item.lang),
        fields=note_fields(item),
        tags=[
            f"studykit::{_tag(item.topic)}",
            f"difficulty::{item.difficulty}",
            f"studykit::ref::{_tag(item.ref)}",
        ],
        guid=note_guid(item),
        due=position,
    )


def _tag(text: str) -> str:
    return "_".join(text.split())


def note_fields(item: ExportItem) -> list[str]:
    """The note's fields (HTML), in the order of `FIELDS`."""
    choices = "".join(f"<li>{to_html(c, inline=True)}</li>" for c in item.choices)
    return [
        html.escape(item.ref),
        html.escape(item.title),
        to_html(item.prompt),
        f'<ol type="A">{choices}</ol>' if choices else "",
        to_html(item.format, inline=True),
        to_html(item.hint) if item.hint else "",
        answer_html(item),
        to_html(item.solution),
        mistakes_list(item.kind, item.misconceptions),
    ]


def answer_html(item: ExportItem) -> str:
    """The key as HTML: a tensor in ``<pre>``, a formula as code, a choice with its option."""
    if item.kind == "tensor":
        return f"<pre>{html.escape(item.answer)}</pre>"
    if item.kind == "expression":
        return f"<code>{html.escape(item.answer)}</code>"
    if item.kind == "choice":
        option = to_html(item.choices[item.correct_choice], inline=True)
        return f"{html.escape(item.answer)}. {option}"
    return html.escape(item.answer)


def _package_bytes(decks: list[genanki.Deck], timestamp: int) -> bytes:
    """The ``.apkg`` bytes: genanki's collection, zipped with fixed entry times."""
    with tempfile.TemporaryDirectory(prefix="studykit-anki-") as folder:
        database = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            genanki.Package(decks).write_to_db(connection.cursor(), timestamp, _ids(timestamp))
            connection.commit()
        finally:
            connection.close()
        collection = database.read_bytes()
    return _zip({"collection.anki2": collection, "media": b"{}"})


def _ids(timestamp: int) -> Iterator[int]:
    """Note and card ids: milliseconds from ``timestamp`` on, as Anki makes them."""
    next_id = timestamp * 1000
    while True:
        yield next_id
        next_id += 1


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
