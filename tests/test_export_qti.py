"""The QTI export, read back the way Canvas's importer reads it: strictly, as QTI 1.2 XML.

text2qti's authors ship no test suite to mirror, so the package is unzipped and parsed with
the standard library's XML parser (any malformed byte fails), and every item is checked for
the QTI 1.2 structure Canvas imports: ``assessment/section/item``, the ``question_type`` in
``itemmetadata``, a ``presentation`` and a ``resprocessing``. The grading rules are checked
against studykit's own checker: a numerical range holds the key and excludes an answer the
checker refuses; every fill-in text is one the checker accepts.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("text2qti")

import text2qti.markdown
import text2qti.quiz

from studykit.exports import qti
from studykit.exports.items import ExportError, ExportItem, Selection, collect
from studykit.exports.output import ExportSettings
from studykit.questions.answers import AnswerError
from studykit.questions.checking import check
from studykit.questions.commands import default_questions_dir
from studykit.questions.markup import to_html
from studykit.questions.template import Bank, load_bank
from tests.export_support import KIND_TEMPLATES, export_twice, small_bank

NS = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}
MANIFEST_NS = {"m": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"}
IDS = KIND_TEMPLATES
QUESTION_TYPES = {
    "number": "numerical_question",
    "integer": "numerical_question",
    "choice": "multiple_choice_question",
    "shape": "short_answer_question",
    "tensor": "short_answer_question",
    "expression": "essay_question",
}
HANGUL = re.compile("[\uac00-\ud7a3]")


@dataclasses.dataclass
class Package:
    names: list[str]
    manifest: ET.Element
    assessment: ET.Element
    raw: dict[str, bytes]


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(default_questions_dir())


@pytest.fixture(scope="module")
def items_ko(bank: Bank) -> list[ExportItem]:
    return collect(bank, Selection(ids=IDS), variants=2, seed=3, lang="ko")


@pytest.fixture(scope="module")
def package_ko(items_ko: list[ExportItem], tmp_path_factory: pytest.TempPathFactory) -> Package:
    return _export(items_ko, tmp_path_factory.mktemp("qti") / "quiz.zip")


def _export(items: list[ExportItem], out: Path) -> Package:
    assert qti.write(items, out, ExportSettings(lang=items[0].lang, title="수업 퀴즈")) == [out]
    return read(out)


def read(path: Path) -> Package:
    """Unzip and parse the manifest and the assessment it names (strict XML, UTF-8)."""
    with zipfile.ZipFile(path) as archive:
        raw = {name: archive.read(name) for name in archive.namelist()}
    manifest = ET.fromstring(raw["imsmanifest.xml"])
    resource = manifest.find("m:resources/m:resource[@type='imsqti_xmlv1p2']", MANIFEST_NS)
    assert resource is not None
    href = resource.find("m:file", MANIFEST_NS)
    assert href is not None
    assessment = ET.fromstring(raw[href.attrib["href"]])
    return Package(sorted(raw), manifest, assessment, raw)


def items_of(package: Package) -> list[ET.Element]:
    section = package.assessment.find("q:assessment/q:section", NS)
    assert section is not None
    return section.findall("q:item", NS)


def field(item: ET.Element, label: str) -> str:
    for entry in item.findall("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", NS):
        if entry.findtext("q:fieldlabel", namespaces=NS) == label:
            return entry.findtext("q:fieldentry", default="", namespaces=NS)
    raise AssertionError(f"no {label} in {item.attrib['title']}")


def question_html(item: ET.Element) -> str:
    return item.findtext("q:presentation/q:material/q:mattext", default="", namespaces=NS)


def scoring(item: ET.Element) -> ET.Element:
    """The condition that sets the score to 100."""
    for condition in item.findall("q:resprocessing/q:respcondition", NS):
        if condition.findtext("q:setvar", namespaces=NS) == "100":
            found = condition.find("q:conditionvar", NS)
            assert found is not None
            return found
    raise AssertionError(f"no scoring condition in {item.attrib['title']}")


def feedback(item: ET.Element, ident: str) -> str:
    for block in item.findall("q:itemfeedback", NS):
        if block.attrib["ident"] == ident:
            return block.findtext("q:flow_mat/q:material/q:mattext", default="", namespaces=NS)
    raise AssertionError(f"no feedback {ident} in {item.attrib['title']}")


def html_of(markdown: str) -> str:
    """studykit's HTML as the package must hold it (no trailing spaces on a line)."""
    return "\n".join(line.rstrip() for line in to_html(markdown).split("\n"))


def correct(text: str, item: ExportItem) -> bool:
    try:
        return check(text, item.key).correct
    except AnswerError:
        return False


