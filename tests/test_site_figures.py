"""The site's figures: each draws in English and in Korean, saves the same SVG bytes twice, on a
transparent background, the Korean one with Korean words and no missing glyph, and every figure
a notes page shows is served by the built site in the page's language with the registry's alt
text."""

from __future__ import annotations

import re
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import torch

from studykit.activations import sigmoid
from studykit.plots.convolution import EDGE_KERNELS, digit_image
from studykit.plots.labels import KOREAN
from studykit.plots.style import new_figure, save
from studykit.site.build import GENERATED
from studykit.site.figures import (
    FIGURES,
    FOLDER,
    Alt,
    SiteFigure,
    figure_by_name,
    lab_figure,
    write_figures,
)
from studykit.topics import topic_ids
from tests.site_build import BuiltSite

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "docs" / "notes"
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target>[^)\s]+)\)")
# The figure's and every axes' background: matplotlib's "patch" groups open with one path.
BACKGROUND = re.compile(r'<g id="patch_\d+">\s*<path d="[^"]*"\s*style="(?P<style>[^"]*)"')
OPAQUE = re.compile(r"fill:\s*(?:#fff(?:fff)?|#000(?:000)?|white|black)\b", re.IGNORECASE)
HANGUL = re.compile(r"[가-힣]")
GLYPH_MISSING = r"Glyph .* missing from font"
# An SVG's text elements (svg.fonttype "none": the words stay text), their content.
SVG_TEXT = re.compile(r"<text\b[^>]*>([^<]*)</text>")


def _note(topic: str, language: str) -> str:
    suffix = ".md" if language == "en" else ".ko.md"
    return (NOTES / f"{topic}{suffix}").read_text(encoding="utf-8")


def _figure_refs(text: str) -> list[tuple[str, str, str]]:
    """(name, file, alt) of every image of the figures folder that a notes page shows."""
    found = []
    for match in IMAGE.finditer(text):
        target = match["target"]
        if target.startswith(f"../{FOLDER}/") and target.endswith(".svg"):
            file = target.removeprefix(f"../{FOLDER}/")
            found.append((file.removesuffix(".svg").removesuffix(".ko"), file, match["alt"]))
    return found


def _texts(svg: bytes) -> list[str]:
    return SVG_TEXT.findall(svg.decode("utf-8"))


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[bytes, bytes]]:
    """Every figure drawn and saved twice in each language: (name, language) -> (bytes, bytes).

    Drawn with matplotlib's "Glyph ... missing" warnings as errors: a Korean word with a
    character the vendored font lacks fails here.
    """
    out = tmp_path_factory.mktemp("figures")
    files = {}
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=GLYPH_MISSING)
        for entry in FIGURES:
            for language in ("en", "ko"):
                file = entry.file_in(language)
                first = save(entry.draw(language=language), out / "a" / file).read_bytes()
                second = save(entry.draw(language=language), out / "b" / file).read_bytes()
                files[entry.name, language] = (first, second)
    return files


SAVED = [(entry.name, language) for entry in FIGURES for language in ("en", "ko")]


def test_the_registry_is_well_formed() -> None:
    names = [entry.name for entry in FIGURES]
    assert len(names) == len(set(names)) and len(names) >= 3
    for entry in FIGURES:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", entry.name), entry.name
        assert entry.topic in topic_ids(), entry.topic
        assert len(entry.alt.en) > 40 and len(entry.alt.ko) > 20, entry.name
        assert re.search(r"[가-힣]", entry.alt.ko) and not re.search(r"[가-힣]", entry.alt.en)
        assert "]" not in entry.alt.en + entry.alt.ko  # the alt text sits inside ![...]
        assert figure_by_name(entry.name) is entry
    with pytest.raises(KeyError):
        figure_by_name("no-such-figure")
    assert FOLDER in GENERATED  # written by the build, never copied, shipped or committed


