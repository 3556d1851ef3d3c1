"""A page of the study site loads what it uses, and under 1 MB in all (issue 16).

First `studykit.site.weight` on its own: the search index loses the API's source listings and
keeps the prose; each page gets the script that holds the index back until search is used.
Then the built site: its index and its pages. Then Chromium (Debian's, driven by Playwright
through ``benchmarks/site_weight.py``) opens the heaviest pages of each section with an empty
cache and adds up every byte they fetch: each stays under 1 MB; KaTeX comes only with math and
the quiz scripts only with quizzes. ``python -m benchmarks.site_weight`` measures every page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmarks.site_weight import LIMIT, PageWeight, measure
from studykit.site.weight import defer_search_index, trim_search_index, trim_text
from tests.site_build import BuiltSite
from tests.test_site_browser import _require_chromium

# A second group: its own worker builds its own site, beside the "site" group.
pytestmark = pytest.mark.xdist_group("site-2")

LISTING = (
    "Common mistakes <ul> <li>Forgetting the slope.</li> </ul> Source code in "
    "<code>studykit/activations.py</code> <pre><code>def sigmoid(x):\n"
    '    r"""The logistic sigmoid."""\n    return 1 / (1 + exp(-x))\n</code></pre>'
)


def test_trim_text_drops_the_source_listing_and_keeps_the_rest() -> None:
    kept = "<p>Examples</p> <pre><code>&gt;&gt;&gt; sigmoid(0.0)\n0.5</code></pre>"
    assert trim_text(kept + " " + LISTING) == (
        kept + " Common mistakes <ul> <li>Forgetting the slope.</li> </ul>"
    )
    assert trim_text(kept) == kept
    # The words alone are prose: only the line with its code block is a listing.
    assert trim_text("<p>Source code in the repository.</p>") == (
        "<p>Source code in the repository.</p>"
    )


def test_trim_search_index_rewrites_only_the_texts(tmp_path: Path) -> None:
    index = {
        "config": {"lang": ["en", "ko"], "separator": "[\\s]+"},
        "docs": [
            {"location": "reference/activations/", "title": "활성화", "text": "<p>Hi</p>"},
            {"location": "reference/activations/#sigmoid", "title": "sigmoid", "text": LISTING},
        ],
    }
    path = tmp_path / "search" / "search_index.json"
    path.parent.mkdir()
    path.write_text(json.dumps(index), encoding="utf-8")
    trim_search_index(str(tmp_path))
    trimmed = json.loads(path.read_text(encoding="utf-8"))
    assert trimmed["config"] == index["config"]
    assert [d["title"] for d in trimmed["docs"]] == ["활성화", "sigmoid"]
    assert trimmed["docs"][1]["text"] == "Common mistakes <ul> <li>Forgetting the slope.</li> </ul>"


def test_trim_search_index_without_an_index(tmp_path: Path) -> None:
    trim_search_index(str(tmp_path))  # the search plugin is off: nothing to do
    assert list(tmp_path.iterdir()) == []


def test_defer_search_index_runs_before_the_bundle() -> None:
    page = (
        "<head></head><body>\n"
        '      <script src="../../assets/javascripts/bundle.a5f9d56c.min.js"></script>\n'
        '      <script src="../../assets/js/loader.js"></script>\n</body>'
    )
    deferred = defer_search_index(page)
    scripts = re.findall(r'<script src="([^"]+)"', deferred)
    assert scripts == [
        "../../assets/js/search-on-demand.js",
        "../../assets/javascripts/bundle.a5f9d56c.min.js",
        "../../assets/js/loader.js",
    ]
    assert defer_search_index(deferred) == deferred  # once only
    assert defer_search_index("<p>no bundle</p>") == "<p>no bundle</p>"


def test_built_index_keeps_prose_and_no_source_code(built_site: BuiltSite) -> None:
    index = json.loads((built_site.path / "search" / "search_index.json").read_text("utf-8"))
    texts = [d["text"] for d in index["docs"]]
    assert not [t for t in texts if "Source code in <code>" in t]
    assert not [t for t in texts if re.search(r"<pre><code>\s*def ", t)]
    entry = next(d for d in index["docs"] if d["location"].endswith("#studykit.losses.mse_loss"))
    assert entry["title"] == "mse_loss"
    assert "<pre><code>mse_loss(" in entry["text"]  # the signature stays
    assert "The mean squared error" in entry["text"]  # and the docstring's prose


def test_built_pages_hold_the_index_back(built_site: BuiltSite) -> None:
    for path in built_site.path.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        if "assets/javascripts/bundle." not in page:
            continue
        scripts = re.findall(r'<script src="[^"]*assets/(js/[\w-]+|javascripts/bundle)', page)
        assert "js/search-on-demand" in scripts, path
        assert scripts.index("js/search-on-demand") < scripts.index("javascripts/bundle"), path


def _html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def _html_size(site: Path, page: str) -> int:
    return (site / page / "index.html").stat().st_size


def _first_quizzes_size(site: Path, page: str, count: int = 2) -> int:
    """The bytes of the variants of the page's first ``count`` quizzes (fetched on opening)."""
    sources = re.findall(r"&quot;src&quot;:&quot;([^&]+)&quot;", _html(site, page))[:count]
    return sum((site / src).stat().st_size for src in sources)


