"""Every Korean text says what its English text says: the same code, numbers and values.

A Korean student answers from the Korean prompt alone, so a Korean text must carry everything
the English one does: every fenced code block, every inline code span, every number and every
rendered parameter value. Wording differs between the languages; these do not. For every
template and a few seeds, each text (prompt, hint, solution, each choice and each
misconception's feedback) is rendered in both languages and compared.

The Korean texts are also held to the style the study group agreed on (see
``studykit.questions.korean``): a particle is part of the word before it (x.grad는, never
x.grad 는), a 0-based position is 인덱스 k (never "k번째": 1번째 reads as "the first"), 이라고
after a final consonant; the English texts contain no Hangul; a choice shared by both languages
contains no English words (it would reach a Korean student untranslated).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from studykit.questions.commands import default_questions_dir
from studykit.questions.render import fmt_num, fmt_shape, fmt_tensor, render_text
from studykit.questions.template import Template, load_bank
from studykit.questions.variant import make_variant, solve

BANK = load_bank(default_questions_dir())
SEEDS = (0, 1, 2, 3, 5, 8)

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
CODE_BLOCK = re.compile(r"```([^\n]*)\n(.*?)```", re.S)
CODE_SPAN = re.compile(r"`([^`\n]+)`")
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?(?![\d.]*[A-Za-z_\d])")
# A particle (or a form of 이다) after a space that follows a value: a number, a code span, a
# closing bracket or quote, a Latin or Greek letter, a subscript or superscript.
PARTICLES = (
    "은|는|이|가|을|를|과|와|으로|로|의|에|에서|에는|에서는|도|만|까지|부터|보다|처럼|"
    "입니다|이고|이며|이므로|이면|이라고|라고|이라는|라는|으로는|로는|이나"
)
DETACHED = re.compile(
    r"[`\d)\]}*\"'”’A-Za-zα-ωΑ-Ω\u2070-\u209f²³¹ⁿ̂̄]"
    rf"[ \t]+(?:{PARTICLES})(?![가-힣])"
)
ORDINAL = re.compile(r"\d+\s*번째")
# 라고 right after a syllable with a final consonant (it takes 이라고), quotes and bold between.
RAGO = re.compile(r"([가-힣])[*\"'”’`]*라고")
# The symbols of a formula (update rules, hyper-parameters): a Korean text that drops one has
# dropped the rule (μ of momentum, ε of Adam, ← of an update, √ of RMSprop).
FORMULA = frozenset("αβγδεηθλμσΣ√←∂²‖⌊⌈≤≥")
ENGLISH_WORD = re.compile(r"(?<![\w.])[a-z]{4,}(?![\w(])")


def _plain(value: Any) -> list[str]:
    """The ways a parameter value is written in a text (empty when it is a word)."""
    if isinstance(value, bool):
        return [str(value)]
    if isinstance(value, int | float):
        return [fmt_num(value)]
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, str) for v in value):
            return [w for v in value for w in _plain(v)]
        written = [fmt_tensor(list(value))]
        if value and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            written.append(fmt_shape(value))
        return written
    latin_name = isinstance(value, str) and not HANGUL.search(value) and " " not in value
    if latin_name and re.search(r"[A-Z._()]", value):
        return [value]  # a name kept in Latin letters in both languages: torch.nn, ATen, CNN
    return []


def _final_consonant(syllable: str) -> bool:
    return (ord(syllable) - 0xAC00) % 28 != 0


def _code(text: str) -> tuple[list[str], list[str], str]:
    """The code blocks (comments dropped), the code spans, and the prose left without them."""
    blocks = [
        _chart_values(block)
        if info.strip().lower() == "chart"
        else "\n".join(line.split("#")[0].rstrip() for line in block.strip().splitlines())
        for info, block in CODE_BLOCK.findall(text)
    ]
    rest = CODE_BLOCK.sub(" ", text)
    spans = CODE_SPAN.findall(rest)
    return blocks, spans, CODE_SPAN.sub(" ", rest)


def _chart_values(block: str) -> str:
    """A chart block's numbers, line by line: its labels are translated, its data is not."""
    values = (line.partition(":")[2].strip() for line in block.splitlines())
    return "\n".join(value for value in values if any(c.isdigit() for c in value))


def _numbers(prose: str) -> set[str]:
    return {n.lstrip("-") for n in NUMBER.findall(prose)}


def _texts(template: Template, seed: int) -> Iterator[tuple[str, str, str | None]]:
    """(field, English text, Korean text or None) for every text of one variant."""
    variant = make_variant(template, seed)
    solved = solve(variant)
    params, values = variant.params, solved.values
    en, ko = template.texts["en"], template.texts.get("ko")

    def korean(text: Any, names: dict[str, Any]) -> str | None:
        return None if text is None else render_text(text, names)

    yield "prompt", render_text(en.prompt, params), korean(ko and ko.prompt, params)
    if en.hint is not None:
        yield "hint", render_text(en.hint, params), korean(ko and ko.hint, params)
    yield "solution", solved.solution("en"), korean(ko and ko.solution, values)
    if not template.auto_choices:
        for i, choice in enumerate(template.choices):
            en_text = render_text(choice["en"], params)
            if "ko" not in choice:  # one text for every language: it must need no translation
                yield f"choices.{i} (shared)", en_text, en_text
            else:
                yield f"choices.{i}", en_text, render_text(choice["ko"], params)
    for i, spec in enumerate(template.misconceptions):
        yield (
            f"misconceptions.{i}.feedback",
            render_text(spec.feedback["en"], values),
            korean(spec.feedback.get("ko"), values),
        )


