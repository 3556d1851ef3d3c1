"""The Anki export, opened by Anki itself: each package is imported into a fresh collection.

The consumer is Anki's own library (the ``anki`` package): its Rust importer reads the
``.apkg``, and the tests count the notes and cards it made, read their fields, tags and decks,
render the cards with Anki's template engine, and import again to see GUIDs update notes
instead of duplicating them.
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from contextlib import closing
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("genanki")
pytest.importorskip("anki")

from anki.collection import Collection, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportResponse
from anki.notes import Note

from studykit.exports import anki as anki_export
from studykit.exports.items import ExportError, ExportItem, Selection, collect
from studykit.exports.output import ExportSettings
from studykit.questions.commands import default_questions_dir
from studykit.questions.markup import to_plain
from studykit.questions.template import Bank, load_bank
from studykit.topics import TOPICS
from tests.export_support import KIND_TEMPLATES, export_twice, small_bank

# One template of every key kind, and one whose choices are made automatically.
IDS = KIND_TEMPLATES
HANGUL = re.compile("[\uac00-\ud7a3]")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(markup: str) -> str:
    """The words an HTML field shows, spaces collapsed (Python's own HTML parser)."""
    reader = _Text()
    reader.feed(markup)
    return " ".join("".join(reader.parts).split())


def words(markdown: str, inline: bool = False) -> str:
    """The words of a Markdown text, spaces collapsed."""
    return " ".join(to_plain(markdown, inline=inline).split())


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(default_questions_dir())


@pytest.fixture(scope="module")
def items_ko(bank: Bank) -> list[ExportItem]:
    return collect(bank, Selection(ids=IDS), variants=2, seed=3, lang="ko")


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Collection]:
    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


def _export(items: list[ExportItem], path: Path, title: str = "수업") -> Path:
    settings = ExportSettings(lang=items[0].lang, title=title, command="studykit export anki")
    assert anki_export.write(items, path, settings) == [path]
    return path


def _import(col: Collection, path: Path) -> ImportResponse:
    """Import with Anki's default options (update a note when the package's is newer)."""
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path)))


def _notes_by_ref(col: Collection) -> dict[str, Note]:
    notes = [col.get_note(nid) for nid in col.find_notes("")]
    return {note["Ref"]: note for note in notes}


def test_anki_imports_one_note_and_card_per_variant(
    tmp_path: Path, items_ko: list[ExportItem], collection: Collection
) -> None:
    package = _export(items_ko, tmp_path / "class.apkg")
    log = _import(collection, package).log
    assert len(log.new) == len(items_ko)
    assert collection.note_count() == len(items_ko)
    assert collection.card_count() == len(items_ko)

    notes = _notes_by_ref(collection)
    assert sorted(notes) == sorted(item.ref for item in items_ko)
    for item in items_ko:
        note = notes[item.ref]
        assert " ".join(item.answer.split()) in text_of(note["Answer"])
        assert text_of(note["Solution"]) == words(item.solution)
        assert text_of(note["Title"]) == item.title
        assert {f"studykit::{item.topic}", f"difficulty::{item.difficulty}"} <= set(note.tags)
        assert f"studykit::ref::{item.ref}" in note.tags
        for misconception in item.misconceptions:
            assert words(misconception.feedback) in text_of(note["Mistakes"])


def test_anki_subdeck_per_topic_named_in_korean(
    tmp_path: Path, items_ko: list[ExportItem], collection: Collection
) -> None:
    _import(collection, _export(items_ko, tmp_path / "class.apkg", title="딥러닝 수업"))
    names = {d.name for d in collection.decks.all_names_and_ids()}
    korean = {t.id: t.korean for t in TOPICS}
    topics = {item.topic for item in items_ko}
    assert {f"딥러닝 수업::{korean[t]}" for t in topics} | {"딥러닝 수업"} <= names
    notes = _notes_by_ref(collection)
    for item in items_ko:
        card = notes[item.ref].cards()[0]
        deck = collection.decks.name(card.did)
        assert deck == f"딥러닝 수업::{korean[item.topic]}"


def test_anki_renders_front_back_and_mathjax(
    tmp_path: Path, items_ko: list[ExportItem], collection: Collection
) -> None:
    choice = next(item for item in items_ko if item.kind == "choice")
    math = dataclasses.replace(choice, prompt=r"\(\sigma(x) < 1\)를 보십시오." + choice.prompt)
    _import(collection, _export([math], tmp_path / "math.apkg"))
    card = next(iter(_notes_by_ref(collection).values())).cards()[0]
    front, back = card.question(), card.answer()
    assert r"\(\sigma(x) &lt; 1\)" in front  # the delimiters Anki's MathJax reads
    assert 'type="A"' in front
    for option in choice.choices:
        assert words(option, inline=True) in text_of(front)
    shown = text_of(back)
    assert "정답" in shown and "풀이 과정" in shown and "흔한 실수" in shown
    assert words(choice.solution) in shown
    correct = words(choice.choices[choice.correct_choice], inline=True)
    assert f"{choice.answer}. {correct}" in shown
    assert HANGUL.search(front)
    note_type = collection.models.get(card.note().mid)
    assert note_type is not None and '"Noto Sans CJK KR"' in note_type["css"]


