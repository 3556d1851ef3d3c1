r"""Korean particles (조사) after values that change from variant to variant.

A Korean particle depends on how the word before it ends: 을 after a final consonant (받침),
를 after a vowel, so "값을" but "확률를" is wrong and "확률을" right. A question text that writes
``<< n >>를`` reads well for n = 2 (이를) and badly for n = 3 (삼를). The ``josa`` filter picks
the form from the value as it is read aloud:

    << n | josa('을') >>      # 3을, 2를
    << shape | josa('이') >>  # (8, 6, 1)이: the last number, 일, ends in ㄹ
    << name | josa('으로') >> # 평균으로, 손실로 (ㄹ takes 로), MSE로

The pairs are 을/를, 이/가, 은/는, 과/와, 으로/로 and 이라고/라고 (either form may be given).
Numbers are read the Korean way (1 일, 3 삼, 10 십, 100 백, 0.5 영 점 오); capital letters by
their names (L 엘, M 엠, N 엔, R 알, the rest end in a vowel); Hangul by its last syllable. An
English word is read the way a Korean student reads it aloud, from a small table of the terms
the question bank uses (``_WORDS``: True 트루, Adam 아담, ``torch.nn`` 엔엔, ``x.grad`` 그래드,
``step()`` 스텝, supervised 수퍼바이즈드, ...); the last word of a dotted or spaced name counts.
When the ending cannot be known (an English word not in the table, such as ``tanh``: 탄에이치 or
하이퍼볼릭 탄젠트?), both forms are written, as people do by hand: ``tanh을(를)``. Add a word to
the table rather than writing the pair by hand.

Common mistakes:
    - Leaving a space between the value and the particle: the particle is part of the word.
    - Writing ``<< a if c else b | josa('을') >>``: a filter binds tighter than ``if``, so only
      ``b`` gets the particle. Put the expression in parentheses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["josa"]

_PAIRS = {
    "을": ("을", "를"), "를": ("을", "를"),
    "이": ("이", "가"), "가": ("이", "가"),
    "은": ("은", "는"), "는": ("은", "는"),
    "과": ("과", "와"), "와": ("과", "와"),
    "으로": ("으로", "로"), "로": ("으로", "로"),
    "이라고": ("이라고", "라고"), "라고": ("이라고", "라고"),
}  # fmt: skip

# How a value ends when read aloud: "rieul" (ㄹ), "consonant" (another final consonant),
# "vowel", or None when it cannot be known.
_DIGITS = {
    "0": "consonant", "1": "rieul", "2": "vowel", "3": "consonant", "4": "vowel",
    "5": "vowel", "6": "consonant", "7": "rieul", "8": "rieul", "9": "vowel",
}  # fmt: skip
_LETTERS = {"L": "rieul", "R": "rieul", "M": "consonant", "N": "consonant"}
_GREEK = {"α": "vowel", "β": "vowel", "δ": "vowel", "ε": "consonant", "λ": "vowel",
          "μ": "vowel", "σ": "vowel", "θ": "vowel", "γ": "vowel"}  # fmt: skip
# x̂ 엑스 햇, ŷ 와이 햇, x̄ 엑스 바, ȳ 와이 바
_MARKS = {"\u0302": "consonant", "ŷ": "consonant", "\u0304": "vowel", "ȳ": "vowel"}
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_CLOSERS = " ,()]}'\"`*”’"

# English words the question bank puts before a particle, by how a Korean student reads them
# aloud (the reading in the comment). Looked up case-insensitively by the last word of a value:
# ``torch.nn`` by ``nn``, ``x.grad`` by ``grad``, ``k-means clustering`` by ``clustering``.
# Acronyms written in capitals (MSE, CNN, DBSCAN) need no entry: they are read letter by letter.
_C, _R, _V = "consonant", "rieul", "vowel"
_WORDS = {
    # Python and PyTorch values and names
    "true": _V,  # 트루
    "false": _V,  # 폴스
    "none": _C,  # 논
    "torch": _V,  # 토치
    "nn": _C,  # 엔엔
    "functional": _R,  # 펑셔널
    "autograd": _V,  # 오토그래드
    "aten": _C,  # 에이텐
    "utils": _V,  # 유틸스
    "data": _V,  # 데이터
    "multiprocessing": _C,  # 멀티프로세싱
    "tensor": _V,  # 텐서
    "grad": _V,  # 그래드
    "backward": _V,  # 백워드
    "step": _C,  # 스텝
    "item": _C,  # 아이템
    "shape": _V,  # 셰이프
    "view": _V,  # 뷰
    "reshape": _V,  # 리셰이프
    "permute": _V,  # 퍼뮤트
    "stride": _V,  # 스트라이드
    "cat": _C,  # 캣
    "stack": _C,  # 스택
    "mean": _C,  # 민
    "sum": _C,  # 섬
    "max": _V,  # 맥스
    "min": _C,  # 민
    "dim": _C,  # 딤
    "input": _C,  # 인풋
    "output": _C,  # 아웃풋
    "lr": _R,  # 엘알
    "linear": _V,  # 리니어
    "module": _R,  # 모듈
    "dataloader": _V,  # 데이터로더
    "loader": _V,  # 로더
    "dataset": _C,  # 데이터셋
    "dropout": _C,  # 드롭아웃
    "bottleneck": _C,  # 보틀넥
    "checkpoint": _V,  # 체크포인트
    "train": _C,  # 트레인
    "eval": _R,  # 이밸
    # optimizers, losses and activations
    "sgd": _V,  # 에스지디
    "adam": _C,  # 아담
    "adagrad": _V,  # 아다그래드
    "rmsprop": _C,  # 알엠에스프롭
    "momentum": _C,  # 모멘텀
    "relu": _V,  # 렐루
    "sigmoid": _V,  # 시그모이드
    "softmax": _V,  # 소프트맥스
    "softplus": _V,  # 소프트플러스
    "swish": _V,  # 스위시
    "mish": _V,  # 미시
    "silu": _V,  # 실루
    "loss": _V,  # 로스
    "logit": _C,  # 로짓
    "logits": _V,  # 로짓츠
    # the landscape tables
    "supervised": _V,  # 수퍼바이즈드
    "unsupervised": _V,  # 언수퍼바이즈드
    "reinforcement": _V,  # 리인포스먼트
    "transfer": _V,  # 트랜스퍼
    "learning": _C,  # 러닝
    "classification": _C,  # 클래시피케이션
    "regression": _C,  # 리그레션
    "clustering": _C,  # 클러스터링
    "reduction": _C,  # 리덕션
    "analysis": _V,  # 애널리시스
    "neighbors": _V,  # 네이버스
    "machine": _C,  # 머신
    "tree": _V,  # 트리
    "process": _V,  # 프로세스
    "autoencoder": _V,  # 오토인코더
    "alexnet": _C,  # 알렉스넷
    "resnet": _C,  # 레즈넷
    "bert": _V,  # 버트
    "api": _V,  # 에이피아이
    "engine": _C,  # 엔진
    "computation": _C,  # 컴퓨테이션
    "cuda": _V,  # 쿠다
}  # fmt: skip


def josa(value: Any, particle: str) -> str:
    r"""``value`` as text followed by the form of ``particle`` that fits how it ends.

    Args:
        value: A number, a tensor (nested lists) or text; numbers and tensors are written as
            the ``num`` and ``tensor`` filters write them.
        particle: One of 을, 를, 이, 가, 은, 는, 과, 와, 으로, 로, 이라고, 라고.

    Returns:
        The text and its particle, with no space between them.

    Raises:
        ValueError: An unknown particle.

    Examples:
        >>> josa(3, "를"), josa(2, "을"), josa(0.5, "이"), josa(6, "로"), josa("손실", "으로")
        ('3을', '2를', '0.5가', '6으로', '손실로')
        >>> josa("tanh", "을"), josa("torch.nn", "은"), josa("True", "을"), josa("Adam", "으로")
        ('tanh을(를)', 'torch.nn은', 'True를', 'Adam으로')
    """
    if particle not in _PAIRS:
        raise ValueError(f"unknown particle {particle!r} (known: {', '.join(_PAIRS)})")
    text = value if isinstance(value, str) else _written(value)
    after_consonant, after_vowel = _PAIRS[particle]
    ending = _ending(text)
    if ending is None:
        if after_consonant == "으로":
            return f"{text}(으)로"
        return f"{text}{after_consonant}({after_vowel})"
    if after_consonant == "으로":  # ㄹ takes 로, like a vowel
        return text + ("으로" if ending == "consonant" else "로")
    return text + (after_vowel if ending == "vowel" else after_consonant)


_FMT_TENSOR: list[Callable[[Any], str]] = []  # the renderer's ``tensor`` filter, once imported


def _written(value: Any) -> str:
    """A number or tensor as the ``num`` and ``tensor`` filters write it."""
    if not _FMT_TENSOR:  # imported here, once: the renderer imports this module
        from studykit.questions.render import fmt_tensor

        _FMT_TENSOR.append(fmt_tensor)
    return _FMT_TENSOR[0](value)


def _ending(text: str) -> str | None:
    """How ``text`` ends when read aloud (see ``_DIGITS``), or None when unknown."""
    core = text.rstrip(_CLOSERS).translate(_SUBSCRIPTS)
    if not core:
        return None
    last = core[-1]
    if "가" <= last <= "힣":
        final = (ord(last) - ord("가")) % 28
        return "vowel" if final == 0 else "rieul" if final == 8 else "consonant"
    if last in _DIGITS:
        return _DIGITS[last]  # 10 십, 100 백, 1000 천 and 0 영 all end in a consonant too
    if last in "²³":
        return "consonant"  # 제곱, 세제곱
    if last in _MARKS:
        return _MARKS[last]
    if last in _GREEK:
        return _GREEK[last]
    word = _last_word(core)
    if word is not None and word.lower() in _WORDS:
        return _WORDS[word.lower()]
    if last.isascii() and last.isupper():
        return _LETTERS.get(last, "vowel")
    if last.isascii() and last.isalpha() and (len(core) == 1 or not core[-2].isalpha()):
        return _LETTERS.get(last.upper(), "vowel")  # a one-letter name: x 엑스, n 엔, l 엘
    return None


def _last_word(core: str) -> str | None:
    """The run of Latin letters that ends ``core`` (``grad`` of ``x.grad``), if it ends in one."""
    end = len(core)
    start = end
    while start > 0 and core[start - 1].isascii() and core[start - 1].isalpha():
        start -= 1
    return core[start:end] if start < end else None