def _problems(template: Template, seed: int) -> list[str]:
    problems = []
    named = [(name, w) for name, value in make_variant(template, seed).params.items()
             for w in _plain(value) if len(w) > 1]  # fmt: skip
    for field, en, ko in _texts(template, seed):
        where = f"seed {seed} {field}"
        if ko is None:
            problems.append(f"{where}: no Korean text")
            continue
        shared = field.endswith("(shared)")
        if HANGUL.search(en) and not shared:
            problems.append(f"{where}: Hangul in the English text: {en!r}")
        if shared:
            _, _, prose = _code(en)
            if HANGUL.search(en) or ENGLISH_WORD.search(prose):
                problems.append(f"{where}: an option in one language only: {en!r}")
            continue
        en_blocks, en_spans, en_prose = _code(en)
        ko_blocks, ko_spans, ko_prose = _code(ko)
        if en_blocks != ko_blocks:
            problems.append(f"{where}: code blocks differ: {en_blocks!r} vs {ko_blocks!r}")
        if set(en_spans) != set(ko_spans):
            missing, extra = set(en_spans) - set(ko_spans), set(ko_spans) - set(en_spans)
            problems.append(f"{where}: code spans differ: missing {missing}, extra {extra}")
        if _numbers(en_prose) != _numbers(ko_prose):
            missing = _numbers(en_prose) - _numbers(ko_prose)
            extra = _numbers(ko_prose) - _numbers(en_prose)
            problems.append(f"{where}: numbers differ: missing {missing}, extra {extra}")
        symbols = {c for c in en_prose if c in FORMULA} - set(ko_prose)
        if symbols:
            problems.append(f"{where}: formula symbols missing: {''.join(sorted(symbols))}")
        for name, written in named:
            if written in en and written not in ko:
                problems.append(f"{where}: the value of {name} ({written!r}) is missing")
        problems += [f"{where}: {p}" for p in korean_style_problems(ko)]
    return problems


def korean_style_problems(text: str) -> list[str]:
    """Spacing, ordinals and 라고 in one Korean text."""
    found = [f"space before a particle: {m.group()!r}" for m in DETACHED.finditer(text)]
    found += [f"0-based position as an ordinal: {m.group()!r}" for m in ORDINAL.finditer(text)]
    found += [
        f"라고 after a final consonant (이라고): {m.group()!r}"
        for m in RAGO.finditer(text)
        if _final_consonant(m.group(1))
    ]
    return found


@pytest.mark.parametrize("template_id", sorted(BANK.templates))
def test_korean_texts_carry_what_the_english_texts_carry(template_id: str) -> None:
    template = BANK.templates[template_id]
    assert "ko" in template.texts, "no Korean text"
    assert "ko" in dict(template.titles), "no Korean title"
    assert not HANGUL.search(template.title), f"Hangul in the English title {template.title!r}"
    if template.texts["en"].hint is not None:
        assert template.texts["ko"].hint is not None, "an English hint and no Korean one"
    problems = [p for seed in SEEDS for p in _problems(template, seed)]
    assert problems == [], "\n".join(dict.fromkeys(problems))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("`out.shape` 은 무엇입니까?", "space before a particle"),
        ("x 가 커지면", "space before a particle"),
        ("(4,) 는 (4, 4)가 됩니다", "space before a particle"),
        ("값은 0.5 입니다", "space before a particle"),
        ("[1, 2] 처럼 답하십시오", "space before a particle"),
        ("1 번째 값은?", "0-based position as an ordinal"),
        ("인덱스 2의 값", None),
        ("“기울기”라고 합니다", None),
        ("“손실”라고 합니다", "라고 after a final consonant"),
        ("`out.shape`은 무엇입니까? x가 커지면 0.5입니다. 두 번째 스텝", None),
        ("x = 3일 때 이 값은", None),
    ],
)
def test_the_style_checks_catch_what_they_should(text: str, problem: str | None) -> None:
    found = korean_style_problems(text)
    if problem is None:
        assert found == []
    else:
        assert found and all(problem in p for p in found), found


def test_one_word_for_a_neuron_and_regularization_kept_apart_from_normalization() -> None:
    """뉴런 as the notes write it (never 유닛); 규제 (regularization) never called 정규화.

    정규화 (normalization) is always qualified (배치 정규화, 최소-최대 정규화) outside the
    normalization questions, where the verb 정규화하다 speaks of the layer at hand.
    """
    qualified = re.compile(r"(배치|층|최소-최대) 정규화")
    problems = []
    for template in BANK.templates.values():
        for field, _, ko in _texts(template, 0):
            if ko is None:
                continue
            if "유닛" in ko:
                problems.append(f"{template.id} {field}: 유닛 (the notes say 뉴런)")
            if template.topic == "regularization" and "정규화" in ko:
                problems.append(f"{template.id} {field}: regularization is 규제, not 정규화")
            bare = ko.count("정규화") != len(qualified.findall(ko))
            if template.topic != "normalization" and bare:
                problems.append(f"{template.id} {field}: a bare 정규화 ({ko!r})")
    assert problems == []
