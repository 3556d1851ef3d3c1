"""The Korean notes (``docs/**/*.ko.md``) say what the English pages say, in Korean.

Each notes page and the home page have a Korean twin beside them (``losses.md`` and
``losses.ko.md``). The prose is written anew in Korean, but what the two pages share is checked
here, so they cannot drift apart: the same headings (levels and anchors: a Korean heading carries
its English twin's id as ``{#id}``), byte-identical code blocks and formulas, the same inline code,
link targets, snippet includes and admonitions, the same decimals in the prose; and the Korean
page is mostly Hangul (at least 60% of its letters outside code, formulas and links).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import markdown
import pytest

from studykit.topics import topic_ids

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = ["index", *(f"notes/{topic}" for topic in topic_ids())]

FENCE = re.compile(r"^(?P<fence>```+|~~~+)[^\n]*\n.*?^(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL)
MATH = re.compile(r"\$\$.*?\$\$|\\\(.*?\\\)|\\\[.*?\\\]", re.DOTALL)
INLINE_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
SNIPPET = re.compile(r"^\s*--8<--.*$", re.MULTILINE)
ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s+(\w+)", re.MULTILINE)
HEADING_ID = re.compile(r"<h([1-6]) id=\"([^\"]+)\"")
# A decimal in the prose; Hangul may follow it at once (0.1에서), so ASCII-only word boundaries.
DECIMAL = re.compile(r"(?<![0-9A-Za-z_.])(?:\d+(?:\.\d+)?e[-+]?\d+|\d+\.\d+)(?![0-9A-Za-z_]|\.\d)")
HTML_TAG = re.compile(r"<[^>]+>")
HANGUL = re.compile(r"[가-힣ㄱ-ㅎㅏ-ㅣ]")
LATIN = re.compile(r"[A-Za-z]")


def _source(page: str, language: str) -> str:
    suffix = ".md" if language == "en" else ".ko.md"
    return (DOCS / f"{page}{suffix}").read_text(encoding="utf-8")


def _without_code(text: str) -> str:
    return FENCE.sub("\n", text)


def _prose(text: str) -> str:
    """The text a reader reads as prose: no code, formulas, inline code, link targets or tags."""
    text = MATH.sub(" ", _without_code(text))
    text = INLINE_CODE.sub(" ", text)
    text = LINK.sub("]", text)
    text = SNIPPET.sub(" ", text)
    text = re.sub(r"\{#[^}]*\}", " ", text)  # explicit heading ids
    return HTML_TAG.sub(" ", text)


def headings(text: str) -> list[tuple[str, str]]:
    """(level, id) of every heading, as MkDocs' toc extension gives them."""
    html = markdown.markdown(_without_code(text), extensions=["toc", "attr_list", "md_in_html"])
    return HEADING_ID.findall(html)


def shared_parts(text: str) -> dict[str, object]:
    """What both languages of a page must have in common."""
    outside_code = _without_code(text)
    return {
        "headings": headings(text),
        "code blocks": [block.group(0) for block in FENCE.finditer(text)],
        "formulas": MATH.findall(outside_code),
        "inline code": Counter(
            code for _, code in INLINE_CODE.findall(MATH.sub(" ", outside_code))
        ),
        "link targets": Counter(LINK.findall(outside_code)),
        "snippets": [line.strip() for line in SNIPPET.findall(outside_code)],
        "admonitions": ADMONITION.findall(outside_code),
        "decimals": sorted(set(DECIMAL.findall(_prose(text)))),
    }


def korean_snippets(snippets: list[str]) -> list[str]:
    """The snippet lines a Korean page has where its English twin has ``snippets``.

    A Korean page includes the Korean version of each generated snippet: ``<name>.ko.md``
    where the English page includes ``<name>.md``.
    """
    return [re.sub(r'(?<!\.ko)\.md"', '.ko.md"', line) for line in snippets]


def korean_links(targets: Counter[str]) -> Counter[str]:
    """The link targets a Korean page has where its English twin has ``targets``.

    A Korean page shows the Korean drawing of each figure: ``../figures/<name>.ko.svg`` where
    the English page shows ``../figures/<name>.svg``; every other target is the same.
    """
    return Counter(
        {
            re.sub(r"(/figures/[^/]+?)(?<!\.ko)\.svg$", r"\1.ko.svg", t): n
            for t, n in targets.items()
        }
    )