def test_qti_manifest_names_the_assessment_and_its_meta(package_ko: Package) -> None:
    resources = package_ko.manifest.findall("m:resources/m:resource", MANIFEST_NS)
    hrefs = {f.attrib["href"] for r in resources for f in r.findall("m:file", MANIFEST_NS)}
    assert hrefs <= set(package_ko.names)
    assert any(name.endswith("/assessment_meta.xml") for name in hrefs)
    assessment = package_ko.assessment.find("q:assessment", NS)
    assert assessment is not None and assessment.attrib["title"] == "수업 퀴즈"


def test_qti_one_item_per_variant_with_its_ref_and_type(
    package_ko: Package, items_ko: list[ExportItem]
) -> None:
    found = items_of(package_ko)
    assert len(found) == len(items_ko)
    assert len({item.attrib["ident"] for item in found}) == len(found)
    for element, item in zip(found, items_ko, strict=True):
        assert element.attrib["title"].startswith(f"{item.ref} · ")
        assert field(element, "question_type") == QUESTION_TYPES[item.kind]
        assert element.find("q:presentation/q:material/q:mattext", NS) is not None
        assert element.find("q:resprocessing/q:outcomes/q:decvar", NS) is not None
        shown = question_html(element)
        assert html_of(item.prompt) in shown  # studykit's HTML, untouched by text2qti
        assert HANGUL.search(shown) and HANGUL.search(feedback(element, "general_fb"))
        assert html_of(item.solution) in feedback(element, "general_fb")


def _range(condition: ET.Element) -> tuple[float, float]:
    low = condition.findtext(".//q:vargte", namespaces=NS)
    high = condition.findtext(".//q:varlte", namespaces=NS)
    assert low is not None and high is not None
    return float(low), float(high)


def test_qti_numerical_range_is_what_the_checker_accepts(
    package_ko: Package, items_ko: list[ExportItem]
) -> None:
    numeric = [
        (e, i)
        for e, i in zip(items_of(package_ko), items_ko, strict=True)
        if i.kind in ("number", "integer")
    ]
    assert {i.kind for _, i in numeric} == {"number", "integer"}
    for element, item in numeric:
        low, high = _range(scoring(element))
        [(value, _)] = item.entries()
        assert low <= value <= high and correct(item.answer, item)
        assert low <= float(item.answer) <= high
        step = 1.0 if item.kind == "integer" else 3 * (high - low) / 2
        for refused in (value + step, value - step):
            text = str(int(refused)) if item.kind == "integer" else repr(refused)
            assert not correct(text, item) and not low <= refused <= high
        for misconception in item.misconceptions:
            [(wrong, _)] = item.entries(misconception.value)
            if not correct(repr(wrong), item):
                assert not low <= wrong <= high, misconception.name


def test_qti_small_key_keeps_full_precision(
    bank: Bank, tmp_path: Path, items_ko: list[ExportItem]
) -> None:
    """text2qti alone writes bounds to 4 decimals and refuses magnitudes under 1e-4."""
    [number] = collect(bank, Selection(ids=(IDS[4],)), variants=1, seed=0, lang="ko")
    [vector] = collect(bank, Selection(ids=("activations/leaky-relu-values",)), lang="ko")
    small = dataclasses.replace(
        number, key=dataclasses.replace(number.key, value=0.000992), answer="0.000992"
    )
    single = dataclasses.replace(
        vector, key=dataclasses.replace(vector.key, value=[-0.000992], shape=(1,))
    )
    package = _export([small, single], tmp_path / "small.zip")
    for element, item, value in zip(
        items_of(package), (small, single), (0.000992, -0.000992), strict=True
    ):
        assert field(element, "question_type") == "numerical_question"
        low, high = _range(scoring(element))
        assert low <= value <= high and high - low < 2e-6
        assert correct(str(value), item) if item is small else correct(f"[{value}]", item)
        refused = value + 2e-6
        text = str(refused) if item is small else f"[{refused}]"
        assert not correct(text, item) and not low <= refused <= high
    assert "원소 하나의 값을 숫자로 입력하십시오." in question_html(items_of(package)[1])


def test_qti_choice_marks_the_key_and_gives_option_feedback(
    package_ko: Package, items_ko: list[ExportItem]
) -> None:
    choices = [
        (e, i) for e, i in zip(items_of(package_ko), items_ko, strict=True) if i.kind == "choice"
    ]
    assert len(choices) == 4
    for element, item in choices:
        labels = element.findall(
            "q:presentation/q:response_lid/q:render_choice/q:response_label", NS
        )
        texts = {
            label.attrib["ident"]: label.findtext("q:material/q:mattext", namespaces=NS) or ""
            for label in labels
        }
        assert len(texts) == len(item.choices)
        key = scoring(element).findtext("q:varequal", namespaces=NS)
        assert key is not None
        right = item.choices[item.correct_choice]
        assert f"{item.answer}. {to_html(right, inline=True)}" in texts[key]
        idents = list(texts)
        for misconception in item.misconceptions:
            ident = idents["ABCDEFGH".index(str(misconception.value))]
            assert ident != key
            assert to_html(misconception.feedback) in feedback(element, f"{ident}_fb")