@pytest.mark.parametrize(("name", "language"), SAVED)
def test_every_figure_saves_the_same_nonempty_svg_twice(
    name: str, language: str, saved: dict[tuple[str, str], tuple[bytes, bytes]]
) -> None:
    first, second = saved[name, language]
    assert first == second, f"{name} ({language}): two saves differ"
    text = first.decode("utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text and len(first) > 5000
    assert "<path" in text or "<image" in text


@pytest.mark.parametrize("name", [entry.name for entry in FIGURES])
def test_the_korean_figure_speaks_korean(
    name: str, saved: dict[tuple[str, str], tuple[bytes, bytes]]
) -> None:
    english, korean = saved[name, "en"][0], saved[name, "ko"][0]
    assert english != korean, f"{name}: the Korean figure is the English one"
    english_texts, korean_texts = _texts(english), _texts(korean)
    assert not any(HANGUL.search(text) for text in english_texts), name
    assert any(HANGUL.search(text) for text in korean_texts), f"{name}: no Korean word"
    # Every English label the Korean figure could have shown was put into Korean; the numbers
    # (tick labels) and formulas are the same in both.
    translated = {en for en, ko in KOREAN.items() if en != ko and "{" not in en}
    left_in_english = translated.intersection(korean_texts)
    assert not left_in_english, f"{name}: English labels in the Korean figure: {left_in_english}"
    numbers = re.compile(r"^[−\-0-9.]+$")
    assert [t for t in english_texts if numbers.match(t)] == [
        t for t in korean_texts if numbers.match(t)
    ], f"{name}: the tick labels differ between the languages"


@pytest.mark.parametrize(("name", "language"), SAVED)
def test_every_figure_has_a_transparent_background(
    name: str, language: str, saved: dict[tuple[str, str], tuple[bytes, bytes]]
) -> None:
    text = saved[name, language][0].decode("utf-8")
    backgrounds = BACKGROUND.findall(text)
    assert backgrounds, name
    for style in backgrounds:
        assert not OPAQUE.search(style), f"{name}: an opaque background ({style})"
    assert "fill: none" in backgrounds[0], f"{name}: the figure's background is not transparent"
    assert not OPAQUE.search(text), f"{name}: white or black ink, unreadable on one palette"


def test_the_figures_draw_from_the_reference_code() -> None:
    # The sigmoid figure's curve is studykit's sigmoid; the maps are studykit's conv2d.
    sigmoid_axes = figure_by_name("sigmoid").draw(language="ko").axes[0]
    curve = max(sigmoid_axes.get_lines(), key=lambda line: len(line.get_xdata()))
    x = torch.tensor(curve.get_xdata(), dtype=torch.float64)
    assert torch.allclose(torch.tensor(curve.get_ydata()), sigmoid(x))
    image = digit_image()
    assert image.shape == (8, 8) and float(image.min()) >= 0.0 and float(image.max()) <= 1.0
    maps = figure_by_name("conv-feature-maps").draw()
    shown = [axes.get_images()[0].get_array() for axes in maps.axes if axes.get_images()]
    count = len(EDGE_KERNELS)
    assert len(shown) == 1 + 2 * count  # the input, the kernels (top row), the maps (bottom)
    kernels = torch.tensor(list(EDGE_KERNELS.values())).unsqueeze(1)
    expected = torch.nn.functional.conv2d(image[None, None], kernels, padding=1)[0]
    assert torch.equal(torch.tensor(shown[0].data, dtype=torch.float32), image)
    for index in range(count):
        kernel = torch.tensor(shown[1 + index].data, dtype=torch.float32)
        assert torch.equal(kernel, kernels[index, 0])
        drawn = torch.tensor(shown[1 + count + index].data, dtype=torch.float32)
        assert torch.allclose(drawn, expected[index], atol=1e-5)


def test_a_lab_figure_is_one_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    # lab_figure runs the lab once (however many of its figures are drawn) and draws the one asked.
    import types

    from studykit.site import figures

    runs = []

    class FakeLab:
        def run(self, options: object, progress: object) -> object:
            runs.append(options)
            return types.SimpleNamespace(
                figures={
                    "curve": lambda language="en": f"drawn in {language}",
                    "other": lambda language="en": 2,
                }
            )

    monkeypatch.setattr(figures, "_labs", lambda: {"fake": FakeLab()})
    figures._lab_result.cache_clear()
    entry = SiteFigure(
        "fake-curve", "models", Alt("A curve.", "곡선."), lab_figure("fake", "curve")
    )
    other = lab_figure("fake", "other")
    assert entry.draw() == "drawn in en" and entry.draw(language="ko") == "drawn in ko"
    assert other() == 2 and len(runs) == 1
    figures._lab_result.cache_clear()


def test_write_figures_writes_each_figure_in_each_language(tmp_path: Path) -> None:
    drawn: list[str] = []

    def draw(*, language: str = "en") -> Any:
        drawn.append(language)
        figure, axes = new_figure(language=language)
        axes.set_title("손실" if language == "ko" else "loss")
        return figure

    entry = SiteFigure("fake-curve", "models", Alt("A curve.", "곡선."), draw)
    written = write_figures(tmp_path, [entry])
    assert written == [tmp_path / "fake-curve.svg", tmp_path / "fake-curve.ko.svg"]
    assert drawn == ["en", "ko"]
    assert "loss" in _texts(written[0].read_bytes())
    assert "손실" in _texts(written[1].read_bytes())
    assert entry.markdown("ko") == "![곡선.](../figures/fake-curve.ko.svg)"
    assert entry.markdown("en") == "![A curve.](../figures/fake-curve.svg)"


@pytest.mark.parametrize("language", ["en", "ko"])
def test_each_figure_is_shown_by_its_notes_page_with_its_alt_text(language: str) -> None:
    shown: dict[str, list[str]] = {}
    for topic in topic_ids():
        for name, file, alt in _figure_refs(_note(topic, language)):
            entry = figure_by_name(name)  # a page shows only registered figures
            assert entry.topic == topic, f"{name} shown on {topic}, registered for {entry.topic}"
            assert alt == entry.alt.text(language), f"notes/{topic}: {name}'s alt text differs"
            # A Korean page shows the Korean drawing (<name>.ko.svg), an English page the English.
            assert file == entry.file_in(language), f"notes/{topic} ({language}) shows {file}"
            shown.setdefault(topic, []).append(name)
    for entry in FIGURES:
        assert entry.name in shown.get(entry.topic, []), f"{entry.name} is on no {language} page"


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs))


