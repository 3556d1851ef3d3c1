"""The ``josa`` filter: the Korean particle that fits how a changing value is read aloud."""

from __future__ import annotations

import pytest

from studykit.questions.korean import josa
from studykit.questions.render import compile_text, render_text


@pytest.mark.parametrize(
    ("value", "particle", "text"),
    [
        (3, "를", "3을"),  # 삼
        (2, "을", "2를"),  # 이
        (0.5, "이", "0.5가"),  # 영 점 오
        (1, "은", "1은"),  # 일
        (10, "가", "10이"),  # 십
        (0, "는", "0은"),  # 영
        (7, "으로", "7로"),  # 칠: ㄹ takes 로
        (6, "로", "6으로"),  # 육
        (4, "과", "4와"),  # 사
        (1.2e-05, "을", "1.2e-5를"),  # ... 오
        ([1.0, 2.0], "을", "[1, 2]를"),
        ("(8, 6, 1)", "가", "(8, 6, 1)이"),
        ("(6,)", "는", "(6,)은"),
        ("손실", "으로", "손실로"),
        ("평균", "과", "평균과"),
        ("소프트맥스", "을", "소프트맥스를"),
        ("MSE", "은", "MSE는"),
        ("ReLU", "를", "ReLU를"),
        ("`L`", "이", "`L`이"),
        ("n", "을", "n을"),
        ("x", "을", "x를"),
        ("w₂", "가", "w₂가"),
        ("x²", "를", "x²을"),
        ("ε", "로", "ε으로"),
        ("tanh", "을", "tanh을(를)"),
        ("torch.nn", "으로", "torch.nn(으)로"),
    ],
)
def test_josa_fits_the_reading(value: object, particle: str, text: str) -> None:
    assert josa(value, particle) == text


def test_josa_refuses_an_unknown_particle_and_works_as_a_filter() -> None:
    with pytest.raises(ValueError, match="unknown particle '에'"):
        josa(3, "에")
    template = compile_text(
        "<< n | josa('을') >> 더하고 << (a if n > 2 else b) | josa('이') >> 남습니다"
    )
    assert render_text(template, {"n": 3, "a": "값", "b": 0.5}) == "3을 더하고 값이 남습니다"
    assert render_text(template, {"n": 2, "a": "값", "b": 0.5}) == "2를 더하고 0.5가 남습니다"