def hangul_share(text: str) -> float:
    prose = _prose(text)
    hangul, latin = len(HANGUL.findall(prose)), len(LATIN.findall(prose))
    return hangul / max(hangul + latin, 1)


def test_the_checks_see_what_they_compare() -> None:
    # The extraction is not vacuous: an English page has headings, formulas and code to compare.
    parts = shared_parts(_source("notes/losses", "en"))
    assert len(parts["headings"]) >= 5  # type: ignore[arg-type]
    assert len(parts["formulas"]) >= 5  # type: ignore[arg-type]
    assert parts["snippets"] == ['--8<-- "generated/examples/losses.md"']
    assert hangul_share(_source("notes/losses", "en")) < 0.2
    assert hangul_share("손실 함수(loss)는 `mse`처럼 예측이 얼마나 틀렸는지 잽니다.") > 0.6


def test_a_drifted_page_is_caught() -> None:
    english = "# Loss\n\nA \\(x^2\\) and `mse` at 0.25, see [l](losses.md).\n\n## Next\n"
    korean = (
        "# 손실 {#loss}\n\n\\(x^2\\)와 `mse`, 0.25에서 [손실](losses.md)을 보십시오.\n\n"
        "## 다음 {#next}\n"
    )
    assert shared_parts(english) == shared_parts(korean)
    for drift in ["\\(x^3\\)", "`mae`", "0.5", "(data.md)", "{#later}"]:
        original = {"\\(x^3\\)": "\\(x^2\\)", "`mae`": "`mse`", "0.5": "0.25"}
        original |= {"(data.md)": "(losses.md)", "{#later}": "{#next}"}
        assert shared_parts(korean.replace(original[drift], drift)) != shared_parts(english)


def test_a_korean_page_includes_the_korean_snippet() -> None:
    english = '--8<-- "generated/examples/losses.md"'
    assert korean_snippets([english]) == ['--8<-- "generated/examples/losses.ko.md"']
    assert korean_snippets(korean_snippets([english])) == korean_snippets([english])
    for wrong in [english, '--8<-- "generated/examples/data.ko.md"']:
        assert [wrong] != korean_snippets([english])


def test_a_korean_page_shows_the_korean_figure() -> None:
    english = Counter(["../figures/dropout-mask.svg", "losses.md", "../figures/x.svg"])
    korean = korean_links(english)
    assert korean == Counter(["../figures/dropout-mask.ko.svg", "losses.md", "../figures/x.ko.svg"])
    assert korean_links(korean) == korean
    assert korean_links(Counter(["../assets/a.svg"])) == Counter(["../assets/a.svg"])


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_a_korean_twin(page: str) -> None:
    assert (DOCS / f"{page}.ko.md").is_file(), f"docs/{page}.ko.md is missing"


@pytest.mark.parametrize("page", PAGES)
def test_korean_page_shares_the_english_pages_structure(page: str) -> None:
    if not (DOCS / f"{page}.ko.md").is_file():
        pytest.fail(f"docs/{page}.ko.md is missing")
    english, korean = shared_parts(_source(page, "en")), shared_parts(_source(page, "ko"))
    english["snippets"] = korean_snippets(english["snippets"])  # type: ignore[arg-type]
    english["link targets"] = korean_links(english["link targets"])  # type: ignore[arg-type]
    for part, value in english.items():
        assert korean[part] == value, f"docs/{page}.ko.md: {part} differ"


@pytest.mark.parametrize("page", PAGES)
def test_korean_page_is_mostly_hangul(page: str) -> None:
    if not (DOCS / f"{page}.ko.md").is_file():
        pytest.fail(f"docs/{page}.ko.md is missing")
    share = hangul_share(_source(page, "ko"))
    assert share >= 0.6, f"docs/{page}.ko.md: {share:.0%} of its prose letters are Hangul"


@pytest.mark.parametrize("page", PAGES)
def test_no_space_before_a_particle_after_code_or_a_number(page: str) -> None:
    if not (DOCS / f"{page}.ko.md").is_file():
        pytest.fail(f"docs/{page}.ko.md is missing")
    text = _without_code(_source(page, "ko"))
    particle = r"(?:은|는|이|가|을|를|의|에|와|과|로|으로|도)(?=[\s.,)])"
    detached = re.findall(rf"(?:`[^`\n]+`|\b\d+(?:\.\d+)?|\\\))[ ]+{particle}", text)
    assert detached == [], f"docs/{page}.ko.md: particles set apart: {detached[:5]}"
