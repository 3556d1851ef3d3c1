"""Korean figures: every Korean label has its glyphs in the vendored font, the font is what
matplotlib draws Hangul with, the package ships it with its license, and the labels' lookup,
languages and y-label layout behave."""

from __future__ import annotations

import re
import string
import tomllib
import warnings
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from studykit.plots import style
from studykit.plots.labels import KOREAN, check_language, has_hangul, label
from studykit.plots.style import HANGUL_FAMILY, HANGUL_FONT, new_figure, save, y_label

ROOT = Path(__file__).resolve().parents[1]
GLYPH_MISSING = r"Glyph .* missing from font"


def _cmap(path: str | Path) -> set[int]:
    return set(TTFont(path).getBestCmap())


@pytest.fixture(scope="module")
def hangul_cmap() -> set[int]:
    return _cmap(HANGUL_FONT)


def _literal_text(template: str) -> str:
    """The characters a template always writes (its {fields} left out)."""
    return "".join(literal for literal, *_ in string.Formatter().parse(template))


@pytest.mark.parametrize("english", list(KOREAN))
def test_every_korean_label_has_its_glyphs_in_the_font(english: str, hangul_cmap: set[int]) -> None:
    korean = KOREAN[english]
    missing = sorted({char for char in _literal_text(korean) if ord(char) not in hangul_cmap})
    assert not missing, (
        f"Korean label {korean!r} (for {english!r}) uses {missing}, not in {HANGUL_FONT.name}: "
        "remake it with studykit/plots/fonts/make_subset.py"
    )


def test_the_korean_labels_are_korean_and_keep_their_fields() -> None:
    for english, korean in KOREAN.items():
        fields = sorted(name for _, name, *_ in string.Formatter().parse(english) if name)
        assert fields == sorted(name for _, name, *_ in string.Formatter().parse(korean) if name)
        assert not has_hangul(english), english
        assert korean.strip() == korean and "  " not in korean, korean
        # No space before a glossing parenthesis: "MSE(로그 눈금)", "리키 ReLU(α = 0.1)".
        assert not re.search(r"\w \(", korean), korean
    words = [korean for korean in KOREAN.values() if has_hangul(korean)]
    assert len(words) >= 0.9 * (len(KOREAN) - 1)  # all but the formula/code names


def test_the_font_is_a_small_renamed_subset_with_its_license(hangul_cmap: set[int]) -> None:
    font = TTFont(HANGUL_FONT)
    assert font["name"].getDebugName(1) == HANGUL_FAMILY
    assert "Noto Sans CJK KR" in font["name"].getDebugName(10)
    assert 5_000 < HANGUL_FONT.stat().st_size < 80_000
    assert len(hangul_cmap) < 400  # a subset: the full KR face maps tens of thousands
    assert all(code in hangul_cmap for code in range(0x20, 0x7F))  # printable ASCII
    license_text = (HANGUL_FONT.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in license_text and "Adobe" in license_text
    assert (HANGUL_FONT.parent / "README.md").is_file()


def test_the_package_data_ships_the_font() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["studykit"]
    package = ROOT / "studykit"
    shipped = {path for pattern in patterns for path in package.glob(pattern)}
    for name in (HANGUL_FONT.name, "OFL.txt"):
        assert HANGUL_FONT.parent / name in shipped, name


def test_matplotlib_draws_hangul_with_the_vendored_font() -> None:
    from matplotlib import font_manager

    new_figure(language="ko")  # sets the style up and registers the font
    found = font_manager.fontManager._find_fonts_by_props(
        font_manager.FontProperties(family=style._matplotlib().rcParams["font.family"])
    )
    paths = [Path(path).resolve() for path in found]
    # DejaVu Sans first (Latin, digits, symbols), then the subset (Hangul).
    assert paths[0].name == "DejaVuSans.ttf" and paths[1] == HANGUL_FONT.resolve()
    dejavu_has_hangul = any(0xAC00 <= code <= 0xD7A3 for code in _cmap(paths[0]))
    assert not dejavu_has_hangul


def test_a_glyph_missing_from_the_fonts_is_caught(tmp_path: Path) -> None:
    # The Korean site figures are drawn with these warnings as errors
    # (tests/test_site_figures.py); a character outside both fonts does raise.
    figure, axes = new_figure(language="ko")
    axes.set_title("漢")  # a Hanja: in neither DejaVu Sans nor the subset
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=GLYPH_MISSING)
        with pytest.raises(UserWarning, match=GLYPH_MISSING):
            save(figure, tmp_path / "hanja.svg")


def test_label_fills_fields_in_either_language() -> None:
    assert label("step {step}", "en", step=21) == "step 21"
    assert label("step {step}", "ko", step=21) == "스텝 21"
    assert label("lr {lr:g} ({name})", "ko", lr=1e-3, name=label("too large", "ko")) == (
        "lr 0.001(너무 큼)"
    )
    assert label("epoch", "ko") == "에포크"


def test_label_refuses_an_unknown_language_or_label() -> None:
    with pytest.raises(ValueError, match="'fr'"):
        label("epoch", "fr")
    with pytest.raises(ValueError, match="'de'"):
        check_language("de")
    with pytest.raises(ValueError, match="'fr'"):
        new_figure(language="fr")
    with pytest.raises(KeyError, match="no Korean figure label for 'not a label'"):
        label("not a label", "ko")
    assert label("not a label", "en") == "not a label"


@pytest.mark.parametrize(
    ("text", "stacked"),
    [
        ("속도", True),
        ("이미지 수", True),
        ("BCE 손실", False),
        ("MSE(로그 눈금)", False),
        ("MSE", False),
    ],
)
def test_a_korean_y_label_is_stacked_upright(text: str, stacked: bool) -> None:
    _, axes = new_figure(language="ko")
    y_label(axes, text)
    shown = axes.yaxis.label
    if stacked:
        assert shown.get_text().split("\n") == list(text)
        assert shown.get_rotation() == 0 and shown.get_horizontalalignment() == "right"
    else:
        assert shown.get_text() == text and shown.get_rotation() == 90
