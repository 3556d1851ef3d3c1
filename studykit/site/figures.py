"""The study site's figures: drawn by the reference code at every site build, never committed.

Each figure is an entry of `FIGURES`: a name, the topic whose notes page shows it, its alt text
(대체 텍스트) in English and Korean, and a function that draws it in a language (a matplotlib
``Figure``, from `studykit.plots`, its words from `studykit.plots.labels`). `write_figures`
draws every one twice, ``figures/<name>.svg`` in English and ``figures/<name>.ko.svg`` in Korean
(에포크, 검증 정확도 where the English says epoch, validation accuracy), and saves them with
`studykit.plots.style.save` (transparent, grey ink: readable on the light and the dark palette;
the same bytes for the same numbers) into the build's copy of ``docs/figures/``, a folder that
is git-ignored and never shipped (``GENERATED`` in `studykit.site.build`). The ``.ko.svg`` is
what mkdocs-static-i18n serves on the Korean site.

A notes page shows the figure of its language with its alt text in that language, the same
text as here (``tests/test_site_figures.py`` holds the two together)::

    ![<alt.en>](../figures/<name>.svg)          docs/notes/<topic>.md
    ![<alt.ko>](../figures/<name>.ko.svg)       docs/notes/<topic>.ko.md

A common mistake: a Korean page pointing at ``<name>.svg`` shows English words under a Korean
alt text.

Adding a figure is one entry. A lab's figure runs the lab at a small size (once, however many of
its figures are drawn) with `lab_figure`::

    SiteFigure("mnist37-mean-images", "models", Alt(EN, KO), lab_figure("mnist37", "mean-images")),
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studykit.labs.base import DrawFigure
from studykit.plots.activations import activations_and_derivatives, sigmoid_curve
from studykit.plots.convolution import feature_maps
from studykit.plots.labels import LANGUAGES, check_language
from studykit.plots.style import save

__all__ = [
    "FIGURES",
    "FOLDER",
    "Alt",
    "SiteFigure",
    "figure_by_name",
    "lab_figure",
    "write_figures",
]

FOLDER = "figures"
"""The folder of ``docs/`` that `write_figures` fills at a site build (git-ignored)."""


@dataclass(frozen=True)
class Alt:
    """A figure's alt text: what it shows, for a reader who cannot see it, in both languages."""

    en: str
    ko: str

    def text(self, language: str) -> str:
        """The alt text in ``language`` (``"en"`` or ``"ko"``)."""
        if language not in ("en", "ko"):
            raise ValueError(f"no alt text in {language!r}: expected 'en' or 'ko'")
        return self.en if language == "en" else self.ko


@dataclass(frozen=True)
class SiteFigure:
    """One figure of the site: its name, its topic, its alt text and how to draw it.

    ``draw(language=...)`` draws it with its words in ``"en"`` or ``"ko"``.
    """

    name: str
    topic: str
    alt: Alt
    draw: DrawFigure

    @property
    def file(self) -> str:
        """The English file's name in the figures folder (``<name>.svg``)."""
        return self.file_in("en")

    def file_in(self, language: str) -> str:
        """The file's name in ``language``: ``<name>.svg`` (English), ``<name>.ko.svg`` (Korean)."""
        return f"{self.name}.svg" if check_language(language) == "en" else f"{self.name}.ko.svg"

    def markdown(self, language: str) -> str:
        """The image line a notes page (``docs/notes/*.md``) uses to show this figure."""
        return f"![{self.alt.text(language)}](../{FOLDER}/{self.file_in(language)})"


def _labs() -> Any:
    """The labs by name (``studykit.labs.LABS``), imported only when a lab figure is drawn."""
    return importlib.import_module("studykit.labs").LABS


@functools.cache
def _lab_result(lab: str, size: float, seed: int) -> Any:
    """Run ``lab`` once per (size, seed) for all of its figures."""
    from studykit.labs.base import LabOptions, SilentProgress

    return _labs()[lab].run(LabOptions(size=size, seed=seed), SilentProgress())


def lab_figure(lab: str, figure: str, size: float = 1.0, seed: int = 0) -> DrawFigure:
    """A draw function for the figure ``figure`` of the lab ``lab`` run at ``size`` and ``seed``.

    The lab runs when the figure is first drawn, once for all its figures and languages.
    """

    def draw(*, language: str = "en") -> Any:
        return _lab_result(lab, size, seed).figures[figure](language=language)

    return draw


