"""Links and language marks of the study site (`studykit.site.links`, `studykit.site.korean`).

The unit tests feed small HTML and Markdown to the functions; the site tests read the built
site (`built_site`) and check what a reader gets: names that take them to their entries, notes
that end with their quiz and reference, Korean text marked ``lang="ko"``, and every API entry
with its source, collapsed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studykit.site.korean import HANGUL, mark_korean
from studykit.site.links import ApiIndex, add_next_steps, documented_names, link_names
from studykit.topics import TOPICS
from tests.site_build import BuiltSite

pytestmark = pytest.mark.xdist_group("site")  # one worker builds the site once

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
HANGUL_CHAR = re.compile(f"[{HANGUL}]")
MARK = re.compile(r'<span lang="ko">([^<]*)</span>')


@pytest.fixture(scope="module")
def index() -> ApiIndex:
    return ApiIndex.from_docs(DOCS)


def ref(identifier: str, text: str) -> str:
    return f'<autoref identifier="{identifier}"><code>{text}</code></autoref>'


# --- the index ---------------------------------------------------------------------------------


def test_index_holds_the_documented_names(index: ApiIndex) -> None:
    assert index.pages["studykit.losses"] == "reference/losses.md"
    assert index.modules["l1_loss"] == ("studykit.losses",)  # re-exported by the package
    assert index.modules["numerical_grad"] == ("studykit.autograd",)  # overloaded
    assert index.modules["SGD"] == ("studykit.optim",)
    assert "FORMULAS" not in index.modules  # in __all__, but no docstring: no entry
    assert "check_floating" not in index.modules  # imported, not exported


def test_a_note_only_directive_maps_the_page_and_adds_no_entries(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "losses.md").write_text(
        "# Losses\n\n::: studykit.losses\n\n"
        "::: studykit.losses.binary\n    options:\n      members: false\n      heading_level: 3\n"
        "\n::: studykit.losses.regression\n    options:\n      heading_level: 3\n",
        encoding="utf-8",
    )
    index = ApiIndex.from_docs(tmp_path)
    assert index.pages["studykit.losses.binary"] == "reference/losses.md"
    assert index.modules["mnist_loss"] == ("studykit.losses",)  # binary's note adds no entry
    # a submodule directive without ``members: false`` documents its names a second time
    assert index.modules["mse_loss"] == ("studykit.losses", "studykit.losses.regression")


def test_package_pages_end_with_every_submodules_note(index: ApiIndex) -> None:
    packages = ("losses", "preprocessing", "models", "optim")
    for package in packages:
        folder = ROOT / "studykit" / package
        submodules = {f"studykit.{package}.{p.stem}" for p in folder.glob("[a-z]*.py")}
        assert submodules, package
        assert {m for m in submodules if index.pages.get(m) == f"reference/{package}.md"} == (
            submodules
        )
    # the entries stay the package's: one entry per name, as before the notes were added
    assert all(len(modules) == 1 for modules in index.modules.values()), index.modules


def test_documented_names_follow_all() -> None:
    assert set(documented_names("studykit.activations")) == {
        "sigmoid",
        "tanh",
        "relu",
        "leaky_relu",
        "softmax",
        "log_softmax",
    }


# --- link_names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "identifier"),
    [
        ("mean_error", "studykit.losses.mean_error"),
        ("l1_loss", "studykit.losses.l1_loss"),
        ("l1_loss()", "studykit.losses.l1_loss"),
        ("studykit.losses.cross_entropy", "studykit.losses.cross_entropy"),
        ("losses.cross_entropy", "studykit.losses.cross_entropy"),
        ("Value", "studykit.autograd.Value"),
    ],
)
def test_documented_names_become_autorefs(index: ApiIndex, text: str, identifier: str) -> None:
    html = f"<p>See <code>{text}</code>.</p>"
    assert link_names(html, "notes/losses.md", index) == f"<p>See {ref(identifier, text)}.</p>"


@pytest.mark.parametrize(
    "text",
    ["torch.cat", "F.l1_loss", "x.mean()", "SGD.step", "optim.l1_loss", "l1_loss(x)", "reduction"],
)
def test_other_code_stays_text(index: ApiIndex, text: str) -> None:
    html = f"<p><code>{text}</code></p>"
    assert link_names(html, "notes/losses.md", index) == html


@pytest.mark.parametrize(
    "html",
    [
        "<pre><code>l1_loss</code></pre>",
        '<div class="highlight"><pre><span></span><code>l1_loss</code></pre></div>',
        '<a href="x"><code>l1_loss</code></a>',
        '<autoref identifier="studykit.losses.l1_loss"><code>l1_loss</code></autoref>',
        '<h2 id="x"><code>l1_loss</code><a class="headerlink" href="#x">¶</a></h2>',
        "<script>var a = '<code>l1_loss</code>';</script>",
        '<p><code class="x">l1_loss</code></p>',
        "<p><code><span>l1_loss</span></code></p>",
        "<!-- <code>l1_loss</code> -->",
    ],
)
def test_names_in_code_blocks_links_and_headings_stay_text(index: ApiIndex, html: str) -> None:
    assert link_names(html, "notes/losses.md", index) == html


def test_text_after_a_closed_pre_or_link_is_linked_again(index: ApiIndex) -> None:
    html = '<pre><code>x</code></pre><a href="y">z</a><p><code>l1_loss</code></p>'
    assert ref("studykit.losses.l1_loss", "l1_loss") in link_names(html, "notes/x.md", index)


def test_quiz_pages_are_left_alone(index: ApiIndex) -> None:
    html = "<p><code>l1_loss</code></p>"
    assert link_names(html, "quiz/losses.md", index) == html
    assert link_names(html, "quiz/index.md", index) == html


def test_an_entry_does_not_link_to_itself(index: ApiIndex) -> None:
    html = (
        '<h2 id="studykit.losses.l1_loss"><span>l1_loss</span></h2>'
        "<p><code>l1_loss</code> or <code>mse_loss</code></p>"
        '<h2 id="studykit.losses.mse_loss"><span>mse_loss</span></h2>'
        "<p><code>l1_loss</code> or <code>mse_loss</code></p>"
    )
    linked = link_names(html, "reference/losses.md", index)
    first, second = linked.split('<h2 id="studykit.losses.mse_loss">')
    assert "<code>l1_loss</code> or " + ref("studykit.losses.mse_loss", "mse_loss") in first
    assert ref("studykit.losses.l1_loss", "l1_loss") + " or <code>mse_loss</code>" in second


def test_a_member_does_not_link_to_its_class(index: ApiIndex) -> None:
    html = '<h3 id="studykit.autograd.Value.backward">b</h3><p><code>Value</code></p>'
    assert link_names(html, "reference/autograd.md", index) == html


def test_section_ids_that_are_not_entries_change_nothing(index: ApiIndex) -> None:
    html = '<h2 id="studykit.autograd--the-chain-rule">c</h2><p><code>Value</code></p>'
    linked = link_names(html, "reference/autograd.md", index)
    assert ref("studykit.autograd.Value", "Value") in linked


AMBIGUOUS = ApiIndex(
    {
        "studykit.activations": "reference/activations.md",
        "studykit.symbolic": "reference/symbolic.md",
    },
    {"relu": ("studykit.activations", "studykit.symbolic")},
)


@pytest.mark.parametrize(
    ("src_uri", "identifier"),
    [
        ("reference/symbolic.md", "studykit.symbolic.relu"),
        ("reference/activations.md", "studykit.activations.relu"),
        ("notes/activations.md", "studykit.activations.relu"),  # the topic's module
        ("notes/gradients.md", "studykit.symbolic.relu"),  # autograd and symbolic
        ("notes/losses.md", None),
        ("index.md", None),
    ],
)
def test_an_ambiguous_name_links_to_the_pages_own_module(
    src_uri: str, identifier: str | None
) -> None:
    html = "<p><code>relu</code></p>"
    expected = html if identifier is None else f"<p>{ref(identifier, 'relu')}</p>"
    assert link_names(html, src_uri, AMBIGUOUS) == expected
    qualified = "<p><code>activations.relu</code></p>"
    assert ref("studykit.activations.relu", "activations.relu") in link_names(
        qualified, src_uri, AMBIGUOUS
    )


# --- add_next_steps ----------------------------------------------------------------------------

LINK = re.compile(r"\[([^\]]*)\]\(([^)]+)\)")


@pytest.mark.parametrize("topic", [topic.id for topic in TOPICS])
def test_every_note_gets_its_quiz_and_reference(index: ApiIndex, topic: str) -> None:
    note = "# Title\n\nBody.\n"
    out = add_next_steps(note, f"notes/{topic}.md", index)
    assert out.startswith(note.rstrip("\n"))
    _, _, section = out.partition("\n## 다음 단계 · Next steps\n")
    assert section, out
    targets = [target for _, target in LINK.findall(section)]
    assert targets[0] == f"../quiz/{topic}.md"
    references = targets[1:]
    assert references, f"{topic}: no reference page"
    for target in references:
        assert target.startswith("../reference/")
        assert (DOCS / "notes" / target).resolve().is_file(), target
    # The reference pages are those documenting the topic's modules.
    documented = {f"../{index.pages[m]}" for m in index.page_modules(f"notes/{topic}.md")}
    assert set(references) == documented


def test_next_steps_reach_both_reference_pages_of_a_topic(index: ApiIndex) -> None:
    out = add_next_steps("x\n", "notes/gradients.md", index)
    assert "(../reference/autograd.md)" in out
    assert "(../reference/symbolic.md)" in out


@pytest.mark.parametrize(
    "src_uri", ["index.md", "reference/losses.md", "quiz/losses.md", "notes/unknown.md"]
)
def test_other_pages_get_no_next_steps(index: ApiIndex, src_uri: str) -> None:
    assert add_next_steps("# Page\n", src_uri, index) == "# Page\n"


def test_a_topic_module_without_a_reference_page_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"studykit\.losses"):
        add_next_steps("x\n", "notes/losses.md", ApiIndex({}, {}))


def test_a_topic_without_modules_is_an_error(index: ApiIndex) -> None:
    with pytest.raises(ValueError, match="TOPIC_MODULES"):
        index.reference_pages("no-such-topic")


@pytest.mark.parametrize("topic", [topic.id for topic in TOPICS])
def test_notes_do_not_link_their_quiz_and_reference_by_hand(index: ApiIndex, topic: str) -> None:
    text = (DOCS / "notes" / f"{topic}.md").read_text(encoding="utf-8")
    assert f"(../quiz/{topic}.md)" not in text
    assert "## 다음 단계" not in text
    for page in index.reference_pages(topic):
        assert f"(../{page})" not in text.split("## See also")[-1]


# --- mark_korean -------------------------------------------------------------------------------


class UnmarkedKorean(HTMLParser):
    """The Hangul text of a page body that is in no element marked ``lang="ko"``.

    A second reading of the rule, with the standard library's parser: the text of scripts,
    styles, text areas, the head, formulas (``arithmatex``) and SVG or MathML is not page text.
    """

    VOID = frozenset(
        "area base br col embed hr img input link meta source track wbr".split()  # noqa: SIM905
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, whether its text is exempt)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        values = dict(attrs)
        exempt = (
            (values.get("lang") or "").startswith("ko")
            or "arithmatex" in (values.get("class") or "")
            or tag in {"script", "style", "textarea", "title", "head", "svg", "math"}
        )
        self.stack.append((tag, exempt))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        tags = [name for name, _ in self.stack]
        if tag in tags:
            del self.stack[len(tags) - 1 - tags[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if HANGUL_CHAR.search(data) and not any(exempt for _, exempt in self.stack):
            self.found.append(data.strip())


def unmarked_korean(html: str) -> list[str]:
    parser = UnmarkedKorean()
    parser.feed(html)
    parser.close()
    return parser.found


def unmark(html: str) -> str:
    return MARK.sub(r"\1", html)


def test_korean_runs_are_wrapped() -> None:
    assert mark_korean("<p>Loss (손실 함수): MSE</p>") == (
        '<p>Loss (<span lang="ko">손실 함수</span>): MSE</p>'
    )


def test_a_sentence_with_numbers_and_punctuation_is_one_run() -> None:
    text = "<p>문제마다 변형 문제가 50개씩, 준비되어 있습니다.</p>"
    assert mark_korean(text) == (
        '<p><span lang="ko">문제마다 변형 문제가 50개씩, 준비되어 있습니다</span>.</p>'
    )


def test_latin_words_split_runs_and_spaces_stay_outside() -> None:
    assert mark_korean("<p> 손실(loss) 함수 </p>") == (
        '<p> <span lang="ko">손실</span>(loss) <span lang="ko">함수</span> </p>'
    )


def test_only_the_body_is_marked() -> None:
    page = (
        '<!doctype html><html lang="en"><head><title>손실</title>'
        '<meta name="description" content="손실 함수"></head>'
        "<body><p>손실</p></body></html>"
    )
    marked = mark_korean(page)
    assert marked.startswith(page.split("<body>")[0] + "<body>")
    assert marked.endswith('<body><p><span lang="ko">손실</span></p></body></html>')


@pytest.mark.parametrize(
    "html",
    [
        "<script>var s = '손실';</script>",
        "<SCRIPT type='module'>if (a < b) s = '손실';</SCRIPT>",
        "<style>/* 손실 */ p::before { content: '손실'; }</style>",
        "<textarea>손실</textarea>",
        "<title>손실</title>",
        "<!-- 손실 -->",
        '<a title="손실 함수" href="#손실">x</a>',
        "<img alt='손실 > 함수'>",
        '<span class="arithmatex">\\(\\text{손실 <b>x</b>}\\)</span>',
        '<div class="arithmatex">\\[\\text{표준화}\\]</div>',
        '<p lang="ko">이미 <b>표시된</b> 문장</p>',
        "<svg><text>손실</text></svg>",
        "<p>loss &amp; &lt;tag&gt; only</p>",
    ],
)
def test_what_is_not_page_text_stays_as_it_is(html: str) -> None:
    assert mark_korean(html) == html


def test_text_after_a_skipped_element_is_marked() -> None:
    html = '<script>"손실"</script><div class="arithmatex"><div>x</div></div><p>함수</p>'
    assert mark_korean(html).endswith('<p><span lang="ko">함수</span></p>')


def test_marking_twice_changes_nothing() -> None:
    once = mark_korean("<p>손실 함수와 <b>기울기</b></p>")
    assert mark_korean(once) == once


PIECES = st.sampled_from(
    [
        "손실",
        "함수",
        "기울기와",
        "ㄱ",
        "loss",
        "MSE",
        " ",
        "\n",
        ", ",
        "(",
        ")",
        ".",
        "50",
        "&amp;",
        "<b>",
        "</b>",
        "<p>",
        "</p>",
        "<br>",
        '<a title="손실 함수">',
        "</a>",
        "<script>var s = '손실 함수';</script>",
        "<style>/* 함수 */</style>",
        "<!-- 손실 -->",
        '<span class="arithmatex">\\(\\text{손실}\\)</span>',
    ]
)
OPAQUE = re.compile(r"<script>.*?</script>|<style>.*?</style>|<!--.*?-->|<[^>]*>", re.DOTALL)


@given(st.lists(PIECES, max_size=30).map("".join))
def test_marks_only_add_spans_around_text(html: str) -> None:
    marked = mark_korean(html)
    assert unmark(marked) == html
    assert mark_korean(marked) == marked
    # Scripts, styles, comments and tags come through whole: with the spans turned into
    # characters that are no markup, a span that went inside one would show in it.
    sentinels = MARK.sub(lambda m: f"\x02{m.group(1)}\x03", marked)
    assert OPAQUE.findall(sentinels) == OPAQUE.findall(html)
    assert unmarked_korean(marked) == []
    for run in MARK.findall(marked):
        assert HANGUL_CHAR.match(run[0]) and HANGUL_CHAR.match(run[-1]), run


# --- the built site ----------------------------------------------------------------------------


class Codes(HTMLParser):
    """Each inline ``<code>`` of a page's article: its text and the link around it, if any."""

    HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str | None]] = []  # (tag, href)
        self.codes: list[tuple[str, str | None]] = []  # (text, href of the enclosing link)
        self.text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UnmarkedKorean.VOID:
            return
        self.open.append((tag, dict(attrs).get("href")))
        if tag == "code":
            self.text = []

    def handle_endtag(self, tag: str) -> None:
        tags = [name for name, _ in self.open]
        if tag == "code" and self.text is not None:
            self._record("".join(self.text))
            self.text = None
        if tag in tags:
            del self.open[len(tags) - 1 - tags[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def _record(self, text: str) -> None:
        tags = {name for name, _ in self.open}
        if "pre" in tags or tags & self.HEADINGS:
            return
        links = [href for name, href in self.open if name == "a"]
        self.codes.append((text, links[-1] if links else None))


def article(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    return page[page.index("<article") : page.index("</article>")]


def resolve(site: Path, page: Path, href: str) -> tuple[Path, str]:
    """The file a relative link from ``page`` reaches, and its fragment."""
    parts = urlsplit(href)
    assert not parts.scheme and not parts.netloc, href
    target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    if target.is_dir():
        target = target / "index.html"
    assert target.is_relative_to(site.resolve()), href
    return target, unquote(parts.fragment)


def notes_pages(site: Path) -> list[Path]:
    return [site / "notes" / topic.id / "index.html" for topic in TOPICS]


def test_backticked_names_in_the_notes_link_to_their_entries(
    built_site: BuiltSite, index: ApiIndex
) -> None:
    linked = set()
    for page in notes_pages(built_site.path):
        parser = Codes()
        parser.feed(article(page))
        here = index.page_modules(f"notes/{page.parent.name}.md")
        for text, href in parser.codes:
            identifier = index.resolve(text, here)
            if identifier is None:
                continue
            assert href is not None, f"{page.parent.name}: `{text}` is not a link"
            target, fragment = resolve(built_site.path, page, href)
            assert fragment == identifier, f"{page.parent.name}: `{text}` -> {href}"
            assert f'id="{identifier}"' in target.read_text(encoding="utf-8"), href
            linked.add((page.parent.name, text.removesuffix("()")))
    # Names the notes mention, so the loop above cannot pass by finding none.
    assert {("losses", "mnist_loss"), ("losses", "cross_entropy")} <= linked
    assert len(linked) >= 20, sorted(linked)


def test_submodule_notes_are_on_their_package_page(built_site: BuiltSite) -> None:
    losses = article(built_site.path / "reference" / "losses" / "index.html")
    for module in ("regression", "binary", "categorical"):
        assert f'id="studykit.losses.{module}"' in losses, module
    notes = re.sub(r"<[^>]+>", "", losses[losses.index('id="studykit.losses.regression"') :])
    assert "(회귀 손실)" in notes and "(다중 분류 손실)" in notes
    models = article(built_site.path / "reference" / "models" / "index.html")
    assert 'id="studykit.models.simple_net"' in models and "simple_net" in models


def test_reference_pages_link_names_to_other_entries(built_site: BuiltSite) -> None:
    losses = article(built_site.path / "reference" / "losses" / "index.html")
    assert len(re.findall(r'href="#studykit\.losses\.\w+"><code>', losses)) >= 5
    # softmax's docstring names cross_entropy, on another page.
    activations = article(built_site.path / "reference" / "activations" / "index.html")
    assert (
        'href="../losses/#studykit.losses.cross_entropy"><code>cross_entropy</code>' in activations
    )


def test_no_entry_links_to_itself(built_site: BuiltSite, index: ApiIndex) -> None:
    entries = {f"{module}.{name}" for name, modules in index.modules.items() for module in modules}
    heading = re.compile(r'<h\d id="(studykit\.[\w.]+)"')
    for page in (built_site.path / "reference").glob("*/index.html"):
        sections = heading.split(article(page))
        for element_id, body in zip(sections[1::2], sections[2::2], strict=True):
            own = next(
                (e for e in entries if element_id == e or element_id.startswith(e + ".")), None
            )
            if own is not None:
                assert f'href="#{own}"><code>' not in body, f"{element_id} links to {own}"


def test_every_note_ends_with_its_quiz_and_reference(
    built_site: BuiltSite, index: ApiIndex
) -> None:
    for topic in TOPICS:
        page = built_site.path / "notes" / topic.id / "index.html"
        text = article(page)
        _, found, section = text.partition('<h2 id="next-steps">')
        assert found, f"{topic.id}: no next steps"
        assert "<h2" not in section, f"{topic.id}: the next steps are not last"
        hrefs = re.findall(r'href="([^"#]+)"', section)
        targets = {resolve(built_site.path, page, href)[0] for href in hrefs}
        for target in targets:
            assert target.is_file(), target
        expected = {built_site.path / "quiz" / topic.id / "index.html"} | {
            built_site.path / PurePosixPath(p).with_suffix("") / "index.html"
            for p in index.reference_pages(topic.id)
        }
        assert {t.resolve() for t in expected} <= targets, topic.id


def test_korean_text_is_marked_on_every_page(built_site: BuiltSite) -> None:
    pages = sorted(built_site.path.rglob("*.html"))
    assert set(notes_pages(built_site.path)) <= set(pages)
    assert built_site.path / "404.html" in pages  # made from a template alone
    marked = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert unmarked_korean(html) == [], page
        marked += html.count('<span lang="ko">')
    assert marked > 100


def test_korean_css_is_loaded_and_names_a_korean_face(built_site: BuiltSite) -> None:
    css = (built_site.path / "assets" / "css" / "korean.css").read_text(encoding="utf-8")
    assert re.search(r'\[lang\|="ko"\]\s*\{\s*font-family:\s*"Noto Sans CJK KR"', css)
    page = (built_site.path / "notes" / "losses" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<link[^>]+href="[./]*assets/css/korean\.css"', page)


def test_every_api_entry_shows_its_source_collapsed(built_site: BuiltSite, index: ApiIndex) -> None:
    source = re.compile(
        r"<details (?P<attrs>[^>]*mkdocstrings-source[^>]*)>\s*"
        r"<summary>Source code in <code>(?P<path>[^<]+)</code>"
    )
    for name, modules in index.modules.items():
        for module in modules:
            identifier = f"{module}.{name}"
            page = built_site.path / PurePosixPath(index.pages[module]).with_suffix("")
            text = article(page / "index.html")
            start = text.index(f'id="{identifier}"')
            following = re.search(r'<div class="doc doc-object ', text[start:])
            section = text[start : start + following.start()] if following else text[start:]
            found = source.search(section)
            assert found, f"{identifier}: no source"
            assert not re.search(r"\bopen\b", found.group("attrs")), f"{identifier}: open"
            path = found.group("path")
            assert path.startswith("studykit/") and (ROOT / path).is_file(), path
