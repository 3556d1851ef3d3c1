"""The site's figures: each draws, saves the same SVG bytes twice, on a transparent background,
and every figure a notes page shows is served by the built site with the registry's alt text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import torch

from studykit.activations import sigmoid
from studykit.plots.convolution import EDGE_KERNELS, digit_image
from studykit.plots.style import save
from studykit.site.build import GENERATED
from studykit.site.figures import FIGURES, FOLDER, Alt, SiteFigure, figure_by_name, lab_figure
from studykit.topics import topic_ids
from tests.site_build import BuiltSite

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "docs" / "notes"
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target>[^)\s]+)\)")
# The figure's and every axes' background: matplotlib's "patch" groups open with one path.
BACKGROUND = re.compile(r'<g id="patch_\d+">\s*<path d="[^"]*"\s*style="(?P<style>[^"]*)"')
OPAQUE = re.compile(r"fill:\s*(?:#fff(?:fff)?|#000(?:000)?|white|black)\b", re.IGNORECASE)


def _note(topic: str, language: str) -> str:
    suffix = ".md" if language == "en" else ".ko.md"
    return (NOTES / f"{topic}{suffix}").read_text(encoding="utf-8")


def _figure_refs(text: str) -> list[tuple[str, str]]:
    """(name, alt) of every image of the figures folder that a notes page shows."""
    found = []
    for match in IMAGE.finditer(text):
        target = match["target"]
        if target.startswith(f"../{FOLDER}/") and target.endswith(".svg"):
            found.append((target.removeprefix(f"../{FOLDER}/").removesuffix(".svg"), match["alt"]))
    return found


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, bytes]]:
    """Every registered figure drawn and saved twice: name -> (first bytes, second bytes)."""
    out = tmp_path_factory.mktemp("figures")
    files = {}
    for entry in FIGURES:
        first = save(entry.draw(), out / "a" / entry.file).read_bytes()
        second = save(entry.draw(), out / "b" / entry.file).read_bytes()
        files[entry.name] = (first, second)
    return files


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


@pytest.mark.parametrize("name", [entry.name for entry in FIGURES])
def test_every_figure_saves_the_same_nonempty_svg_twice(
    name: str, saved: dict[str, tuple[bytes, bytes]]
) -> None:
    first, second = saved[name]
    assert first == second, f"{name}: two saves differ"
    text = first.decode("utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text and len(first) > 5000
    assert "<path" in text or "<image" in text


@pytest.mark.parametrize("name", [entry.name for entry in FIGURES])
def test_every_figure_has_a_transparent_background(
    name: str, saved: dict[str, tuple[bytes, bytes]]
) -> None:
    text = saved[name][0].decode("utf-8")
    backgrounds = BACKGROUND.findall(text)
    assert backgrounds, name
    for style in backgrounds:
        assert not OPAQUE.search(style), f"{name}: an opaque background ({style})"
    assert "fill: none" in backgrounds[0], f"{name}: the figure's background is not transparent"
    assert not OPAQUE.search(text), f"{name}: white or black ink, unreadable on one palette"


def test_the_figures_draw_from_the_reference_code() -> None:
    # The sigmoid figure's curve is studykit's sigmoid; the maps are studykit's conv2d.
    sigmoid_axes = figure_by_name("sigmoid").draw().axes[0]
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
            return types.SimpleNamespace(figures={"curve": lambda: "drawn", "other": lambda: 2})

    monkeypatch.setattr(figures, "_labs", lambda: {"fake": FakeLab()})
    figures._lab_result.cache_clear()
    entry = SiteFigure(
        "fake-curve", "models", Alt("A curve.", "곡선."), lab_figure("fake", "curve")
    )
    other = lab_figure("fake", "other")
    assert entry.draw() == "drawn" and other() == 2 and len(runs) == 1
    figures._lab_result.cache_clear()


@pytest.mark.parametrize("language", ["en", "ko"])
def test_each_figure_is_shown_by_its_notes_page_with_its_alt_text(language: str) -> None:
    shown: dict[str, list[str]] = {}
    for topic in topic_ids():
        for name, alt in _figure_refs(_note(topic, language)):
            entry = figure_by_name(name)  # a page shows only registered figures
            assert entry.topic == topic, f"{name} shown on {topic}, registered for {entry.topic}"
            assert alt == entry.alt.text(language), f"notes/{topic}: {name}'s alt text differs"
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
            refs = dict(_figure_refs(_note(topic, language)))
            found = {}
            for image in parser.images:
                source = image.get("src") or ""
                if f"{FOLDER}/" in source:
                    name = Path(source).stem
                    found[name] = image.get("alt")
                    file = (page.parent / source).resolve()
                    assert file.is_file(), f"{prefix}notes/{topic}: {source} is not served"
                    assert file.read_bytes().lstrip().startswith(b"<?xml"), source
                    served += 1
            assert found == refs, f"{prefix}notes/{topic}: figures shown differ from the source"
    assert served >= 2 * len(FIGURES)