FIGURES: tuple[SiteFigure, ...] = (
    SiteFigure(
        "activations",
        "activations",
        Alt(
            en=(
                "Left: sigmoid, tanh, ReLU and leaky ReLU from x = -4 to 4. Right: their "
                "derivatives computed by autograd; the sigmoid's slope peaks at 1/4 and tanh's "
                "at 1, both fading to 0 away from 0, while ReLU's is 0 for negative and 1 for "
                "positive inputs and leaky ReLU keeps a small slope on the negative side."
            ),
            ko=(
                "왼쪽: x가 -4부터 4까지일 때 시그모이드, 하이퍼볼릭 탄젠트, ReLU, 리키 ReLU의 "
                "값. 오른쪽: 자동 미분으로 구한 도함수. 시그모이드의 기울기는 가장 커도 1/4, "
                "하이퍼볼릭 탄젠트는 1이며 둘 다 0에서 멀어질수록 0에 가까워집니다. ReLU의 "
                "기울기는 음수 입력에서 0, 양수 입력에서 1이고 리키 ReLU는 음수 쪽에서도 작은 "
                "기울기를 유지합니다."
            ),
        ),
        activations_and_derivatives,
    ),
    SiteFigure(
        "sigmoid",
        "activations",
        Alt(
            en=(
                "The sigmoid curve from x = -6 to 6: an S shape that passes through 0.5 at "
                "x = 0 and approaches 0 on the left and 1 on the right without reaching them."
            ),
            ko=(
                "x가 -6부터 6까지일 때 시그모이드 곡선: x = 0에서 0.5를 지나는 S자 모양으로, "
                "왼쪽으로는 0에, 오른쪽으로는 1에 가까워지지만 닿지는 않습니다."
            ),
        ),
        sigmoid_curve,
    ),
    SiteFigure(
        "mnist37-mean-images",
        "models",
        Alt(
            en=(
                "The mean 3 and the mean 7 of the real 8×8 training digits, side by side in "
                "grey: a blurred three with its two bays open to the left, and a blurred seven "
                "with a bright top bar and a stroke going down to the left."
            ),
            ko=(
                "실제 8×8 학습용 숫자로 구한 평균 3과 평균 7을 회색으로 나란히 보인 그림: 왼쪽으로 "
                "열린 두 굽이가 있는 흐릿한 3과, 위쪽 가로획이 밝고 왼쪽 아래로 내려가는 획이 있는 "
                "흐릿한 7."
            ),
        ),
        lab_figure("mnist37", "mean-images"),
    ),
    SiteFigure(
        "mnist37-training",
        "models",
        Alt(
            en=(
                "Left: the training loss (mnist_loss) of the linear model and of simple_net "
                "falling over 20 epochs, the linear model's faster. Right: their validation "
                "accuracy per epoch, both ending at or above the dashed line of the "
                "pixel-similarity baseline."
            ),
            ko=(
                "왼쪽: 선형 모델과 simple_net의 훈련 손실(mnist_loss)이 20 에포크 동안 줄어드는 "
                "곡선으로, 선형 모델이 더 빨리 줄어듭니다. 오른쪽: 에포크마다 잰 두 모델의 검증 "
                "정확도로, 둘 다 픽셀 유사도 기준선을 나타낸 점선과 같거나 그보다 높은 곳에서 "
                "끝납니다."
            ),
        ),
        lab_figure("mnist37", "training"),
    ),
    SiteFigure(
        "quadratic-fit",
        "gradient-descent",
        Alt(
            en=(
                "The notes' speed data (20 points on a U-shaped curve) with the quadratic "
                "a·t² + b·t + c after 0, 21, 22, 24 and 32 steps of gradient descent, which "
                "bends up from far below the data towards it, and the least-squares optimum, a "
                "dashed curve through the points."
            ),
            ko=(
                "노트의 속도 데이터(U자 곡선 위의 점 20개)와, 경사 하강법 0, 21, 22, 24, 32 스텝 "
                "뒤의 이차 함수 a·t² + b·t + c. 곡선은 데이터보다 한참 아래에서 데이터 쪽으로 "
                "휘어 올라오고, 점선으로 그린 최소제곱 최적해는 점들을 지나갑니다."
            ),
        ),
        lab_figure("quadratic-fit", "fit-over-steps"),
    ),
    SiteFigure(
        "learning-rates",
        "gradient-descent",
        Alt(
            en=(
                "Left: the loss per step on a log scale for three learning rates: the too "
                "small one barely falls, the right one drops to the minimum in a few steps, "
                "the too large one climbs without end. Right: the first steps of each on the "
                "parabola of the loss against the parameter a; the too large one jumps across "
                "the valley and further up the other side."
            ),
            ko=(
                "왼쪽: 세 학습률에서 스텝마다의 손실을 로그 눈금으로 그린 그래프. 너무 작은 "
                "학습률은 거의 줄지 않고, 알맞은 학습률은 몇 스텝 만에 최솟값에 닿고, 너무 큰 "
                "학습률은 끝없이 커집니다. 오른쪽: 매개변수 a에 대한 손실 포물선 위에서 각 "
                "학습률의 처음 몇 스텝. 너무 큰 학습률은 골짜기를 건너뛰어 반대편의 더 높은 곳으로 "
                "갑니다."
            ),
        ),
        lab_figure("learning-rates", "trajectories"),
    ),
    SiteFigure(
        "dropout-batchnorm-curves",
        "regularization",
        Alt(
            en=(
                "Four panels, one for each way of training the same 64-32-1 net on the real "
                "threes and sevens: plain, with dropout, with batch norm and with both. In each, "
                "the training loss (solid) and the validation loss (dashed) fall from about 0.65 "
                "towards 0 and level off, the validation loss a little above the training loss; "
                "the two variants with batch norm fall fastest."
            ),
            ko=(
                "같은 64-32-1 신경망을 실제 손글씨 3과 7로 학습한 네 가지 방식(기본, 드롭아웃, "
                "배치 정규화, 둘 다)을 한 칸씩 그린 그래프. 칸마다 훈련 손실(실선)과 검증 손실"
                "(점선)이 약 0.65에서 0 쪽으로 줄어든 뒤 평평해지고, 검증 손실이 훈련 손실보다 "
                "조금 위에 있습니다. 배치 정규화를 넣은 두 방식이 가장 빨리 줄어듭니다."
            ),
        ),
        lab_figure("dropout-batchnorm", "curves"),
    ),
    SiteFigure(
        "dropout-mask",
        "regularization",
        Alt(
            en=(
                "Three 8×8 panels: a real handwritten digit in grey; a dropout mask with "
                "p = 0.5, about half of its squares dark (kept, and multiplied by 2) and the "
                "rest white (dropped); and the digit after dropout, where only the pixels under "
                "the kept squares remain."
            ),
            ko=(
                "8×8 그림 세 개: 회색으로 그린 실제 손글씨 숫자, p = 0.5인 드롭아웃 마스크(칸의 "
                "약 절반은 어두운 칸으로 남아 2가 곱해지고 나머지 흰 칸은 0이 됩니다), 그리고 "
                "드롭아웃을 거친 숫자로, 남은 칸 아래의 픽셀만 보입니다."
            ),
        ),
        lab_figure("dropout-batchnorm", "dropout-mask"),
    ),
    SiteFigure(
        "batchnorm-histograms",
        "normalization",
        Alt(
            en=(
                "Histograms of four hidden units' pre-activations over one batch of digits. "
                "Left, before batch norm: each unit's values sit in its own place with its own "
                "spread. Right, after batch norm: all four are centred on 0 with variance 1 "
                "and overlap."
            ),
            ko=(
                "숫자 이미지 배치 하나에서 은닉 유닛 네 개의 활성화 전 값을 그린 히스토그램. "
                "왼쪽, 배치 정규화 전: 유닛마다 값이 놓인 위치와 퍼진 정도가 다릅니다. 오른쪽, "
                "배치 정규화 후: 네 유닛 모두 평균 0, 분산 1로 맞춰져 겹칩니다."
            ),
        ),
        lab_figure("dropout-batchnorm", "batchnorm-histograms"),
    ),
    SiteFigure(
        "conv-feature-maps",
        "convolution",
        Alt(
            en=(
                "A real handwritten 8×8 digit, three 3×3 edge kernels (top edge, left edge and "
                "diagonal) with their weights, and the feature map each kernel makes from the "
                "digit: strong positive and negative responses line the edges of the strokes "
                "in the kernel's direction."
            ),
            ko=(
                "실제 손글씨 8×8 숫자 하나, 가중치를 적은 3×3 경계 검출 커널 세 개(위쪽 경계, "
                "왼쪽 경계, 대각선), 그리고 각 커널이 이 숫자에서 만든 특성 맵. 커널 방향의 "
                "획 경계를 따라 강한 양수와 음수 반응이 나타납니다."
            ),
        ),
        feature_maps,
    ),
)
"""Every figure of the site, in the order of the notes."""


def figure_by_name(name: str) -> SiteFigure:
    """The entry of `FIGURES` called ``name``.

    Raises:
        KeyError: No figure has that name.
    """
    for figure in FIGURES:
        if figure.name == name:
            return figure
    raise KeyError(f"no site figure called {name!r}")


def write_figures(out_dir: Path, figures: Iterable[SiteFigure] = FIGURES) -> list[Path]:
    """Draw every figure in each language and save it (``<name>.svg``, ``<name>.ko.svg``).

    Returns:
        The paths written, in order: each figure's English file, then its Korean one.
    """
    written = []
    for entry in figures:
        for language in LANGUAGES:
            drawn = entry.draw(language=language)
            written.append(save(drawn, out_dir / entry.file_in(language)))
    return written