def _pages(site: Path) -> dict[str, str]:
    """The pages to weigh, by what each stands for: the heaviest of each section and more."""

    def section(name: str) -> list[str]:
        return sorted(f"{name}/{p.parent.name}/" for p in (site / name).glob("*/index.html"))

    notes, reference = section("notes"), section("reference")
    quizzes = [p for p in section("quiz") if 'class="sk-quiz"' in _html(site, p)]
    plain = [p for p in notes if 'class="arithmatex"' not in _html(site, p)]
    assert plain, "a notes page without math is needed"
    # The reference pages weigh most: the biggest HTML, or fewer bytes and more KaTeX fonts.
    reference.sort(key=lambda p: _html_size(site, p), reverse=True)
    return {
        "home": "",
        "no quiz": "contributing/",
        "math": "notes/losses/",
        "no math": plain[0],
        "biggest notes": max(notes, key=lambda p: _html_size(site, p)),
        **{f"reference {n + 1}": page for n, page in enumerate(reference[:3])},
        "heaviest quiz": max(quizzes, key=lambda p: _first_quizzes_size(site, p)),
    }


@pytest.fixture(scope="module")
def weights(built_site: BuiltSite) -> dict[str, PageWeight]:
    _require_chromium()
    chosen = _pages(built_site.path)
    measured = {w.page: w for w in measure(built_site.path, sorted(set(chosen.values())))}
    return {role: measured[page] for role, page in chosen.items()}


def test_the_heaviest_pages_stay_under_1_mb(weights: dict[str, PageWeight]) -> None:
    over = {w.page: (w.total, w.by_kind()) for w in weights.values() if w.total >= LIMIT}
    assert over == {}


def test_the_search_index_waits_for_search(weights: dict[str, PageWeight]) -> None:
    assert not [w.page for w in weights.values() if w.loads("search/search_index.json")]


def test_katex_only_with_math(weights: dict[str, PageWeight]) -> None:
    assert weights["math"].loads("vendor/katex/katex.min.js")
    assert weights["math"].loads("vendor/katex/katex.min.css")
    assert weights["math"].by_kind()["font"] > 0
    for role in ("no math", "home", "heaviest quiz"):  # the quizzes' texts hold no math yet
        assert not weights[role].loads("vendor/katex/"), role


def test_quiz_scripts_only_with_quizzes(weights: dict[str, PageWeight]) -> None:
    quiz = weights["heaviest quiz"]
    assert quiz.loads("js/studykit-checker.js") and quiz.loads("js/studykit-quiz.js")
    assert quiz.by_kind()["quiz data"] > 0
    for role in ("no quiz", "home", "math", "no math", "reference 1"):
        page = weights[role]
        assert not page.loads("studykit-quiz.js") and not page.loads("studykit-checker"), role
        assert page.by_kind()["quiz data"] == 0, role
