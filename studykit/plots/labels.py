"""The words on the figures (그림의 레이블) in English and in Korean.

Every title, axis label, legend entry and annotation that a figure writes in words goes through
`label`: the English text is the key, `KOREAN` gives the Korean a Korean deep-learning student
would read (the terms of the study notes: 손실, 에포크, 훈련/검증, 정확도, 학습률, 기울기), and
fields in braces are filled in the same way in both languages::

    label("validation accuracy", "ko")   # '검증 정확도'
    label("step {step}", "ko", step=21)  # '스텝 21'

Numbers, symbols and formulas (``x``, ``σ(x)``, ``lr 0.001``, ``a·t² + b·t + c``) stay as they
are; only the words change. Korean labels are short noun phrases, with no space before a
particle (``MSE(로그 눈금)``).

`KOREAN` is also the list of Hangul the vendored font must hold: ``studykit/plots/fonts``
keeps only the characters used here (its ``make_subset.py`` reads this table), and
``tests/test_plots_korean.py`` fails, naming the label, when a Korean label uses a character the
font lacks. Common mistakes: writing a Korean label inline in a figure function (it escapes
that check: add it here), or a new Hangul syllable without remaking the font.
"""

from __future__ import annotations

__all__ = ["KOREAN", "LANGUAGES", "check_language", "has_hangul", "label"]

LANGUAGES = ("en", "ko")
"""The languages a figure is drawn in."""

KOREAN: dict[str, str] = {
    # activations
    "sigmoid": "시그모이드",
    "leaky ReLU (α = {slope:g})": "리키 ReLU(α = {slope:g})",
    "activation f(x)": "활성화 함수 f(x)",
    "derivative f′(x) (autograd)": "자동 미분으로 구한 도함수 f′(x)",
    "→ 1 as x → ∞": "x → ∞일 때 1로 수렴",
    "→ 0 as x → −∞": "x → −∞일 때 0으로 수렴",
    "sigmoid σ(x) = 1 / (1 + e^(−x))": "시그모이드 σ(x) = 1 / (1 + e^(−x))",
    # convolution
    "top edge": "위쪽 경계",
    "left edge": "왼쪽 경계",
    "diagonal": "대각선",
    "input {height}×{width}": "입력 {height}×{width}",
    "kernel: {name}": "커널: {name}",
    "feature map": "특성 맵",
    "response": "반응",
    # labs: mnist37
    "mean 3": "평균 3",
    "mean 7": "평균 7",
    "linear model": "선형 모델",
    "simple_net": "simple_net",
    "pixel similarity (L1)": "픽셀 유사도(L1)",
    "training loss (mnist_loss)": "훈련 손실(mnist_loss)",
    "validation accuracy": "검증 정확도",
    "epoch": "에포크",
    # labs: quadratic-fit
    "speed (data)": "속도(데이터)",
    "step {step}": "스텝 {step}",
    "least-squares optimum": "최소제곱 최적해",
    "time t": "시간 t",
    "speed": "속도",
    "a·t² + b·t + c by gradient descent, over the steps": "경사 하강법으로 맞춘 a·t² + b·t + c",
    # labs: learning-rates
    "too small": "너무 작음",
    "about right": "적당함",
    "too large": "너무 큼",
    "lr {lr:g} ({name})": "lr {lr:g}({name})",
    "minimum": "최솟값",
    "step": "스텝",
    "MSE (log scale)": "MSE(로그 눈금)",
    "loss per step": "스텝별 손실",
    "the first steps on L(a)": "L(a) 위의 처음 몇 스텝",
    # labs: dropout-batchnorm
    "plain": "기본",
    "dropout": "드롭아웃",
    "batch norm": "배치 정규화",
    "both": "둘 다",
    "train": "훈련",
    "valid": "검증",
    "BCE loss": "BCE 손실",
    "a digit": "숫자 이미지",
    "mask (p = {p}), kept × {scale:g}": "마스크(p = {p}), 남은 칸 × {scale:g}",
    "the digit after dropout": "드롭아웃을 거친 숫자",
    "unit {unit}": "유닛 {unit}",
    "pre-activations before batch norm": "배치 정규화 전(활성화 전 값)",
    "after batch norm (mean 0, variance 1)": "배치 정규화 후(평균 0, 분산 1)",
    "value": "값",
    "images": "이미지 수",
}
"""English label (the key, a `str.format` template) → the Korean label."""


def check_language(language: str) -> str:
    """``language`` itself if a figure can be drawn in it.

    Raises:
        ValueError: ``language`` is not ``"en"`` or ``"ko"``.
    """
    if language not in LANGUAGES:
        raise ValueError(f"no figures in {language!r}: expected 'en' or 'ko'")
    return language


def label(english: str, language: str, **fields: object) -> str:
    """The label ``english`` in ``language``, its ``{fields}`` filled in.

    Raises:
        ValueError: An unknown language.
        KeyError: No Korean for ``english`` in `KOREAN`.

    >>> label("step {step}", "en", step=3), label("step {step}", "ko", step=3)
    ('step 3', '스텝 3')
    """
    if check_language(language) == "en":
        return english.format(**fields)
    if english not in KOREAN:
        raise KeyError(f"no Korean figure label for {english!r}: add it to KOREAN")
    return KOREAN[english].format(**fields)


def has_hangul(text: str) -> bool:
    """Whether ``text`` holds a Hangul syllable or jamo.

    >>> has_hangul("BCE 손실"), has_hangul("BCE loss")
    (True, False)
    """
    return any(
        "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f"
        for char in text
    )