def test_qti_fill_in_texts_are_what_the_checker_accepts(
    package_ko: Package, items_ko: list[ExportItem], bank: Bank, tmp_path: Path
) -> None:
    """Shapes and integer tensors, and a float tensor at 3 significant figures."""
    floats = collect(bank, Selection(ids=("gradients/grad-accumulation",)), variants=2, lang="ko")
    pairs = [
        (e, i)
        for e, i in zip(items_of(package_ko), items_ko, strict=True)
        if i.kind in ("shape", "tensor")
    ]
    pairs += zip(items_of(_export(floats, tmp_path / "floats.zip")), floats, strict=True)
    for element, item in pairs:
        accepted = [v.text or "" for v in scoring(element).findall("q:varequal", NS)]
        assert len(accepted) >= 2
        for text in accepted:
            assert correct(text, item), (item.ref, text)
        shown = " ".join(item.answer.split()).replace("[ ", "[")
        assert shown in accepted  # the answer as studykit prints it


def test_qti_expression_is_an_essay_with_the_key_in_feedback(
    package_ko: Package, items_ko: list[ExportItem]
) -> None:
    essays = [
        (e, i)
        for e, i in zip(items_of(package_ko), items_ko, strict=True)
        if i.kind == "expression"
    ]
    assert essays
    for element, item in essays:
        general = feedback(element, "general_fb")
        assert f"<code>{item.answer}</code>" in general.replace("&gt;", ">").replace("&lt;", "<")
        assert "흔한 실수" in general


def test_qti_math_and_dollars_stay_text_for_canvas(
    items_ko: list[ExportItem], tmp_path: Path
) -> None:
    item = dataclasses.replace(items_ko[0], prompt=r"Let $a_1$ be \(x^2 < y\). It costs 5$.")
    package = _export([item], tmp_path / "math.zip")
    shown = question_html(items_of(package)[0])
    assert r"\(x^2 &lt; y\)" in shown and r"\(a_1\)" in shown
    assert "5$." in shown
    assert b"equation_image" not in b"".join(package.raw.values())
    assert b"<img" not in b"".join(package.raw.values())


def test_qti_keeps_every_block_studykit_writes(items_ko: list[ExportItem], tmp_path: Path) -> None:
    """Code with blank lines, lists, tables, quotes: none is Markdown or a command to text2qti."""
    prompt = (
        "```\na = 1\n\n\nb = 2   \n    c\n```\nWhat? *x* 1. a\n\n- item \\num{3}\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n> quote `x`\n\n% not a comment\n\n1. list\n"
    )
    item = dataclasses.replace(items_ko[0], prompt=prompt)
    shown = question_html(items_of(_export([item], tmp_path / "blocks.zip"))[0])
    assert html_of(prompt) in shown and "\\num{3}" in shown
    assert "<table>" in shown and "a = 1\n\n\nb = 2\n    c" in shown


def test_qti_refused_question_is_one_line_naming_its_ref(
    items_ko: list[ExportItem], tmp_path: Path
) -> None:
    choice = next(item for item in items_ko if item.kind == "choice" and item.answer == "A")
    alone = dataclasses.replace(choice, choices=choice.choices[:1], misconceptions=())
    with pytest.raises(ExportError, match=rf"^qti: {re.escape(choice.ref)}: text2qti refused"):
        _export([items_ko[0], alone, items_ko[1]], tmp_path / "bad.zip")
    assert not (tmp_path / "bad.zip").exists()
    assert text2qti.quiz.Markdown is text2qti.markdown.Markdown  # the renderer is put back


def test_qti_same_command_same_bytes(tmp_path: Path) -> None:
    folder = small_bank(tmp_path / "questions", IDS[:3])  # the command loads only these
    options = ["--variants", "2", "--lang", "ko", "--questions", str(folder)]
    export_twice(tmp_path, "qti", options, ("one.zip", "two.zip"))
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        assert {info.date_time for info in archive.infolist()} == {qti.ZIP_TIME}
        assert qti.MANIFEST_DATE.encode() in archive.read("imsmanifest.xml")
    titles = [item.attrib["title"].split(" · ")[0] for item in items_of(read(tmp_path / "one.zip"))]
    assert titles == [f"{i}@{s}" for i in IDS[:3] for s in (0, 1)]


def test_qti_whole_bank(bank: Bank, tmp_path: Path) -> None:
    items = collect(bank, Selection(), variants=1, seed=0, lang="en")
    package = _export(items, tmp_path / "bank.zip")
    found = items_of(package)
    assert len(found) == len(items)
    for element, item in zip(found, items, strict=True):
        assert field(element, "question_type") == QUESTION_TYPES[item.kind] or (
            item.kind == "tensor" and len(item.entries()) == 1
        )
        assert html_of(item.prompt) in question_html(element)
        if field(element, "question_type") == "numerical_question":
            low, high = _range(scoring(element))
            assert all(low <= value <= high for value, _ in item.entries())