@pytest.mark.xdist_group("site")
def test_the_built_site_serves_every_figure_a_note_shows(built_site: BuiltSite) -> None:
    served = 0
    for topic in topic_ids():
        for language, prefix in (("en", ""), ("ko", "ko/")):
            page = built_site.path / f"{prefix}notes/{topic}/index.html"
            parser = _Images()
            parser.feed(page.read_text(encoding="utf-8"))
            refs = {name: alt for name, _, alt in _figure_refs(_note(topic, language))}
            found = {}
            for image in parser.images:
                source = image.get("src") or ""
                if f"{FOLDER}/" in source:
                    # mkdocs-static-i18n serves <name>.ko.svg as ko/figures/<name>.svg.
                    name = Path(source).name.removesuffix(".svg").removesuffix(".ko")
                    found[name] = image.get("alt")
                    file = (page.parent / source).resolve()
                    assert file.is_file(), f"{prefix}notes/{topic}: {source} is not served"
                    content = file.read_bytes()
                    assert content.lstrip().startswith(b"<?xml"), source
                    korean = any(HANGUL.search(text) for text in _texts(content))
                    assert korean == (language == "ko"), f"{prefix}notes/{topic}: {source}"
                    served += 1
            assert found == refs, f"{prefix}notes/{topic}: figures shown differ from the source"
    assert served >= 2 * len(FIGURES)