def test_anki_import_again_updates_instead_of_duplicating(
    tmp_path: Path,
    items_ko: list[ExportItem],
    collection: Collection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    package = _export(items_ko, tmp_path / "class.apkg")
    _import(collection, package)
    log = _import(collection, package).log
    assert collection.note_count() == len(items_ko)
    assert len(log.new) == 0 and len(log.duplicate) == len(items_ko)

    changed = [dataclasses.replace(items_ko[0], solution="고친 풀이입니다."), *items_ko[1:]]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(anki_export.DEFAULT_TIMESTAMP + 86400))
    log = _import(collection, _export(changed, tmp_path / "later.apkg")).log
    assert len(log.new) == 0
    assert collection.note_count() == len(items_ko)
    assert collection.card_count() == len(items_ko)
    assert text_of(_notes_by_ref(collection)[items_ko[0].ref]["Solution"]) == "고친 풀이입니다."


def test_anki_two_exports_share_one_collection(
    tmp_path: Path, bank: Bank, collection: Collection
) -> None:
    """Packages made with the same time stamp hold the same note ids: Anki keeps both."""
    tensors = collect(bank, Selection(ids=IDS[:2]), variants=2, seed=0, lang="en")
    losses = collect(bank, Selection(ids=IDS[4:5]), variants=3, seed=0, lang="en")
    _import(collection, _export(tensors, tmp_path / "tensors.apkg", title="class"))
    _import(collection, _export(losses, tmp_path / "losses.apkg", title="class"))
    assert collection.note_count() == len(tensors) + len(losses)
    names = {d.name for d in collection.decks.all_names_and_ids()}
    assert {"class::Tensors: shapes, ops, broadcasting, strides", "class::Loss functions"} <= names


def test_anki_languages_are_different_notes_and_note_types(
    tmp_path: Path, bank: Bank, items_ko: list[ExportItem], collection: Collection
) -> None:
    english = collect(bank, Selection(ids=IDS[:1]), variants=2, seed=3, lang="en")
    korean = [item for item in items_ko if item.id == IDS[0]]
    _import(collection, _export(english, tmp_path / "en.apkg"))
    _import(collection, _export(korean, tmp_path / "ko.apkg"))
    assert collection.note_count() == 4
    kinds = {m["name"] for m in collection.models.all()}
    assert {"studykit question (en)", "studykit question (ko)"} <= kinds


def test_anki_same_command_same_bytes(tmp_path: Path) -> None:
    folder = small_bank(tmp_path / "questions", IDS[:3])  # the command loads only these
    options = ["--variants", "2", "--lang", "ko", "--questions", str(folder)]
    export_twice(tmp_path, "anki", options, ("one.apkg", "two.apkg"))
    with zipfile.ZipFile(tmp_path / "one.apkg") as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        assert {info.date_time for info in archive.infolist()} == {anki_export.ZIP_TIME}
        (tmp_path / "collection.anki2").write_bytes(archive.read("collection.anki2"))
    with closing(sqlite3.connect(tmp_path / "collection.anki2")) as database:
        refs = [row[0].split("\x1f")[0] for row in database.execute("SELECT flds FROM notes")]
    assert sorted(refs) == sorted(f"{i}@{s}" for i in IDS[:3] for s in (0, 1))


def test_anki_bad_source_date_epoch_is_one_line(
    tmp_path: Path, items_ko: list[ExportItem], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ExportError, match=r"^SOURCE_DATE_EPOCH: expected seconds"):
        _export(items_ko, tmp_path / "x.apkg")
    assert not (tmp_path / "x.apkg").exists()


def test_anki_whole_bank_imports(tmp_path: Path, bank: Bank, collection: Collection) -> None:
    items = collect(bank, Selection(), variants=1, seed=0, lang="en")
    _import(collection, _export(items, tmp_path / "bank.apkg", title="bank"))
    assert collection.note_count() == len(items)
    assert collection.card_count() == len(items)
    decks = {d.name for d in collection.decks.all_names_and_ids()}
    assert len([name for name in decks if name.startswith("bank::")]) == len(
        {item.topic for item in items}
    )
