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
        ("torch.nn", "으로", "torch.nn으로"),  # 엔엔
        ("foo.bar", "으로", "foo.bar(으)로"),  # an English word not in the table
        ("x̂", "은", "x̂은"),  # 햇
        ("ȳ", "를", "ȳ를"),  # 바
        ("5", "이라고", "5라고"),
        ("손실", "라고", "손실이라고"),
        ("1", "라고", "1이라고"),  # 일: ㄹ takes 이라고 (unlike 으로)
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


@pytest.mark.parametrize(
    ("value", "particle", "text"),
    [
        # values and names of the bank, read aloud the way a Korean student reads them
        ("True", "을", "True를"),  # 트루
        ("False", "이", "False가"),  # 폴스
        ("None", "이", "None이"),  # 논
        ("MSE", "는", "MSE는"),  # 엠에스이
        ("ReLU", "은", "ReLU는"),  # 렐루
        ("Adam", "은", "Adam은"),  # 아담
        ("AdamW", "은", "AdamW는"),  # 아담 더블유
        ("SGD", "로", "SGD로"),  # 에스지디
        ("RMSprop", "와", "RMSprop과"),  # 알엠에스프롭
        ("torch.nn", "은", "torch.nn은"),  # 토치 엔엔
        ("torch.utils", "은", "torch.utils는"),  # 유틸스
        ("torch.multiprocessing", "가", "torch.multiprocessing이"),  # 멀티프로세싱
        ("Autograd", "가", "Autograd가"),  # 오토그래드
        ("ATen", "이", "ATen이"),  # 에이텐
        ("JIT", "은", "JIT는"),  # 제이아이티
        ("`x.grad`", "은", "`x.grad`는"),  # 그래드
        ("`out.shape`", "은", "`out.shape`는"),  # 셰이프
        ("`opt.step()`", "를", "`opt.step()`을"),  # 스텝
        ("backward()", "을", "backward()를"),  # 백워드
        ("mean", "으로", "mean으로"),  # 민
        ("'sum'", "과", "'sum'과"),  # 섬
        ("supervised", "은", "supervised는"),  # 수퍼바이즈드
        ("k-means clustering", "이", "k-means clustering이"),  # 클러스터링
        ("softplus", "를", "softplus를"),  # 소프트플러스
        ("**ReLU**", "를", "**ReLU**를"),
        ("“**신경망 구축 및 훈련**”", "라고", "“**신경망 구축 및 훈련**”이라고"),
        ("“**백엔드 라이브러리**”", "이라고", "“**백엔드 라이브러리**”라고"),
        ("CNN", "은", "CNN은"),  # 씨엔엔
        ("MobileNetV2", "는", "MobileNetV2는"),  # 투
    ],
)
def test_josa_reads_the_english_terms_of_the_bank(value: str, particle: str, text: str) -> None:
    assert josa(value, particle) == text


def test_every_word_in_the_reading_table_is_lower_case_latin_and_has_a_known_ending() -> None:
    from studykit.questions.korean import _WORDS

    for word, ending in _WORDS.items():
        assert word.isascii() and word.isalpha() and word == word.lower(), word
        assert ending in {"consonant", "rieul", "vowel"}, (word, ending)
